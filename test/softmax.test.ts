// softmax / logSoftmax vs TF.js cpu along every axis (TF.js only does the last
// axis, so the reference moves the axis last, applies, and moves it back), plus
// numerical stability for inputs of magnitude 1000. Tolerance rtol 1e-5, atol 1e-6.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, randData, tf, tfOf } from './helpers/reference';
import { setupBoth, W, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

function tfAlong(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, axis: number): tf.Tensor {
  const ax = axis < 0 ? axis + x.rank : axis;
  if (ax === x.rank - 1) return f(x);
  const perm = [...Array(x.rank).keys()];
  perm[ax] = x.rank - 1;
  perm[x.rank - 1] = ax;
  return tf.transpose(f(tf.transpose(x, perm)), perm);
}

const FNS = [
  { name: 'softmax', ref: (x: tf.Tensor) => tf.softmax(x) },
  { name: 'logSoftmax', ref: (x: tf.Tensor) => tf.logSoftmax(x) },
];

describe('softmax / logSoftmax vs tfjs', () => {
  for (const f of FNS) {
    it(`${f.name}: default axis (-1) and every axis of 1-4-d tensors`, () => {
      for (const shape of [[10], [4, 7], [3, 1, 5], [2, 3, 4, 33], [128, 10]]) {
        const r = randData(shape, { seed: shape.length * 3, lo: -8, hi: 8 });
        expectClose(w[f.name](W(r)), f.ref(tfOf(r)), { msg: `${f.name} ${JSON.stringify(shape)} default` });
        for (let ax = -shape.length; ax < shape.length; ax++) {
          expectClose(w[f.name](W(r), ax), tfAlong(f.ref, tfOf(r), ax), { msg: `${f.name} ${JSON.stringify(shape)} axis ${ax}` });
        }
      }
    });

    it(`${f.name}: non-contiguous input`, () => {
      const r = randData([6, 5], { seed: 2 });
      expectClose(w[f.name](W(r).T), f.ref(tf.transpose(tfOf(r))), { msg: 'x.T' });
      expectClose(w[f.name](W(r).T, 0), tfAlong(f.ref, tf.transpose(tfOf(r)), 0), { msg: 'x.T axis 0' });
    });

    it(`${f.name}: large-magnitude inputs are stable (no NaN/Infinity)`, () => {
      const r = randData([16, 10], { seed: 5, lo: -1000, hi: 1000 });
      const y = w[f.name](W(r));
      const d = Array.from(y.dataSync() as Float32Array);
      expect(d.some((v) => Number.isNaN(v))).toBe(false);
      expectClose(y, f.ref(tfOf(r)), { rtol: 1e-5, atol: 1e-5 });
    });
  }

  it('hand cases at magnitude 1000', () => {
    expectClose(w.softmax(w.tensor([1000, 1000])), { shape: [2], dtype: 'float32', data: [0.5, 0.5] });
    expectClose(w.softmax(w.tensor([[1000, 0, -1000], [-1000, -1000, -1000]])), {
      shape: [2, 3], dtype: 'float32', data: [1, 0, 0, 1 / 3, 1 / 3, 1 / 3].map(Math.fround),
    });
    expectClose(w.logSoftmax(w.tensor([1000, 0])), { shape: [2], dtype: 'float32', data: [0, -1000] });
    expectClose(w.logSoftmax(w.tensor([-1000, -1000])), { shape: [2], dtype: 'float32', data: [-Math.LN2, -Math.LN2] });
  });

  it('softmax against float64 over the whole range of x - max, -Infinity masks, NaN rows', () => {
    // Rows of 1,003 values (the SIMD steps and the scalar tail), x - max spread over [-90, 0]:
    // the kernel's exp of x - max is its own (1.3 ulp), so check it against float64 directly.
    const n = 1003;
    const rows = 4;
    const x = new Float32Array(rows * n);
    for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) x[r * n + i] = Math.fround(3 * r - (90 * ((i * 7919) % n)) / (n - 1));
    const got = w.softmax(w.tensor(x, [rows, n])).dataSync() as Float32Array;
    const gotLog = w.logSoftmax(w.tensor(x, [rows, n])).dataSync() as Float32Array;
    for (let r = 0; r < rows; r++) {
      const row = Array.from(x.subarray(r * n, (r + 1) * n));
      const max = Math.max(...row);
      // x - max rounded to float32, as every float32 softmax computes it (its rounding alone is up to
      // 5e-6 relative in e^(x - max) at x - max = -87); the rest in float64.
      const shifted = row.map((v) => Math.fround(v - max));
      const sum = shifted.reduce((s, v) => s + Math.exp(v), 0);
      for (let i = 0; i < n; i++) {
        const want = Math.exp(shifted[i]) / sum;
        // Relative 4e-7 (measured 2.0e-7: exp, sum and the scaling) where the value is a normal
        // float32; below 2^-126 e^(x - max) may flush to 0.
        expect(Math.abs(got[r * n + i] - want), `softmax row ${r} col ${i}`).toBeLessThanOrEqual(4e-7 * want + 2 ** -126);
        expect(Math.abs(gotLog[r * n + i] - (shifted[i] - Math.log(sum))), `logSoftmax row ${r} col ${i}`).toBeLessThan(2e-5);
      }
    }
    // A masked entry (-Infinity) gets exactly 0; a row holding NaN is NaN.
    const masked = w.softmax(w.tensor([[0, -Infinity, 1, -Infinity, 2, 3, 4, 5, -Infinity], [1, 2, NaN, 4, 5, 6, 7, 8, 9]])).dataSync();
    for (const i of [1, 3, 8]) expect(masked[i]).toBe(0);
    expect(Array.from(masked.subarray(9)).every(Number.isNaN)).toBe(true);
    const live = [0, 1, 2, 3, 4, 5].map(Math.exp);
    const liveSum = live.reduce((a, b) => a + b);
    [0, 2, 4, 5, 6, 7].forEach((col, j) => expect(Math.abs(masked[col] - live[j] / liveSum)).toBeLessThan(1e-7));
  });

  it('softmax rows sum to 1 and exp(logSoftmax) equals softmax', () => {
    const r = randData([32, 10], { seed: 9, lo: -30, hi: 30 });
    const s = w.softmax(W(r));
    const sums = w.sum(s, 1).dataSync();
    for (const v of sums) expect(Math.abs(v - 1)).toBeLessThan(1e-5);
    expectClose(w.exp(w.logSoftmax(W(r))), tf.softmax(tfOf(r)), { atol: 1e-6 });
  });
});
