// GlobalAveragePooling2D, GlobalMaxPooling2D, ZeroPadding2D, UpSampling2D,
// Reshape, Permute and Flatten's data_format in the TF.js Layers format, both
// ways with the real peer: tfjs-layers models saved to files load here and
// predict the same, ours load there and predict the same, and each layer's
// config carries the keys and values tfjs-layers writes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { maxAbsDiff, rand, removeTempDirs, setup, tempDir, tf, tfjsFileLoader, tfjsFileSaver, tfl, wt } from '../io/helpers';

beforeAll(setup);
afterAll(removeTempDirs);

const N = 6;

interface Model { name: string; inputShape: number[]; layers: (lib: any) => any[]; classes: string[] }

const MODELS: Model[] = [
  {
    name: 'channelsLast: zero padding, up-sampling, permute, reshape, global average pooling',
    inputShape: [8, 8, 3],
    layers: (l) => [
      l.zeroPadding2d({ padding: [[1, 0], [2, 1]], inputShape: [8, 8, 3] }), // [9, 11, 3]
      l.conv2d({ filters: 4, kernelSize: 3, activation: 'relu' }), // [7, 9, 4]
      l.upSampling2d({ size: [2, 1] }), // [14, 9, 4]
      l.permute({ dims: [2, 1, 3] }), // [9, 14, 4]
      l.reshape({ targetShape: [18, 7, 4] }),
      l.globalAveragePooling2d({}),
      l.dense({ units: 3, activation: 'softmax' }),
    ],
    classes: ['ZeroPadding2D', 'Conv2D', 'UpSampling2D', 'Permute', 'Reshape', 'GlobalAveragePooling2D', 'Dense'],
  },
  {
    name: 'channelsFirst: zero padding, up-sampling, global max pooling',
    inputShape: [3, 8, 8],
    layers: (l) => [
      l.zeroPadding2d({ padding: 1, dataFormat: 'channelsFirst', inputShape: [3, 8, 8] }),
      l.conv2d({ filters: 4, kernelSize: 3, dataFormat: 'channelsFirst' }),
      l.upSampling2d({ size: [2, 2], dataFormat: 'channelsFirst' }),
      l.globalMaxPooling2d({ dataFormat: 'channelsFirst' }),
      l.dense({ units: 3, activation: 'softmax' }),
    ],
    classes: ['ZeroPadding2D', 'Conv2D', 'UpSampling2D', 'GlobalMaxPooling2D', 'Dense'],
  },
  {
    name: 'channelsFirst: conv2d -> flatten with data_format',
    inputShape: [3, 4, 5],
    layers: (l) => [
      l.conv2d({ filters: 2, kernelSize: 2, dataFormat: 'channelsFirst', inputShape: [3, 4, 5] }),
      l.flatten({ dataFormat: 'channelsFirst' }),
      l.dense({ units: 3, activation: 'softmax' }),
    ],
    classes: ['Conv2D', 'Flatten', 'Dense'],
  },
];

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function predictBoth(ours: wt.Sequential, theirs: tfl.LayersModel, inputShape: number[], seed: number): void {
  const xs = rand(N * size(inputShape), seed, 2);
  const expected = (theirs.predict(tf.tensor(xs, [N, ...inputShape])) as tf.Tensor).dataSync();
  const got = ours.predict(wt.tensor(xs, [N, ...inputShape])).dataSync();
  expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
  expect(Math.max(...got) - Math.min(...got)).toBeGreaterThan(0.01);
}

type Json = { class_name: string; config: Record<string, unknown> };
const layersOf = (topology: any): Json[] => (topology.config.layers ?? topology.config) as Json[];

