// The fused softmax cross-entropy ops: per-sample losses vs a float64
// log-sum-exp and tf.losses.softmaxCrossEntropy (reduction NONE), gradients vs
// the unfused composition through our tape and vs tf.grad, extreme logits.
import { beforeAll, describe, expect, test } from 'vitest';
import { expectClose, floats, setup, tf, wt } from './util';
import { prng } from '../helpers/reference';

beforeAll(setup);

/** float64 reference: per row, sum_j y_j (lse - x_j). */
function refLoss(x: ArrayLike<number>, y: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length / n; r++) {
    let m = -Infinity;
    for (let j = 0; j < n; j++) m = Math.max(m, x[r * n + j]);
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.exp(x[r * n + j] - m);
    const lse = m + Math.log(s);
    let l = 0;
    for (let j = 0; j < n; j++) l += y[r * n + j] * (lse - x[r * n + j]);
    out.push(l);
  }
  return out;
}

/** Random probability rows (soft labels). */
function softLabels(rows: number, n: number, seed: number): Float32Array {
  const raw = floats(rows * n, seed, 0, 1);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += raw[r * n + j];
    for (let j = 0; j < n; j++) raw[r * n + j] /= s;
  }
  return raw;
}

function intLabels(rows: number, n: number, seed: number): Int32Array {
  const rnd = prng(seed);
  return Int32Array.from({ length: rows }, () => Math.floor(rnd() * n));
}

function oneHotOf(labels: ArrayLike<number>, n: number): Float32Array {
  const out = new Float32Array(labels.length * n);
  for (let r = 0; r < labels.length; r++) out[r * n + labels[r]] = 1;
  return out;
}

// [rows..., classes]: SIMD body + tail, one class, rank 3, more than one vector per row.
const SHAPES = [[4, 7], [3, 1], [2, 3, 10], [5, 33], [6, 4]];

