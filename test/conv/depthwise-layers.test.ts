// DepthwiseConv2D and SeparableConv2D layers: one training step of a small
// model against tfjs-layers' trainOnBatch from identical weights, the Keras
// defaults, weight shapes and names, output shapes, a short fit, and argument errors.
import { beforeAll, describe, expect, test } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { rand, relErr, setup, tf, wt } from '../models/helpers';

beforeAll(setup);

type Format = 'channelsLast' | 'channelsFirst';

/**
 * depthwise(3x3, strides 2, same, x2, relu) -> separable(4, 2x3, valid, tanh)
 * -> flatten -> dense softmax. No dilation: tfjs-layers' DepthwiseConv2D
 * ignores dilationRate and TF.js has no dilated depthwise gradient (the op
 * tests cover dilation). tfjs-layers' SeparableConv2D adds its bias in the
 * wrong layout for channelsFirst, so that case runs without the bias there.
 */
function layersOf(lib: typeof wt.layers | typeof tfl.layers, format: Format, inputShape: number[]): unknown[] {
  const l = lib as any;
  return [
    l.depthwiseConv2d({ kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu', dataFormat: format, inputShape }),
    l.separableConv2d({ filters: 4, kernelSize: [2, 3], activation: 'tanh', dataFormat: format, useBias: format === 'channelsLast' }),
    l.flatten(),
    l.dense({ units: 5, activation: 'softmax' }),
  ];
}

describe('one training step vs tfjs-layers trainOnBatch', () => {
  test.each(['channelsLast', 'channelsFirst'] as Format[])('%s, sgd', async (format) => {
    const [n, h, w, c] = [7, 13, 11, 3];
    const inputShape = format === 'channelsLast' ? [h, w, c] : [c, h, w];
    const x = rand(n * h * w * c, 1, 1);
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 3) % 5);

    const theirs = tfl.sequential({ layers: layersOf(tfl.layers, format, inputShape) as tfl.layers.Layer[] });
    const ours = wt.sequential({ layers: layersOf(wt.layers, format, inputShape) as wt.Layer[] });
    expect(ours.outputShape('test')).toEqual([null, 5]);
    const shapes = theirs.getWeights().map((t) => t.shape);
    expect(ours.getWeights().map((t) => t.shape)).toEqual(shapes);
    const init = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 10 + i, 0.5));
    theirs.setWeights(init.map((v, i) => tf.tensor(v, shapes[i])));
    ours.setWeights(init.map((v, i) => wt.tensor(v, shapes[i])));

    const xs = format === 'channelsLast' ? [n, h, w, c] : [n, c, h, w];
    const want0 = (theirs.predict(tf.tensor(x, xs)) as tf.Tensor).dataSync();
    expect(relErr(ours.predict(wt.tensor(x, xs)).dataSync(), want0)).toBeLessThan(1e-5);

    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
    const wantLoss = (await theirs.trainOnBatch(tf.tensor(x, xs), tf.tensor(labels, [n], 'float32'))) as number;
    const want = theirs.getWeights().map((t) => t.dataSync() as Float32Array);

    ours.compile({ optimizer: new wt.SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    const history = await ours.fit(wt.tensor(x, xs), wt.tensor(labels, [n], 'int32'), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(Math.abs(history.history.loss[0] - wantLoss)).toBeLessThan(1e-5);
    ours.getWeights().forEach((t, i) => expect(relErr(t.dataSync(), want[i]), `weight ${i}`).toBeLessThan(1e-4));
    ours.dispose();
  });
});

describe('DepthwiseConv2D and SeparableConv2D layers', () => {
  test('Keras defaults, weight shapes and names, output shapes in both formats and with dilation', () => {
    const dw = wt.layers.depthwiseConv2d({ kernelSize: [3, 5] });
    expect(dw.name).toMatch(/^depthwise_conv2d(_\d+)?$/);
    expect(dw.computeOutputShape([null, 10, 12, 4])).toEqual([null, 8, 8, 4]);
    dw.build([null, 10, 12, 4]);
    expect(dw.weights.map((v) => [v.name.slice(dw.name.length + 1), v.shape])).toEqual([['depthwise_kernel', [3, 5, 4, 1]], ['bias', [4]]]);
    expect(dw.depthwiseInitializer.className).toBe('GlorotUniform');
    expect(Array.from(dw.bias!.dataSync())).toEqual([0, 0, 0, 0]);
    expect(dw.getConfig()).toMatchObject({ strides: [1, 1], padding: 'valid', depthMultiplier: 1, dataFormat: 'channelsLast', dilationRate: [1, 1], useBias: true, activation: 'linear' });
    dw.dispose();

    const wide = wt.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 3, dataFormat: 'channelsFirst', padding: 'same', strides: [2, 1], useBias: false });
    expect(wide.computeOutputShape([null, 4, 7, 9])).toEqual([null, 12, 4, 9]);
    expect(wt.layers.depthwiseConv2d({ kernelSize: 3, dilationRate: 2 }).computeOutputShape([null, 9, 9, 2])).toEqual([null, 5, 5, 2]);

    const sep = wt.layers.separableConv2d({ filters: 6, kernelSize: 3, depthMultiplier: 2 });
    expect(sep.name).toMatch(/^separable_conv2d(_\d+)?$/);
    sep.build([null, 8, 8, 5]);
    expect(sep.weights.map((v) => [v.name.slice(sep.name.length + 1), v.shape])).toEqual(
      [['depthwise_kernel', [3, 3, 5, 2]], ['pointwise_kernel', [1, 1, 10, 6]], ['bias', [6]]]);
    expect(sep.pointwiseInitializer.className).toBe('GlorotUniform');
    expect(sep.computeOutputShape([null, 8, 8, 5])).toEqual([null, 6, 6, 6]);
    expect(sep.countParams()).toBe(3 * 3 * 5 * 2 + 10 * 6 + 6);
    const y = sep.apply(wt.randomNormal([2, 8, 8, 5]));
    expect(y.shape).toEqual([2, 6, 6, 6]);
    sep.dispose();
  });

  test('a gelu activation (not fused into the GEMM) and regularizers train through fit', async () => {
    wt.setRandomSeed(3);
    const model = wt.sequential({
      layers: [
        wt.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', depthMultiplier: 2, activation: 'gelu', inputShape: [8, 8, 2], depthwiseRegularizer: 'l2' }),
        wt.layers.separableConv2d({ filters: 3, kernelSize: 3, strides: 2, activation: 'gelu', pointwiseRegularizer: 'l2' }),
        wt.layers.flatten(),
        wt.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: new wt.Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    // Class 1: a bright top half; class 0: a bright bottom half.
    const n = 64;
    const xs = new Float32Array(n * 128);
    const labels = new Int32Array(n);
    const noise = rand(n * 128, 5, 0.3);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (let p = 0; p < 128; p++) {
        const row = Math.floor(p / 16);
        xs[i * 128 + p] = noise[i * 128 + p] + ((row < 4) === (labels[i] === 1) ? 1 : 0);
      }
    }
    const history = await model.fit(wt.tensor(xs, [n, 8, 8, 2]), wt.tensor(labels, [n], 'int32'), { epochs: 15, batchSize: 16, verbose: 0 });
    const loss = history.history.loss;
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.3);
    expect(history.history.accuracy[loss.length - 1]).toBeGreaterThan(0.9);
    model.dispose();
  });

  test('bad arguments name the layer factory and the argument', () => {
    expect(() => wt.layers.depthwiseConv2d({ kernelSize: 0 })).toThrow(/^depthwiseConv2d: kernelSize must be a positive integer or a pair/);
    expect(() => wt.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 0 })).toThrow(/^depthwiseConv2d: depthMultiplier must be a positive integer, got number 0/);
    expect(() => wt.layers.depthwiseConv2d({ kernelSize: 3, padding: 'full' as never })).toThrow(/^depthwiseConv2d: padding must be 'valid' or 'same', got 'full'/);
    expect(() => wt.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/^depthwiseConv2d: strides \[2,2\] and dilationRate \[2,2\] cannot both/);
    expect(() => wt.layers.depthwiseConv2d({ kernelSize: 3, kernelInitializer: 'zeros' } as never)).toThrow(/^DepthwiseConv2D: unknown option 'kernelInitializer'/);
    expect(() => wt.layers.depthwiseConv2d({ kernelSize: 3, useBias: 1 } as never)).toThrow(/^depthwiseConv2d: useBias must be true or false/);
    expect(() => wt.layers.separableConv2d({ filters: 0, kernelSize: 3 })).toThrow(/^separableConv2d: filters must be a positive integer, got number 0/);
    expect(() => wt.layers.separableConv2d({ filters: 2, kernelSize: 3, dataFormat: 'NHWC' as never })).toThrow(/^separableConv2d: dataFormat must be 'channelsLast' or 'channelsFirst'/);
    expect(() => wt.layers.separableConv2d({ filters: 2, kernelSize: 3, pointwiseInitializer: 'nope' })).toThrow(/^separableConv2d: .*nope/);
    const layer = wt.layers.depthwiseConv2d({ kernelSize: 3 });
    expect(() => layer.build([null, 8, 8])).toThrow(/expects inputs of rank 4/);
    expect(() => layer.call(wt.ones([1, 8, 8, 2]))).toThrow(/the layer is not built/);
    const model = wt.sequential();
    model.add(wt.layers.depthwiseConv2d({ kernelSize: 3, inputShape: [8, 8, 3] }));
    expect(() => model.predict(wt.ones([1, 8, 8, 4]))).toThrow(/^predict: x has shape \[1,8,8,4\]/);
    model.dispose();
  });
});
