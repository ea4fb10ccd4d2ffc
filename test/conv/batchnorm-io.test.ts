// BatchNormalization in the TF.js Layers format, both ways with tfjs-layers:
// a convnet with three BN layers (full, center false, center and scale false)
// saved there loads here and predicts the same, and the reverse after our
// training has moved the moving statistics; the non-trainable weights are in
// the manifest; configs from tf.keras / Keras 3 load; unsupported options fail.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, rand, removeTempDirs, setup, tempDir, tf, tfjsFileLoader, tfjsFileSaver, tfl, wt } from '../io/helpers';

beforeAll(setup);
afterAll(removeTempDirs);

const SHAPE = [8, 7, 3];
const N = 6;

function convnet(lib: any): any[] {
  return [
    lib.conv2d({ filters: 4, kernelSize: 3, inputShape: SHAPE }),
    lib.batchNormalization({ momentum: 0.9 }),
    lib.activation({ activation: 'relu' }),
    lib.conv2d({ filters: 5, kernelSize: 2, strides: 2 }),
    lib.batchNormalization({ center: false, epsilon: 0.01 }),
    lib.flatten(),
    lib.dense({ units: 6 }),
    lib.batchNormalization({ center: false, scale: false }),
    lib.dense({ units: 3, activation: 'softmax' }),
  ];
}

const predictTheirs = (m: tfl.LayersModel, xs: Float32Array) => (m.predict(tf.tensor(xs, [N, ...SHAPE])) as tf.Tensor).dataSync();

