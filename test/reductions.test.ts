// Reductions vs TF.js cpu over every axis combination of 1-4-d tensors, keepDims
// both ways, negative axes, method forms, views, int32; argMax/argMin with ties;
// empty-axis cases against numpy semantics by hand.
// Tolerances: max/min/argMax/argMin exact; sum/mean rtol 1e-5 atol 1e-4 (float
// accumulation order differs); prod rtol 1e-4.
import { beforeAll, describe, expect, it } from 'vitest';
import { axisSubsets, caught, RefData, refIndex, expectClose, randData, reducedShape, tf, tfOf } from './helpers/reference';
import { setupBoth, W, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;
/** TF.js tensor of a numpy-indexed view, built from the JS index reference. */
const tfIdx = (r: RefData, spec: string) => {
  const v = refIndex(r.data, r.shape, spec);
  return tf.tensor(v.data, v.shape, r.dtype === 'float32' ? 'float32' : 'int32');
};

const OPS: { name: string; ref: (x: tf.Tensor, axis?: number[] | number, keepDims?: boolean) => tf.Tensor; rtol: number; atol: number }[] = [
  { name: 'sum', ref: tf.sum, rtol: 1e-5, atol: 1e-4 },
  { name: 'mean', ref: tf.mean, rtol: 1e-5, atol: 1e-4 },
  { name: 'max', ref: tf.max, rtol: 0, atol: 0 },
  { name: 'min', ref: tf.min, rtol: 0, atol: 0 },
  { name: 'prod', ref: tf.prod, rtol: 1e-4, atol: 1e-6 },
];

const SHAPES = [[7], [3, 5], [1, 6], [2, 3, 4], [3, 1, 4], [2, 3, 4, 5], [1, 33, 1, 3]];

describe('reductions vs tfjs over every axis combination', () => {
  for (const op of OPS) {
    it(`${op.name}: all axis subsets, keepDims true/false, negative axes`, () => {
      SHAPES.forEach((shape, si) => {
        const r = randData(shape, op.name === 'prod' ? { seed: si + 1, lo: 0.6, hi: 1.5 } : { seed: si + 1 });
        const x = W(r);
        const xt = tfOf(r);
        for (const axes of axisSubsets(shape.length)) {
          for (const keepDims of [false, true]) {
            const msg = `${op.name} ${JSON.stringify(shape)} axes ${JSON.stringify(axes)} keepDims ${keepDims}`;
            const want = op.ref(xt, axes, keepDims);
            expect(want.shape).toEqual(reducedShape(shape, axes, keepDims));
            expectClose(w[op.name](x, axes, keepDims), want, { rtol: op.rtol, atol: op.atol, msg });
            // the same axes spelled negatively
            const neg = axes.map((a) => a - shape.length);
            expectClose(w[op.name](x, neg, keepDims), want, { rtol: op.rtol, atol: op.atol, msg: msg + ' (negative)' });
          }
          if (axes.length === 1) {
            // a single axis as a plain number
            expectClose(w[op.name](x, axes[0]), op.ref(xt, axes[0]), { rtol: op.rtol, atol: op.atol, msg: `${op.name} axis ${axes[0]} number` });
          }
        }
        // no axis = all
        expectClose(w[op.name](x), op.ref(xt), { rtol: op.rtol, atol: op.atol, msg: `${op.name} all ${JSON.stringify(shape)}` });
        expectClose(w[op.name](x, undefined, true), op.ref(xt, undefined, true), { rtol: op.rtol, atol: op.atol, msg: `${op.name} all keepDims` });
      });
    });

    it(`${op.name}: method form, views, 0-d, large`, () => {
      const r = randData([6, 9], op.name === 'prod' ? { seed: 3, lo: 0.8, hi: 1.2 } : { seed: 3 });
      const tol = { rtol: op.rtol, atol: op.atol };
      expectClose(W(r)[op.name](1), op.ref(tfOf(r), 1), { ...tol, msg: 'method axis 1' });
      expectClose(W(r)[op.name](0, true), op.ref(tfOf(r), 0, true), { ...tol, msg: 'method keepDims' });
      expectClose(W(r)[op.name](), op.ref(tfOf(r)), { ...tol, msg: 'method all' });
      expectClose(w[op.name](W(r).T, 1), op.ref(tf.transpose(tfOf(r)), 1), { ...tol, msg: 'x.T axis 1' });
      expectClose(w[op.name](W(r).index('::-2, 1:'), 0), op.ref(tfIdx(r, '::-2, 1:'), 0), {
        ...tol,
        msg: "index('::-2, 1:') axis 0",
      });
      const s = randData([], { seed: 4 });
      expectClose(w[op.name](W(s)), op.ref(tfOf(s)), { ...tol, msg: '0-d' });
      const big = randData([3, 4097], op.name === 'prod' ? { seed: 5, lo: 0.999, hi: 1.001 } : { seed: 5 });
      expectClose(w[op.name](W(big), 1), op.ref(tfOf(big), 1), { rtol: Math.max(op.rtol, 1e-4), atol: op.atol * 10, msg: 'large axis' });
      expectClose(w[op.name](W(big), 0), op.ref(tfOf(big), 0), { ...tol, msg: 'large, axis 0' });
    });
  }

  it('int32: sum/max/min/prod stay int32 (exact), mean is float32', () => {
    const r = randData([4, 3, 5], { dtype: 'int32', lo: -50, hi: 50, seed: 9 });
    const x = W(r);
    for (const axes of axisSubsets(3)) {
      expectClose(w.sum(x, axes), tf.sum(tfOf(r), axes), { dtype: 'int32', msg: `sum ${axes}` });
      expectClose(w.max(x, axes), tf.max(tfOf(r), axes), { dtype: 'int32', msg: `max ${axes}` });
      expectClose(w.min(x, axes, true), tf.min(tfOf(r), axes, true), { dtype: 'int32', msg: `min ${axes}` });
      expectClose(w.mean(x, axes), tf.mean(tf.cast(tfOf(r), 'float32'), axes), { dtype: 'float32', msg: `mean ${axes}` });
    }
    const p = randData([3, 6], { dtype: 'int32', lo: -4, hi: 4, seed: 10 });
    expectClose(w.prod(W(p), 1), tf.prod(tfOf(p), 1), { dtype: 'int32', msg: 'prod' });
    // mean of int32 is not integer-truncated
    expectClose(w.mean(w.tensor(new Int32Array([1, 2]))), { shape: [], dtype: 'float32', data: [1.5] });
  });

  it('uint8 sum does not wrap (MNIST pixel sums)', () => {
    const x = w.tensor(new Uint8Array([255, 255, 255, 255]), [2, 2]);
    const s = w.sum(x);
    expect(['int32', 'float32']).toContain(s.dtype);
    expect(s.arraySync()).toBe(1020);
    expect(w.max(x).arraySync()).toBe(255);
  });
});

describe('argMax / argMin', () => {
  it('vs tfjs on every axis of 1-4-d tensors, ties resolved to the first index', () => {
    for (const shape of [[9], [4, 6], [3, 4, 5], [2, 3, 4, 5], [3, 1, 2]]) {
      // small integer values stored as float32: many ties
      const ri = randData(shape, { dtype: 'int32', lo: -2, hi: 2, seed: shape.length });
      const r = { ...ri, dtype: 'float32' as const, data: Float32Array.from(ri.data) };
      for (let ax = 0; ax < shape.length; ax++) {
        for (const [name, ref] of [['argMax', tf.argMax], ['argMin', tf.argMin]] as const) {
          const msg = `${name} ${JSON.stringify(shape)} axis ${ax}`;
          expectClose(w[name](W(r), ax), ref(tfOf(r), ax), { dtype: 'int32', msg });
          expectClose(w[name](W(r), ax - shape.length), ref(tfOf(r), ax), { dtype: 'int32', msg: msg + ' negative' });
          expectClose(w[name](W(ri), ax), ref(tfOf(ri), ax), { dtype: 'int32', msg: msg + ' int32' });
        }
      }
    }
  });

  it('default axis is 0 (TF.js), method form, views', () => {
    const r = randData([5, 7], { seed: 21 });
    expectClose(w.argMax(W(r)), tf.argMax(tfOf(r)), { dtype: 'int32' });
    expectClose(w.argMin(W(r)), tf.argMin(tfOf(r)), { dtype: 'int32' });
    expectClose(W(r).argMax(1), tf.argMax(tfOf(r), 1), { dtype: 'int32' });
    expectClose(w.argMax(W(r).T, 1), tf.argMax(tf.transpose(tfOf(r)), 1), { dtype: 'int32' });
    expectClose(w.argMin(W(r).index('::-1'), 0), tf.argMin(tf.reverse(tfOf(r), 0), 0), { dtype: 'int32' });
  });

  it('hand cases: ties, -Infinity, long rows', () => {
    const x = w.tensor([[1, 3, 3], [3, 3, 1]]);
    expectClose(w.argMax(x, 1), { shape: [2], dtype: 'int32', data: [1, 0] });
    expectClose(w.argMin(x, 1), { shape: [2], dtype: 'int32', data: [0, 2] });
    expectClose(w.argMax(w.tensor([-Infinity, -Infinity, -5])), { shape: [], dtype: 'int32', data: [2] });
    const long = new Float32Array(1001).fill(1);
    long[999] = 2;
    long[1000] = 2;
    expectClose(w.argMax(w.tensor(long)), { shape: [], dtype: 'int32', data: [999] });
  });
});

describe('empty axes (numpy semantics, by hand)', () => {
  const e = () => w.zeros([0, 3]);
  it('sum over an empty axis is 0, prod is 1', () => {
    expectClose(w.sum(e(), 0), { shape: [3], dtype: 'float32', data: [0, 0, 0] });
    expectClose(w.sum(e(), 0, true), { shape: [1, 3], dtype: 'float32', data: [0, 0, 0] });
    expectClose(w.sum(e(), 1), { shape: [0], dtype: 'float32', data: [] });
    expectClose(w.sum(e()), { shape: [], dtype: 'float32', data: [0] });
    expectClose(w.prod(e(), 0), { shape: [3], dtype: 'float32', data: [1, 1, 1] });
    expectClose(w.prod(e()), { shape: [], dtype: 'float32', data: [1] });
  });

  it('mean over an empty axis is NaN', () => {
    expectClose(w.mean(e(), 0), { shape: [3], dtype: 'float32', data: [NaN, NaN, NaN] });
    expectClose(w.mean(e()), { shape: [], dtype: 'float32', data: [NaN] });
    expectClose(w.mean(e(), 1), { shape: [0], dtype: 'float32', data: [] });
  });

  it('max/min/argMax along a non-empty axis of an empty tensor give empty results', () => {
    expectClose(w.max(e(), 1), { shape: [0], dtype: 'float32', data: [] });
    expectClose(w.min(e(), 1, true), { shape: [0, 1], dtype: 'float32', data: [] });
    expectClose(w.argMax(e(), 1), { shape: [0], dtype: 'int32', data: [] });
  });

  it('max/min/argMax over a zero-size axis raise (numpy: no identity), runtime keeps working', () => {
    caught(() => w.max(e(), 0).dataSync());
    caught(() => w.min(e()).dataSync());
    caught(() => w.argMax(e(), 0).dataSync());
    expectClose(w.max(w.tensor([1, 5, 2])), { shape: [], dtype: 'float32', data: [5] });
  });
});
