// Bad input fails early with a message naming the function, the argument and
// the fix, and the model keeps working afterwards.
import { beforeAll, describe, expect, test } from 'vitest';
import { blobs, setup, wt } from './helpers';

beforeAll(setup);

function compiled(loss = 'categoricalCrossentropy'): wt.Sequential {
  const m = wt.sequential({
    layers: [wt.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }), wt.layers.dense({ units: 3, activation: 'softmax' })],
  });
  m.compile({ optimizer: 'rmsprop', loss, metrics: ['accuracy'] });
  return m;
}

async function stillTrains(m: wt.Sequential, x: wt.Tensor, y: wt.Tensor): Promise<void> {
  const h = await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
  expect(Number.isFinite(h.history.loss[0])).toBe(true);
}

describe('clear errors', () => {
  test('x and y with different numbers of samples', async () => {
    const { x, y } = blobs(30, 1);
    const m = compiled();
    await expect(m.fit(x, y.index(':20'))).rejects.toThrow(
      'fit: x and y must have the same number of samples: x has 30 (shape [30,2]), y has 20 (shape [20,3])',
    );
    expect(() => m.evaluate(x.index(':10'), y)).toThrow(/^evaluate: x and y must have the same number of samples/);
    await stillTrains(m, x, y);
    m.dispose();
  });

  test('labels that do not fit the loss: class indices with categorical CE, one-hot with sparse CE, out-of-range or fractional labels, bool', async () => {
    const { x, y, labels } = blobs(30, 2);
    const ints = wt.tensor(labels, [30], 'int32');
    const m = compiled();
    await expect(m.fit(x, ints)).rejects.toThrow(
      "fit: y has shape [30] (dtype 'int32'): class indices do not fit loss 'categoricalCrossentropy', which takes one-hot targets of shape [30,3]; use loss 'sparseCategoricalCrossentropy' or wt.utils.toCategorical(y, 3)",
    );
    await expect(m.fit(x, y.astype('bool'))).rejects.toThrow("fit: y has dtype 'bool'; targets must be numeric (cast with .astype('float32'))");
    await expect(m.fit(x, wt.zeros([30, 4]))).rejects.toThrow('fit: y has shape [30,4], but the model outputs (None, 3): expected one-hot targets of shape [30,3]');
    const s = compiled('sparse_categorical_crossentropy');
    await expect(s.fit(x, y)).rejects.toThrow(
      "fit: y has shape [30,3], but loss 'sparseCategoricalCrossentropy' takes integer class indices of shape [30] for outputs (None, 3); these look one-hot: use loss 'categoricalCrossentropy'",
    );
    await expect(s.fit(x, wt.add(ints, 1))).rejects.toThrow('fit: y holds class indices from 1 to 3, but the model has 3 output classes: labels must be in [0, 3)');
    await expect(s.fit(x, wt.mul(ints.astype('float32'), 0.5))).rejects.toThrow('fit: y holds 10 non-integer values; sparse class labels must be integers in [0, 3)');
    await stillTrains(m, x, y);
    await stillTrains(s, x, ints);
    await stillTrains(s, x, ints.astype('uint8'));
    m.dispose();
    s.dispose();
  });

  test('unknown optimizer, loss, metric and activation names list the valid ones', () => {
    const m = compiled();
    expect(() => m.compile({ optimizer: 'adamw', loss: 'mse' })).toThrow(/^getOptimizer: unknown optimizer 'adamw'; valid names: 'sgd', 'rmsprop', 'adam'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'crossentropy' })).toThrow(/^getLoss: unknown loss 'crossentropy'; valid: 'meanSquaredError'.*'categoricalCrossentropy'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['precision'] })).toThrow(/^getMetric: unknown metric 'precision'; valid: 'accuracy'/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mse', 'mse'] })).toThrow("compile: metric name 'mse' is used twice (or clashes with 'loss')");
    expect(() => m.compile({ loss: 'mse' } as never)).toThrow("compile: args.optimizer is required (e.g. 'rmsprop')");
  });

  test('inputShape mismatch at the first layer (fit, predict, evaluate, add)', async () => {
    const { x, y } = blobs(30, 3);
    const m = compiled();
    const wide = wt.zeros([30, 5]);
    await expect(m.fit(wide, y)).rejects.toThrow("fit: x has shape [30,5], but the model expects inputs of shape [null,2] (first layer 'dense");
    expect(() => m.predict(wt.zeros([4]))).toThrow(/^predict: x has shape \[4\], but the model expects inputs of shape \[null,2\]/);
    expect(() => m.evaluate(wide, y)).toThrow(/^evaluate: x has shape \[30,5\]/);
    const m2 = wt.sequential();
    m2.add(wt.layers.dense({ units: 4, inputShape: [3] }));
    expect(() => m2.add(wt.layers.dense({ units: 2, inputShape: [5] }))).toThrow(/^add: layer 'dense(_\d+)?' was given inputShape \[5\], but the previous layer 'dense(_\d+)?' outputs \[null,4\]/);
    expect(() => wt.sequential().add(wt.layers.dense({ units: 2 }))).toThrow(
      /^add: the first layer of a Sequential model needs an inputShape, e.g. layers.dense\(\{ units: 512, inputShape: \[784\] \}\); layer 'dense(_\d+)?' has none/,
    );
    expect(() => m2.add({} as never)).toThrow('add: layer must be a Layer (e.g. wt.layers.dense({ units: 10 })), got Object');
    expect(m2.predict(wt.ones([2, 3])).shape).toEqual([2, 4]);
    await stillTrains(m, x, y);
    m.dispose();
    m2.dispose();
  });

  test('predict before the model is built; fit before compile; bad fit arguments', async () => {
    const empty = wt.sequential({ name: 'empty' });
    expect(() => empty.predict(wt.zeros([2, 2]))).toThrow("predict: model 'empty' has no layers yet: add layers (the first with an inputShape) before calling predict");
    const m = wt.sequential({ layers: [wt.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
    const { x, y } = blobs(30, 4);
    await expect(m.fit(x, y)).rejects.toThrow('fit: the model must be compiled first: model.compile({ optimizer, loss, metrics })');
    expect(() => m.evaluate(x, y)).toThrow(/^evaluate: the model must be compiled first/);
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    await expect(m.fit(x, y, { batchSize: 0 })).rejects.toThrow('fit: batchSize must be an integer >= 1, got number 0');
    await expect(m.fit(x, y, { validationSplit: 1 })).rejects.toThrow('fit: validationSplit must be a number in [0, 1), got number 1');
    await expect(m.fit(x, y, { verbose: 3 as never })).rejects.toThrow('fit: verbose must be 0, 1 or 2, got number 3');
    await expect(m.fit(x, y, { validationData: [x] as never })).rejects.toThrow('fit: validationData must be [xVal, yVal], got an array');
    expect(() => m.predict(x, { batchSize: -1 })).toThrow('predict: batchSize must be a positive integer, got number -1');
    expect(() => m.setWeights([wt.zeros([3, 3])])).toThrow('setWeights: expected an array of 2 tensors (dense');
    const before = wt.memory().numTensors;
    await expect(m.fit(x, y, { validationData: [wt.zeros([5, 2]), wt.zeros([5, 4])] })).rejects.toThrow(/^fit: validationData\[1\] has shape \[5,4\]/);
    expect(wt.memory().numTensors).toBe(before + 2); // only the two tensors this test made
    await stillTrains(m, x, y);
    m.dispose();
  });
});