describe('BatchNormalization in the TF.js Layers format', () => {
  test('tfjs-layers -> wasmtensor: every weight (moving statistics too) loads; predictions match', async () => {
    const theirs = tfl.sequential({ layers: convnet(tfl.layers) });
    // Non-trivial values everywhere, variances positive.
    theirs.weights.forEach((w, i) => {
      const v = rand(w.shape.reduce((a, b) => a * b, 1), 30 + i, 0.5).map((e) => (w.originalName.endsWith('variance') ? Math.abs(e) + 0.2 : e));
      w.write(tf.tensor(v, w.shape));
    });
    const dir = await tempDir();
    await theirs.save(tfjsFileSaver(dir));
    const ours = await wt.loadLayersModel(`file://${dir}/model.json`);
    expect(ours.layers.map((l) => l.className).filter((c) => c === 'BatchNormalization')).toHaveLength(3);
    expect(ours.layers[7].weights.map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
    const xs = rand(N * 168, 5, 2);
    const got = ours.predict(wt.tensor(xs, [N, ...SHAPE])).dataSync();
    expect(maxAbsDiff(got, predictTheirs(theirs, xs))).toBeLessThan(1e-5);
    ours.dispose();
  });

  test('wasmtensor -> tfjs-layers after training: the moved moving statistics travel; predictions match; keys as tfjs-layers writes them', async () => {
    wt.setRandomSeed(12);
    const ours = wt.sequential({ layers: convnet(wt.layers) });
    ours.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const xs = rand(N * 168, 6, 2);
    await ours.fit(wt.tensor(xs, [N, ...SHAPE]), wt.tensor([0, 1, 2, 0, 1, 2], [N], 'int32'), { epochs: 3, batchSize: 3, verbose: 0 });
    const dir = await tempDir();
    await ours.save(`file://${dir}`);
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    const names = json.weightsManifest.flatMap((g: { weights: { name: string }[] }) => g.weights.map((w) => w.name));
    const bn = ours.layers[4].name;
    expect(names).toEqual(expect.arrayContaining([`${bn}/gamma`, `${bn}/moving_mean`, `${bn}/moving_variance`]));
    expect(names).not.toContain(`${bn}/beta`);
    const config = json.modelTopology.config.layers[4];
    expect(config.class_name).toBe('BatchNormalization');
    expect(config.config).toMatchObject({
      axis: -1, momentum: 0.99, epsilon: 0.01, center: false, scale: true,
      beta_initializer: { class_name: 'Zeros' }, gamma_initializer: { class_name: 'Ones' },
      moving_mean_initializer: { class_name: 'Zeros' }, moving_variance_initializer: { class_name: 'Ones' },
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null,
    });

    const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
    const moving = (ours.layers[1] as InstanceType<typeof wt.layers.BatchNormalization>).movingMean!;
    expect(Math.max(...Array.from(moving.dataSync()).map(Math.abs))).toBeGreaterThan(1e-3);
    const theirMoving = theirs.layers[1].weights.find((w) => w.originalName.endsWith('moving_mean'))!.read().dataSync();
    expect(maxAbsDiff(theirMoving, moving.dataSync())).toBe(0);
    const got = ours.predict(wt.tensor(xs, [N, ...SHAPE])).dataSync();
    expect(maxAbsDiff(got, predictTheirs(theirs, xs))).toBeLessThan(1e-5);
    ours.dispose();
  });

  test('layers.serialize / deserialize round trip; channelsFirst axis 1', () => {
    const bn = wt.layers.batchNormalization({ axis: 1, momentum: 0.5, epsilon: 0.1, scale: false, betaRegularizer: 'l2', movingVarianceInitializer: 'zeros' });
    const obj = wt.layers.serialize(bn);
    expect(obj.config).toMatchObject({ axis: 1, momentum: 0.5, epsilon: 0.1, center: true, scale: false, beta_regularizer: { class_name: 'L1L2', config: { l1: 0, l2: 0.01 } } });
    const back = wt.layers.deserialize(obj) as InstanceType<typeof wt.layers.BatchNormalization>;
    expect([back.axis, back.momentum, back.epsilon, back.center, back.scale]).toEqual([1, 0.5, 0.1, true, false]);
    expect(back.movingVarianceInitializer.className).toBe('Zeros');
    expect(back.betaRegularizer?.className).toBe('L1L2');
  });

  test('tf.keras configs (axis as a one-element list, renorm false, fused) and Keras 3 configs load', () => {
    const keras2 = wt.layers.deserialize({
      class_name: 'BatchNormalization',
      config: { name: 'bn_k2', axis: [3], momentum: 0.99, epsilon: 0.001, center: true, scale: true, renorm: false, renorm_clipping: null,
        renorm_momentum: 0.99, fused: null, virtual_batch_size: null, adjustment: null, trainable: true, dtype: 'float32' },
    }) as InstanceType<typeof wt.layers.BatchNormalization>;
    expect(keras2.axis).toBe(3);
    const keras3 = wt.layers.deserialize({
      class_name: 'BatchNormalization',
      config: { name: 'bn_k3', axis: -1, momentum: 0.9, epsilon: 0.001, synchronized: false, center: true, scale: true,
        dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } } },
    });
    expect((keras3 as InstanceType<typeof wt.layers.BatchNormalization>).momentum).toBe(0.9);
  });

  test('unsupported options fail with the layer and key named', () => {
    const bad = (config: Record<string, unknown>) => () => wt.layers.deserialize({ class_name: 'BatchNormalization', config: { name: 'b', ...config } });
    expect(bad({ axis: [1, 2] })).toThrow(/^layers.deserialize: layer 'b' \(config, BatchNormalization\) axis must be an integer \(or a list of one\), got \[1,2\]/);
    expect(bad({ gamma_constraint: { class_name: 'NonNeg', config: {} } })).toThrow(/sets gamma_constraint = .*only null is/);
    expect(bad({ renorm: true })).toThrow(/sets renorm = true; only false is supported/);
    expect(bad({ virtual_batch_size: 4 })).toThrow(/sets virtual_batch_size = 4/);
    expect(bad({ momentum: 'high' })).toThrow(/momentum must be a number, got 'high'/);
    expect(bad({ center: 1 })).toThrow(/center must be a boolean, got number 1/);
  });
});
