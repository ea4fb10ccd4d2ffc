// Elementwise binary ops and comparisons with numpy broadcasting vs TF.js cpu:
// the seed broadcasting pairs, size-1 axes, 0-d, empty axes, non-contiguous
// views, int32 / uint8 / mixed dtypes, scalars as the second operand.
// Float tolerance rtol 1e-5 / atol 1e-6 (mod and floorDiv: atol 1e-5); ints exact.
// Note TF.js floorDiv returns int32 even for float32 inputs; our contract keeps
// float32 op float32 -> float32, so float cases always expect float32.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, GenOpts, randData, RefData, tf, tfOf } from './helpers/reference';
import { setupBoth, W, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

type TfBin = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
interface BinCase {
  name: string;
  ref: TfBin;
  genA?: GenOpts;
  genB?: GenOpts;
  atol?: number;
  intOk?: boolean; // int32 op int32 -> int32 per contract
}

const BIN: BinCase[] = [
  { name: 'add', ref: tf.add, intOk: true },
  { name: 'sub', ref: tf.sub, intOk: true },
  { name: 'mul', ref: tf.mul, intOk: true },
  { name: 'div', ref: tf.div, genB: { avoidZero: 0.1 } },
  { name: 'maximum', ref: tf.maximum, intOk: true },
  { name: 'minimum', ref: tf.minimum, intOk: true },
  { name: 'pow', ref: tf.pow, genA: { lo: 0.1, hi: 3 }, genB: { lo: -3, hi: 3 } },
  { name: 'squaredDifference', ref: tf.squaredDifference, intOk: true },
  { name: 'mod', ref: tf.mod, genB: { avoidZero: 0.25 }, atol: 1e-5, intOk: true },
  { name: 'floorDiv', ref: tf.floorDiv, genB: { avoidZero: 0.25 }, atol: 1e-5, intOk: true },
];

const CMP: { name: string; ref: TfBin }[] = [
  { name: 'equal', ref: tf.equal },
  { name: 'notEqual', ref: tf.notEqual },
  { name: 'less', ref: tf.less },
  { name: 'lessEqual', ref: tf.lessEqual },
  { name: 'greater', ref: tf.greater },
  { name: 'greaterEqual', ref: tf.greaterEqual },
];

// [shapeA, shapeB] pairs: same shape, seed examples, size-1 axes, 0-d, empty axes, tails
const PAIRS: [number[], number[]][] = [
  [[3, 4], [3, 4]],
  [[64, 3, 32, 10], [32, 10]],
  [[32, 10], [10]],
  [[10], [32, 10]],
  [[5, 1, 4], [1, 3, 1]],
  [[], [2, 3]],
  [[2, 3], []],
  [[], []],
  [[1], [7]],
  [[0, 3], [3]],
  [[0, 3], [1, 3]],
  [[4, 1], [1, 0]],
  [[17], [17]],
  [[2, 1, 3, 1], [1, 4, 1, 5]],
];

function pair(c: { genA?: GenOpts; genB?: GenOpts }, sa: number[], sb: number[], seed: number, dtype: 'float32' | 'int32' = 'float32') {
  const intGen = (g?: GenOpts): GenOpts => (g?.avoidZero ? { avoidZero: 1 } : {});
  const a = randData(sa, { seed, dtype, ...(dtype === 'int32' ? {} : c.genA) });
  const b = randData(sb, { seed: seed + 1, dtype, ...(dtype === 'int32' ? intGen(c.genB) : c.genB) });
  return [a, b] as const;
}

describe('binary float32 ops vs tfjs with broadcasting', () => {
  for (const c of BIN) {
    it(`${c.name} on ${PAIRS.length} shape pairs`, () => {
      PAIRS.forEach(([sa, sb], i) => {
        const [a, b] = pair(c, sa, sb, 200 + 2 * i);
        expectClose(w[c.name](W(a), W(b)), c.ref(tfOf(a), tfOf(b)), {
          atol: c.atol,
          dtype: 'float32',
          msg: `${c.name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`,
        });
      });
    });

    it(`${c.name}: method form, scalar operand, non-contiguous views`, () => {
      const [a, b] = pair(c, [5, 7], [5, 7], 11);
      expectClose(W(a)[c.name](W(b)), c.ref(tfOf(a), tfOf(b)), { atol: c.atol, dtype: 'float32', msg: 'method' });
      // scalar (JS number) as second operand, function and method form
      const s = c.name === 'pow' ? 1.5 : 0.75;
      expectClose(w[c.name](W(a), s), c.ref(tfOf(a), tf.scalar(s)), { atol: c.atol, dtype: 'float32', msg: 'scalar' });
      expectClose(W(a)[c.name](s), c.ref(tfOf(a), tf.scalar(s)), { atol: c.atol, dtype: 'float32', msg: 'method scalar' });
      // x.T (7,5) op (7,5)
      const [p, q] = pair(c, [5, 7], [7, 5], 13);
      expectClose(w[c.name](W(p).T, W(q)), c.ref(tf.transpose(tfOf(p)), tfOf(q)), { atol: c.atol, dtype: 'float32', msg: 'x.T' });
      // x.index('::2') (5,4) op (4,)  and  (4,) op view
      const [u, v] = pair(c, [9, 4], [4], 15);
      const uTf = tf.stridedSlice(tfOf(u), [0], [9], [2]);
      expectClose(w[c.name](W(u).index('::2'), W(v)), c.ref(uTf, tfOf(v)), { atol: c.atol, dtype: 'float32', msg: "index('::2')" });
      // both operands transposed 4-d views with broadcasting
      const [g, h] = pair(c, [2, 3, 4, 5], [5, 1, 3, 1], 17);
      expectClose(
        w[c.name](w.transpose(W(g), [3, 0, 1, 2]), w.transpose(W(h), [0, 3, 2, 1])),
        c.ref(tf.transpose(tfOf(g), [3, 0, 1, 2]), tf.transpose(tfOf(h), [0, 3, 2, 1])),
        { atol: c.atol, dtype: 'float32', msg: '4-d perm views' },
      );
    });
  }
});

describe('binary int32 ops', () => {
  for (const c of BIN.filter((x) => x.intOk)) {
    it(`${c.name}(int32, int32) -> int32 exact`, () => {
      for (const [sa, sb] of [[[6, 5], [6, 5]], [[4, 1, 3], [5, 1]], [[], [9]], [[0, 2], [2]], [[37], [37]]] as [number[], number[]][]) {
        const [a, b] = pair(c, sa, sb, 31, 'int32');
        expectClose(w[c.name](W(a), W(b)), c.ref(tfOf(a), tfOf(b)), { dtype: 'int32', msg: `${c.name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}` });
      }
    });
  }

  it('int32 add/sub/mul over the full int32 range wrap like numpy/TF.js', () => {
    const a = randData([101], { dtype: 'int32', lo: -2147483648, hi: 2147483647, seed: 35 });
    const b = randData([101], { dtype: 'int32', lo: -2147483648, hi: 2147483647, seed: 36 });
    const m = randData([101], { dtype: 'int32', lo: -100000, hi: 100000, seed: 37 });
    expectClose(w.add(W(a), W(b)), { shape: [101], dtype: 'int32', data: Array.from(a.data, (v, i) => (v + b.data[i]) | 0) });
    expectClose(w.sub(W(a), W(b)), { shape: [101], dtype: 'int32', data: Array.from(a.data, (v, i) => (v - b.data[i]) | 0) });
    expectClose(w.mul(W(m), W(a)), { shape: [101], dtype: 'int32', data: Array.from(m.data, (v, i) => Math.imul(v, a.data[i])) });
  });

  it('mod and floorDiv on int32 follow floor semantics (sign of the divisor)', () => {
    const a = w.tensor(new Int32Array([-5, 5, 7, -7, 0, 6]), [6]);
    const b = w.tensor(new Int32Array([3, -3, -2, -2, 4, 3]), [6]);
    expectClose(w.mod(a, b), { shape: [6], dtype: 'int32', data: [1, -1, -1, -1, 0, 0] });
    expectClose(w.floorDiv(a, b), { shape: [6], dtype: 'int32', data: [-2, -2, -4, 3, 0, 2] });
  });

  it('div of int32 by int32 is true division returning float32', () => {
    const a = randData([4, 6], { dtype: 'int32', seed: 41 });
    const b = randData([6], { dtype: 'int32', seed: 42, avoidZero: 1 });
    const want = Array.from(a.data, (v, i) => Math.fround(v / b.data[i % 6]));
    expectClose(w.div(W(a), W(b)), { shape: [4, 6], dtype: 'float32', data: want });
    expectClose(w.div(w.tensor(new Int32Array([7, -7, 1])), w.tensor(new Int32Array([2, 2, 3]))), {
      shape: [3], dtype: 'float32', data: [3.5, -3.5, Math.fround(1 / 3)],
    });
  });

  it('pow on int32 gives exact integer values', () => {
    const a = w.tensor(new Int32Array([2, -2, 3, 0, 5, -1]), [6]);
    const b = w.tensor(new Int32Array([3, 3, 0, 0, 4, 7]), [6]);
    expectClose(w.pow(a, b), { shape: [6], data: [8, -8, 1, 1, 625, -1] }, { dtype: false });
  });

  it('int32 mixed with float32 gives float32', () => {
    const a = randData([3, 4], { dtype: 'int32', seed: 51 });
    const b = randData([4], { seed: 52 });
    for (const [name, ref] of [['add', tf.add], ['sub', tf.sub], ['mul', tf.mul], ['maximum', tf.maximum]] as const) {
      expectClose(w[name](W(a), W(b)), ref(tfOf(a), tfOf(b)), { dtype: 'float32', msg: `${name} int32+f32` });
      expectClose(w[name](W(b), W(a)), ref(tfOf(b), tfOf(a)), { dtype: 'float32', msg: `${name} f32+int32` });
    }
  });

  it('uint8 arithmetic is promoted to int32 (no wraparound)', () => {
    const a = w.tensor(new Uint8Array([200, 255, 0, 10]), [4]);
    const b = w.tensor(new Uint8Array([100, 255, 1, 20]), [4]);
    expectClose(w.add(a, b), { shape: [4], dtype: 'int32', data: [300, 510, 1, 30] });
    expectClose(w.sub(a, b), { shape: [4], dtype: 'int32', data: [100, 0, -1, -10] });
    expectClose(w.mul(a, b), { shape: [4], dtype: 'int32', data: [20000, 65025, 0, 200] });
    const i = w.tensor(new Int32Array([-1000, 1, 2, 3]), [4]);
    expectClose(w.add(a, i), { shape: [4], dtype: 'int32', data: [-800, 256, 2, 13] });
    const f = w.tensor([0.5, 0.5, 0.5, 0.5]);
    expectClose(w.add(a, f), { shape: [4], dtype: 'float32', data: [200.5, 255.5, 0.5, 10.5] });
    // the MNIST preprocessing step: x.astype('float32') / 255
    expectClose(w.div(a.astype('float32'), 255), { shape: [4], dtype: 'float32', data: [200 / 255, 1, 0, 10 / 255].map(Math.fround) });
  });
});

describe('binary hand cases', () => {
  it('pow with negative base and integral exponent, 0^0', () => {
    const y = w.pow(w.tensor([-2, -2, 0, 4, -8]), w.tensor([3, 2, 0, 0.5, -1]));
    expectClose(y, { shape: [5], dtype: 'float32', data: [-8, 4, 1, 2, -0.125] });
  });

  it('maximum/minimum propagate NaN (numpy, TF.js)', () => {
    const a = w.tensor([NaN, 1, 2]);
    const b = w.tensor([1, NaN, 3]);
    expectClose(w.maximum(a, b), { shape: [3], dtype: 'float32', data: [NaN, NaN, 3] });
    expectClose(w.minimum(a, b), { shape: [3], dtype: 'float32', data: [NaN, NaN, 2] });
  });

  it('div by zero gives +-Infinity and NaN', () => {
    expectClose(w.div(w.tensor([1, -1, 0]), 0), { shape: [3], dtype: 'float32', data: [Infinity, -Infinity, NaN] });
  });

  it('broadcast output shape follows numpy', () => {
    expect(w.add(w.zeros([5, 1, 4]), w.zeros([1, 3, 1])).shape).toEqual([5, 3, 4]);
    expect(w.add(w.zeros([0, 3]), w.zeros([1, 3])).shape).toEqual([0, 3]);
    expect(w.add(w.zeros([]), w.zeros([])).shape).toEqual([]);
  });
});

describe('comparisons -> bool', () => {
  for (const c of CMP) {
    it(`${c.name} float32 and int32 with broadcasting and ties`, () => {
      PAIRS.forEach(([sa, sb], i) => {
        // small integers stored as float32: plenty of ties
        const a = randData(sa, { seed: 300 + i, dtype: 'int32', lo: -2, hi: 2 });
        const b = randData(sb, { seed: 400 + i, dtype: 'int32', lo: -2, hi: 2 });
        const af = { ...a, dtype: 'float32' as const, data: Float32Array.from(a.data) };
        const bf = { ...b, dtype: 'float32' as const, data: Float32Array.from(b.data) };
        expectClose(w[c.name](W(af), W(bf)), c.ref(tfOf(af), tfOf(bf)), { dtype: 'bool', msg: `${c.name} f32 ${JSON.stringify(sa)} ${JSON.stringify(sb)}` });
        expectClose(w[c.name](W(a), W(b)), c.ref(tfOf(a), tfOf(b)), { dtype: 'bool', msg: `${c.name} i32 ${JSON.stringify(sa)} ${JSON.stringify(sb)}` });
      });
      // method form, scalar operand, view
      const r = randData([4, 6], { seed: 77, lo: -1, hi: 1 });
      expectClose(W(r)[c.name](0), c.ref(tfOf(r), tf.scalar(0)), { dtype: 'bool', msg: 'method scalar' });
      expectClose(w[c.name](W(r).T, W(r).T.index('::-1')), c.ref(tf.transpose(tfOf(r)), tf.reverse(tf.transpose(tfOf(r)), 0)), {
        dtype: 'bool',
        msg: 'views',
      });
    });
  }

  it('NaN compares unequal to everything', () => {
    const a = w.tensor([NaN, NaN, 1]);
    const b = w.tensor([NaN, 1, 1]);
    expectClose(w.equal(a, b), { shape: [3], dtype: 'bool', data: [0, 0, 1] });
    expectClose(w.notEqual(a, b), { shape: [3], dtype: 'bool', data: [1, 1, 0] });
    expectClose(w.less(a, b), { shape: [3], dtype: 'bool', data: [0, 0, 0] });
    expectClose(w.greaterEqual(a, b), { shape: [3], dtype: 'bool', data: [0, 0, 1] });
  });
});
