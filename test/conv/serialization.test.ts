// Conv2D, MaxPooling2D and AveragePooling2D in the TF.js Layers format, both
// ways with the real peer: a tfjs-layers convnet saved to files loads here
// and predicts the same; ours saved loads into tfjs-layers and predicts the
// same; configs use tfjs-layers' keys (kernel_size, dilation_rate, pool_size, ...).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, rand, removeTempDirs, setup, tempDir, tf, tfjsFileLoader, tfjsFileSaver, tfl, wt } from '../io/helpers';

beforeAll(setup);
afterAll(removeTempDirs);

const N = 20;
const SHAPE = [14, 14, 3];

function convnet(lib: any): any[] {
  return [
    lib.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', inputShape: SHAPE }),
    lib.maxPooling2d({ poolSize: [2, 2], strides: 1 }),
    lib.conv2d({ filters: 5, kernelSize: [2, 3], dilationRate: 2, activation: 'tanh', useBias: false }),
    lib.averagePooling2d({ poolSize: 2, padding: 'same' }),
    lib.flatten(),
    lib.dense({ units: 3, activation: 'softmax' }),
  ];
}

describe('convnets in the TF.js Layers format', () => {
  test('tfjs-layers -> wasmtensor: files load through file:// and predict the same', async () => {
    const theirs = tfl.sequential({ layers: convnet(tfl.layers) });
    const dir = await tempDir();
    await theirs.save(tfjsFileSaver(dir));
    const ours = await wt.loadLayersModel(`file://${dir}/model.json`);
    expect(ours.layers.map((l) => l.className)).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'AveragePooling2D', 'Flatten', 'Dense']);
    const xs = rand(N * 588, 5, 2);
    const expected = (theirs.predict(tf.tensor4d(xs, [N, ...SHAPE] as [number, number, number, number])) as tf.Tensor).dataSync();
    const got = ours.predict(wt.tensor(xs, [N, ...SHAPE])).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    expect(Math.max(...got) - Math.min(...got)).toBeGreaterThan(0.01);
    ours.dispose();
  });

  test('wasmtensor -> tfjs-layers: our save loads there and predicts the same; config keys as tfjs-layers writes them', async () => {
    wt.setRandomSeed(11);
    const ours = wt.sequential({ layers: convnet(wt.layers) });
    const dir = await tempDir();
    await ours.save(`file://${dir}`);
    const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
    const xs = rand(N * 588, 6, 2);
    const expected = (theirs.predict(tf.tensor4d(xs, [N, ...SHAPE] as [number, number, number, number])) as tf.Tensor).dataSync();
    const got = ours.predict(wt.tensor(xs, [N, ...SHAPE])).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);

    const conv = wt.layers.serialize(ours.layers[2]);
    expect(conv.class_name).toBe('Conv2D');
    expect(conv.config).toMatchObject({
      filters: 5, kernel_size: [2, 3], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [2, 2],
      activation: 'tanh', use_bias: false,
    });
    const theirConv = theirs.layers[2].getConfig();
    for (const key of ['kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate']) {
      expect(theirConv[key], key).toEqual(ours.layers[2].getConfig()[key]);
    }
    const pool = wt.layers.serialize(ours.layers[3]);
    expect(pool).toMatchObject({ class_name: 'AveragePooling2D', config: { pool_size: [2, 2], strides: [2, 2], padding: 'same', data_format: 'channels_last' } });
    const back = wt.layers.deserialize(pool);
    expect(back.className).toBe('AveragePooling2D');
    ours.dispose();
  });

  test('bad conv configs are named with the layer and key', async () => {
    const bad = (config: Record<string, unknown>) => () => wt.layers.deserialize({ class_name: 'Conv2D', config: { name: 'c', filters: 2, kernel_size: [3, 3], ...config } });
    expect(bad({ kernel_size: [3] })).toThrow(/^layers.deserialize: layer 'c' \(config, Conv2D\) kernel_size must be a pair of positive integers, got \[3\]/);
    expect(bad({ padding: 'causal' })).toThrow(/padding must be one of 'valid', 'same', got 'causal'/);
    expect(bad({ groups: 2 })).toThrow(/sets groups = 2; only 1 is supported/);
    expect(bad({ kernel_constraint: { class_name: 'MaxNorm', config: {} } })).toThrow(/sets kernel_constraint/);
  });
});
