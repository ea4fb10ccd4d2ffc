// Memory: automatic reclamation of unreachable tensors (FinalizationRegistry)
// keeps a dispose-free loop bounded; tidy() leaves numTensors unchanged;
// dispose() twice is harmless; keep() survives tidy. Runs with --expose-gc
// (vitest.config.ts execArgv).
import { beforeAll, describe, expect, it } from 'vitest';
import { setupBoth, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

const gc: (() => void) | undefined = (globalThis as any).gc;
const macrotask = () => new Promise((r) => setTimeout(r, 0));
async function collect() {
  for (let i = 0; i < 5; i++) {
    gc?.();
    await macrotask();
  }
}

describe('memory', () => {
  it('--expose-gc is on for this file', () => {
    expect(typeof gc).toBe('function');
  });

  it('memory() reports live tensors and bytes', () => {
    const m0 = w.memory();
    expect(typeof m0.numTensors).toBe('number');
    expect(typeof m0.numBytes).toBe('number');
    expect(typeof m0.wasmBytes).toBe('number');
    const x = w.zeros([256]);
    const m1 = w.memory();
    expect(m1.numTensors).toBe(m0.numTensors + 1);
    expect(m1.numBytes).toBeGreaterThanOrEqual(m0.numBytes + 1024);
    x.dispose();
    const m2 = w.memory();
    expect(m2.numTensors).toBe(m0.numTensors);
    expect(m2.numBytes).toBe(m0.numBytes);
  });

  it('10,000 create-compute-drop iterations without dispose stay bounded', async () => {
    await collect();
    const before = w.memory();
    let peakTensors = 0;
    let peakWasm = 0;
    for (let i = 0; i < 10_000; i++) {
      const y = w.add(w.ones([256]), 1);
      if (i % 1000 === 0) expect(y.dataSync()[255]).toBe(2);
      if (i % 500 === 499) {
        await collect();
        const m = w.memory();
        peakTensors = Math.max(peakTensors, m.numTensors);
        peakWasm = Math.max(peakWasm, m.wasmBytes);
      }
    }
    await collect();
    const after = w.memory();
    // 20,000 tensors (2 per iteration, 1 KiB each) were created; without reclamation
    // numTensors would grow by 20,000 and wasm memory by >= 20 MB.
    expect(after.numTensors - before.numTensors).toBeLessThan(100);
    expect(peakTensors - before.numTensors).toBeLessThan(2000);
    expect(after.numBytes - before.numBytes).toBeLessThan(100 * 1024);
    expect(peakWasm - before.wasmBytes).toBeLessThan(8 * 1024 * 1024);
    expect(after.wasmBytes - before.wasmBytes).toBeLessThan(8 * 1024 * 1024);
  });

  it('larger tensors in a loop: wasm memory does not grow without bound', async () => {
    await collect();
    const before = w.memory();
    for (let i = 0; i < 300; i++) {
      // 4 MB per tensor: 1.2 GB in total if nothing were reclaimed
      const x = w.mul(w.ones([1024, 1024]), 2);
      if (i % 10 === 9) await collect();
      if (i === 0) expect(x.dataSync()[0]).toBe(2);
    }
    await collect();
    const after = w.memory();
    expect(after.numTensors - before.numTensors).toBeLessThan(10);
    expect(after.wasmBytes).toBeLessThan(before.wasmBytes + 256 * 1024 * 1024);
  });

  it('the same loop inside tidy leaves numTensors unchanged', () => {
    const before = w.memory().numTensors;
    const bytes = w.memory().numBytes;
    w.tidy(() => {
      for (let i = 0; i < 10_000; i++) w.add(w.ones([256]), 1);
    });
    expect(w.memory().numTensors).toBe(before);
    expect(w.memory().numBytes).toBe(bytes);
  });

  it('tidy returns its result alive, keep() survives, nested tidy', () => {
    const before = w.memory().numTensors;
    let kept: any;
    const out = w.tidy(() => {
      const a = w.ones([4]);
      kept = w.keep(w.mul(a, 3));
      w.tidy(() => w.add(a, a));
      return w.add(a, 1);
    });
    expect(Array.from(out.dataSync())).toEqual([2, 2, 2, 2]);
    expect(Array.from(kept.dataSync())).toEqual([3, 3, 3, 3]);
    expect(w.memory().numTensors).toBe(before + 2);
    out.dispose();
    kept.dispose();
    expect(w.memory().numTensors).toBe(before);
  });

  it('tidy whose fn throws disposes what it created (TF.js) and the runtime keeps working', () => {
    const before = w.memory().numTensors;
    expect(() =>
      w.tidy(() => {
        w.ones([16]);
        w.add(w.ones([16]), 1);
        w.add(w.ones([3, 4]), w.ones([5])); // throws: broadcast
      }),
    ).toThrow(/add/);
    expect(w.memory().numTensors).toBe(before);
    // the scope stack is intact: a later tidy still cleans up and returns its result
    const r = w.tidy(() => w.add(w.ones([2]), 2));
    expect(Array.from(r.dataSync())).toEqual([3, 3]);
    expect(w.memory().numTensors).toBe(before + 1);
    r.dispose();
  });

  it('dispose() twice is harmless and counts once', () => {
    const before = w.memory().numTensors;
    const x = w.ones([8]);
    const y = w.ones([8]);
    x.dispose();
    x.dispose();
    expect(w.memory().numTensors).toBe(before + 1);
    expect(Array.from(y.dataSync())).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    y.dispose();
    expect(w.memory().numTensors).toBe(before);
  });

  it('dispose(container) frees the tensors in nested arrays and objects, as tf.dispose, and nothing else', () => {
    const m0 = w.memory();
    const [a, b, c, init, spared] = [w.ones([3]), w.zeros([2, 2]), w.scalar(1), w.ones([4]), w.ones([5])];
    const v = w.variable(init);
    const view = a.reshape([3, 1]);
    w.dispose([a, { nested: [b, { deeper: c }], count: 3, label: 'x', missing: null }, new Map([[1, init]]), v, view, a]);
    for (const t of [a, b, c, v, view]) expect(t.isDisposed).toBe(true);
    expect(init.isDisposed).toBe(false); // inside a Map, which is not a plain object (TF.js walks only arrays and objects)
    init.dispose();
    expect(spared.isDisposed).toBe(false);
    expect(w.memory().numTensors).toBe(m0.numTensors + 1);
    w.dispose(a); // again: harmless
    w.dispose(undefined);
    w.dispose(42);
    expect(w.memory().numTensors).toBe(m0.numTensors + 1);
    spared.dispose();
    expect(w.memory()).toEqual(m0);
  });

  it('basic indexing, .T and reshape of a contiguous tensor are views (no new storage)', () => {
    const x = w.zeros([100, 100]);
    const bytes = w.memory().numBytes;
    const views = [x.index('10:20'), x.index(':, 5'), x.index('::2, 1::3'), x.index(7), x.T, w.transpose(x), x.reshape([10000])];
    expect(w.memory().numBytes).toBe(bytes);
    expect(w.memory().numTensors).toBeGreaterThanOrEqual(views.length + 1);
    for (const v of views) v.dispose();
    x.dispose();
  });

  it('views keep their source storage alive after the source is dropped', async () => {
    let v: any = w.range(0, 10).index('::-3');
    await collect();
    expect(Array.from(v.dataSync())).toEqual([9, 6, 3, 0]);
    // disposing a view must not free the source's data under another view
    const src = w.range(0, 6);
    const a = src.index('1:');
    const b = src.index(':3');
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([0, 1, 2]);
    expect(Array.from(src.dataSync())).toEqual([0, 1, 2, 3, 4, 5]);
    v = null;
  });
});
