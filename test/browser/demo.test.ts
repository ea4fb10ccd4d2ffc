// The demo page (examples/browser) in Chromium: its Web Worker trains the
// seed's MNIST network for a few hundred steps, predicts test digits, and turns a digit
// drawn with synthetic pointer events into class probabilities; on a phone
// viewport the page fits the screen. Screenshots go to test/browser/artifacts/.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, openPage, screenshotPath, skipReason } from './chromium';
import { useBrowser } from './fixture';

const TRAIN_TIMEOUT = 150_000;

/** Strokes a "1": one vertical line through the middle of the pad. */
async function drawOne(page: Page): Promise<void> {
  await page.locator('#pad').scrollIntoViewIfNeeded(); // mouse coordinates are the viewport's
  const box = (await page.locator('#pad').boundingBox())!;
  const x = box.x + box.width * 0.52;
  await page.mouse.move(x, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(x - i * 0.4, box.y + box.height * (0.15 + (0.7 * i) / 20));
  await page.mouse.up();
}

async function probabilities(page: Page): Promise<number[]> {
  return page.$$eval('#probs .pct', (cells) => cells.map((c) => Number.parseFloat(c.textContent ?? '') / 100));
}

describe.skipIf(!hasChromium)(`demo page in Chromium${hasChromium ? '' : ` (skipped: ${skipReason})`}`, () => {
  const env = useBrowser();

  it('cross-origin isolated: trains 300 steps on 60,000 images on the threaded build, then predicts a drawn "1"', async () => {
    const { page, errors } = await openPage(env.session.browser, `${env.server.url}?steps=300&samples=60000&autotrain`);
    await page.waitForFunction(() => ['trained', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: TRAIN_TIMEOUT });
    expect(errors).toEqual([]);
    expect(await page.getAttribute('body', 'data-state')).toBe('trained');
    expect(await page.getAttribute('body', 'data-steps')).toBe('300');
    expect(Number(await page.getAttribute('body', 'data-test-accuracy'))).toBeGreaterThan(0.9);
    expect(await page.textContent('#backend')).toBe('wasm');
    expect(await page.textContent('#build')).toMatch(/threads$/);
    expect(await page.textContent('#kernels')).toBe('full'); // unbundled: the page imports every module
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(await page.textContent('#threads')).toBe(String(cores));
    expect(await page.textContent('#isolated')).toBe('yes');
    // The training ran in the demo's worker; on this machine's Chromium 'auto' has no hardware adapter to use.
    expect(page.workers().map((w) => new URL(w.url()).pathname)).toContain('/trainer.js');
    const webgpu = (await page.textContent('#webgpu')) ?? '';
    console.log(`[demo] WebGPU: ${webgpu}`);
    expect(webgpu).toMatch(/not used/);
    expect(await page.$eval('#progress', (p) => (p as HTMLProgressElement).value)).toBe(300);
    expect(await page.$eval('#chart', (c) => c.getAttribute('aria-label'))).toMatch(/300 steps: loss \d/);
    const captions = await page.$$eval('#samples-grid li div', (els) => els.map((e) => e.textContent ?? ''));
    expect(captions).toHaveLength(12);
    expect(captions.filter((c) => c.includes('✓')).length).toBeGreaterThanOrEqual(9);

    await drawOne(page);
    await expect.poll(() => page.textContent('#prediction')).toBe('1');
    const probs = await probabilities(page);
    expect(probs).toHaveLength(10);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
    expect(probs.indexOf(Math.max(...probs))).toBe(1);
    await page.screenshot({ path: screenshotPath('demo-desktop.png'), fullPage: true });

    await page.click('#clear');
    expect(await page.textContent('#prediction')).toBe('–');
    await page.close();
  }, TRAIN_TIMEOUT + 30_000);

  it('a second Train while the worker trains is ignored: one fit at a time, the step cap holds', async () => {
    const { page, errors } = await openPage(env.session.browser, `${env.server.url}?steps=40&samples=10000`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: TRAIN_TIMEOUT });
    // requestSubmit ignores the button's disabled state, so both reach the worker.
    await page.evaluate(() => {
      const form = document.getElementById('train-form') as HTMLFormElement;
      form.requestSubmit();
      form.requestSubmit();
    });
    await page.waitForFunction(() => ['trained', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: TRAIN_TIMEOUT });
    expect(errors).toEqual([]);
    expect(await page.getAttribute('body', 'data-runs')).toBe('1');
    expect(await page.getAttribute('body', 'data-steps')).toBe('40');
    expect(await page.$eval('#chart', (c) => c.getAttribute('aria-label'))).toMatch(/^[^:]*\b40 steps: loss/);
    await page.close();
  }, TRAIN_TIMEOUT + 30_000);

  it('phone viewport without isolation: single-threaded build, fits the screen, labelled controls', async () => {
    const page = await env.session.browser.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${env.server.url}?coi=0&steps=40&samples=10000&autotrain`);
    await page.waitForFunction(() => ['trained', 'error'].includes(document.body.dataset.state ?? ''), null, { timeout: TRAIN_TIMEOUT });
    expect(errors).toEqual([]);
    expect(await page.getAttribute('body', 'data-steps')).toBe('40');
    expect(await page.textContent('#isolated')).toMatch(/^no/);
    expect(await page.textContent('#build')).not.toMatch(/threads/);
    expect(await page.textContent('#threads')).toBe('1');
    // Nothing wider than the viewport, and the pad is fully on screen horizontally.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const pad = (await page.locator('#pad').boundingBox())!;
    expect(pad.x).toBeGreaterThanOrEqual(0);
    expect(pad.x + pad.width).toBeLessThanOrEqual(390);
    // Every form control has a label, every button a name, every canvas a description.
    const unlabelled = await page.$$eval('input, select', (els) => els.filter((e) => (e as HTMLInputElement).labels?.length === 0).length);
    expect(unlabelled).toBe(0);
    const nameless = await page.$$eval('button', (els) => els.filter((e) => !(e.textContent ?? '').trim()).length);
    expect(nameless).toBe(0);
    const undescribed = await page.$$eval('canvas', (els) => els.filter((e) => !e.getAttribute('aria-label')).length);
    expect(undescribed).toBe(0);
    await drawOne(page);
    await expect.poll(() => page.textContent('#prediction')).toMatch(/^\d$/);
    await page.screenshot({ path: screenshotPath('demo-phone.png'), fullPage: true });
    await page.close();
  }, TRAIN_TIMEOUT + 30_000);
});
