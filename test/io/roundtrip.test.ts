// wasmtensor -> file -> wasmtensor: what is saved comes back (topology,
// configs, weights, optimizer state), a resumed fit continues exactly as an
// uninterrupted one, and loading never disturbs models already in memory.
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, rand, removeTempDirs, setup, tempDir, wt } from './helpers';

beforeAll(setup);
afterAll(removeTempDirs);

const N = 120;
function data() {
  const xs = rand(N * 5, 11, 1.5);
  const labels = Int32Array.from({ length: N }, (_, i) => (xs[i * 5] > 0 ? 1 : 0) + (xs[i * 5 + 1] > 0.3 ? 1 : 0));
  return { x: wt.tensor(xs, [N, 5]), y: wt.utils.toCategorical(wt.tensor(labels, [N], 'int32'), 3) };
}

function mlp(): wt.Sequential {
  return wt.sequential({
    layers: [
      wt.layers.dense({ units: 12, activation: 'relu', inputShape: [5] }),
      wt.layers.dropout({ rate: 0.2 }),
      wt.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
}

const optimizers: Array<[string, () => wt.Optimizer]> = [
  ['adam', () => new wt.Adam({ learningRate: 0.01 })],
  ['rmsprop with momentum, centered', () => new wt.RMSprop({ learningRate: 0.005, momentum: 0.5, centered: true })],
  ['sgd with nesterov momentum', () => new wt.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ['adagrad', () => new wt.Adagrad({ learningRate: 0.05 })],
];

describe('resume training (includeOptimizer)', () => {
  test.each(optimizers)('%s: fit 2 epochs, save, load, fit 2 more == fit 4 epochs in one go', async (_, makeOptimizer) => {
    const { x, y } = data();
    const fitArgs = { batchSize: 16, verbose: 0 as const };

    wt.setRandomSeed(1234);
    const straight = mlp();
    straight.compile({ optimizer: makeOptimizer(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const all = await straight.fit(x, y, { ...fitArgs, epochs: 4 });
    const straightWeights = straight.getWeights();
    straight.dispose();

    wt.setRandomSeed(1234);
    const first = mlp();
    first.compile({ optimizer: makeOptimizer(), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const h1 = await first.fit(x, y, { ...fitArgs, epochs: 2 });
    const dir = await tempDir();
    await first.save(`file://${dir}`, { includeOptimizer: true });
    first.dispose();
    const resumed = await wt.loadLayersModel(`file://${dir}/model.json`);
    const h2 = await resumed.fit(x, y, { ...fitArgs, epochs: 4, initialEpoch: 2 });

    const losses = [...h1.history.loss, ...h2.history.loss];
    expect(losses).toHaveLength(4);
    expect(maxAbsDiff(losses, all.history.loss)).toBeLessThan(1e-6);
    expect(maxAbsDiff([...h1.history.accuracy, ...h2.history.accuracy], all.history.accuracy)).toBe(0);
    resumed.getWeights().forEach((w, i) => {
      expect(maxAbsDiff(w.dataSync(), straightWeights[i].dataSync())).toBeLessThan(1e-6);
      w.dispose();
    });
    straightWeights.forEach((w) => w.dispose());
    resumed.dispose();
  });

  test('without includeOptimizer the optimizer starts over, so the resumed losses differ (the check above can fail)', async () => {
    const { x, y } = data();
    wt.setRandomSeed(99);
    const straight = mlp();
    straight.compile({ optimizer: new wt.Adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    const all = await straight.fit(x, y, { batchSize: 16, verbose: 0, epochs: 3 });
    straight.dispose();

    wt.setRandomSeed(99);
    const first = mlp();
    first.compile({ optimizer: new wt.Adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    await first.fit(x, y, { batchSize: 16, verbose: 0, epochs: 2 });
    let saved: wt.ModelArtifacts | undefined;
    await first.save(wt.io.withSaveHandler((a) => { saved = a; }));
    first.dispose();
    const resumed = await wt.loadLayersModel(wt.io.fromMemory(saved!));
    expect(saved!.trainingConfig).toBeUndefined();
    resumed.compile({ optimizer: new wt.Adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
    const h = await resumed.fit(x, y, { batchSize: 16, verbose: 0, epochs: 3, initialEpoch: 2 });
    expect(Math.abs(h.history.loss[0] - all.history.loss[2])).toBeGreaterThan(1e-4);
    resumed.dispose();
  });
});

describe('what save writes', () => {
  test("file:// writes model.json + group1-shard1of1.bin in the converter's layout, weights named '<layer>/<weight>'", async () => {
    const model = mlp();
    const dir = await tempDir();
    const result = await model.save(`file://${dir}`);
    expect(result.modelArtifactsInfo.weightDataBytes).toBe((5 * 12 + 12 + 12 * 3 + 3) * 4);
    expect((await readdir(dir)).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const json = JSON.parse(await readFile(`${dir}/model.json`, 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toBe(`wasmtensor v${wt.version}`);
    expect(json.modelTopology.class_name).toBe('Sequential');
    const [dense, dropout, out] = json.modelTopology.config.layers;
    expect(dense).toMatchObject({
      class_name: 'Dense',
      config: {
        name: model.layers[0].name, units: 12, activation: 'relu', use_bias: true, batch_input_shape: [null, 5], dtype: 'float32',
        kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, bias_initializer: { class_name: 'Zeros', config: {} },
        kernel_regularizer: null, activity_regularizer: null, kernel_constraint: null,
      },
    });
    expect(dropout).toEqual({ class_name: 'Dropout', config: { name: model.layers[1].name, trainable: true, dtype: 'float32', rate: 0.2, noise_shape: null, seed: null } });
    expect(out.config.activation).toBe('softmax');
    const l0 = model.layers[0].name;
    const l2 = model.layers[2].name;
    expect(json.weightsManifest).toEqual([{
      paths: ['group1-shard1of1.bin'],
      weights: [
        { name: `${l0}/kernel`, shape: [5, 12], dtype: 'float32' }, { name: `${l0}/bias`, shape: [12], dtype: 'float32' },
        { name: `${l2}/kernel`, shape: [12, 3], dtype: 'float32' }, { name: `${l2}/bias`, shape: [3], dtype: 'float32' },
      ],
    }]);
    const bin = await readFile(`${dir}/group1-shard1of1.bin`);
    const kernel = model.layers[0].getWeights()[0];
    expect(Array.from(new Float32Array(bin.buffer, bin.byteOffset, 60))).toEqual(Array.from(kernel.dataSync()));
    kernel.dispose();
    model.dispose();
  });

  test('configs round-trip: initializers, regularizers (as L1L2), activations, use_bias, trainable, seeds', async () => {
    const model = wt.sequential({
      layers: [
        wt.layers.flatten({ inputShape: [2, 3] }),
        wt.layers.dense({
          units: 4, activation: 'leaky_relu', useBias: false, kernelInitializer: wt.initializers.varianceScaling({ scale: 0.5, mode: 'fanOut', distribution: 'normal', seed: 3 }),
          kernelRegularizer: wt.regularizers.l1l2({ l1: 0.01, l2: 0.02 }),
        }),
        wt.layers.dense({ units: 2, kernelInitializer: wt.initializers.randomUniform({ minval: -0.1, maxval: 0.2, seed: 5 }), biasInitializer: wt.initializers.constant({ value: 0.5 }), biasRegularizer: wt.regularizers.l2({ l2: 0.3 }), trainable: false }),
        wt.layers.activation({ activation: 'tanh' }),
        wt.layers.dropout({ rate: 0.5, seed: 8 }),
      ],
    });
    const artifacts = await wt.io.modelArtifacts(model);
    model.dispose();
    const loaded = await wt.loadLayersModel(wt.io.fromMemory(artifacts));
    const again = await wt.io.modelArtifacts(loaded);
    expect(again.modelTopology).toEqual(artifacts.modelTopology);
    const [flatten, d1, d2, act, drop] = loaded.layers as [wt.Flatten, wt.Dense, wt.Dense, wt.Activation, wt.Dropout];
    expect(flatten.batchInputShape).toEqual([null, 2, 3]);
    expect(d1.activation).toBe(wt.activations.leakyRelu);
    expect(d1.useBias).toBe(false);
    expect(d1.weights.map((w) => w.name.split('/')[1])).toEqual(['kernel']);
    expect(d1.kernelInitializer.getConfig()).toEqual({ scale: 0.5, mode: 'fanOut', distribution: 'normal', seed: 3 });
    expect([d1.kernelRegularizer?.l1, d1.kernelRegularizer?.l2]).toEqual([0.01, 0.02]);
    expect(d2.trainable).toBe(false);
    expect(d2.trainableWeights).toHaveLength(0);
    expect(d2.kernelInitializer.getConfig()).toEqual({ minval: -0.1, maxval: 0.2, seed: 5 });
    expect(d2.biasInitializer.getConfig()).toEqual({ value: 0.5 });
    expect(d2.biasRegularizer?.l2).toBe(0.3);
    expect(act.activation).toBe(wt.activations.tanh);
    expect([drop.rate, drop.seed]).toEqual([0.5, 8]);
    loaded.dispose();
  });

  test('a custom activation function cannot be written: save names the layer', async () => {
    const model = wt.sequential({ layers: [wt.layers.dense({ units: 2, inputShape: [3], activation: Object.assign((t: wt.Tensor) => wt.abs(t), {}) as never, name: 'odd' })] });
    await expect(model.save(wt.io.withSaveHandler(() => undefined))).rejects.toThrow(/^save: layer 'odd' has a custom activation function/);
    model.dispose();
  });

  test('includeOptimizer on an uncompiled model fails before the handler is called', async () => {
    const model = mlp();
    let called = false;
    await expect(model.save(wt.io.withSaveHandler(() => { called = true; }), { includeOptimizer: true })).rejects.toThrow(/^save: includeOptimizer: the model is not compiled/);
    expect(called).toBe(false);
    model.dispose();
  });
});

describe('weights by name', () => {
  test("model and layer getWeights/setWeights; variables named 'dense/kernel', 'dense/bias'", () => {
    const model = wt.sequential({ layers: [wt.layers.dense({ units: 3, inputShape: [2], name: 'dense' }), wt.layers.dense({ units: 1, name: 'dense_out' })] });
    expect(model.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias', 'dense_out/kernel', 'dense_out/bias']);
    const layer = model.layers[0];
    layer.setWeights([wt.tensor([[1, 2, 3], [4, 5, 6]]), wt.tensor([0.5, 0, -0.5])]);
    expect(layer.getWeights().map((w) => w.arraySync())).toEqual([[[1, 2, 3], [4, 5, 6]], [0.5, 0, -0.5]]);
    expect(() => layer.setWeights([wt.tensor([[1, 2, 3], [4, 5, 6]]), wt.tensor([1, 2])])).toThrow(
      "dense.setWeights: weights[1] has shape [2], but 'dense/bias' has shape [3]",
    );
    // The failed call changed nothing, not even the kernel it could have written first.
    expect(layer.getWeights()[0].arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const all = model.getWeights();
    expect(all.map((w) => w.shape)).toEqual([[2, 3], [3], [3, 1], [1]]);
    model.dispose();
  });
});

describe('loading next to live models', () => {
  test('the same model loaded twice: the second copy gets fresh layer names, both predict the same, the first is untouched', async () => {
    const { x, y } = data();
    wt.setRandomSeed(5);
    const original = mlp();
    original.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    await original.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    let saved: wt.ModelArtifacts | undefined;
    await original.save(wt.io.withSaveHandler((a) => { saved = a; }), { includeOptimizer: true });

    const copy = await wt.loadLayersModel(wt.io.fromMemory(saved!));
    const names = original.layers.map((l) => l.name);
    // Layers with weights are renamed (variable names must be unique); the weightless Dropout keeps its name.
    expect(copy.layers[0].name).not.toBe(names[0]);
    expect(copy.layers[1].name).toBe(names[1]);
    expect(copy.layers[2].name).not.toBe(names[2]);
    const before = original.predict(x).dataSync();
    expect(maxAbsDiff(copy.predict(x).dataSync(), before)).toBe(0);
    // The optimizer state went to the copy's variables under their new names.
    const ours = await original.optimizer.getWeights();
    const theirs = await copy.optimizer.getWeights();
    expect(theirs.map((w) => w.name)).toEqual(ours.map((w) => w.name.replace(names[0], copy.layers[0].name).replace(names[2], copy.layers[2].name)));
    theirs.forEach((w, i) => expect(maxAbsDiff(w.tensor.dataSync(), ours[i].tensor.dataSync())).toBe(0));
    // Training the copy leaves the original alone.
    await copy.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
    expect(maxAbsDiff(original.predict(x).dataSync(), before)).toBe(0);
    expect(maxAbsDiff(copy.predict(x).dataSync(), before)).toBeGreaterThan(0);
    [...ours, ...theirs].forEach((w) => w.tensor.dispose());
    original.dispose();
    copy.dispose();
  });

  test('a topology without weights loads with freshly initialized weights (not zeros)', async () => {
    const model = mlp();
    const artifacts = await wt.io.modelArtifacts(model);
    model.dispose();
    const loaded = await wt.loadLayersModel(wt.io.fromMemory({ modelTopology: artifacts.modelTopology }));
    const kernel = loaded.layers[0].getWeights()[0];
    expect(Math.max(...Array.from(kernel.dataSync(), Math.abs))).toBeGreaterThan(0);
    kernel.dispose();
    loaded.dispose();
    // The same through a model.json without a weightsManifest.
    const dir = await tempDir();
    await writeFile(`${dir}/model.json`, JSON.stringify({ format: 'layers-model', modelTopology: artifacts.modelTopology }));
    const fromFile = await wt.loadLayersModel(`file://${dir}/model.json`);
    const k2 = fromFile.layers[0].getWeights()[0];
    expect(Math.max(...Array.from(k2.dataSync(), Math.abs))).toBeGreaterThan(0);
    k2.dispose();
    fromFile.dispose();
  });
});

describe('layers.serialize / layers.deserialize', () => {
  test('each class round-trips on its own; names, InputLayer and unknown classes are handled', () => {
    const layers = [
      wt.layers.dense({ units: 3, activation: 'sigmoid', inputShape: [7], name: 'solo_dense', biasInitializer: 'ones' }),
      wt.layers.activation({ activation: 'softmax', name: 'solo_act' }),
      wt.layers.dropout({ rate: 0.3, name: 'solo_drop' }),
      wt.layers.flatten({ name: 'solo_flat' }),
    ];
    for (const l of layers) {
      const obj = wt.layers.serialize(l);
      expect(obj.class_name).toBe(l.className);
      expect(obj.config.name).toBe(l.name);
      l.dispose();
      const back = wt.layers.deserialize(obj);
      expect(back.className).toBe(l.className);
      expect(wt.layers.serialize(back)).toEqual(obj);
      back.dispose();
    }
    expect(wt.layers.serialize(layers[0]).config).toMatchObject({ batch_input_shape: [null, 7], bias_initializer: { class_name: 'Ones', config: {} } });
    expect(() => wt.layers.deserialize({ class_name: 'InputLayer', config: { batch_input_shape: [null, 2] } })).toThrow('layers.deserialize: an InputLayer only describes a model input');
    expect(() => wt.layers.deserialize({ class_name: 'ConvLSTM2D', config: { name: 'conv_lstm2d' } })).toThrow(
      /^layers.deserialize: layer 'conv_lstm2d' \(config, ConvLSTM2D\): unknown layer class 'ConvLSTM2D'; supported: Dense, Activation, .*SimpleRNN, LSTM, GRU, Bidirectional, .*InputLayer$/,
    );
  });
});

describe('optimizer state by name', () => {
  test("setWeights takes Keras 3's names too ('iteration', '<variable>/momentum' and '/velocity' for Adam), all checked before any change", async () => {
    const model = wt.sequential({ layers: [wt.layers.dense({ units: 2, inputShape: [2], name: 'k3' })] });
    const adam = new wt.Adam();
    const m = wt.tensor([[1, 2], [3, 4]]);
    const v = wt.tensor([[5, 6], [7, 8]]);
    await adam.setWeights([
      { name: 'iteration', tensor: wt.scalar(7, 'int32') },
      { name: 'k3/kernel/momentum', tensor: m },
      { name: 'k3/kernel/velocity', tensor: v },
    ]);
    expect(adam.iterations).toBe(7);
    const state = await adam.getWeights();
    expect(state.map((w) => w.name)).toEqual(['iter', 'k3/kernel/m', 'k3/kernel/v']);
    expect(state[1].tensor.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(state[2].tensor.arraySync()).toEqual([[5, 6], [7, 8]]);
    // A bad entry after good ones: nothing is written, iterations included.
    await expect(adam.setWeights([
      { name: 'iter', tensor: wt.scalar(99, 'int32') },
      { name: 'k3/kernel/m', tensor: wt.zeros([2, 2]) },
      { name: 'k3/kernel/m', tensor: wt.zeros([3]) },
    ])).rejects.toThrow("setWeights: weights[2] ('k3/kernel/m') has shape [3] and dtype 'float32', expected [2,2] float32 like variable 'k3/kernel'");
    expect(adam.iterations).toBe(7);
    const after = await adam.getWeights();
    expect(after[1].tensor.arraySync()).toEqual([[1, 2], [3, 4]]);
    [...state, ...after].forEach((w) => w.tensor.dispose());
    adam.dispose();
    model.dispose();
  });
});
