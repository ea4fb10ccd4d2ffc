// Launching Debian's Chromium (/usr/bin/chromium, `apt-get install chromium`)
// through playwright-core; never a downloaded browser. When it is absent the
// browser tests skip, saying why once (.ci/run installs it, so CI runs them).
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const skipReason = `${CHROMIUM} is absent: browser tests skipped (apt-get install -y chromium; .ci/run does)`;
if (!hasChromium) console.warn(`[test/browser] ${skipReason}`);

/** Screenshots land here (gitignored). */
export const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));

// The closed network refuses Chromium's background connections: these flags stop it trying.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface Session {
  browser: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile per launch (persistent context: playwright passes --user-data-dir itself). */
export async function launch(): Promise<Session> {
  const profile = mkdtempSync(join(tmpdir(), 'wasmtensor-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1200, height: 900 },
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A page whose console errors and uncaught exceptions are collected (tests assert there are none). */
export async function openPage(context: BrowserContext | Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  await page.goto(url);
  return { page, errors };
}

export function screenshotPath(name: string): string {
  mkdirSync(artifacts, { recursive: true });
  return join(artifacts, name);
}
