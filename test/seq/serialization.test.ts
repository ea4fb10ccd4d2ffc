// Embedding, Conv1D, the 1-D pooling layers and LayerNormalization in the
// TF.js Layers format, both ways with the real peer: tfjs-layers models saved
// to files load here and predict the same, ours load there and predict the
// same, and each layer's config carries the keys and values tfjs-layers
// writes. Also configs as Keras writes them, and bad configs.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maxAbsDiff, removeTempDirs, setup, tempDir, tf, tfjsFileLoader, tfjsFileSaver, tfl, wt } from '../io/helpers';

beforeAll(setup);
afterAll(removeTempDirs);

const N = 5;
const T = 8;
const VOCAB = 13;

interface Model { name: string; layers: (lib: any) => any[]; classes: string[] }

const MODELS: Model[] = [
  {
    name: 'embedding -> conv1d same -> maxPooling1d -> layerNormalization -> averagePooling1d same -> globalMaxPooling1d -> dense',
    layers: (l) => [
      l.embedding({ inputDim: VOCAB, outputDim: 6, inputLength: T }),
      l.conv1d({ filters: 5, kernelSize: 3, padding: 'same', activation: 'relu' }),
      l.maxPooling1d({ poolSize: 2 }),
      l.layerNormalization({ epsilon: 1e-4 }),
      l.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }),
      l.globalMaxPooling1d(),
      l.dense({ units: 3, activation: 'softmax' }),
    ],
    classes: ['Embedding', 'Conv1D', 'MaxPooling1D', 'LayerNormalization', 'AveragePooling1D', 'GlobalMaxPooling1D', 'Dense'],
  },
  {
    name: 'embedding (no inputLength) -> conv1d strided, dilated -> layerNormalization (no center) -> globalAveragePooling1d -> dense',
    layers: (l) => [
      l.embedding({ inputDim: VOCAB, outputDim: 4, embeddingsInitializer: 'glorotUniform' }),
      l.conv1d({ filters: 3, kernelSize: 2, dilationRate: 2, useBias: false, activation: 'tanh' }),
      l.layerNormalization({ center: false }),
      l.globalAveragePooling1d(),
      l.dense({ units: 2 }),
    ],
    classes: ['Embedding', 'Conv1D', 'LayerNormalization', 'GlobalAveragePooling1D', 'Dense'],
  },
];

function ids(seed: number): Int32Array {
  let a = seed >>> 0;
  return Int32Array.from({ length: N * T }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a % VOCAB;
  });
}

function predictBoth(ours: wt.Sequential, theirs: tfl.LayersModel, seed: number): void {
  const x = ids(seed);
  const expected = (theirs.predict(tf.tensor(x, [N, T], 'int32')) as tf.Tensor).dataSync();
  const got = ours.predict(wt.tensor(x, [N, T], 'int32')).dataSync();
  expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
  expect(Math.max(...got) - Math.min(...got)).toBeGreaterThan(1e-3);
}

type Json = { class_name: string; config: Record<string, unknown> };
const layersOf = (topology: any): Json[] => (topology.config.layers ?? topology.config) as Json[];