describe('softmaxCrossEntropyWithLogits', () => {
  test.each(SHAPES)('losses for shape [%i, %i, ...] match float64 and tf.losses', (...shape: number[]) => {
    const n = shape[shape.length - 1];
    const rows = shape.reduce((a, b) => a * b, 1) / n;
    const x = floats(rows * n, 7 + n, -5, 5);
    const y = softLabels(rows, n, 11 + n);
    const out = wt.softmaxCrossEntropyWithLogits(wt.tensor(y, shape), wt.tensor(x, shape));
    expect(out.shape).toEqual(shape.slice(0, -1));
    expectClose(out.dataSync(), refLoss(x, y, n), 1e-5, 1e-5, 'vs float64');
    const ref = tf.losses.softmaxCrossEntropy(tf.tensor(y, shape), tf.tensor(x, shape), undefined, 0, tf.Reduction.NONE);
    expectClose(out.dataSync(), ref.dataSync(), 1e-5, 1e-5, 'vs tf.losses');
    out.dispose();
    ref.dispose();
  });

  test('extreme logits (+-1000) give finite exact losses and gradients', () => {
    const logits = wt.tensor([[1000, 0, -1000], [1000, 0, -1000], [-1000, 1000, 0], [5, 5, 5]]);
    const labels = wt.tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]]);
    const out = wt.softmaxCrossEntropyWithLogits(labels, logits);
    expectClose(out.dataSync(), [0, 1000, 1000, Math.log(3)], 1e-6, 1e-6, 'losses');
    const g = wt.grad((x) => wt.sum(wt.softmaxCrossEntropyWithLogits(labels, x)))(logits);
    const third = 1 / 3;
    expectClose(g.dataSync(), [0, 0, 0, 1, -1, 0, 0, 1, -1, third, third, -2 * third], 1e-6, 0, 'gradient');
    [logits, labels, out, g].forEach((t) => t.dispose());
  });

  test('gradient equals the unfused composition (our tape) and tf.grad, with per-sample dy', () => {
    const shape = [6, 11];
    const x = floats(66, 3, -4, 4);
    const y = softLabels(6, 11, 4);
    const weights = floats(6, 5, 0.5, 2);
    const yt = wt.tensor(y, shape);
    const wts = wt.tensor(weights);
    const fused = wt.grad((l) => wt.sum(wt.mul(wt.softmaxCrossEntropyWithLogits(yt, l), wts)))(wt.tensor(x, shape));
    const unfused = wt.grad((l) => wt.sum(wt.mul(wt.neg(wt.sum(wt.mul(yt, wt.logSoftmax(l)), -1)), wts)))(wt.tensor(x, shape));
    expectClose(fused.dataSync(), unfused.dataSync(), 1e-6, 1e-5, 'fused vs unfused');
    const ty = tf.tensor(y, shape);
    const tw = tf.tensor(weights);
    const ref = tf.grad((l: tf.Tensor) =>
      tf.sum(tf.mul(tf.losses.softmaxCrossEntropy(ty, l, undefined, 0, tf.Reduction.NONE), tw)),
    )(tf.tensor(x, shape));
    expectClose(fused.dataSync(), ref.dataSync(), 1e-6, 1e-5, 'fused vs tf.grad');
    // mean's gradient reaches the op as a broadcast (stride-0) view
    const viaMean = wt.grad((l) => wt.mean(wt.softmaxCrossEntropyWithLogits(yt, l)))(wt.tensor(x, shape));
    const tfMean = tf.grad((l: tf.Tensor) => tf.losses.softmaxCrossEntropy(ty, l))(tf.tensor(x, shape));
    expectClose(viaMean.dataSync(), tfMean.dataSync(), 1e-6, 1e-5, 'mean');
  });

  test('labels that do not sum to one: the gradient is softmax * sum(labels) - labels', () => {
    const yt = wt.tensor([[0.2, 0.3, 0, 0.1, 0.1]]);
    const x = wt.tensor([[1, -2, 0.5, 3, 0]]);
    const fused = wt.grad((l) => wt.sum(wt.softmaxCrossEntropyWithLogits(yt, l)))(x);
    const unfused = wt.grad((l) => wt.sum(wt.neg(wt.sum(wt.mul(yt, wt.logSoftmax(l)), -1))))(x);
    expectClose(fused.dataSync(), unfused.dataSync(), 1e-6, 1e-5);
  });

  test('leaves only its result behind outside a tape', () => {
    const labels = wt.tensor([[0, 1], [1, 0]]);
    const logits = wt.tensor([[1, 2], [3, 4]]);
    const before = wt.memory().numTensors;
    const out = wt.softmaxCrossEntropyWithLogits(labels, logits.T);
    expect(wt.memory().numTensors).toBe(before + 2); // the transposed view and the result
    expectClose(out.dataSync(), refLoss([1, 3, 2, 4], [0, 1, 1, 0], 2), 1e-6);
  });

  test('errors name the argument and the shapes', () => {
    const logits = wt.zeros([4, 3]);
    expect(() => wt.softmaxCrossEntropyWithLogits(wt.zeros([4, 2]), logits)).toThrow(
      'softmaxCrossEntropyWithLogits: labels shape [4,2] must equal logits shape [4,3]',
    );
    expect(() => wt.softmaxCrossEntropyWithLogits(wt.tensor([0, 1, 2, 0], [4], 'int32'), logits)).toThrow(
      /labels must be float32 .*sparseSoftmaxCrossEntropyWithLogits/,
    );
    expect(() => wt.softmaxCrossEntropyWithLogits(wt.scalar(1), wt.scalar(1))).toThrow(/logits must have a class axis/);
  });
});

