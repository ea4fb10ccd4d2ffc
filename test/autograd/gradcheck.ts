// Gradient checking for the autograd tests. Every case is checked twice,
// against two independent references:
//
//  (a) TF.js: tf.grads of the same function written with tfjs-core ops on the
//      cpu backend, same float32 inputs; rtol 1e-4, atol 1e-5 by default.
//  (b) Central finite differences of OUR forward pass (float32 kernels):
//      d/dx_i ~ (S(x + e_i h) - S(x - e_i h)) / (actual float32 step), where
//      S = sum(f(x) * w) is accumulated in float64 in JS so that only the
//      outputs x_i touches contribute rounding noise. h = 1e-2 by default.
//      Tolerance |g - fd| <= 1e-3 + 1e-2 * max(|g|, |fd|): the truncation
//      error is h^2/6 * f''' (~2e-5 f''') and the float32 noise of the
//      touched outputs is ~6e-8 |y| / h, both far below it.
//
// Vector-valued ops are reduced to a scalar with a fixed random weighting,
// S = sum(f(x) * w), so every output element carries its own weight and a
// gradient that swaps, drops or duplicates elements is caught. Inputs must
// be chosen away from kinks (relu/abs at 0, clip bounds, ties in max) by more
// than h; each test file does that with the generators below.
import { expect } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients: the union 'tfjs' package imports this.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as wt from '../../src/index';
import { compareValues, prng, setupTf, sizeOf } from '../helpers/reference';

export { tf, wt };

export async function setup(): Promise<void> {
  await wt.ready();
  await setupTf();
}

/** An input: float32 (differentiated unless `wrt` says otherwise) or int32 (never differentiated). */
export interface Input {
  shape: number[];
  data: Float32Array | Int32Array;
}

export function input(shape: number[], data: ArrayLike<number>, dtype: 'float32' | 'int32' = 'float32'): Input {
  const d = dtype === 'float32' ? Float32Array.from(data) : Int32Array.from(data);
  if (d.length !== sizeOf(shape)) throw new Error(`input: ${d.length} values for shape [${shape}]`);
  return { shape, data: d };
}

export interface RandOpts {
  lo?: number;
  hi?: number;
  /** keep |x| >= this (relu, abs, sign kinks at 0) */
  awayFromZero?: number;
  seed?: number;
}

let autoSeed = 101;

/** Uniform float32 values in [lo, hi) (default [-2, 2)), optionally kept away from 0. */
export function rand(shape: number[], opts: RandOpts = {}): Input {
  const { lo = -2, hi = 2, awayFromZero = 0 } = opts;
  const rnd = prng(opts.seed ?? autoSeed++ * 7717);
  const d = new Float32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) {
    let v = lo + (hi - lo) * rnd();
    if (Math.abs(v) < awayFromZero) v = v < 0 ? -awayFromZero - rnd() * 0.5 : awayFromZero + rnd() * 0.5;
    d[i] = v;
  }
  return { shape, data: d };
}

/**
 * Distinct values at least `gap` apart, shuffled (max/min/maximum need no
 * ties and no swap of order within +-h for finite differences).
 */
export function distinct(shape: number[], gap = 0.1, seed = autoSeed++ * 31): Input {
  const n = sizeOf(shape);
  const rnd = prng(seed);
  const v = Array.from({ length: n }, (_, i) => (i - n / 2) * gap + 0.013);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [v[i], v[j]] = [v[j], v[i]];
  }
  return { shape, data: Float32Array.from(v) };
}

export interface GradCase {
  inputs: Input[];
  /** The function under test, built from wasmtensor ops. */
  ours: (...xs: wt.Tensor[]) => wt.Tensor;
  /** The same function in tfjs-core ops (reference a). */
  ref: (...xs: tf.Tensor[]) => tf.Tensor;
  /** Indices of the inputs to differentiate; default: every float32 input. */
  wrt?: number[];
  /** Finite-difference step (default 1e-2). */
  h?: number;
  /** Finite-difference tolerances (default rtol 1e-2, atol 1e-3). */
  fdRtol?: number;
  fdAtol?: number;
  /** TF.js comparison tolerances (default rtol 1e-4, atol 1e-5). */
  rtol?: number;
  atol?: number;
  /** At most this many elements per input are finite-differenced (default 24, spread over the input). */
  fdSamples?: number;
  /** Seed of the output weighting w. */
  seed?: number;
}

function ourTensor(x: Input): wt.Tensor {
  return wt.tensor(x.data, x.shape);
}

function tfTensor(x: Input): tf.Tensor {
  return tf.tensor(x.data, x.shape, x.data instanceof Float32Array ? 'float32' : 'int32');
}

/** Fixed weighting for sum(f(x) * w): values in +-[0.5, 1.5], never near 0. */
function weights(shape: number[], seed: number): Input {
  const rnd = prng(seed);
  const d = new Float32Array(sizeOf(shape));
  for (let i = 0; i < d.length; i++) d[i] = (rnd() < 0.5 ? -1 : 1) * (0.5 + rnd());
  return { shape, data: d };
}

