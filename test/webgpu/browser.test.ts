// The WebGPU kernels in headless Chromium on SwiftShader (the flags from
// DESIGN.md), through the browser bundle: in a Web Worker of a cross-origin
// isolated page the GEMMs run on the GPU and match the wasm kernels; on the
// page's main thread (which may not block on Atomics.wait) available() is
// false and says why; the demo page's training worker sees the software
// adapter and leaves it unused. Skips, saying so, without /usr/bin/chromium.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, skipReason } from '../browser/chromium';
import { startTestServer, type TestServer } from '../browser/server';
import { maxRelError } from './compare';

const distBuilt = existsSync(fileURLToPath(new URL('../../dist/index.browser.mjs', import.meta.url)));
const why = !hasChromium ? skipReason : !distBuilt ? 'dist/index.browser.mjs is missing (npm run build:js)' : '';

// test/browser's launch() turns the GPU off; these turn WebGPU on over SwiftShader.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader',
];

interface Reply {
  available?: boolean;
  reason?: string;
  error?: string;
  info?: { software: boolean; architecture: string };
  backend?: string;
  results?: { name: string; location: string; cpu: number[]; gpu: number[] }[];
}

describe.skipIf(why !== '')(`WebGPU in Chromium (SwiftShader)${why ? ` (skipped: ${why})` : ''}`, () => {
  let server: TestServer;
  let context: BrowserContext;
  let profile: string;
  beforeAll(async () => {
    server = await startTestServer({ '/webgpu/': fileURLToPath(new URL('.', import.meta.url)) });
    profile = mkdtempSync(join(tmpdir(), 'wasmtensor-webgpu-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('in a Web Worker: GEMMs (odd, transposed, batched) and a fused Dense on the GPU match the wasm kernels', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}test/blank.html`);
    const reply = (await page.evaluate(`new Promise((resolve) => {
      const worker = new Worker('/webgpu/browser-worker.mjs', { type: 'module' });
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => resolve({ error: e.message });
      worker.postMessage('run');
    })`)) as Reply;
    expect(reply.error).toBeUndefined();
    if (process.env.WASMTENSOR_REQUIRE_WEBGPU === '1') expect(reply.available, reply.reason).toBe(true);
    if (!reply.available) {
      console.warn(`[test/webgpu/browser] no adapter in Chromium: ${reply.reason}`);
      return;
    }
    console.log('[test/webgpu/browser]', JSON.stringify(reply.info), reply.results?.map((r) => r.name).join('; '));
    expect(reply.info?.software).toBe(true);
    expect(reply.backend).toBe('webgpu');
    for (const r of reply.results ?? []) {
      expect(r.location, r.name).toBe('gpu');
      expect(maxRelError(r.gpu, r.cpu), r.name).toBeLessThan(1e-5);
    }
    expect(reply.results?.length).toBe(7);
    await page.close();
  }, 120_000);

  it("on the page's main thread: not available, and the reason says to use a Web Worker", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}test/blank.html`);
    const reply = (await page.evaluate(`(async () => {
      const wt = await import('wasmtensor');
      await wt.ready();
      return { available: await wt.webgpu.available(), reason: wt.webgpu.unavailableReason(), ok: await wt.setBackend('webgpu').catch(String) };
    })()`)) as { available: boolean; reason: string; ok: unknown };
    expect(reply.available).toBe(false);
    expect(reply.reason).toMatch(/Web Worker/);
    expect(reply.ok).toBe(false);
    await page.close();
  }, 60_000);

  it("the demo page: its training worker sees SwiftShader, 'auto' leaves it unused, and it trains on wasm", async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}?steps=30&samples=10000&autotrain`);
    await page.waitForFunction(() => ['trained', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: 90_000 });
    expect(errors).toEqual([]);
    expect(await page.getAttribute('body', 'data-steps')).toBe('30');
    expect(await page.textContent('#backend')).toBe('wasm');
    const webgpu = (await page.textContent('#webgpu')) ?? '';
    console.log(`[test/webgpu/browser] demo: WebGPU ${webgpu}`);
    if (process.env.WASMTENSOR_REQUIRE_WEBGPU === '1') expect(webgpu).toMatch(/swiftshader.*: a software adapter, not used/i);
    else expect(webgpu).toMatch(/not used/);
    await page.close();
  }, 120_000);
});