describe('sparseSoftmaxCrossEntropyWithLogits', () => {
  test.each(SHAPES)('losses for shape [%i, %i, ...] match float64 and tf.losses', (...shape: number[]) => {
    const n = shape[shape.length - 1];
    const rows = shape.reduce((a, b) => a * b, 1) / n;
    const x = floats(rows * n, 17 + n, -5, 5);
    const labels = intLabels(rows, n, 19 + n);
    const expected = refLoss(x, oneHotOf(labels, n), n);
    const logits = wt.tensor(x, shape);
    for (const dtype of ['int32', 'uint8', 'float32'] as const) {
      const out = wt.sparseSoftmaxCrossEntropyWithLogits(wt.tensor(labels, shape.slice(0, -1), dtype), logits);
      expect(out.shape).toEqual(shape.slice(0, -1));
      expectClose(out.dataSync(), expected, 1e-5, 1e-5, `labels ${dtype}`);
      out.dispose();
    }
    const ref = tf.losses.softmaxCrossEntropy(tf.tensor(oneHotOf(labels, n), [rows, n]), tf.tensor(x, [rows, n]), undefined, 0, tf.Reduction.NONE);
    const ours = wt.sparseSoftmaxCrossEntropyWithLogits(wt.tensor(labels, shape.slice(0, -1), 'int32'), logits);
    expectClose(ours.dataSync(), ref.dataSync(), 1e-5, 1e-5, 'vs tf.losses');
  });

  test('gradient equals tf.grad through one-hot labels and the unfused composition', () => {
    const [rows, n] = [9, 13];
    const x = floats(rows * n, 23, -6, 6);
    const labels = intLabels(rows, n, 29);
    const weights = floats(rows, 31, 0.5, 2);
    const lt = wt.tensor(labels, [rows], 'int32');
    const wts = wt.tensor(weights);
    const fused = wt.grad((l) => wt.sum(wt.mul(wt.sparseSoftmaxCrossEntropyWithLogits(lt, l), wts)))(wt.tensor(x, [rows, n]));
    const oh = wt.tensor(oneHotOf(labels, n), [rows, n]);
    const unfused = wt.grad((l) => wt.sum(wt.mul(wt.neg(wt.sum(wt.mul(oh, wt.logSoftmax(l)), -1)), wts)))(wt.tensor(x, [rows, n]));
    expectClose(fused.dataSync(), unfused.dataSync(), 1e-6, 1e-5, 'fused vs unfused');
    const ty = tf.oneHot(tf.tensor(labels, [rows], 'int32'), n);
    const tw = tf.tensor(weights);
    const ref = tf.grad((l: tf.Tensor) => tf.sum(tf.mul(tf.losses.softmaxCrossEntropy(ty, l, undefined, 0, tf.Reduction.NONE), tw)))(
      tf.tensor(x, [rows, n]),
    );
    expectClose(fused.dataSync(), ref.dataSync(), 1e-6, 1e-5, 'fused vs tf.grad');
  });

  test('extreme logits stay finite', () => {
    const logits = wt.tensor([[1000, -1000, 0], [-1000, -1000, 1000]]);
    const labels = wt.tensor([1, 2], [2], 'int32');
    expectClose(wt.sparseSoftmaxCrossEntropyWithLogits(labels, logits).dataSync(), [2000, 0], 1e-6);
    const g = wt.grad((x) => wt.sum(wt.sparseSoftmaxCrossEntropyWithLogits(labels, x)))(logits);
    expectClose(g.dataSync(), [1, -1, 0, 0, 0, 0], 1e-6);
  });

  test('bad labels fail with the row and the valid range', () => {
    const logits = wt.zeros([3, 4]);
    expect(() => wt.sparseSoftmaxCrossEntropyWithLogits(wt.tensor([0, 4, 1], [3], 'int32'), logits)).toThrow(
      'sparseSoftmaxCrossEntropyWithLogits: labels[1] (flat index) is 4; expected an integer class index in [0, 4) (logits.shape[-1] = 4)',
    );
    expect(() => wt.sparseSoftmaxCrossEntropyWithLogits(wt.tensor([0, 1, -1], [3], 'int32'), logits)).toThrow(/labels\[2\] .* is -1/);
    expect(() => wt.sparseSoftmaxCrossEntropyWithLogits(wt.tensor([0, 1.5, 1]), logits)).toThrow(/labels\[1\] .* is 1.5; expected an integer/);
    expect(() => wt.sparseSoftmaxCrossEntropyWithLogits(wt.zeros([3, 4]), logits)).toThrow(
      /labels shape \[3,4\] must equal logits shape without its last axis, \[3\] .*look one-hot: use softmaxCrossEntropyWithLogits/,
    );
    expect(() => wt.sparseSoftmaxCrossEntropyWithLogits(wt.tensor([true, false, true]), logits)).toThrow(/got dtype 'bool'/);
  });
});
