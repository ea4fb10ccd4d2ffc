// Threads in the browser: a cross-origin isolated page (the server sends
// COOP/COEP) loads a threaded build, starts Web Workers over the shared wasm
// memory, and large kernels split across them give the same results as one
// thread; a page without isolation gets a single-threaded build, no workers.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hasChromium, skipReason } from './chromium';
import { useBrowser } from './fixture';

// Before any script runs: count the Web Workers the page starts (the pool's)
// and the main thread's Atomics.notify calls (the pool posts a job with one).
const COUNT_WORKERS = `{
  const W = globalThis.Worker;
  globalThis.__workers = 0;
  globalThis.Worker = class extends W { constructor(...a) { super(...a); globalThis.__workers++; } };
  const notify = Atomics.notify;
  globalThis.__notifies = 0;
  Atomics.notify = function (...a) { globalThis.__notifies++; return notify.apply(this, a); };
}`;

// Runs in the page: a GEMM above flags.threadsMinMatMul and an elementwise op
// above threadsMinElements, on 1 thread and on 2; returns both and the facts.
const RUN = `(async () => {
  const wt = await import('wasmtensor');
  await wt.ready();
  const facts = { isolated: crossOriginIsolated, build: wt.getBuild(), defaultThreads: wt.getThreads() };
  const a = wt.randomUniform([384, 300], -1, 1, 'float32', 1);
  const b = wt.randomUniform([300, 320], -1, 1, 'float32', 2);
  const big = wt.randomUniform([1 << 22], -1, 1, 'float32', 3);
  const run = () => {
    const before = globalThis.__notifies;
    const gemm = Array.from(wt.matMul(a, b).dataSync());
    const ew = Array.from(wt.tanh(wt.mul(big, 3)).index('::4097').dataSync());
    return { gemm, ew, jobs: globalThis.__notifies - before };
  };
  await wt.setThreads(1);
  const one = run();
  await wt.setThreads(2);
  const two = run();
  return { ...facts, threadsAfter: wt.getThreads(), workers: globalThis.__workers, one, two };
})()`;

interface Run {
  gemm: number[];
  ew: number[];
  /** Jobs posted to workers while it ran. */
  jobs: number;
}

interface Outcome {
  isolated: boolean;
  build: string;
  defaultThreads: number;
  threadsAfter: number;
  workers: number;
  one: Run;
  two: Run;
}

describe.skipIf(!hasChromium)(`threads in Chromium${hasChromium ? '' : ` (skipped: ${skipReason})`}`, () => {
  const env = useBrowser();

  async function outcome(query: string): Promise<Outcome> {
    const page: Page = await env.session.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(COUNT_WORKERS);
    await page.goto(`${env.server.url}test/blank.html${query}`);
    const result = (await page.evaluate(RUN)) as Outcome;
    await page.close();
    expect(errors).toEqual([]);
    return result;
  }

  it('cross-origin isolated: a threaded build, Web Workers started, 2-thread results equal 1-thread results', async () => {
    const r = await outcome('');
    expect(r.isolated).toBe(true);
    expect(r.build).toMatch(/threads$/);
    expect(r.threadsAfter).toBe(2);
    expect(r.workers).toBeGreaterThanOrEqual(1);
    expect(r.one.jobs).toBe(0);
    expect(r.two.jobs).toBeGreaterThanOrEqual(2); // the GEMM and at least one elementwise op ran on a worker
    // Each output element is computed whole by one thread, in the same order: bit-identical.
    expect(r.two.gemm).toEqual(r.one.gemm);
    expect(r.two.ew).toEqual(r.one.ew);
    expect(r.one.gemm).toHaveLength(384 * 320);
  }, 60_000);

  it('not isolated (?coi=0): a single-threaded build, no workers, setThreads(2) leaves 1 thread', async () => {
    const r = await outcome('?coi=0');
    expect(r.isolated).toBe(false);
    expect(r.build).not.toMatch(/threads/);
    expect(r.defaultThreads).toBe(1);
    expect(r.threadsAfter).toBe(1);
    expect(r.workers).toBe(0);
    expect(r.two.jobs).toBe(0);
    expect(r.two.gemm).toEqual(r.one.gemm);
  }, 60_000);
});
