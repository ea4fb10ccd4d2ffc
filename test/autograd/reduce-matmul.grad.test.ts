// Gradients of reductions, softmax/logSoftmax, matMul and dot, against TF.js
// tf.grads and finite differences (tolerances in gradcheck.ts).
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGrad, distinct, input, ourGrads, rand, setup, tf, wt } from './gradcheck';

beforeAll(setup);

describe('reductions', () => {
  const X = [2, 3, 4];
  const axesCases: [string, number | number[] | undefined, boolean][] = [
    ['all axes', undefined, false],
    ['axis 0', 0, false],
    ['axes [0, 2], keepDims', [0, 2], true],
    ['axis -1, keepDims', -1, true],
    ['axes [1, 2]', [1, 2], false],
  ];
  for (const [label, axis, keepDims] of axesCases) {
    test(`sum over ${label}`, () =>
      checkGrad({ inputs: [rand(X)], ours: (x) => wt.sum(x, axis, keepDims), ref: (x) => tf.sum(x, axis, keepDims) }));
    test(`mean over ${label}`, () =>
      checkGrad({ inputs: [rand(X)], ours: (x) => wt.mean(x, axis, keepDims), ref: (x) => tf.mean(x, axis, keepDims) }));
    // Distinct values 0.1 apart: the extreme is unique and stays so within +-h.
    test(`max over ${label} (no ties)`, () =>
      checkGrad({ inputs: [distinct(X)], ours: (x) => wt.max(x, axis, keepDims), ref: (x) => tf.max(x, axis, keepDims) }));
    test(`min over ${label} (no ties)`, () =>
      checkGrad({ inputs: [distinct(X)], ours: (x) => wt.min(x, axis, keepDims), ref: (x) => tf.min(x, axis, keepDims) }));
  }
  test('max/min with ties route dy to every tied element, like TF.js', () => {
    const x = input([2, 3], [1, 3, 3, -2, -2, 0]);
    for (const [ours, ref] of [[wt.max, tf.max], [wt.min, tf.min]] as const) {
      const [g] = ourGrads({ inputs: [x], ours: (t) => ours(t, 1), ref: (t) => ref(t, 1) }, input([2], [1, 1]));
      const want = tf.grad((t: tf.Tensor) => tf.sum(ref(t, 1)))(tf.tensor(x.data, x.shape));
      expect(Array.from(g.data)).toEqual(Array.from(want.dataSync()));
    }
  });
  test('sum of a strided view (reduction after transpose)', () =>
    checkGrad({ inputs: [rand([3, 4])], ours: (x) => wt.sum(wt.transpose(x), 1), ref: (x) => tf.sum(tf.transpose(x), 1) }));
});

describe('softmax and logSoftmax', () => {
  // tf.softmax/logSoftmax only take the last axis: other axes are moved there and back.
  const alongAxis = (f: (x: tf.Tensor) => tf.Tensor, perm: number[]) => (x: tf.Tensor) => tf.transpose(f(tf.transpose(x, perm)), perm);
  test('softmax, last axis', () => checkGrad({ inputs: [rand([4, 5], { lo: -3, hi: 3 })], ours: (x) => wt.softmax(x), ref: (x) => tf.softmax(x) }));
  test('softmax, axis 0 of a matrix and axis 1 of a 3-d tensor', () => {
    checkGrad({ inputs: [rand([4, 5])], ours: (x) => wt.softmax(x, 0), ref: alongAxis((x) => tf.softmax(x), [1, 0]) });
    checkGrad({ inputs: [rand([2, 3, 4])], ours: (x) => wt.softmax(x, 1), ref: alongAxis((x) => tf.softmax(x), [0, 2, 1]) });
  });
  test('logSoftmax, last axis', () =>
    checkGrad({ inputs: [rand([4, 5], { lo: -3, hi: 3 })], ours: (x) => wt.logSoftmax(x), ref: (x) => tf.logSoftmax(x) }));
  test('logSoftmax, axis 0 and a 1-d input', () => {
    checkGrad({ inputs: [rand([4, 5])], ours: (x) => wt.logSoftmax(x, 0), ref: alongAxis((x) => tf.logSoftmax(x), [1, 0]) });
    checkGrad({ inputs: [rand([7])], ours: (x) => wt.logSoftmax(x), ref: (x) => tf.logSoftmax(x) });
  });
});

/**
 * Reference product written without any matmul kernel: op(a)[..., m, k, 1] *
 * op(b)[..., 1, k, n] summed over k, batch dims broadcast by tf.mul. (TF.js's
 * own batched matMul mishandles some broadcast batch shapes.)
 */
