// Keras losses vs TF.js (tf.losses with its default mean reduction, and
// tfjs-layers' Keras-style functions averaged over the batch) and float64
// hand computations; gradients vs tf.grad; label checks; name resolution.
import { beforeAll, describe, expect, test } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { expectClose, floats, setup, tf, value, wt } from './util';
import { markSoftmaxOutput } from '../../src/train/index';

beforeAll(setup);

const B = 6;
const C = 5;

function probs(rows: number, n: number, seed: number): Float32Array {
  const p = floats(rows * n, seed, 0.05, 1);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += p[r * n + j];
    for (let j = 0; j < n; j++) p[r * n + j] /= s;
  }
  return p;
}

function oneHot(labels: number[], n: number): Float32Array {
  const out = new Float32Array(labels.length * n);
  labels.forEach((l, r) => (out[r * n + l] = 1));
  return out;
}

const LABELS = [0, 3, 1, 4, 2, 3];
const Y_ONEHOT = oneHot(LABELS, C);

/** Our loss and TF.js's on the same data, values and gradients w.r.t. yPred. */
function compare(
  ours: (t: wt.Tensor, p: wt.Tensor) => wt.Tensor,
  ref: (t: tf.Tensor, p: tf.Tensor) => tf.Tensor,
  yTrue: Float32Array,
  yPred: Float32Array,
  shape: number[],
  tol = 1e-5,
): void {
  const t = wt.tensor(yTrue, shape);
  const p = wt.tensor(yPred, shape);
  const tt = tf.tensor(yTrue, shape);
  const tp = tf.tensor(yPred, shape);
  const loss = ours(t, p);
  expect(loss.shape).toEqual([]);
  expect(loss.dtype).toBe('float32');
  expect(value(loss)).toBeCloseTo(value(ref(tt, tp)), 5);
  const g = wt.grad((x) => ours(t, x))(p);
  const tg = tf.grad((x: tf.Tensor) => ref(tt, x))(tp);
  expectClose(g.dataSync(), tg.dataSync(), tol, 1e-4, 'gradient');
}

describe('regression losses', () => {
  const shape = [B, 3];
  const yTrue = floats(18, 1, -2, 2);
  const yPred = floats(18, 2, -2, 2);

  test('meanSquaredError vs tf.losses.meanSquaredError and tfl.metrics.mse', () => {
    compare(wt.losses.meanSquaredError, (t, p) => tf.losses.meanSquaredError(t, p), yTrue, yPred, shape);
    compare(wt.losses.meanSquaredError, (t, p) => tf.mean(tfl.metrics.mse(t, p)), yTrue, yPred, shape);
  });

  test('meanAbsoluteError vs tf.losses.absoluteDifference', () => {
    compare(wt.losses.meanAbsoluteError, (t, p) => tf.losses.absoluteDifference(t, p), yTrue, yPred, shape);
  });

  test('huber vs tf.losses.huberLoss (delta 1 and 0.5)', () => {
    compare(wt.losses.huber, (t, p) => tf.losses.huberLoss(t, p), yTrue, yPred, shape);
    compare((t, p) => wt.losses.huber(t, p, 0.5), (t, p) => tf.losses.huberLoss(t, p, undefined, 0.5), yTrue, yPred, shape);
    // hand-computed: errors 0.5 (quadratic) and 3 (linear): (0.125 + 2.5) / 2
    expect(value(wt.losses.huber(wt.tensor([0, 0]), wt.tensor([0.5, -3])))).toBeCloseTo(1.3125, 6);
  });

  test('a trailing axis of 1 on one side is squeezed, like Keras; int labels are cast', () => {
    const l = wt.losses.meanSquaredError(wt.tensor([1, 2, 3], [3], 'int32'), wt.tensor([[1.5], [2], [2]]));
    expect(value(l)).toBeCloseTo((0.25 + 0 + 1) / 3, 6);
    expect(() => wt.losses.meanSquaredError(wt.zeros([4, 2]), wt.zeros([4, 3]))).toThrow(
      'meanSquaredError: yTrue shape [4,2] and yPred shape [4,3] must match',
    );
    expect(() => wt.losses.meanAbsoluteError(wt.zeros([2]), wt.zeros([2], 'int32'))).toThrow(
      "meanAbsoluteError: yPred must be float32 predictions, got dtype 'int32'",
    );
  });
});

