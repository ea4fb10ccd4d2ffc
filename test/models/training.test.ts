// Training: one step against tfjs-layers' trainOnBatch with identical initial
// weights, learning a small problem, validation, determinism, memory.
import { beforeAll, describe, expect, test } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { blobs, rand, relErr, setup, tf, wt } from './helpers';

beforeAll(setup);

function mlp(inputs: number, hidden: number, classes: number): wt.Sequential {
  return wt.sequential({
    layers: [
      wt.layers.dense({ units: hidden, activation: 'relu', inputShape: [inputs] }),
      wt.layers.dense({ units: classes, activation: 'softmax' }),
    ],
  });
}

describe('one training step vs tfjs-layers trainOnBatch', () => {
  test.each([
    { optimizer: 'rmsprop', loss: 'categoricalCrossentropy' },
    { optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' },
    { optimizer: 'sgd', loss: 'categoricalCrossentropy' },
    // (Adam is left out: TF.js puts epsilon outside the bias correction, Keras inside, so
    // elements with tiny gradients legitimately differ; test/train checks Adam against Keras' formula.)
  ])('dense relu + dense softmax, $loss, $optimizer', async ({ optimizer, loss }) => {
    const [n, d, h, c] = [16, 6, 12, 4];
    const x = rand(n * d, 1, 1.5);
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % c);
    const sparse = loss.startsWith('sparse');
    const init = [rand(d * h, 2, 0.5), rand(h, 3, 0.1), rand(h * c, 4, 0.5), rand(c, 5, 0.1)];
    const shapes = [[d, h], [h], [h, c], [c]];

    const theirs = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: h, activation: 'relu', inputShape: [d] }),
        tfl.layers.dense({ units: c, activation: 'softmax' }),
      ],
    });
    theirs.setWeights(init.map((w, i) => tf.tensor(w, shapes[i])));
    theirs.compile({ optimizer, loss });
    const yTf = sparse ? tf.tensor(labels, [n], 'float32') : tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), c), 'float32');
    const wantLoss = (await theirs.trainOnBatch(tf.tensor(x, [n, d]), yTf)) as number;
    const want = theirs.getWeights().map((w) => w.dataSync() as Float32Array);

    const ours = mlp(d, h, c);
    ours.setWeights(init.map((w, i) => wt.tensor(w, shapes[i])));
    ours.compile({ optimizer, loss });
    const yWt = sparse ? wt.tensor(labels, [n], 'int32') : wt.utils.toCategorical(wt.tensor(labels, [n], 'int32'), c);
    const history = await ours.fit(wt.tensor(x, [n, d]), yWt, { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(Math.abs(history.history.loss[0] - wantLoss)).toBeLessThan(1e-5);
    const got = ours.getWeights();
    got.forEach((w, i) => expect(relErr(w.dataSync(), want[i])).toBeLessThan(1e-4));
    ours.dispose();
  });
});