describe('the sequence layers in the TF.js Layers format', () => {
  for (const m of MODELS) {
    test(`tfjs-layers -> wasmtensor, ${m.name}`, async () => {
      const theirs = tfl.sequential({ layers: m.layers(tfl.layers) });
      const dir = await tempDir();
      await theirs.save(tfjsFileSaver(dir));
      const ours = await wt.loadLayersModel(`file://${dir}/model.json`);
      expect(ours.layers.map((l) => l.className)).toEqual(m.classes);
      predictBoth(ours, theirs, 5);
      ours.dispose();
    });

    test(`wasmtensor -> tfjs-layers, ${m.name}; config keys and values as tfjs-layers writes them`, async () => {
      wt.setRandomSeed(3);
      const ours = wt.sequential({ layers: m.layers(wt.layers) });
      const dir = await tempDir();
      await ours.save(`file://${dir}`);
      const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
      predictBoth(ours, theirs, 6);
      // Every key tfjs-layers writes for these layers from the same arguments, with the same value.
      const written = layersOf(JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).modelTopology);
      const reference = layersOf(tfl.sequential({ layers: m.layers(tfl.layers) }).toJSON(null, false));
      const base = ['name', 'trainable', 'dtype'];
      written.forEach((layer, i) => {
        expect(layer.class_name).toBe(reference[i].class_name);
        if (layer.class_name === 'Dense') return;
        for (const [key, value] of Object.entries(reference[i].config)) {
          if (base.includes(key)) continue;
          // Initializers are written by the shared keras_config code (GlorotUniform by its
          // Keras name, where tfjs-layers writes VarianceScaling); both read either.
          if (key.endsWith('_initializer')) continue;
          // tfjs-layers writes maskZero as given (null when omitted); we write Keras' false.
          if (key === 'mask_zero' && value === null) expect(layer.config[key]).toBe(false);
          else expect(layer.config[key], `${layer.class_name} ${key}`).toEqual(value);
        }
      });
      // And back: our file loads here with the same predictions.
      const again = await wt.loadLayersModel(`file://${dir}/model.json`);
      const x = wt.tensor(ids(9), [N, T], 'int32');
      expect(maxAbsDiff(again.predict(x).dataSync(), ours.predict(x).dataSync())).toBe(0);
      again.dispose();
      ours.dispose();
    });
  }

  test('layers.serialize / deserialize round trip every argument', () => {
    const round = (l: wt.Layer) => wt.layers.deserialize(wt.layers.serialize(l)) as any;
    const e = round(wt.layers.embedding({ inputDim: 7, outputDim: 3, maskZero: true, inputLength: 5, embeddingsRegularizer: 'l2', name: 'e_rt' }));
    expect([e.inputDim, e.outputDim, e.maskZero, e.inputLength, e.embeddingsRegularizer.l2, e.batchInputShape]).toEqual([7, 3, true, [5], 0.01, [null, 5]]);
    const c = round(wt.layers.conv1d({ filters: 2, kernelSize: 4, strides: 2, padding: 'causal', dataFormat: 'channelsFirst', activation: 'relu', useBias: false, name: 'c_rt' }));
    expect([c.filters, c.kernelSize, c.strides, c.padding, c.dataFormat, c.activation.name, c.useBias]).toEqual([2, 4, 2, 'causal', 'channelsFirst', 'relu', false]);
    const g = round(wt.layers.globalMaxPooling1d({ dataFormat: 'channelsFirst', keepDims: true, name: 'g_rt' }));
    expect([g.className, g.dataFormat, g.keepDims]).toEqual(['GlobalMaxPooling1D', 'channelsFirst', true]);
    const p = round(wt.layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same', dataFormat: 'channelsFirst', name: 'p_rt' }));
    expect([p.className, p.poolSize, p.strides, p.padding, p.dataFormat]).toEqual(['AveragePooling1D', 3, 2, 'same', 'channelsFirst']);
    const ln = round(wt.layers.layerNormalization({ axis: [1, 2], epsilon: 1e-5, scale: false, betaInitializer: 'ones', name: 'ln_rt' }));
    expect([ln.axis, ln.epsilon, ln.scale, ln.center, ln.betaInitializer.className]).toEqual([[1, 2], 1e-5, false, true, 'Ones']);
    expect(wt.layers.serialize(wt.layers.embedding({ inputDim: 3, outputDim: 2, name: 'e_cfg' })).config).toMatchObject({
      input_dim: 3, output_dim: 2, mask_zero: false, input_length: null, embeddings_regularizer: null,
      embeddings_initializer: { class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } },
    });
  });

  test('configs as Keras writes them: bare ints, Keras 3 keys, tf.keras lists', () => {
    const de = (class_name: string, config: Record<string, unknown>): any => wt.layers.deserialize({ class_name, config });
    const e = de('Embedding', { name: 'ke', input_dim: 10, output_dim: 4, mask_zero: true, sparse: false, embeddings_constraint: null,
      embeddings_initializer: { module: 'keras.initializers', class_name: 'RandomUniform', config: { minval: -0.05, maxval: 0.05, seed: null } } });
    expect([e.inputDim, e.maskZero, e.inputLength]).toEqual([10, true, null]);
    const c = de('Conv1D', { name: 'kc', filters: 3, kernel_size: 5, strides: 1, dilation_rate: [2], padding: 'causal', groups: 1, data_format: 'channels_last' });
    expect([c.kernelSize, c.strides, c.dilationRate, c.padding]).toEqual([5, 1, 2, 'causal']);
    expect(de('MaxPooling1D', { name: 'km', pool_size: 3 }).strides).toBe(3);
    expect(de('GlobalAveragePooling1D', { name: 'kg', data_format: 'channels_first', keepdims: false }).dataFormat).toBe('channelsFirst');
    const ln = de('LayerNormalization', { name: 'kl', axis: [-1], epsilon: 0.001, rms_scaling: false });
    expect(ln.axis).toEqual([-1]);
  });

  test('bad configs are named with the layer and key', () => {
    const bad = (class_name: string, config: Record<string, unknown>) => () => wt.layers.deserialize({ class_name, config: { name: 'b', ...config } });
    expect(bad('Embedding', { output_dim: 3 })).toThrow(/^layers.deserialize: layer 'b' \(config, Embedding\) input_dim must be a positive integer, got nothing/);
    expect(bad('Embedding', { input_dim: 3, output_dim: 2, embeddings_constraint: { class_name: 'NonNeg', config: {} } })).toThrow(/\(config, Embedding\) sets embeddings_constraint = .* which is not supported; only null is/);
    expect(bad('Embedding', { input_dim: 3, output_dim: 2, sparse: true })).toThrow(/\(config, Embedding\) is sparse; only dense embeddings are supported/);
    expect(bad('Embedding', { input_dim: 3, output_dim: 2, mask_zero: 'yes' })).toThrow(/\(config, Embedding\) mask_zero must be a boolean/);
    expect(bad('Conv1D', { filters: 2, kernel_size: [3, 3] })).toThrow(/^layers.deserialize: layer 'b' \(config, Conv1D\): kernel_size must be a positive integer \(or a list of one\)/);
    expect(bad('Conv1D', { filters: 2, kernel_size: 3, padding: 'full' })).toThrow(/\(config, Conv1D\): padding must be 'valid', 'same' or 'causal'/);
    expect(bad('Conv1D', { filters: 2, kernel_size: 3, groups: 2 })).toThrow(/\(config, Conv1D\) sets groups = 2; only 1 is supported/);
    expect(bad('Conv1D', { filters: 2, kernel_size: 3, activation: 'swishy' })).toThrow(/unknown activation 'swishy'/);
    expect(bad('MaxPooling1D', { padding: 'causal' })).toThrow(/\(config, MaxPooling1D\) padding must be 'valid' or 'same', got 'causal'/);
    expect(bad('GlobalMaxPooling1D', { data_format: 'NWC' })).toThrow(/\(config, GlobalMaxPooling1D\) data_format must be one of 'channels_last', 'channels_first'/);
    expect(bad('LayerNormalization', { axis: 'x' })).toThrow(/\(config, LayerNormalization\) axis must be an integer or a list of integers, got 'x'/);
    expect(bad('LayerNormalization', { rms_scaling: true })).toThrow(/\(config, LayerNormalization\) sets rms_scaling = true, which is not supported/);
    expect(() => wt.layers.serialize(wt.layers.conv1d({ filters: 1, kernelSize: 1, activation: { name: 'mine' } as never })))
      .toThrow();
  });

  test('the supported classes list them', async () => {
    const { SUPPORTED_LAYER_CLASSES } = await import('../../src/layers/serialization');
    for (const c of ['Embedding', 'Conv1D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'MaxPooling1D', 'AveragePooling1D', 'LayerNormalization']) {
      expect(SUPPORTED_LAYER_CLASSES).toContain(c);
    }
  });
});