describe('binaryCrossentropy', () => {
  const shape = [B, 2];
  const z = Float32Array.from({ length: 12 }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);

  test('probabilities vs tfl.metrics.binaryCrossentropy, including 0 and 1 (clipped)', () => {
    const p = floats(12, 3, 0.02, 0.98);
    compare(wt.losses.binaryCrossentropy, (t, x) => tf.mean(tfl.metrics.binaryCrossentropy(t, x)), z, p, shape);
    const edge = wt.losses.binaryCrossentropy(wt.tensor([1, 0, 1, 0]), wt.tensor([0, 1, 1, 0]));
    // p = 0 with z = 1 costs -log(1e-7); p = 1 with z = 0 costs -log(1 - (1 - 1e-7)), both bounds rounded to
    // float32 as in Keras; the two correct predictions cost ~1e-7 each
    const lo = Math.fround(1e-7);
    const hi = Math.fround(1 - 1e-7);
    expect(value(edge)).toBeCloseTo((-Math.log(lo) - Math.log(1 - hi)) / 4, 4);
    expect(Number.isFinite(value(edge))).toBe(true);
  });

  test('fromLogits vs tf.losses.sigmoidCrossEntropy; +-1000 stays finite', () => {
    const x = floats(12, 4, -6, 6);
    compare((t, p) => wt.losses.binaryCrossentropy(t, p, true), (t, p) => tf.losses.sigmoidCrossEntropy(t, p), z, x, shape);
    const extreme = wt.losses.binaryCrossentropy(wt.tensor([0, 1, 1, 0]), wt.tensor([1000, 1000, -1000, -1000]), true);
    expect(value(extreme)).toBeCloseTo(2000 / 4, 3);
    const g = wt.grad((p) => wt.losses.binaryCrossentropy(wt.tensor([0, 1, 1, 0]), p, true))(wt.tensor([1000, 1000, -1000, 0]));
    expectClose(g.dataSync(), [0.25, 0, -0.25, 0.125], 1e-6);
  });
});

describe('categoricalCrossentropy', () => {
  const shape = [B, C];

  test('probabilities vs tfl.metrics.categoricalCrossentropy (renormalised, clipped)', () => {
    compare(wt.losses.categoricalCrossentropy, (t, p) => tf.mean(tfl.metrics.categoricalCrossentropy(t, p)), Y_ONEHOT, probs(B, C, 5), shape);
    // unnormalised predictions and an exact zero where the label is
    const raw = floats(B * C, 6, 0, 3);
    raw[0] = 0;
    const ours = wt.losses.categoricalCrossentropy(wt.tensor(Y_ONEHOT, shape), wt.tensor(raw, shape));
    const ref = tf.mean(tfl.metrics.categoricalCrossentropy(tf.tensor(Y_ONEHOT, shape), tf.tensor(raw, shape)));
    expect(value(ours)).toBeCloseTo(value(ref), 4);
    expect(Number.isFinite(value(ours))).toBe(true);
  });

  test('fromLogits vs tf.losses.softmaxCrossEntropy; extreme logits finite', () => {
    compare(
      (t, p) => wt.losses.categoricalCrossentropy(t, p, true),
      (t, p) => tf.losses.softmaxCrossEntropy(t, p),
      Y_ONEHOT, floats(B * C, 7, -5, 5), shape,
    );
    const l = wt.losses.categoricalCrossentropy(wt.tensor([[0, 1], [1, 0]]), wt.tensor([[1000, -1000], [1000, -1000]]), true);
    expect(value(l)).toBeCloseTo(1000, 3);
  });

  test('softmax then crossentropy: the fromLogits path has the same value and gradient', () => {
    const x = wt.tensor(floats(B * C, 8, -3, 3), shape);
    const y = wt.tensor(Y_ONEHOT, shape);
    const viaProbs = wt.valueAndGrad((l) => wt.losses.categoricalCrossentropy(y, wt.softmax(l)))(x);
    const viaLogits = wt.valueAndGrad((l) => wt.losses.categoricalCrossentropy(y, l, true))(x);
    expect(value(viaLogits.value)).toBeCloseTo(value(viaProbs.value), 5);
    expectClose(viaLogits.grad.dataSync(), viaProbs.grad.dataSync(), 1e-6, 1e-4);
  });

  test('a softmax output marked with its logits (Keras _keras_logits) takes the fused path', () => {
    const logits = wt.tensor([[1000, -1000, 0], [0.5, 2, -1]]);
    const y = wt.tensor([[0, 1, 0], [0, 0, 1]]);
    const labels = wt.tensor([1, 2], [2], 'int32');
    const lossOf = (f: (p: wt.Tensor) => wt.Tensor) => wt.valueAndGrad((l) => {
      const p = wt.softmax(l);
      markSoftmaxOutput(p, l);
      return f(p);
    })(logits);
    const expected = wt.valueAndGrad((l) => wt.losses.categoricalCrossentropy(y, l, true))(logits);
    // unfused, the clipped probability would cap the first row's loss at -log(1e-7) ~ 16
    expect(value(expected.value)).toBeCloseTo((2000 + (Math.log(Math.exp(0.5) + Math.exp(2) + Math.exp(-1)) + 1)) / 2, 3);
    for (const marked of [lossOf((p) => wt.losses.categoricalCrossentropy(y, p)), lossOf((p) => wt.losses.sparseCategoricalCrossentropy(labels, p))]) {
      expect(value(marked.value)).toBeCloseTo(value(expected.value), 3);
      expectClose(marked.grad.dataSync(), expected.grad.dataSync(), 1e-6);
    }
  });

  test('integer labels of shape [batch] point to sparseCategoricalCrossentropy', () => {
    const p = wt.zeros([B, C]);
    expect(() => wt.losses.categoricalCrossentropy(wt.tensor(LABELS, [B], 'int32'), p)).toThrow(
      /categoricalCrossentropy: yTrue has shape \[6\] \(dtype 'int32'\), which looks like integer class labels, but yPred has shape \[6,5\]: .*'sparseCategoricalCrossentropy'.*wt\.utils\.toCategorical\(labels, 5\)/,
    );
    expect(() => wt.losses.categoricalCrossentropy(wt.zeros([B, 1]), p)).toThrow(/looks like integer class labels/);
    expect(() => wt.losses.categoricalCrossentropy(wt.zeros([B, 3]), p)).toThrow(
      'categoricalCrossentropy: yTrue shape [6,3] and yPred shape [6,5] must match (one-hot labels)',
    );
    // one-hot labels stored as int32 are fine
    expect(value(wt.losses.categoricalCrossentropy(wt.tensor(Y_ONEHOT, [B, C]).cast('int32'), wt.fill([B, C], 0.2)))).toBeCloseTo(Math.log(5), 5);
  });
});

