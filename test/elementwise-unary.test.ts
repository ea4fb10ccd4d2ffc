// Every elementwise unary op and activation vs TF.js cpu (gelu vs a float64 erf
// reference), on 0-d, size-1, empty, odd-length (SIMD tail) and 4-d shapes and on
// non-contiguous views. Float tolerance: rtol 1e-5, atol 1e-6 unless stated.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, geluRef, GenOpts, randData, RefData, tf, tfOf } from './helpers/reference';
import { setupBoth, W, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

type TfFn = (x: tf.Tensor) => tf.Tensor;
interface UnaryCase {
  name: string;
  ours: (x: any) => any;
  method: (x: any) => any;
  ref: TfFn | ((v: number) => number);
  jsRef?: boolean;
  gen?: GenOpts;
  rtol?: number;
  atol?: number;
}

const U = (name: string, ref: TfFn, gen?: GenOpts, tol?: { rtol?: number; atol?: number }): UnaryCase => ({
  name,
  ours: (x) => w[name](x),
  method: (x) => x[name](),
  ref,
  gen,
  ...tol,
});

const UNARY: UnaryCase[] = [
  U('neg', tf.neg),
  U('abs', tf.abs),
  U('square', tf.square),
  U('sign', tf.sign),
  U('floor', tf.floor),
  U('ceil', tf.ceil),
  U('round', tf.round),
  U('exp', tf.exp, { lo: -10, hi: 10 }),
  U('expm1', tf.expm1, { lo: -5, hi: 5 }),
  U('log', tf.log, { lo: 0.01, hi: 100 }),
  U('log1p', tf.log1p, { lo: -0.9, hi: 10 }),
  U('sqrt', tf.sqrt, { lo: 0, hi: 100 }),
  U('rsqrt', tf.rsqrt, { lo: 0.01, hi: 100 }),
  U('reciprocal', tf.reciprocal, { lo: -4, hi: 4, avoidZero: 0.05 }),
  U('sin', tf.sin, { lo: -10, hi: 10 }),
  U('cos', tf.cos, { lo: -10, hi: 10 }),
  U('relu', tf.relu),
  U('relu6', tf.relu6, { lo: -3, hi: 9 }),
  U('elu', tf.elu, { lo: -6, hi: 6 }),
  U('selu', tf.selu, { lo: -6, hi: 6 }),
  U('softplus', tf.softplus, { lo: -20, hi: 20 }),
  U('sigmoid', tf.sigmoid, { lo: -20, hi: 20 }),
  U('tanh', tf.tanh, { lo: -10, hi: 10 }),
  {
    name: 'leakyRelu',
    ours: (x) => w.leakyRelu(x, 0.1),
    method: (x) => x.leakyRelu(0.1),
    ref: (x: tf.Tensor) => tf.leakyRelu(x, 0.1),
  },
  {
    name: 'clipByValue',
    ours: (x) => w.clipByValue(x, -1, 2),
    method: (x) => x.clipByValue(-1, 2),
    ref: (x: tf.Tensor) => tf.clipByValue(x, -1, 2),
  },
  {
    name: 'gelu',
    ours: (x) => w.gelu(x),
    method: (x) => x.gelu(),
    ref: geluRef,
    jsRef: true,
    gen: { lo: -6, hi: 6 },
  },
];

// shapes: 0-d, size-1, odd lengths (SIMD tails), empty axis, 4-d, larger
const SHAPES: number[][] = [[], [1], [7], [33], [3, 1, 5], [0, 3], [2, 3, 4, 5], [1000]];

function reference(c: UnaryCase, r: RefData, view?: (t: tf.Tensor) => tf.Tensor) {
  if (c.jsRef) {
    let x = tfOf(r);
    if (view) x = view(x);
    const f = c.ref as (v: number) => number;
    return { shape: x.shape, dtype: 'float32', data: Array.from(x.dataSync() as Float32Array, (v) => Math.fround(f(v))) };
  }
  let x = tfOf(r);
  if (view) x = view(x);
  return (c.ref as TfFn)(x);
}

describe('unary float32 ops vs tfjs', () => {
  for (const c of UNARY) {
    it(`${c.name} on ${SHAPES.length} shapes`, () => {
      SHAPES.forEach((shape, i) => {
        const r = randData(shape, { seed: 100 + i, ...c.gen });
        expectClose(c.ours(W(r)), reference(c, r), { rtol: c.rtol, atol: c.atol, msg: `${c.name} ${JSON.stringify(shape)}` });
      });
    });

    it(`${c.name} as a method and on non-contiguous views`, () => {
      const r = randData([5, 7], { seed: 7, ...c.gen });
      expectClose(c.method(W(r)), reference(c, r), { msg: `${c.name} method` });
      // transposed view
      expectClose(c.ours(W(r).T), reference(c, r, (t) => tf.transpose(t)), { msg: `${c.name} x.T` });
      // stepped view
      const r2 = randData([9, 4], { seed: 8, ...c.gen });
      expectClose(c.ours(W(r2).index('::2')), reference(c, r2, (t) => tf.stridedSlice(t, [0], [9], [2])), { msg: `${c.name} x.index('::2')` });
      // 4-d transpose perm
      const r3 = randData([2, 3, 4, 5], { seed: 9, ...c.gen });
      expectClose(c.ours(w.transpose(W(r3), [2, 0, 3, 1])), reference(c, r3, (t) => tf.transpose(t, [2, 0, 3, 1])), {
        msg: `${c.name} transpose perm`,
      });
    });
  }
});

describe('unary ops on integer tensors', () => {
  // int32 -> int32 for these (TF.js agrees)
  for (const name of ['neg', 'abs', 'square', 'relu', 'sign'] as const) {
    it(`${name}(int32) stays int32`, () => {
      const r = randData([3, 11], { dtype: 'int32', lo: -1000, hi: 1000, seed: 5 });
      expectClose(w[name](W(r)), (tf as any)[name](tfOf(r)), { dtype: 'int32' });
      const z = randData([], { dtype: 'int32', seed: 6 });
      expectClose(w[name](W(z)), (tf as any)[name](tfOf(z)), { dtype: 'int32' });
    });
  }

  // transcendental ops on int32 return float32
  for (const [name, lo, hi] of [['exp', -8, 8], ['log', 1, 1000], ['sqrt', 0, 1000], ['sigmoid', -20, 20], ['tanh', -5, 5], ['sin', -50, 50]] as const) {
    it(`${name}(int32) -> float32`, () => {
      const r = randData([13], { dtype: 'int32', lo, hi, seed: 11 });
      // (TF.js wants float32 input for these; int32 -> float32 is exact here)
      expectClose(w[name](W(r)), (tf as any)[name](tf.cast(tfOf(r), 'float32')), { dtype: 'float32' });
    });
  }

  it('uint8 is promoted to int32 in arithmetic (neg of 200 is -200)', () => {
    const x = w.tensor(new Uint8Array([0, 1, 200, 255]), [4]);
    expect(x.dtype).toBe('uint8');
    const y = w.neg(x);
    expectClose(y, { shape: [4], dtype: 'int32', data: [0, -1, -200, -255] });
    expectClose(w.square(x), { shape: [4], dtype: 'int32', data: [0, 1, 40000, 65025] });
  });
});

describe('relative accuracy where the op exists for it (atol 0, rtol stated)', () => {
  const logUniform = (n: number, lo: number, hi: number, seed: number) => {
    const r = randData([n], { seed, lo: Math.log(lo), hi: Math.log(hi) });
    return { ...r, data: r.data.map((v) => Math.exp(v)) };
  };

  it('expm1 / log1p on tiny inputs keep relative accuracy (rtol 1e-5)', () => {
    const r = randData([257], { seed: 61, lo: -1e-3, hi: 1e-3 });
    expectClose(w.expm1(W(r)), tf.expm1(tfOf(r)), { rtol: 1e-5, atol: 0, msg: 'expm1 small' });
    expectClose(w.log1p(W(r)), tf.log1p(tfOf(r)), { rtol: 1e-5, atol: 0, msg: 'log1p small' });
    const t = logUniform(64, 1e-30, 1e-6, 62);
    expectClose(w.expm1(W(t)), tf.expm1(tfOf(t)), { rtol: 1e-5, atol: 0, msg: 'expm1 tiny' });
    expectClose(w.log1p(W(t)), tf.log1p(tfOf(t)), { rtol: 1e-5, atol: 0, msg: 'log1p tiny' });
  });

  it('exp over its whole float32 range, log over 60 decades (rtol 1e-5)', () => {
    const r = randData([513], { seed: 63, lo: -87, hi: 88 });
    expectClose(w.exp(W(r)), tf.exp(tfOf(r)), { rtol: 1e-5, atol: 0, msg: 'exp [-87, 88]' });
    const small = logUniform(256, 1e-30, 0.5, 64);
    expectClose(w.log(W(small)), tf.log(tfOf(small)), { rtol: 1e-5, atol: 0, msg: 'log [1e-30, 0.5]' });
    const big = logUniform(256, 2, 1e30, 65);
    expectClose(w.log(W(big)), tf.log(tfOf(big)), { rtol: 1e-5, atol: 0, msg: 'log [2, 1e30]' });
    const sq = logUniform(256, 1e-30, 1e30, 66);
    expectClose(w.sqrt(W(sq)), tf.sqrt(tfOf(sq)), { rtol: 1e-6, atol: 0, msg: 'sqrt' });
    expectClose(w.rsqrt(W(sq)), tf.rsqrt(tfOf(sq)), { rtol: 1e-5, atol: 0, msg: 'rsqrt' });
  });

  it('tanh / sin near zero and sigmoid in the far negative tail (rtol 1e-5)', () => {
    const t = randData([128], { seed: 67, lo: -1e-3, hi: 1e-3 });
    expectClose(w.tanh(W(t)), tf.tanh(tfOf(t)), { rtol: 1e-5, atol: 0, msg: 'tanh small' });
    expectClose(w.sin(W(t)), tf.sin(tfOf(t)), { rtol: 1e-5, atol: 0, msg: 'sin small' });
    const s = randData([128], { seed: 68, lo: -80, hi: -10 });
    expectClose(w.sigmoid(W(s)), tf.sigmoid(tfOf(s)), { rtol: 1e-5, atol: 0, msg: 'sigmoid tail' });
  });
});

describe('unary hand cases', () => {
  it('round is half-to-even (numpy, TF.js)', () => {
    const x = w.tensor([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, 3.7]);
    expectClose(w.round(x), { shape: [8], dtype: 'float32', data: [0, 2, 2, -0, -2, -2, 0, 4] });
  });

  it('special values: exp overflow, log(0), sqrt(-1), sigmoid/tanh saturation', () => {
    expectClose(w.exp(w.tensor([100, -100, 0])), { shape: [3], dtype: 'float32', data: [Infinity, 0, 1] });
    expectClose(w.log(w.tensor([0, -1, 1])), { shape: [3], dtype: 'float32', data: [-Infinity, NaN, 0] });
    expectClose(w.sqrt(w.tensor([-1, 0, 4])), { shape: [3], dtype: 'float32', data: [NaN, 0, 2] });
    expectClose(w.sigmoid(w.tensor([-1000, 1000, 0])), { shape: [3], dtype: 'float32', data: [0, 1, 0.5] });
    expectClose(w.tanh(w.tensor([-1000, 1000, 0])), { shape: [3], dtype: 'float32', data: [-1, 1, 0] });
    expectClose(w.softplus(w.tensor([1000, -1000])), { shape: [2], dtype: 'float32', data: [1000, 0] });
    expectClose(w.relu(w.tensor([NaN])), { shape: [1], dtype: 'float32', data: [NaN] });
  });

  it('unary ops on 0-d return 0-d', () => {
    const s = w.scalar(-2.5);
    const y = w.abs(s);
    expect(y.shape).toEqual([]);
    expect(y.arraySync()).toBe(2.5);
  });
});
