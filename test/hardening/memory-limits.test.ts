// A tensor beyond what wasm memory can hold fails with an out-of-memory error
// that names the size; nothing is half-allocated, earlier tensors keep their
// values and the runtime keeps working.
import { beforeAll, describe, expect, it } from 'vitest';
import * as wt from '../../src/index';

beforeAll(() => wt.ready());

describe('memory limits', () => {
  it('over the 4 GiB wasm limit, over one ~1 GiB block, and an absurd op output: clear errors, runtime intact', () => {
    const a = wt.tensor([1, 2, 3]);
    const w = wt.randomNormal([64, 64], 0, 1, 7);
    const wBefore = Array.from(w.dataSync());
    const before = wt.memory();
    expect(() => wt.zeros([2 ** 30])).toThrow('alloc: out of memory: 4294967296 bytes requested; wasm memory is limited to 4 GiB');
    expect(() => wt.ones([2 ** 20, 2 ** 20])).toThrow(/out of memory: 4398046511104 bytes requested/);
    // 1.2 GB fits under 4 GiB but not in one block of the allocator.
    expect(() => wt.zeros([300_000, 1000])).toThrow(/alloc: out of memory: could not allocate 1200000000 bytes/);
    // An op whose result is too big: 50,000 x 50,000 floats (10 GB).
    const col = wt.ones([50_000, 1]);
    expect(() => wt.matMul(col, col, false, true)).toThrow(/out of memory: 10000000000 bytes requested/);
    col.dispose();
    expect(wt.memory().numTensors).toBe(before.numTensors);
    expect(wt.memory().numBytes).toBe(before.numBytes);
    expect(a.arraySync()).toEqual([1, 2, 3]);
    expect(Array.from(w.dataSync())).toEqual(wBefore);
    expect(wt.sum(wt.matMul(w, w)).dataSync()[0]).toBeCloseTo(wt.sum(wt.matMul(w, w)).dataSync()[0]);
    const big = wt.ones([1024, 1024]);
    expect(wt.sum(big).dataSync()[0]).toBe(1024 * 1024);
    big.dispose();
  });
});