describe('the reshaping layers in the TF.js Layers format', () => {
  for (const m of MODELS) {
    test(`tfjs-layers -> wasmtensor, ${m.name}`, async () => {
      const theirs = tfl.sequential({ layers: m.layers(tfl.layers) });
      const dir = await tempDir();
      await theirs.save(tfjsFileSaver(dir));
      const ours = await wt.loadLayersModel(`file://${dir}/model.json`);
      expect(ours.layers.map((l) => l.className)).toEqual(m.classes);
      predictBoth(ours, theirs, m.inputShape, 5);
      ours.dispose();
    });

    test(`wasmtensor -> tfjs-layers, ${m.name}; config keys and values as tfjs-layers writes them`, async () => {
      wt.setRandomSeed(3);
      const ours = wt.sequential({ layers: m.layers(wt.layers) });
      const dir = await tempDir();
      await ours.save(`file://${dir}`);
      const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
      predictBoth(ours, theirs, m.inputShape, 6);

      // Written by tfjs-layers from the same constructor arguments: every key it writes for these
      // layers, with the same value (the base keys name/trainable/dtype/batch_input_shape aside).
      const written = layersOf(JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).modelTopology);
      const reference = layersOf(tfl.sequential({ layers: m.layers(tfl.layers) }).toJSON(null, false));
      const base = ['name', 'trainable', 'dtype', 'batch_input_shape'];
      written.forEach((layer, i) => {
        expect(layer.class_name).toBe(reference[i].class_name);
        if (['Dense', 'Conv2D'].includes(layer.class_name)) return;
        for (const [key, value] of Object.entries(reference[i].config)) {
          if (base.includes(key)) continue;
          // tfjs-layers writes no data_format for a Flatten given none; we write Keras' 'channels_last'.
          expect(layer.config[key], `${layer.class_name} ${key}`).toEqual(value);
        }
      });
      ours.dispose();
    });
  }

  test('configs as Keras writes them: -1 or null in target_shape, keepdims, bare ints, channels_first', () => {
    const de = (class_name: string, config: Record<string, unknown>): any => wt.layers.deserialize({ class_name, config });
    const r = de('Reshape', { name: 'r1', target_shape: [null, 4] });
    expect(r.targetShape).toEqual([-1, 4]);
    expect(wt.layers.serialize(r).config.target_shape).toEqual([-1, 4]);
    expect(de('Reshape', { name: 'r2', target_shape: [2, -1] }).targetShape).toEqual([2, -1]);
    const g = de('GlobalMaxPooling2D', { name: 'g', data_format: 'channels_first', keepdims: true });
    expect([g.dataFormat, g.keepDims]).toEqual(['channelsFirst', true]);
    expect(wt.layers.serialize(g).config).toMatchObject({ data_format: 'channels_first', keepdims: true });
    expect(de('GlobalAveragePooling2D', { name: 'g2' }).keepDims).toBe(false);
    expect(de('ZeroPadding2D', { name: 'z', padding: 2 }).padding).toEqual([[2, 2], [2, 2]]);
    expect(de('ZeroPadding2D', { name: 'z2', padding: [[0, 1], [2, 3]] }).padding).toEqual([[0, 1], [2, 3]]);
    expect(de('UpSampling2D', { name: 'u', size: 3 }).size).toEqual([3, 3]);
    const bilinear = de('UpSampling2D', { name: 'u2', interpolation: 'bilinear' });
    expect(bilinear.interpolation).toBe('bilinear');
    expect(wt.layers.serialize(bilinear).config.interpolation).toBe('bilinear');
    expect(de('Permute', { name: 'p', dims: [3, 1, 2] }).dims).toEqual([3, 1, 2]);
    const f = de('Flatten', { name: 'f', data_format: 'channels_first' });
    expect(f.dataFormat).toBe('channelsFirst');
    expect(wt.layers.serialize(f).config.data_format).toBe('channels_first');
    expect(wt.layers.serialize(wt.layers.flatten()).config.data_format).toBe('channels_last');
  });

  test('bad configs are named with the layer and key', () => {
    const bad = (class_name: string, config: Record<string, unknown>) => () => wt.layers.deserialize({ class_name, config: { name: 'b', ...config } });
    expect(bad('UpSampling2D', { interpolation: 'area' })).toThrow(/^layers.deserialize: layer 'b' \(config, UpSampling2D\) interpolation must be 'nearest' or 'bilinear', got 'area'/);
    expect(bad('UpSampling2D', { size: [2] })).toThrow(/^layers.deserialize: layer 'b' \(config, UpSampling2D\): size must be a positive integer or a pair \[h, w\] of them/);
    expect(bad('ZeroPadding2D', { padding: [[1, 1]] })).toThrow(/^layers.deserialize: layer 'b' \(config, ZeroPadding2D\): padding must be a non-negative integer/);
    expect(bad('Reshape', { target_shape: [null, null] })).toThrow(/^layers.deserialize: layer 'b' \(config, Reshape\): targetShape must be .* got \[-1,-1\]/);
    expect(bad('Reshape', {})).toThrow(/\(config, Reshape\): targetShape must be an array/);
    expect(bad('Permute', { dims: [0, 1] })).toThrow(/^layers.deserialize: layer 'b' \(config, Permute\): dims must be a permutation of 1..n/);
    expect(bad('GlobalAveragePooling2D', { data_format: 'NCHW' })).toThrow(/data_format must be one of 'channels_last', 'channels_first'/);
    expect(bad('GlobalMaxPooling2D', { keepdims: 'yes' })).toThrow(/\(config, GlobalMaxPooling2D\) keepdims must be a boolean, got 'yes'/);
    expect(bad('Flatten', { data_format: 'channels_middle' })).toThrow(/\(config, Flatten\) data_format must be one of/);
  });
});
