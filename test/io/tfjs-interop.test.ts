// Interop with the real peer: models built and trained by @tensorflow/tfjs-layers
// load into wasmtensor, and wasmtensor's saves load into tfjs-layers; the two
// predict the same outputs (1e-5) on 1,000 inputs.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, rand, removeTempDirs, setup, tempDir, tf, tfjsFileLoader, tfjsFileSaver, tfl, wt } from './helpers';

beforeAll(setup);
afterAll(removeTempDirs);

const N = 1000;
const D = 6;
/** Inputs [N, 2, 3]: the first Dense maps the last axis (rank 3), so Flatten has something to flatten. */
const SHAPE = [2, 3];

function data(seed: number) {
  const xs = rand(N * D, seed, 2);
  const labels = Int32Array.from({ length: N }, (_, i) => (xs[i * D] + xs[i * D + 1] > 0 ? 1 : 0) + (xs[i * D + 2] > 0.5 ? 1 : 0));
  return { xs, labels };
}

/** A tfjs-layers MLP using every layer class we read, trained a little so its weights are not initial. */
async function trainedTfjsModel(): Promise<tfl.Sequential> {
  const m = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 16, activation: 'relu', inputShape: SHAPE, kernelRegularizer: tfl.regularizers.l2({ l2: 1e-3 }) }),
      tfl.layers.dropout({ rate: 0.1 }),
      tfl.layers.dense({ units: 8, activation: 'tanh' }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 3 }),
      tfl.layers.activation({ activation: 'softmax' }),
    ],
  });
  m.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const { xs, labels } = data(1);
  const x = tf.tensor3d(xs, [N, 2, 3]);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
  await m.fit(x, y, { epochs: 2, batchSize: 100, verbose: 0 });
  tf.dispose([x, y]);
  return m;
}

describe('tfjs-layers -> wasmtensor', () => {
  test('a trained tfjs-layers model saved to files loads through file:// and predicts the same', async () => {
    const theirs = await trainedTfjsModel();
    const dir = await tempDir();
    await theirs.save(tfjsFileSaver(dir));

    const ours = await wt.loadLayersModel(`file://${dir}/model.json`);
    expect(ours.layers.map((l) => l.className)).toEqual(['Dense', 'Dropout', 'Dense', 'Flatten', 'Dense', 'Activation']);
    expect(ours.layers.map((l) => l.name)).toEqual(theirs.layers.map((l) => l.name));
    expect(ours.weights.map((w) => w.name)).toEqual(theirs.layers.flatMap((l) => l.weights.map((w) => w.originalName)));

    const xs = rand(N * D, 99, 3);
    const expected = (theirs.predict(tf.tensor3d(xs, [N, 2, 3])) as tf.Tensor).dataSync();
    const got = ours.predict(wt.tensor(xs, [N, 2, 3])).dataSync();
    expect(got.length).toBe(N * 3);
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    // Not a trivial match: the outputs vary across inputs.
    expect(Math.max(...got) - Math.min(...got)).toBeGreaterThan(0.1);
    ours.dispose();
  });

  test('with includeOptimizer, tfjs-layers Adam state arrives: iterations and every slot', async () => {
    const theirs = await trainedTfjsModel();
    const dir = await tempDir();
    await theirs.save(tfjsFileSaver(dir), { includeOptimizer: true });
    const ours = await wt.loadLayersModel(`file://${dir}`);
    expect(ours.optimizer.getClassName()).toBe('Adam');
    expect(ours.optimizer.learningRate).toBeCloseTo(0.01, 8);
    const theirState = await theirs.optimizer.getWeights();
    const ourState = await ours.optimizer.getWeights();
    expect(ourState.map((w) => w.name).sort()).toEqual(theirState.map((w) => w.name).sort());
    const byName = new Map(ourState.map((w) => [w.name, w.tensor]));
    expect(ourState[0]).toMatchObject({ name: 'iter' });
    expect(ourState[0].tensor.dataSync()[0]).toBe(20); // 2 epochs x 10 batches
    for (const w of theirState) expect(maxAbsDiff(byName.get(w.name)!.dataSync(), w.tensor.dataSync())).toBe(0);
    ourState.forEach((w) => w.tensor.dispose());
    ours.dispose();
  });
});

