// batchNorm against tfjs-core's cpu backend: the forward value (checked with
// no tape, so through the fused kernel) and all five gradients (the composite
// under the tape) via tf.grads, plus finite differences of our forward.
// Statistics of shape [C] (x's last axis) go to tf.batchNorm itself; for
// other broadcast shapes ([1, C, 1, 1], full shape) TF.js' FusedBatchNorm
// gradient does not reduce, and with offset or scale missing tf.grads fails,
// so there the reference is the same formula in tf ops.
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGrad, rand, setup, tf, wt, type Input } from '../autograd/gradcheck';

beforeAll(setup);

const EPS = 0.001;
const positive = (shape: number[]) => rand(shape, { lo: 0.3, hi: 2 });

/** The formula in tf ops (for broadcast shapes tf.batchNorm cannot differentiate). */
function refFormula(x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: tf.Tensor | null, s: tf.Tensor | null, eps = EPS): tf.Tensor {
  let f = tf.rsqrt(tf.add(v, eps));
  if (s) f = tf.mul(f, s);
  const y = tf.mul(tf.sub(x, m), f);
  return o ? tf.add(y, o) : y;
}

interface Case { x: number[]; p: number[]; offset: boolean; scale: boolean; eps?: number; viaTf: boolean }

const cases: Case[] = [
  { x: [7, 5], p: [5], offset: true, scale: true, viaTf: true },
  { x: [3, 8], p: [8], offset: true, scale: true, eps: 0.1, viaTf: true },
  { x: [2, 3, 4, 6], p: [6], offset: true, scale: true, viaTf: true },
  { x: [1, 5, 3, 7], p: [7], offset: false, scale: true, viaTf: false },
  { x: [2, 4, 3, 3], p: [3], offset: true, scale: false, viaTf: false },
  { x: [4, 2, 9], p: [9], offset: false, scale: false, viaTf: false },
  { x: [2, 1, 1, 1], p: [1], offset: true, scale: true, viaTf: true },
  // tf.grads fails inside TF.js when offset or scale is missing (it saves the
  // absent input for the backward pass): these use the formula; their forward
  // is also checked against tf.batchNorm below.
  // NCHW statistics: the kernel's [outer, C, inner] path with inner = H*W (5*3, a tail of 3).
  { x: [2, 3, 5, 3], p: [1, 3, 1, 1], offset: true, scale: true, viaTf: false },
  { x: [3, 6, 2, 2], p: [1, 6, 1, 1], offset: false, scale: true, viaTf: false },
  { x: [5, 4], p: [5, 1], offset: true, scale: true, viaTf: false },
  // Statistics varying along two axes: the composite runs without a tape too.
  { x: [3, 4, 5], p: [4, 5], offset: true, scale: true, viaTf: false },
  { x: [2, 3], p: [2, 3], offset: true, scale: true, viaTf: false },
];

