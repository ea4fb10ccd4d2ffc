// Metrics vs hand-computed values (and tfjs-layers' where it has the same
// metric), getMetric's Keras rule for 'accuracy', display names, errors.
import { beforeAll, describe, expect, test } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { setup, tf, value, wt } from './util';

beforeAll(setup);

const M = () => wt.metrics;

describe('accuracy metrics', () => {
  test('binaryAccuracy: threshold 0.5 by default, [batch] vs [batch, 1] squeezed', () => {
    const yTrue = [[1], [0], [1], [0]];
    const yPred = [[0.7], [0.2], [0.4], [0.6]];
    expect(value(M().binaryAccuracy(wt.tensor(yTrue), wt.tensor(yPred)))).toBeCloseTo(0.5, 6);
    expect(value(M().binaryAccuracy(wt.tensor(yTrue), wt.tensor(yPred), 0.3))).toBeCloseTo(0.75, 6);
    expect(value(M().binaryAccuracy(wt.tensor([1, 0, 1, 0]), wt.tensor(yPred)))).toBeCloseTo(0.5, 6);
    const ref = tf.mean(tfl.metrics.binaryAccuracy(tf.tensor(yTrue), tf.tensor(yPred)));
    expect(value(M().binaryAccuracy(wt.tensor(yTrue), wt.tensor(yPred)))).toBeCloseTo(value(ref), 6);
  });

  test('categoricalAccuracy: argmax of one-hot labels vs argmax of predictions', () => {
    const yTrue = [[0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const yPred = [[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.5, 0.4, 0.1], [0.2, 0.5, 0.3], [0.4, 0.5, 0.1]];
    expect(value(M().categoricalAccuracy(wt.tensor(yTrue), wt.tensor(yPred)))).toBeCloseTo(3 / 5, 6);
    const ref = tf.mean(tfl.metrics.categoricalAccuracy(tf.tensor(yTrue), tf.tensor(yPred)));
    expect(value(M().categoricalAccuracy(wt.tensor(yTrue), wt.tensor(yPred)))).toBeCloseTo(value(ref), 6);
  });

  test('sparseCategoricalAccuracy: int32, uint8 and float32 labels, [batch] or [batch, 1]', () => {
    const yPred = wt.tensor([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1], [0.5, 0.4, 0.1], [0.2, 0.5, 0.3]]);
    const labels = [2, 1, 0, 1];
    for (const dtype of ['int32', 'uint8', 'float32'] as const) {
      expect(value(M().sparseCategoricalAccuracy(wt.tensor(labels, [4], dtype), yPred)), dtype).toBeCloseTo(0.75, 6);
    }
    expect(value(M().sparseCategoricalAccuracy(wt.tensor(labels, [4, 1], 'int32'), yPred))).toBeCloseTo(0.75, 6);
    expect(() => M().sparseCategoricalAccuracy(wt.tensor([1, 2], [2], 'int32'), yPred)).toThrow(
      "sparseCategoricalAccuracy: yTrue shape [2] must be yPred's shape without the class axis, [4] (yPred [4,3])",
    );
  });

  test('topKCategoricalAccuracy: ties at the boundary count as in (TF in_top_k)', () => {
    const yPred = wt.tensor([
      [0.1, 0.5, 0.5, 0.3], // target 3: two scores above it -> out for k = 2
      [0.1, 0.5, 0.5, 0.3], // target 1: top
      [0.4, 0.4, 0.4, 0.1], // target 2: tied for the top -> in, even for k = 1
      [0.3, 0.1, 0.2, 0.4], // target 2: third -> out for k = 2
    ]);
    const targets = [3, 1, 2, 2];
    const oneHot = wt.tensor(targets.flatMap((t) => [0, 1, 2, 3].map((j) => (j === t ? 1 : 0))), [4, 4]);
    expect(value(M().topKCategoricalAccuracy(oneHot, yPred, 2))).toBeCloseTo(0.5, 6);
    expect(value(M().topKCategoricalAccuracy(oneHot, yPred, 1))).toBeCloseTo(0.5, 6);
    expect(value(M().topKCategoricalAccuracy(oneHot, yPred, 3))).toBeCloseTo(1, 6);
    expect(value(M().sparseTopKCategoricalAccuracy(wt.tensor(targets, [4], 'int32'), yPred, 2))).toBeCloseTo(0.5, 6);
    // default k = 5: with 4 classes everything is in
    expect(value(M().topKCategoricalAccuracy(oneHot, yPred))).toBe(1);
    expect(() => M().topKCategoricalAccuracy(oneHot, yPred, 0)).toThrow('topKCategoricalAccuracy: k must be a positive integer, got number 0');
  });

  test('mse and mae metrics', () => {
    const t = wt.tensor([[1, 2], [3, 4]]);
    const p = wt.tensor([[1.5, 2], [2, 6]]);
    expect(value(M().mse(t, p))).toBeCloseTo((0.25 + 0 + 1 + 4) / 4, 6);
    expect(value(M().meanAbsoluteError(t, p))).toBeCloseTo((0.5 + 0 + 1 + 2) / 4, 6);
  });

  test('metrics leave only their result behind', () => {
    const t = wt.tensor([[0, 1], [1, 0]]);
    const p = wt.tensor([[0.3, 0.7], [0.4, 0.6]]);
    const labels = wt.tensor([1, 0], [2], 'int32');
    const before = wt.memory().numTensors;
    for (const m of [M().binaryAccuracy, M().categoricalAccuracy, M().topKCategoricalAccuracy, M().mse, M().mae]) m(t, p).dispose();
    M().sparseCategoricalAccuracy(labels, p).dispose();
    M().sparseTopKCategoricalAccuracy(labels, p, 1).dispose();
    expect(wt.memory().numTensors).toBe(before);
  });
});

describe('getMetric', () => {
  const get = (id: Parameters<typeof wt.metrics.get>[0], ctx?: Parameters<typeof wt.metrics.get>[1]) => wt.metrics.get(id, ctx);

  test("'accuracy' picks the variant from the loss and output shape, like Keras", () => {
    expect(get('accuracy', { loss: 'sparse_categorical_crossentropy', outputShape: [null, 10] }).fn).toBe(M().sparseCategoricalAccuracy);
    expect(get('accuracy', { loss: wt.losses.sparseCategoricalCrossentropy }).fn).toBe(M().sparseCategoricalAccuracy);
    expect(get('accuracy', { loss: 'categoricalCrossentropy', outputShape: [null, 10] }).fn).toBe(M().categoricalAccuracy);
    expect(get('accuracy', { loss: 'binary_crossentropy', outputShape: [null, 3] }).fn).toBe(M().binaryAccuracy);
    expect(get('acc', { loss: 'mse', outputShape: [null, 1] }).fn).toBe(M().binaryAccuracy);
    expect(get('accuracy', { loss: { className: 'SparseCategoricalCrossentropy', config: { from_logits: true } } }).fn).toBe(
      M().sparseCategoricalAccuracy,
    );
  });

  test('display names are what the user wrote (Keras 3), or the function name', () => {
    expect(get('accuracy').name).toBe('accuracy');
    expect(get('acc').name).toBe('acc');
    expect(get('mse').name).toBe('mse');
    expect(get('categorical_accuracy').name).toBe('categorical_accuracy');
    const myMetric = (t: wt.Tensor, p: wt.Tensor) => wt.mean(wt.sub(t, p));
    expect(get(myMetric)).toEqual({ name: 'myMetric', fn: myMetric });
  });

  test('names resolve in camelCase and snake_case', () => {
    const table: Array<[string, unknown]> = [
      ['binary_accuracy', M().binaryAccuracy], ['binaryAccuracy', M().binaryAccuracy],
      ['categorical_accuracy', M().categoricalAccuracy], ['sparse_categorical_accuracy', M().sparseCategoricalAccuracy],
      ['top_k_categorical_accuracy', M().topKCategoricalAccuracy], ['topKCategoricalAccuracy', M().topKCategoricalAccuracy],
      ['sparse_top_k_categorical_accuracy', M().sparseTopKCategoricalAccuracy],
      ['mse', M().mse], ['mean_squared_error', M().mse], ['mae', M().mae], ['meanAbsoluteError', M().mae],
    ];
    for (const [name, fn] of table) expect(get(name).fn, name).toBe(fn);
  });

  test('unknown names list the valid ones', () => {
    expect(() => get('f1')).toThrow(/getMetric: unknown metric 'f1'; valid: 'accuracy' \('acc'\), 'binaryAccuracy', .*or a function/);
    expect(() => get(3 as never)).toThrow(/getMetric: metric must be a name/);
  });
});