describe('sparseCategoricalCrossentropy', () => {
  const shape = [B, C];

  test('probabilities: -log of the clipped, renormalised probability (float64 reference)', () => {
    const p = probs(B, C, 9);
    p[0] = 0; // the first label's probability: clipped to 1e-7
    const expected =
      LABELS.reduce((acc, l, r) => {
        const row = Array.from(p.subarray(r * C, r * C + C), (v) => Math.min(Math.max(v, 1e-7), 1 - 1e-7));
        return acc - Math.log(row[l] / row.reduce((a, b) => a + b, 0));
      }, 0) / B;
    for (const dtype of ['int32', 'uint8', 'float32'] as const) {
      const l = wt.losses.sparseCategoricalCrossentropy(wt.tensor(LABELS, [B], dtype), wt.tensor(p, shape));
      expect(value(l), dtype).toBeCloseTo(expected, 4);
    }
    const withAxis = wt.losses.sparseCategoricalCrossentropy(wt.tensor(LABELS, [B, 1], 'int32'), wt.tensor(p, shape));
    expect(value(withAxis)).toBeCloseTo(expected, 4);
  });

  test('probabilities: value and gradient equal categoricalCrossentropy with one-hot labels', () => {
    const p = wt.tensor(probs(B, C, 10), shape);
    const sparse = wt.valueAndGrad((x) => wt.losses.sparseCategoricalCrossentropy(wt.tensor(LABELS, [B], 'int32'), x))(p);
    const dense = wt.valueAndGrad((x) => wt.losses.categoricalCrossentropy(wt.tensor(Y_ONEHOT, shape), x))(p);
    expect(value(sparse.value)).toBeCloseTo(value(dense.value), 5);
    expectClose(sparse.grad.dataSync(), dense.grad.dataSync(), 1e-5, 1e-4);
  });

  test('fromLogits vs tf.losses.softmaxCrossEntropy with one-hot labels, gradient vs tf.grad', () => {
    const x = floats(B * C, 11, -5, 5);
    const ours = wt.valueAndGrad((p) => wt.losses.sparseCategoricalCrossentropy(wt.tensor(LABELS, [B], 'int32'), p, true))(wt.tensor(x, shape));
    const ty = tf.tensor(Y_ONEHOT, shape);
    const ref = tf.valueAndGrad((p: tf.Tensor) => tf.losses.softmaxCrossEntropy(ty, p))(tf.tensor(x, shape));
    expect(value(ours.value)).toBeCloseTo(value(ref.value), 5);
    expectClose(ours.grad.dataSync(), ref.grad.dataSync(), 1e-6, 1e-4);
  });

  test('one-hot labels point to categoricalCrossentropy; bad labels and shapes are named', () => {
    const p = wt.fill([B, C], 0.2);
    expect(() => wt.losses.sparseCategoricalCrossentropy(wt.tensor(Y_ONEHOT, shape), p)).toThrow(
      /sparseCategoricalCrossentropy: yTrue has shape \[6,5\] like yPred, which looks like one-hot labels: use 'categoricalCrossentropy'/,
    );
    expect(() => wt.losses.sparseCategoricalCrossentropy(wt.tensor([0, 1, 2], [3], 'int32'), p)).toThrow(
      "sparseCategoricalCrossentropy: yTrue shape [3] must be yPred's shape without the class axis, [6] (yPred [6,5], 5 classes)",
    );
    expect(() => wt.losses.sparseCategoricalCrossentropy(wt.tensor([0, 1, 2, 3, 4, 5], [6], 'int32'), p)).toThrow(
      /labels\[5\] \(flat index\) is 5; expected an integer class index in \[0, 5\)/,
    );
    expect(() => wt.losses.sparseCategoricalCrossentropy(wt.tensor([0, 1, 2, 3, 4, 0.5]), p)).toThrow(/is 0.5; expected an integer/);
  });
});