describe('batchNorm vs tfjs-core cpu', () => {
  for (const k of cases) {
    const name = `x ${JSON.stringify(k.x)} statistics ${JSON.stringify(k.p)}${k.offset ? ' offset' : ''}${k.scale ? ' scale' : ''}${k.eps ? ` eps ${k.eps}` : ''}`;
    test(name, () => {
      const eps = k.eps ?? EPS;
      const inputs: Input[] = [rand(k.x), rand(k.p, { lo: -1, hi: 1 }), positive(k.p)];
      if (k.offset) inputs.push(rand(k.p));
      if (k.scale) inputs.push(rand(k.p, { lo: 0.5, hi: 2 }));
      const pick = <T>(xs: T[]): [T, T, T, T | null, T | null] =>
        [xs[0], xs[1], xs[2], k.offset ? xs[3] : null, k.scale ? xs[k.offset ? 4 : 3] : null];
      checkGrad({
        inputs,
        ours: (...xs) => {
          const [x, m, v, o, s] = pick(xs);
          return wt.batchNorm(x, m, v, o, s, eps);
        },
        ref: (...xs) => {
          const [x, m, v, o, s] = pick(xs);
          return k.viaTf
            ? tf.batchNorm(x, m as tf.Tensor1D, v as tf.Tensor1D, (o ?? undefined) as tf.Tensor1D, (s ?? undefined) as tf.Tensor1D, eps)
            : refFormula(x, m, v, o, s, eps);
        },
        rtol: 1e-4, atol: 1e-4,
      });
    });
  }

  test('offset and/or scale omitted: the forward matches tf.batchNorm', () => {
    for (const [o, sc] of [[false, true], [true, false], [false, false]]) {
      const [xi, mi, vi, oi, si] = [rand([3, 4, 5]), rand([5]), positive([5]), rand([5]), rand([5])];
      const T = (i: Input) => tf.tensor(i.data as Float32Array, i.shape) as tf.Tensor1D;
      const W = (i: Input) => wt.tensor(i.data, i.shape);
      const want = tf.batchNorm(T(xi), T(mi), T(vi), o ? T(oi) : undefined, sc ? T(si) : undefined, EPS).dataSync();
      const got = wt.tidy(() => wt.batchNorm(W(xi), W(mi), W(vi), o ? W(oi) : null, sc ? W(si) : undefined).dataSync());
      let worst = 0;
      for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      expect(worst, `offset ${o} scale ${sc}`).toBeLessThan(1e-5);
    }
  });

  test('rank-0 and rank-1 x; statistics given as arrays and numbers', () => {
    const y = wt.batchNorm(wt.tensor([1, 2, 3, 4]), 2, [4], [0.5], 3, 0);
    expect(Array.from(y.dataSync())).toEqual([-1, 0.5, 2, 3.5].map(Math.fround));
    const s = wt.batchNorm(wt.scalar(3), 1, 4, 1, 2, 0);
    expect(s.shape).toEqual([]);
    expect(s.dataSync()[0]).toBe(3);
    // varianceEpsilon null reads as the default 0.001, as in TF.js.
    const d = wt.batchNorm(wt.tensor([2]), 0, 1, null, null, null);
    expect(d.dataSync()[0]).toBeCloseTo(2 / Math.sqrt(1.001), 6);
    for (const t of [y, s, d]) t.dispose();
  });

  test('the fused (no tape) and composite (taped) forwards agree, including strided views', () => {
    const x = wt.tidy(() => wt.transpose(wt.randomNormal([3, 6, 5, 7]), [0, 2, 3, 1])); // [3, 5, 7, 6], a view
    const m = wt.randomNormal([6]);
    const v = wt.randomUniform([6], 0.5, 2);
    const o = wt.randomNormal([6]);
    const s = wt.randomNormal([6]);
    const fused = wt.batchNorm(x, m, v, o, s);
    let taped: Float32Array = new Float32Array();
    wt.grad((xx: wt.Tensor) => {
      const y = wt.batchNorm(xx, m, v, o, s);
      taped = y.dataSync() as Float32Array;
      return wt.sum(y);
    })(x).dispose();
    const a = fused.dataSync();
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - taped[i]));
    expect(worst).toBeLessThan(1e-5);
    for (const t of [x, m, v, o, s, fused]) t.dispose();
  });

  test('no tensors leak: forward without a tape, and all five gradients', () => {
    const x = wt.randomNormal([4, 3, 3, 5]);
    const m = wt.randomNormal([5]);
    const v = wt.randomUniform([5], 0.5, 2);
    const o = wt.randomNormal([5]);
    const s = wt.randomNormal([5]);
    const before = wt.memory().numTensors;
    wt.batchNorm(x, m, v, o, s).dispose();
    wt.batchNorm(x, [0, 0, 0, 0, 0], 1).dispose();
    expect(wt.memory().numTensors).toBe(before);
    const gs = wt.grads((a: wt.Tensor, b: wt.Tensor, c: wt.Tensor, d: wt.Tensor, e: wt.Tensor) =>
      wt.sum(wt.square(wt.batchNorm(a, b, c, d, e))))([x, m, v, o, s]);
    expect(wt.memory().numTensors).toBe(before + 5);
    for (const t of [x, m, v, o, s, ...gs]) t.dispose();
  });

  test('bad inputs name the argument and what was expected', () => {
    const x = wt.ones([2, 3]);
    expect(() => wt.batchNorm(x, wt.zeros([4]), wt.ones([3]))).toThrow(
      /^batchNorm: mean has shape \[4\], which does not broadcast to x's shape \[2,3\]; expected \[3\] \(x's last axis\)/);
    expect(() => wt.batchNorm(x, wt.zeros([3]), wt.ones([3]), wt.zeros([2, 2, 3]))).toThrow(/^batchNorm: offset has shape \[2,2,3\]/);
    expect(() => wt.batchNorm(x, wt.zeros([3]), wt.ones([3]), null, wt.ones([3], 'int32'))).toThrow(
      /^batchNorm: scale has dtype 'int32', expected 'float32'/);
    expect(() => wt.batchNorm(x, undefined as never, wt.ones([3]))).toThrow(/^batchNorm: mean is required \(a Tensor\), got undefined/);
    expect(() => wt.batchNorm(x, wt.zeros([3]), 'v' as never)).toThrow(/^batchNorm: variance must be a Tensor, a number or an array, got 'v'/);
    expect(() => wt.batchNorm(x, wt.zeros([3]), wt.ones([3]), null, null, -1)).toThrow(/^batchNorm: varianceEpsilon must be a finite number >= 0, got number -1/);
    const before = wt.memory().numTensors;
    expect(() => wt.batchNorm(x, [1, 2], [1, 2, 3])).toThrow(/^batchNorm: mean has shape \[2\]/);
    expect(wt.memory().numTensors).toBe(before);
  });
});
