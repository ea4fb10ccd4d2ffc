// DepthwiseConv2D and SeparableConv2D in the TF.js Layers format, both ways
// with the real peer: a tfjs-layers model saved to files loads here and
// predicts the same; ours saved loads into tfjs-layers and predicts the same;
// config keys and weight order are tfjs-layers' (depth_multiplier,
// depthwise_initializer, pointwise_initializer, ...; depthwise_kernel,
// pointwise_kernel, bias).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, rand, removeTempDirs, setup, tempDir, tf, tfjsFileLoader, tfjsFileSaver, tfl, wt } from '../io/helpers';

beforeAll(setup);
afterAll(removeTempDirs);

const N = 9;
const SHAPE = [13, 11, 3];
const SIZE = 13 * 11 * 3;

/**
 * No dilation (tfjs-layers' DepthwiseConv2D ignores it) and, for the file
 * tfjs-layers writes, separable depthMultiplier 1: its SeparableConv2D config
 * omits depth_multiplier (Keras and we write it).
 */
function model(lib: any, sepMultiplier: number): any[] {
  return [
    lib.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu', inputShape: SHAPE }),
    lib.separableConv2d({ filters: 5, kernelSize: [2, 3], depthMultiplier: sepMultiplier, activation: 'tanh' }),
    lib.depthwiseConv2d({ kernelSize: 2, useBias: false }),
    lib.flatten(),
    lib.dense({ units: 3, activation: 'softmax' }),
  ];
}

/** Random (non-zero) biases, so a bias read from the wrong place shows in the predictions. */
function randomizeBiases(m: { getWeights(): any[]; setWeights(w: any[]): void }, make: (v: Float32Array, s: number[]) => unknown): void {
  const ws = m.getWeights();
  m.setWeights(ws.map((w: any, i: number) => make(rand(w.shape.reduce((a: number, b: number) => a * b, 1), 40 + i, 0.5), w.shape)));
}