describe('getLoss and training through a loss', () => {
  test('camelCase, snake_case, short and class names resolve; functions pass through', () => {
    const L = wt.losses;
    const table: Array<[string, unknown]> = [
      ['mse', L.meanSquaredError], ['MSE', L.meanSquaredError], ['mean_squared_error', L.meanSquaredError], ['meanSquaredError', L.meanSquaredError],
      ['mae', L.meanAbsoluteError], ['mean_absolute_error', L.meanAbsoluteError], ['huber', L.huber], ['huber_loss', L.huber],
      ['binary_crossentropy', L.binaryCrossentropy], ['binaryCrossentropy', L.binaryCrossentropy],
      ['categorical_crossentropy', L.categoricalCrossentropy], ['CategoricalCrossentropy', L.categoricalCrossentropy],
      ['sparse_categorical_crossentropy', L.sparseCategoricalCrossentropy], ['sparseCategoricalCrossentropy', L.sparseCategoricalCrossentropy],
    ];
    for (const [name, fn] of table) expect(L.get(name), name).toBe(fn);
    const custom = (t: wt.Tensor, p: wt.Tensor) => wt.mean(wt.sub(p, t));
    expect(L.get(custom)).toBe(custom);
  });

  test('a serialized Keras loss with from_logits uses the logits path', () => {
    const fn = wt.losses.get({ className: 'SparseCategoricalCrossentropy', config: { from_logits: true, reduction: 'sum_over_batch_size' } });
    const logits = wt.tensor([[2, 0, -1]]);
    const expected = -Math.log(Math.exp(0) / (Math.exp(2) + 1 + Math.exp(-1)));
    expect(value(fn(wt.tensor([1], [1], 'int32'), logits))).toBeCloseTo(expected, 5);
    const h = wt.losses.get({ className: 'Huber', config: { delta: 2 } });
    expect(value(h(wt.tensor([0]), wt.tensor([3])))).toBeCloseTo(2 * 3 - 0.5 * 4, 5);
  });

  test('unknown names list the valid ones', () => {
    expect(() => wt.losses.get('crossentropy')).toThrow(
      /getLoss: unknown loss 'crossentropy'; valid: 'meanSquaredError' \('mse', 'mean_squared_error'\), .*'sparseCategoricalCrossentropy' \('sparse_categorical_crossentropy'\), or a function/,
    );
    expect(() => wt.losses.get(7 as never)).toThrow(/getLoss: loss must be a name/);
  });

  test('outside a tape a loss frees its intermediates', () => {
    const t = wt.tensor(Y_ONEHOT, [B, C]);
    const p = wt.tensor(probs(B, C, 12), [B, C]);
    const labels = wt.tensor(LABELS, [B], 'int32');
    const before = wt.memory().numTensors;
    for (const name of ['mse', 'mae', 'huber', 'binary_crossentropy', 'categorical_crossentropy']) wt.losses.get(name)(t, p).dispose();
    wt.losses.sparseCategoricalCrossentropy(labels, p).dispose();
    wt.losses.categoricalCrossentropy(t, p, true).dispose();
    expect(wt.memory().numTensors).toBe(before);
  });

  test('an optimizer minimizing a loss through the tape lowers it', () => {
    const w = wt.variable(wt.zeros([3, C]), true, 'loss_w');
    const x = wt.tensor(floats(B * 3, 13, -1, 1), [B, 3]);
    const y = wt.tensor(LABELS, [B], 'int32');
    const opt = new wt.Adam({ learningRate: 0.1 });
    const f = () => wt.losses.sparseCategoricalCrossentropy(y, wt.matMul(x, w), true);
    const first = opt.minimize(f, true) as wt.Tensor;
    expect(value(first)).toBeCloseTo(Math.log(C), 5);
    let last = first;
    for (let i = 0; i < 20; i++) last = opt.minimize(f, true) as wt.Tensor;
    expect(value(last)).toBeLessThan(value(first) * 0.8);
    w.dispose();
  });
});