describe('wasmtensor -> tfjs-layers', () => {
  async function trainedOurs(): Promise<wt.Sequential> {
    wt.setRandomSeed(7);
    const m = wt.sequential({
      layers: [
        wt.layers.dense({ units: 16, activation: 'relu', inputShape: SHAPE, kernelRegularizer: wt.regularizers.l2({ l2: 1e-3 }) }),
        wt.layers.dropout({ rate: 0.1 }),
        wt.layers.dense({ units: 8, activation: 'sigmoid', kernelInitializer: 'heNormal' }),
        wt.layers.flatten(),
        wt.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const { xs, labels } = data(2);
    await m.fit(wt.tensor(xs, [N, 2, 3]), wt.utils.toCategorical(wt.tensor(labels, [N], 'int32'), 3), { epochs: 2, batchSize: 100, verbose: 0 });
    return m;
  }

  test('file:// save, read back by a TF.js file-reading IOHandler: same predictions', async () => {
    const ours = await trainedOurs();
    const dir = await tempDir();
    await ours.save(`file://${dir}`);
    const theirs = (await tfl.loadLayersModel(tfjsFileLoader(dir))) as tfl.Sequential;
    expect(theirs.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dropout', 'Dense', 'Flatten', 'Dense']);

    const xs = rand(N * D, 5, 3);
    const expected = ours.predict(wt.tensor(xs, [N, 2, 3])).dataSync();
    const got = (theirs.predict(tf.tensor3d(xs, [N, 2, 3])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    expect(Math.max(...got) - Math.min(...got)).toBeGreaterThan(0.1);
    ours.dispose();
  });

  test('in memory through tf.io.fromMemory, with the optimizer: tfjs-layers recompiles and gets the RMSprop state', async () => {
    const ours = await trainedOurs();
    let saved: wt.ModelArtifacts | undefined;
    await ours.save(wt.io.withSaveHandler(async (a) => { saved = a; }), { includeOptimizer: true });
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(theirs.optimizer.getClassName()).toBe('RMSProp');
    const theirState = await theirs.optimizer.getWeights();
    const ourState = await ours.optimizer.getWeights();
    expect(theirState.map((w) => w.name)).toEqual(ourState.map((w) => w.name));
    theirState.forEach((w, i) => expect(maxAbsDiff(w.tensor.dataSync(), ourState[i].tensor.dataSync())).toBe(0));

    const xs = rand(N * D, 6, 3);
    const expected = ours.predict(wt.tensor(xs, [N, 2, 3])).dataSync();
    const got = (theirs.predict(tf.tensor3d(xs, [N, 2, 3])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    ourState.forEach((w) => w.tensor.dispose());
    ours.dispose();
  });
});

describe('optimizer state means the same thing on both sides', () => {
  test.each([
    ['SGD with momentum (TF.js keeps the accumulation, we the velocity)', () => new wt.SGD({ learningRate: 0.05, momentum: 0.8 })],
    ['RMSprop', () => new wt.RMSprop({ learningRate: 0.01, momentum: 0.3 })],
  ])('%s: after a save with includeOptimizer, one more step in tfjs-layers equals one more step here', async (_, makeOptimizer) => {
    wt.setRandomSeed(3);
    const ours = wt.sequential({
      layers: [wt.layers.dense({ units: 8, activation: 'tanh', inputShape: [D] }), wt.layers.dense({ units: 3, activation: 'softmax' })],
    });
    ours.compile({ optimizer: makeOptimizer(), loss: 'categoricalCrossentropy' });
    const { xs, labels } = data(4);
    const n = 64;
    const x = wt.tensor(xs.subarray(0, n * D), [n, D]);
    const y = wt.utils.toCategorical(wt.tensor(labels.subarray(0, n), [n], 'int32'), 3);
    await ours.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0, shuffle: false });
    let saved: wt.ModelArtifacts | undefined;
    await ours.save(wt.io.withSaveHandler((a) => { saved = a; }), { includeOptimizer: true });
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));

    await ours.fit(x, y, { epochs: 1, batchSize: n, verbose: 0, shuffle: false });
    await theirs.trainOnBatch(tf.tensor2d(xs.subarray(0, n * D), [n, D]), tf.tensor2d(y.dataSync() as Float32Array, [n, 3]));
    const mine = ours.getWeights();
    theirs.getWeights().forEach((w, i) => expect(maxAbsDiff(w.dataSync(), mine[i].dataSync())).toBeLessThan(1e-5));
    mine.forEach((w) => w.dispose());
    ours.dispose();
  });
});

test('tfjs-layers Momentum state loads here with its meaning: one more step on each side gives the same weights', async () => {
  const theirs = tfl.sequential({
    layers: [tfl.layers.dense({ units: 8, activation: 'tanh', inputShape: [D] }), tfl.layers.dense({ units: 3, activation: 'softmax' })],
  });
  theirs.compile({ optimizer: tf.train.momentum(0.05, 0.8), loss: 'categoricalCrossentropy' });
  const { xs, labels } = data(8);
  const n = 64;
  const xt = tf.tensor2d(xs.subarray(0, n * D), [n, D]);
  const yt = tf.cast(tf.oneHot(tf.tensor1d(labels.subarray(0, n), 'int32'), 3), 'float32');
  for (let i = 0; i < 3; i++) await theirs.trainOnBatch(xt, yt);
  const dir = await tempDir();
  await theirs.save(tfjsFileSaver(dir), { includeOptimizer: true });
  const ours = await wt.loadLayersModel(`file://${dir}`);
  expect(ours.optimizer).toBeInstanceOf(wt.SGD);
  expect((ours.optimizer as wt.SGD).momentum).toBeCloseTo(0.8, 7);

  await theirs.trainOnBatch(xt, yt);
  await ours.fit(wt.tensor(xs.subarray(0, n * D), [n, D]), wt.tensor(yt.dataSync() as Float32Array, [n, 3]), { epochs: 1, batchSize: n, verbose: 0, shuffle: false });
  const mine = ours.getWeights();
  theirs.getWeights().forEach((w, i) => expect(maxAbsDiff(w.dataSync(), mine[i].dataSync())).toBeLessThan(1e-5));
  mine.forEach((w) => w.dispose());
  ours.dispose();
});

test.each([
  ['SGD', () => new wt.SGD({ learningRate: 0.2 }), { learningRate: 0.2 }],
  ['Momentum', () => new wt.SGD({ learningRate: 0.1, momentum: 0.7, nesterov: true }), { learningRate: 0.1, momentum: 0.7, useNesterov: true }],
  ['RMSProp', () => new wt.RMSprop({ learningRate: 0.003, rho: 0.8, epsilon: 1e-6 }), { learningRate: 0.003, decay: 0.8, momentum: 0, epsilon: 1e-6, centered: false }],
  ['Adam', () => new wt.Adam({ learningRate: 0.004, beta1: 0.8 }), { learningRate: 0.004, beta1: 0.8, beta2: 0.999, epsilon: 1e-7 }],
  ['Adamax', () => new wt.Adamax({ learningRate: 0.005 }), { learningRate: 0.005, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay: 0 }],
  ['Adagrad', () => new wt.Adagrad({ learningRate: 0.06, initialAccumulatorValue: 0.2 }), { learningRate: 0.06, initialAccumulatorValue: 0.2 }],
  ['Adadelta', () => new wt.Adadelta({ learningRate: 0.7, rho: 0.9 }), { learningRate: 0.7, rho: 0.9, epsilon: 1e-7 }],
] as const)('tfjs-layers recompiles a saved model with the same optimizer: %s', async (className, make, config) => {
  const ours = wt.sequential({ layers: [wt.layers.dense({ units: 2, inputShape: [3] })] });
  const optimizer = make();
  ours.compile({ optimizer, loss: 'meanSquaredError' });
  let saved: wt.ModelArtifacts | undefined;
  await ours.save(wt.io.withSaveHandler((a) => { saved = a; }), { includeOptimizer: true });
  expect(saved!.trainingConfig?.optimizer_config).toEqual({ class_name: className, config: expect.objectContaining(config) });
  if (className === 'Adamax') {
    // tfjs-core 4.22's AdamaxOptimizer has no setWeights: it cannot take any saved optimizer state (ours or its own).
    await expect(tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts))).rejects.toThrow('setWeights() is not implemented for Adamax yet');
  } else {
    const theirs = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(theirs.optimizer.getClassName()).toBe(className);
    expect(theirs.optimizer.getConfig()).toMatchObject(config);
  }
  // And back: our loader reads the same training config into the same optimizer.
  const again = await wt.loadLayersModel(wt.io.fromMemory(saved!));
  expect(again.optimizer.getConfig()).toEqual(optimizer.getConfig());
  ours.dispose();
  again.dispose();
});