describe('fit', () => {
  test('XOR learns to accuracy 1 quickly (binary crossentropy, adam)', async () => {
    wt.setRandomSeed(42);
    const model = wt.sequential();
    model.add(wt.layers.dense({ units: 16, activation: 'tanh', inputShape: [2] }));
    model.add(wt.layers.dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: new wt.Adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const x = wt.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = wt.tensor([[0], [1], [1], [0]]);
    const h = await model.fit(x, y, { epochs: 200, batchSize: 4, verbose: 0 });
    expect(h.history.accuracy[h.history.accuracy.length - 1]).toBe(1);
    const p = model.predict(x).dataSync();
    expect(p[0]).toBeLessThan(0.2);
    expect(p[1]).toBeGreaterThan(0.8);
    expect(p[2]).toBeGreaterThan(0.8);
    expect(p[3]).toBeLessThan(0.2);
    model.dispose();
  });

  test('3-class blobs reach >= 0.99 accuracy; evaluate and predict agree; validationSplit reports val_*', async () => {
    wt.setRandomSeed(1);
    const { x, y, labels } = blobs(600, 3);
    const model = mlp(2, 16, 3);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const h = await model.fit(x, y, { epochs: 15, batchSize: 32, validationSplit: 0.2, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(h.epoch).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(h.history.val_accuracy.at(-1)).toBeGreaterThanOrEqual(0.99);
    expect(h.history.loss.at(-1)!).toBeLessThan(h.history.loss[0]);
    expect(h.params).toMatchObject({ epochs: 15, steps: 15, samples: 480 });
    const [loss, acc] = model.evaluate(x, y, { batchSize: 100 }) as wt.Tensor[];
    expect(acc.dataSync()[0]).toBeGreaterThanOrEqual(0.99);
    // val_* is evaluate() on the last 20%, unshuffled.
    const tail = model.evaluate(x.index('480:'), y.index('480:')) as wt.Tensor[];
    expect(tail[0].dataSync()[0]).toBeCloseTo(h.history.val_loss.at(-1)!, 5);
    // evaluate's loss is the CE of predict's probabilities (computed here in float64).
    const probs = model.predict(x, { batchSize: 64 });
    expect(probs.shape).toEqual([600, 3]);
    const p = probs.dataSync();
    let ce = 0;
    for (let i = 0; i < 600; i++) ce -= Math.log(Math.max(1e-7, p[3 * i + labels[i]]));
    expect(loss.dataSync()[0]).toBeCloseTo(ce / 600, 4);
    for (let i = 0; i < 600; i++) expect(Math.abs(p[3 * i] + p[3 * i + 1] + p[3 * i + 2] - 1)).toBeLessThan(1e-5);
    model.dispose();
  });

  test('sparse labels, validationData, no metrics: evaluate returns one scalar', async () => {
    wt.setRandomSeed(2);
    const { x, labels } = blobs(300, 4);
    const yv = wt.tensor(labels, [300], 'int32');
    const model = mlp(2, 8, 3);
    model.compile({ optimizer: 'rmsprop', loss: 'sparseCategoricalCrossentropy' });
    const h = await model.fit(x.index(':240'), yv.index(':240'), { epochs: 2, batchSize: 16, validationData: [x.index('240:'), yv.index('240:')], verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['loss', 'val_loss']);
    const r = model.evaluate(x, yv);
    expect(r).toBeInstanceOf(wt.Tensor);
    expect((r as wt.Tensor).shape).toEqual([]);
    model.dispose();
  });

  test('the same seed gives a bit-identical history and weights (shuffle and dropout on)', async () => {
    const run = async () => {
      wt.setRandomSeed(123);
      const { x, y } = blobs(200, 8);
      const model = wt.sequential({
        layers: [
          wt.layers.dense({ units: 16, activation: 'relu', inputShape: [2] }),
          wt.layers.dropout({ rate: 0.3 }),
          wt.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const h = await model.fit(x, y, { epochs: 3, batchSize: 25, verbose: 0 });
      const copies = model.getWeights();
      const w = copies.map((t) => Array.from(t.dataSync()));
      copies.forEach((t) => t.dispose());
      model.dispose();
      return { h: h.history, w };
    };
    const a = await run();
    const b = await run();
    expect(b.h).toEqual(a.h);
    expect(b.w).toEqual(a.w);
  });

  test('L2 kernel regularizer: the loss includes the penalty and shrinks the weights', async () => {
    const x = wt.tensor(rand(64 * 3, 9), [64, 3]);
    const y = wt.tensor(rand(64, 10), [64, 1]);
    const make = (reg: boolean) => {
      const m = wt.sequential({ layers: [wt.layers.dense({ units: 1, inputShape: [3], kernelInitializer: 'ones', kernelRegularizer: reg ? wt.regularizers.l2({ l2: 0.5 }) : undefined })] });
      m.compile({ optimizer: 'sgd', loss: 'mse' });
      return m;
    };
    const plain = make(false);
    const reg = make(true);
    const hp = await plain.fit(x, y, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
    const hr = await reg.fit(x, y, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
    expect(hr.history.loss[0] - hp.history.loss[0]).toBeCloseTo(0.5 * 3, 5); // 0.5 * sum(ones^2)
    const [kp, kr] = [plain, reg].map((m) => {
      const copies = m.getWeights();
      const kernel = copies[0].dataSync();
      copies.forEach((t) => t.dispose());
      return kernel;
    });
    // SGD lr 0.01: the penalty's gradient 2 * 0.5 * w = 1 per weight shrinks each by 0.01 more.
    for (let i = 0; i < 3; i++) expect(kp[i] - kr[i]).toBeCloseTo(0.01, 5);
    plain.dispose();
    reg.dispose();
  });

  test('memory: live tensors stay flat across epochs (and after fit)', async () => {
    const { x, y } = blobs(120, 5);
    const model = mlp(2, 8, 3);
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const counts: number[] = [];
    await model.fit(x, y, {
      epochs: 4, batchSize: 16, validationSplit: 0.25, verbose: 0,
      callbacks: { onEpochEnd: () => void counts.push(wt.memory().numTensors) },
    });
    expect(counts[3]).toBe(counts[1]);
    expect(counts[2]).toBe(counts[1]);
    const before = wt.memory().numTensors;
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    const p = model.predict(x, { batchSize: 50 });
    p.dispose();
    expect(wt.memory().numTensors).toBe(before);
    model.dispose();
  });
});