function refMatMul(a: tf.Tensor, b: tf.Tensor, tA = false, tB = false): tf.Tensor {
  const swapLast = (t: tf.Tensor) => tf.transpose(t, [...t.shape.map((_, i) => i).slice(0, -2), t.rank - 1, t.rank - 2]);
  const A = tA ? swapLast(a) : a;
  const B = tB ? swapLast(b) : b;
  return tf.sum(tf.mul(tf.expandDims(A, -1), tf.expandDims(B, -3)), -2);
}

describe('matMul', () => {
  const combos: [boolean, boolean, number[], number[]][] = [
    [false, false, [3, 4], [4, 5]],
    [false, true, [3, 4], [5, 4]],
    [true, false, [4, 3], [4, 5]],
    [true, true, [4, 3], [5, 4]],
  ];
  for (const [tA, tB, sa, sb] of combos) {
    test(`transposeA ${tA}, transposeB ${tB}: [${sa}] x [${sb}] vs tf.matMul`, () =>
      checkGrad({
        inputs: [rand(sa), rand(sb)],
        ours: (a, b) => wt.matMul(a, b, tA, tB),
        ref: (a, b) => tf.matMul(a, b, tA, tB),
      }));
  }
  test('batched [2,3,4] x [2,4,5], every transpose combination', () => {
    for (const [tA, tB] of [[false, false], [false, true], [true, false], [true, true]]) {
      const sa = tA ? [2, 4, 3] : [2, 3, 4];
      const sb = tB ? [2, 5, 4] : [2, 4, 5];
      checkGrad({
        inputs: [rand(sa), rand(sb)],
        ours: (a, b) => wt.matMul(a, b, tA, tB),
        ref: (a, b) => refMatMul(a, b, tA, tB),
        fdSamples: 8,
      });
    }
  });
  test('broadcast batch dims: [2,1,3,4] x [3,4,5] and [3,4] x [2,4,5]', () => {
    const [ga, gb] = checkGrad({ inputs: [rand([2, 1, 3, 4]), rand([3, 4, 5])], ours: (a, b) => wt.matMul(a, b), ref: (a, b) => refMatMul(a, b), fdSamples: 10 });
    expect(ga.shape).toEqual([2, 1, 3, 4]);
    expect(gb.shape).toEqual([3, 4, 5]);
    checkGrad({ inputs: [rand([3, 4]), rand([2, 4, 5])], ours: (a, b) => wt.matMul(a, b), ref: (a, b) => refMatMul(a, b), fdSamples: 10 });
  });
  test('broadcast batch dims with transposes: [2,1,4,3]^T x [3,5,4]^T', () =>
    checkGrad({
      inputs: [rand([2, 1, 4, 3]), rand([3, 5, 4])],
      ours: (a, b) => wt.matMul(a, b, true, true),
      ref: (a, b) => refMatMul(a, b, true, true),
      fdSamples: 10,
    }));
  test('a transposed view as an operand, and the same tensor on both sides', () => {
    checkGrad({ inputs: [rand([4, 3]), rand([4, 5])], ours: (a, b) => wt.matMul(wt.transpose(a), b), ref: (a, b) => tf.matMul(tf.transpose(a), b) });
    checkGrad({ inputs: [rand([4, 4])], ours: (a) => wt.matMul(a, a, false, true), ref: (a) => tf.matMul(a, a, false, true) });
  });
});

/** numpy dot without a matmul kernel: a[..., k] against b's contracted axis, by broadcasting and a sum. */
function refDot(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.rank === 0 || b.rank === 0) return tf.mul(a, b);
  if (b.rank === 1) return tf.sum(tf.mul(a, b), -1);
  // a: (...L, k) -> (...L, [1]*batchB, k, 1); b: (...B, k, n); result (...L, ...B, n).
  const extra = b.rank - 2;
  let A = a;
  for (let i = 0; i < extra; i++) A = tf.expandDims(A, -2);
  A = tf.expandDims(A, -1);
  return tf.sum(tf.mul(A, b), -2);
}

describe('dot (numpy/Keras semantics)', () => {
  const cases: [string, number[], number[]][] = [
    ['vector . vector -> scalar', [4], [4]],
    ['(2,3,4) . (4,) -> (2,3)', [2, 3, 4], [4]],
    ['(4,) . (4,5) -> (5,)', [4], [4, 5]],
    ['(3,4) . (4,5) -> (3,5)', [3, 4], [4, 5]],
    ['(2,3,4) . (4,5) -> (2,3,5)', [2, 3, 4], [4, 5]],
    ['(4,) . (2,4,5) -> (2,5)', [4], [2, 4, 5]],
    ['(3,4) . (2,4,5) -> (3,2,5)', [3, 4], [2, 4, 5]],
    ['0-d . (3,4)', [], [3, 4]],
    ['(3,4) . 0-d', [3, 4], []],
  ];
  for (const [label, sa, sb] of cases) {
    test(label, () => checkGrad({ inputs: [rand(sa), rand(sb)], ours: wt.dot, ref: refDot, fdSamples: 12 }));
  }
});