describe('depthwise and separable convs in the TF.js Layers format', () => {
  test('tfjs-layers -> wasmtensor: files load through file:// and predict the same', async () => {
    const theirs = tfl.sequential({ layers: model(tfl.layers, 1) });
    randomizeBiases(theirs, (v, s) => tf.tensor(v, s));
    const dir = await tempDir();
    await theirs.save(tfjsFileSaver(dir));
    const ours = await wt.loadLayersModel(`file://${dir}/model.json`);
    expect(ours.layers.map((l) => l.className)).toEqual(['DepthwiseConv2D', 'SeparableConv2D', 'DepthwiseConv2D', 'Flatten', 'Dense']);
    const xs = rand(N * SIZE, 5, 2);
    const expected = (theirs.predict(tf.tensor4d(xs, [N, ...SHAPE] as [number, number, number, number])) as tf.Tensor).dataSync();
    const got = ours.predict(wt.tensor(xs, [N, ...SHAPE])).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    expect(Math.max(...got) - Math.min(...got)).toBeGreaterThan(0.01);
    ours.dispose();
  });

  test('wasmtensor -> tfjs-layers: our save loads there and predicts the same; config keys and weight order as tfjs-layers', async () => {
    wt.setRandomSeed(12);
    const ours = wt.sequential({ layers: model(wt.layers, 2) });
    randomizeBiases(ours, (v, s) => wt.tensor(v, s));
    const dir = await tempDir();
    await ours.save(`file://${dir}`);
    const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
    const xs = rand(N * SIZE, 6, 2);
    const expected = (theirs.predict(tf.tensor4d(xs, [N, ...SHAPE] as [number, number, number, number])) as tf.Tensor).dataSync();
    const got = ours.predict(wt.tensor(xs, [N, ...SHAPE])).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    expect(theirs.layers.map((l) => l.weights.map((w) => w.name.split('/').pop()))).toEqual(
      ours.layers.map((l) => l.weights.map((w) => w.name.split('/').pop())));
    expect(ours.layers[1].weights.map((w) => w.name.split('/').pop())).toEqual(['depthwise_kernel', 'pointwise_kernel', 'bias']);

    const sep = wt.layers.serialize(ours.layers[1]);
    expect(sep.class_name).toBe('SeparableConv2D');
    expect(sep.config).toMatchObject({
      filters: 5, kernel_size: [2, 3], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [1, 1],
      depth_multiplier: 2, activation: 'tanh', use_bias: true,
      depthwise_initializer: { class_name: 'GlorotUniform' }, pointwise_initializer: { class_name: 'GlorotUniform' },
      bias_initializer: { class_name: 'Zeros' }, depthwise_regularizer: null, pointwise_regularizer: null,
      depthwise_constraint: null, pointwise_constraint: null,
    });
    const dw = wt.layers.serialize(ours.layers[0]);
    expect(dw.class_name).toBe('DepthwiseConv2D');
    expect(dw.config).toMatchObject({ kernel_size: [3, 3], strides: [2, 2], padding: 'same', depth_multiplier: 2, activation: 'relu', use_bias: true });
    // The keys tfjs-layers itself writes for these layers are all present in ours.
    const keys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => k !== 'batch_input_shape');
    const topology = theirs.toJSON(null, false) as unknown as { config: { layers: { config: Record<string, unknown> }[] } };
    for (const i of [0, 1, 2]) {
      const theirConfig = topology.config.layers.find((l) => l.config.name === ours.layers[i].name);
      expect(theirConfig, `layer ${i}`).toBeDefined();
      const theirKeys = keys(theirConfig!.config);
      const ourKeys = keys(wt.layers.serialize(ours.layers[i]).config);
      expect(theirKeys.filter((k) => !ourKeys.includes(k)), `layer ${i}`).toEqual([]);
    }
    ours.dispose();
  });

  test('layers.serialize -> deserialize keeps every argument', () => {
    const layer = wt.layers.separableConv2d({
      filters: 4, kernelSize: [3, 2], strides: 1, padding: 'same', dataFormat: 'channelsFirst', dilationRate: [2, 1], depthMultiplier: 3,
      activation: 'elu', useBias: false, depthwiseInitializer: 'heNormal', pointwiseInitializer: 'lecunUniform', depthwiseRegularizer: wt.regularizers.l1l2({ l1: 0, l2: 0.01 }),
    });
    const back = wt.layers.deserialize(wt.layers.serialize(layer)) as wt.layers.SeparableConv2D;
    const { name: _a, ...want } = layer.getConfig();
    const { name: _b, ...got } = back.getConfig();
    expect(got).toEqual(want);
    const dw = wt.layers.depthwiseConv2d({ kernelSize: 5, depthMultiplier: 2, biasRegularizer: wt.regularizers.l1l2({ l1: 0.02, l2: 0 }), dataFormat: 'channelsFirst' });
    const dwBack = wt.layers.deserialize(wt.layers.serialize(dw));
    expect(dwBack.className).toBe('DepthwiseConv2D');
    const { name: _c, ...dwWant } = dw.getConfig();
    const { name: _d, ...dwGot } = dwBack.getConfig();
    expect(dwGot).toEqual(dwWant);
  });

  test("tfjs-layers' DepthwiseConv2D writes its regularizer under depthwise_constraint: that copy is ignored, a real constraint is not", () => {
    const reg = { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } };
    const base = { name: 'd', kernel_size: [3, 3], depthwise_regularizer: reg };
    const ok = wt.layers.deserialize({ class_name: 'DepthwiseConv2D', config: { ...base, depthwise_constraint: reg } });
    expect(ok.className).toBe('DepthwiseConv2D');
    expect(() => wt.layers.deserialize({ class_name: 'DepthwiseConv2D', config: { ...base, name: 'd2', depthwise_constraint: { class_name: 'MaxNorm', config: {} } } }))
      .toThrow(/^layers.deserialize: layer 'd2' \(config, DepthwiseConv2D\) sets depthwise_constraint/);
  });

  test('bad configs are named with the layer and key', () => {
    const bad = (cls: string, config: Record<string, unknown>) => () =>
      wt.layers.deserialize({ class_name: cls, config: { name: 'c', filters: 2, kernel_size: [3, 3], ...config } });
    expect(bad('DepthwiseConv2D', { kernel_size: [3] })).toThrow(/^layers.deserialize: layer 'c' \(config, DepthwiseConv2D\) kernel_size must be a pair of positive integers, got \[3\]/);
    expect(bad('DepthwiseConv2D', { depth_multiplier: 0 })).toThrow(/depth_multiplier must be a positive integer, got number 0/);
    expect(bad('SeparableConv2D', { filters: -1 })).toThrow(/^layers.deserialize: layer 'c' \(config, SeparableConv2D\) filters must be a positive integer/);
    expect(bad('SeparableConv2D', { padding: 'causal' })).toThrow(/padding must be one of 'valid', 'same', got 'causal'/);
    expect(bad('SeparableConv2D', { pointwise_constraint: { class_name: 'NonNeg', config: {} } })).toThrow(/sets pointwise_constraint/);
    expect(bad('SeparableConv2D', { activation: 'swish' })).toThrow(/unknown activation 'swish'/);
  });
});
