// Conv2D and the pooling layers: one training step of a small convnet against
// tfjs-layers' trainOnBatch from identical weights (both data formats), the
// Keras defaults, output shapes, and argument errors.
import { beforeAll, describe, expect, test } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { rand, relErr, setup, tf, wt } from '../models/helpers';

beforeAll(setup);

type Format = 'channelsLast' | 'channelsFirst';

/**
 * conv(4, 3x3, strides 2, same, relu) -> pool -> conv(3, 2x3, valid, tanh) ->
 * flatten -> dense softmax. (No dilation and no 'same' average pooling here:
 * TF.js has no dilated conv gradient, and its 'same' AvgPoolGrad is not its
 * forward's derivative; test/conv/*.test.ts covers those at the op level.)
 */
function layersOf(lib: typeof wt.layers | typeof tfl.layers, format: Format, pool: 'max' | 'avg', inputShape: number[]): unknown[] {
  const l = lib as any;
  return [
    l.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu', dataFormat: format, inputShape }),
    pool === 'max'
      ? l.maxPooling2d({ poolSize: [2, 2], strides: 1, padding: 'valid', dataFormat: format })
      : l.averagePooling2d({ poolSize: 2, strides: [1, 2], dataFormat: format }),
    l.conv2d({ filters: 3, kernelSize: [2, 3], activation: 'tanh', dataFormat: format }),
    l.flatten(),
    l.dense({ units: 5, activation: 'softmax' }),
  ];
}

describe('one training step vs tfjs-layers trainOnBatch', () => {
  test.each([
    { format: 'channelsLast' as Format, pool: 'max' as const },
    { format: 'channelsLast' as Format, pool: 'avg' as const },
    { format: 'channelsFirst' as Format, pool: 'max' as const },
  ])('$format, $pool pooling, sgd', async ({ format, pool }) => {
    const [n, h, w, c] = [7, 13, 11, 3];
    const inputShape = format === 'channelsLast' ? [h, w, c] : [c, h, w];
    const x = rand(n * h * w * c, 1, 1);
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 3) % 5);

    const theirs = tfl.sequential({ layers: layersOf(tfl.layers, format, pool, inputShape) as tfl.layers.Layer[] });
    const ours = wt.sequential({ layers: layersOf(wt.layers, format, pool, inputShape) as wt.Layer[] });
    expect(ours.outputShape('test')).toEqual([null, 5]);
    const shapes = theirs.getWeights().map((t) => t.shape);
    const init = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 10 + i, 0.5));
    theirs.setWeights(init.map((v, i) => tf.tensor(v, shapes[i])));
    ours.setWeights(init.map((v, i) => wt.tensor(v, shapes[i])));

    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
    const wantLoss = (await theirs.trainOnBatch(tf.tensor(x, [n, ...inputShape]), tf.tensor(labels, [n], 'float32'))) as number;
    const want = theirs.getWeights().map((t) => t.dataSync() as Float32Array);

    ours.compile({ optimizer: new wt.SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    const history = await ours.fit(wt.tensor(x, [n, ...inputShape]), wt.tensor(labels, [n], 'int32'),
      { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
    expect(Math.abs(history.history.loss[0] - wantLoss)).toBeLessThan(1e-5);
    ours.getWeights().forEach((t, i) => expect(relErr(t.dataSync(), want[i]), `weight ${i}`).toBeLessThan(1e-4));
    ours.dispose();
  });
});

describe('Conv2D and pooling layers', () => {
  test('Keras defaults: strides 1, valid, glorot kernel [kh, kw, in, filters], zeros bias; pooling strides = poolSize', () => {
    const conv = wt.layers.conv2d({ filters: 6, kernelSize: [3, 5] });
    expect(conv.computeOutputShape([null, 10, 12, 2])).toEqual([null, 8, 8, 6]);
    conv.build([null, 10, 12, 2]);
    expect(conv.kernel!.shape).toEqual([3, 5, 2, 6]);
    expect(conv.kernelInitializer.className).toBe('GlorotUniform');
    expect(Array.from(conv.bias!.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    const pool = wt.layers.maxPooling2d({ poolSize: 3 });
    expect(pool.strides).toEqual([3, 3]);
    expect(pool.computeOutputShape([null, 10, 9, 4])).toEqual([null, 3, 3, 4]);
    expect(wt.layers.averagePooling2d({ padding: 'same', dataFormat: 'channelsFirst' }).computeOutputShape([null, 4, 7, 9])).toEqual([null, 4, 4, 5]);
    conv.dispose();
    // Keras' default names (to_snake_case of the class name).
    expect(conv.name).toMatch(/^conv2d(_\d+)?$/);
    expect(pool.name).toMatch(/^max_pooling2d(_\d+)?$/);
    expect(wt.layers.averagePooling2d().name).toMatch(/^average_pooling2d(_\d+)?$/);
  });

  test('bad arguments name the layer factory and the argument', () => {
    expect(() => wt.layers.conv2d({ filters: 0, kernelSize: 3 })).toThrow(/^conv2d: filters must be a positive integer, got number 0/);
    expect(() => wt.layers.conv2d({ filters: 2, kernelSize: [3] as never })).toThrow(/^conv2d: kernelSize must be a positive integer or a pair/);
    expect(() => wt.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as never })).toThrow(/^conv2d: padding must be 'valid' or 'same', got 'full'/);
    expect(() => wt.layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/^conv2d: strides \[2,2\] and dilationRate \[2,2\] cannot both/);
    expect(() => wt.layers.maxPooling2d({ poolSize: -1 })).toThrow(/^maxPooling2d: poolSize must be a positive integer/);
    expect(() => wt.layers.averagePooling2d({ dataFormat: 'NHWC' as never })).toThrow(/^averagePooling2d: dataFormat must be 'channelsLast' or 'channelsFirst'/);
    const model = wt.sequential();
    model.add(wt.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [8, 8, 3] }));
    expect(() => model.predict(wt.ones([1, 8, 8, 4]))).toThrow(/^predict: x has shape \[1,8,8,4\]/);
    model.dispose();
  });
});