/** Which flat indices to finite-difference: all, or `n` spread evenly including the first and last. */
function samples(size: number, n: number): number[] {
  if (size <= n) return Array.from({ length: size }, (_, i) => i);
  const out = new Set<number>();
  for (let k = 0; k < n; k++) out.add(Math.round((k * (size - 1)) / (n - 1)));
  return [...out];
}

/** S(x) = sum(f(x) * w) in float64 from our float32 forward pass. */
function weightedSum(c: GradCase, xs: Input[], w: ArrayLike<number>): number {
  return wt.tidy(() => {
    const y = c.ours(...xs.map(ourTensor));
    const d = y.dataSync();
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i] * w[i];
    return s;
  });
}

/** Our gradients of sum(f(x) * w) with respect to the `wrt` inputs: {shape, data} per input. */
export function ourGrads(c: GradCase, w?: Input): { shape: number[]; data: Float32Array }[] {
  const wrt = c.wrt ?? c.inputs.flatMap((x, i) => (x.data instanceof Float32Array ? [i] : []));
  return wt.tidy(() => {
    const all = c.inputs.map(ourTensor);
    const y0 = c.ours(...all);
    const weight = w ?? weights([...y0.shape], c.seed ?? 7);
    const wT = wt.tensor(weight.data, weight.shape);
    const f = (...sources: wt.Tensor[]) => {
      const xs = all.slice();
      wrt.forEach((k, j) => (xs[k] = sources[j]));
      return wt.sum(wt.mul(c.ours(...xs), wT));
    };
    const gs = wt.grads(f)(wrt.map((k) => all[k]));
    return gs.map((g) => ({ shape: [...g.shape], data: g.dataSync() as Float32Array }));
  });
}

/**
 * Checks the gradient of sum(ours(...inputs) * w) against TF.js and against
 * finite differences. Returns our gradients for any extra hand checks.
 */
export function checkGrad(c: GradCase): { shape: number[]; data: Float32Array }[] {
  const wrt = c.wrt ?? c.inputs.flatMap((x, i) => (x.data instanceof Float32Array ? [i] : []));
  const rtol = c.rtol ?? 1e-4;
  const atol = c.atol ?? 1e-5;

  // Forward value first: a wrong forward pass would make every gradient check confusing.
  const refY = tf.tidy(() => c.ref(...c.inputs.map(tfTensor)));
  const ySpec = { shape: refY.shape.slice(), data: refY.dataSync() };
  refY.dispose();
  const ourY = wt.tidy(() => {
    const y = c.ours(...c.inputs.map(ourTensor));
    return { shape: [...y.shape], dtype: y.dtype, data: y.dataSync() };
  });
  expect(ourY.shape, 'forward shape').toEqual(ySpec.shape);
  expect(ourY.dtype, 'forward dtype').toBe('float32');
  const fwdErr = compareValues(ourY.data, ySpec.data, rtol, atol);
  if (fwdErr) expect.fail(`forward value vs TF.js: ${fwdErr}`);

  const w = weights(ySpec.shape, c.seed ?? 7);
  const ours = ourGrads(c, w);

  // (a) TF.js.
  const ref = tf.tidy(() => {
    const all = c.inputs.map(tfTensor);
    const wT = tfTensor(w);
    const f = (...sources: tf.Tensor[]) => {
      const xs = all.slice();
      wrt.forEach((k, j) => (xs[k] = sources[j]));
      return tf.sum(tf.mul(c.ref(...xs), wT));
    };
    return tf.grads(f)(wrt.map((k) => all[k])).map((g) => ({ shape: g.shape.slice(), data: g.dataSync() as Float32Array }));
  });
  wrt.forEach((k, j) => {
    expect(ours[j].shape, `gradient shape of input ${k}`).toEqual(c.inputs[k].shape);
    const err = compareValues(ours[j].data, ref[j].data, rtol, atol);
    if (err) expect.fail(`gradient of input ${k} vs TF.js tf.grads: ${err}`);
  });

  // (b) Central finite differences of our own forward pass.
  const h = c.h ?? 1e-2;
  const fdRtol = c.fdRtol ?? 1e-2;
  const fdAtol = c.fdAtol ?? 1e-3;
  wrt.forEach((k, j) => {
    const x = c.inputs[k].data as Float32Array;
    for (const i of samples(x.length, c.fdSamples ?? 24)) {
      const plus = Float32Array.from(x);
      const minus = Float32Array.from(x);
      plus[i] = Math.fround(x[i] + h);
      minus[i] = Math.fround(x[i] - h);
      const at = (d: Float32Array) => c.inputs.map((inp, m) => (m === k ? { shape: inp.shape, data: d } : inp));
      const fd = (weightedSum(c, at(plus), w.data) - weightedSum(c, at(minus), w.data)) / (plus[i] - minus[i]);
      const g = ours[j].data[i];
      const tol = fdAtol + fdRtol * Math.max(Math.abs(g), Math.abs(fd));
      if (!(Math.abs(g - fd) <= tol)) {
        expect.fail(`gradient of input ${k} at flat index ${i} (x = ${x[i]}): ours ${g}, finite difference ${fd} (h ${h}, tol ${tol})`);
      }
    }
  });
  return ours;
}
