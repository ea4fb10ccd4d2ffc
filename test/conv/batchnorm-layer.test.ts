// The BatchNormalization layer against tfjs-layers: training-mode and
// inference outputs and the moving statistics after one call, then after
// several fit steps from identical weights; channelsFirst (axis 1) against the
// same model in channelsLast; the frozen moving statistics; no leaks; and a
// small convnet with batch normalization that learns.
import { beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, rand, setup, tf, tfl, wt } from '../io/helpers';

beforeAll(setup);

type BN = InstanceType<typeof wt.layers.BatchNormalization>;

const data = (shape: number[], seed: number, scale = 1, shift = 0) =>
  rand(shape.reduce((a, b) => a * b, 1), seed, scale).map((v) => v + shift);

/** Our BN layer and tfjs-layers', built for `shape` with the same (non-trivial) weights. */
function pair(shape: number[], args: Record<string, unknown>): { ours: BN; theirs: tfl.layers.Layer; c: number } {
  const ours = wt.layers.batchNormalization(args as wt.BatchNormalizationArgs);
  const theirs = tfl.layers.batchNormalization(args);
  const axis = (args.axis as number | undefined) ?? -1;
  const c = shape[axis < 0 ? axis + shape.length : axis];
  ours.build([null, ...shape.slice(1)]);
  theirs.build([null, ...shape.slice(1)]);
  const n = theirs.getWeights().length;
  // gamma ~ 1 +- 0.3, beta, moving mean, moving variance in [0.5, 1.5]
  const init = [data([c], 1, 0.3, 1), data([c], 2), data([c], 3), data([c], 4, 0.5, 1)].slice(4 - n);
  theirs.setWeights(init.map((v) => tf.tensor1d(v)));
  ours.setWeights(init.map((v) => wt.tensor(v)));
  return { ours, theirs, c };
}

// Not compared with tfjs-layers: a channel axis other than the last (the cpu
// backend's FusedBatchNorm cycles through the statistics as if they belonged
// to the last axis, whatever their shape; [1, C, 1, 1] comes out wrong), and
// training with center or scale false (tfjs-layers reads the missing beta or
// gamma and throws). The channelsFirst test below covers axis 1; inference
// without beta or gamma is compared here.
describe('BatchNormalization vs tfjs-layers', () => {
  test.each([
    { shape: [8, 3], args: { center: false } },
    { shape: [2, 3, 3, 5], args: { scale: false, epsilon: 0.1 } },
    { shape: [4, 6], args: { center: false, scale: false } },
  ])('$shape $args: inference without beta or gamma', ({ shape, args }) => {
    const { ours, theirs } = pair(shape, args);
    const xs = data(shape, 8, 2, 0.5);
    const want = (theirs.apply(tf.tensor(xs, shape), { training: false }) as tf.Tensor).dataSync();
    const got = ours.apply(wt.tensor(xs, shape), { training: false });
    expect(maxAbsDiff(got.dataSync(), want)).toBeLessThan(1e-5);
    got.dispose();
    ours.dispose();
  });

  test.each([
    { shape: [9, 5], args: {} },
    { shape: [4, 5, 3, 6], args: { momentum: 0.9 } },
    { shape: [6, 7, 4], args: { axis: 2, momentum: 0.5, epsilon: 0.01 } },
  ])('$shape $args: inference, training output and the moving statistics after a training call', ({ shape, args }) => {
    const { ours, theirs } = pair(shape, args);
    const xs = data(shape, 7, 2, 0.5);
    const tx = tf.tensor(xs, shape);
    const wx = wt.tensor(xs, shape);
    const infer = (theirs.apply(tx, { training: false }) as tf.Tensor).dataSync();
    const ourInfer = ours.apply(wx, { training: false });
    expect(maxAbsDiff(ourInfer.dataSync(), infer)).toBeLessThan(1e-5);

    const train = (theirs.apply(tx, { training: true }) as tf.Tensor).dataSync();
    const ourTrain = ours.apply(wx, { training: true });
    expect(maxAbsDiff(ourTrain.dataSync(), train)).toBeLessThan(1e-4);
    // Training mode really normalized: per channel mean ~ beta, not the inference result.
    expect(maxAbsDiff(ourTrain.dataSync(), ourInfer.dataSync())).toBeGreaterThan(0.01);
    const want = theirs.getWeights().map((w) => w.dataSync());
    ours.getWeights().forEach((w, i) => expect(maxAbsDiff(w.dataSync(), want[i]), `weight ${i}`).toBeLessThan(1e-5));
    for (const t of [wx, ourInfer, ourTrain]) t.dispose();
    ours.dispose();
  });

  const models = {
    dense: (lib: any) => [
      lib.dense({ units: 6, activation: 'tanh', inputShape: [4] }),
      lib.batchNormalization({ momentum: 0.8 }),
      lib.dense({ units: 3, activation: 'softmax' }),
    ],
    convnet: (lib: any) => [
      lib.conv2d({ filters: 4, kernelSize: 3, inputShape: [7, 6, 2] }),
      lib.batchNormalization({ momentum: 0.7, epsilon: 0.01 }),
      lib.activation({ activation: 'relu' }),
      lib.flatten(),
      lib.dense({ units: 3, activation: 'softmax' }),
    ],
  };
  test.each(Object.keys(models))('%s: every weight, moving statistics included, after 4 fit steps equals tfjs-layers after 4 trainOnBatch', async (kind) => {
    const make = models[kind as keyof typeof models];
    const theirs = tfl.sequential({ layers: make(tfl.layers) });
    const ours = wt.sequential({ layers: make(wt.layers) });
    // Same initial values, matched layer by layer and by weight name (the two getWeights() orders differ, see below).
    const suffix = (name: string) => name.slice(name.lastIndexOf('/') + 1);
    const pairs = ours.layers.flatMap((l, i) => l.weights.map((w) => [w, theirs.layers[i].weights.find((t) => suffix(t.originalName) === suffix(w.name))!] as const));
    expect(pairs.length).toBe(theirs.weights.length);
    pairs.forEach(([w, t], i) => {
      const v = data([...w.shape], 20 + i, 0.5).map((e) => (w.name.endsWith('variance') ? Math.abs(e) + 0.5 : e));
      w.assign(wt.tensor(v, [...w.shape]));
      t.write(tf.tensor(v, [...w.shape]));
    });
    const inShape = kind === 'dense' ? [4] : [7, 6, 2];
    const n = 10;
    const xs = data([n, ...inShape], 5, 1.5, 0.3);
    const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % 3);
    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
    for (let i = 0; i < 4; i++) await theirs.trainOnBatch(tf.tensor(xs, [n, ...inShape]), tf.tensor(labels, [n], 'float32'));
    ours.compile({ optimizer: new wt.SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
    await ours.fit(wt.tensor(xs, [n, ...inShape]), wt.tensor(labels, [n], 'int32'), { epochs: 4, batchSize: n, shuffle: false, verbose: 0 });
    // tfjs-layers' model.getWeights() lists every trainable weight first, then
    // the non-trainable ones; ours goes layer by layer: compare pair by pair.
    for (const [w, t] of pairs) expect(maxAbsDiff(w.dataSync(), t.read().dataSync()), w.name).toBeLessThan(1e-4);
    // The moving statistics moved (4 steps of momentum 0.8 / 0.7 from 0 and 1).
    const bn = ours.layers[1] as BN;
    expect(maxAbsDiff(bn.movingMean!.dataSync(), data([...bn.movingMean!.shape], 20 + 4, 0.5))).toBeGreaterThan(0.01);
    ours.dispose();
  });
});

describe('BatchNormalization', () => {
  test('channelsFirst with axis 1 trains exactly like channelsLast with axis -1 on transposed data', async () => {
    const make = (format: 'channelsLast' | 'channelsFirst') => wt.sequential({
      layers: [
        wt.layers.conv2d({ filters: 3, kernelSize: 2, dataFormat: format, inputShape: format === 'channelsLast' ? [5, 6, 2] : [2, 5, 6] }),
        wt.layers.batchNormalization({ axis: format === 'channelsLast' ? -1 : 1, momentum: 0.6 }),
        wt.layers.globalAveragePooling2d({ dataFormat: format }),
        wt.layers.dense({ units: 2 }),
      ],
    });
    wt.setRandomSeed(4);
    const last = make('channelsLast');
    const first = make('channelsFirst');
    const initial = last.getWeights();
    first.setWeights(initial);
    initial.forEach((t) => t.dispose());
    const x = wt.tensor(data([8, 5, 6, 2], 9, 2), [8, 5, 6, 2]);
    const y = wt.tensor(data([8, 2], 10), [8, 2]);
    for (const m of [last, first]) m.compile({ optimizer: new wt.SGD({ learningRate: 0.05 }), loss: 'meanSquaredError' });
    await last.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    await first.fit(wt.transpose(x, [0, 3, 1, 2]), y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    const a = last.getWeights();
    const b = first.getWeights();
    a.forEach((t, i) => expect(maxAbsDiff(t.dataSync(), b[i].dataSync()), last.weights[i].name).toBeLessThan(1e-5));
    const pa = last.predict(x);
    const pb = first.predict(wt.transpose(x, [0, 3, 1, 2]));
    expect(maxAbsDiff(pa.dataSync(), pb.dataSync())).toBeLessThan(1e-5);
    [...a, ...b, pa, pb, x, y].forEach((t) => t.dispose());
    last.dispose();
    first.dispose();
  });

  test('defaults and weights: gamma, beta trainable; moving statistics not, even after trainable = false -> true', () => {
    const bn = wt.layers.batchNormalization();
    expect([bn.axis, bn.momentum, bn.epsilon, bn.center, bn.scale]).toEqual([-1, 0.99, 0.001, true, true]);
    bn.build([null, 4, 3]);
    expect(bn.weights.map((w) => w.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance'].map((n) => `${bn.name}/${n}`));
    expect(bn.trainableWeights.map((w) => w.name.split('/')[1])).toEqual(['gamma', 'beta']);
    bn.trainable = false;
    expect(bn.trainableWeights).toEqual([]);
    bn.trainable = true;
    expect(bn.nonTrainableWeights.map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
    expect(Array.from(bn.gamma!.dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(bn.movingVariance!.dataSync())).toEqual([1, 1, 1]);
    expect(bn.countParams()).toBe(12);
    const plain = wt.layers.batchNormalization({ center: false, scale: false });
    plain.build([null, 5]);
    expect(plain.weights.map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
    bn.dispose();
    plain.dispose();
  });

  test('getConfig uses tfjs-layers\' keys and values', () => {
    const args = { axis: 1, momentum: 0.9, epsilon: 0.01, center: false, gammaInitializer: 'randomNormal', movingVarianceInitializer: 'zeros' };
    const ours = wt.layers.batchNormalization(args as wt.BatchNormalizationArgs).getConfig();
    const theirs = tfl.layers.batchNormalization(args as never).getConfig();
    for (const k of ['axis', 'momentum', 'epsilon', 'center', 'scale']) expect(ours[k], k).toEqual(theirs[k]);
    for (const k of ['betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer', 'betaRegularizer', 'gammaRegularizer']) {
      expect((ours[k] as { className?: string } | null)?.className, k).toEqual((theirs[k] as { className?: string } | null)?.className);
    }
  });

  test('training steps leak nothing and the moving-statistics update is not on the tape', async () => {
    const model = wt.sequential({ layers: [wt.layers.dense({ units: 4, inputShape: [3] }), wt.layers.batchNormalization(), wt.layers.dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const x = wt.tensor(data([12, 3], 3), [12, 3]);
    const y = wt.tensor(data([12, 1], 4), [12, 1]);
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 }); // creates the optimizer's slots
    const before = wt.memory().numTensors;
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    model.predict(x).dispose();
    [model.evaluate(x, y)].flat().forEach((t) => t.dispose());
    expect(wt.memory().numTensors).toBe(before);

    // Under a gradient: the moving statistics change once, and get no gradient.
    const bn = model.layers[1] as BN;
    const m0 = bn.movingMean!.dataSync();
    const xin = wt.randomNormal([12, 4]);
    const mid = wt.memory().numTensors;
    const { value, grads } = wt.variableGrads(() => wt.sum(wt.square(bn.apply(xin, { training: true }))));
    expect(Object.keys(grads).sort()).toEqual([bn.beta!.name, bn.gamma!.name].sort());
    expect(maxAbsDiff(bn.movingMean!.dataSync(), m0)).toBeGreaterThan(0);
    expect(wt.memory().numTensors).toBe(mid + 3);
    value.dispose();
    xin.dispose();
    Object.values(grads).forEach((g) => g.dispose());
    model.dispose();
  });

  test('a small convnet with batch normalization learns (loss falls by half)', async () => {
    wt.setRandomSeed(2);
    const n = 96;
    // Class = which half of the 8x8 image is brighter.
    const xs = new Float32Array(n * 64);
    const labels = new Int32Array(n);
    const noise = rand(n * 64, 77, 0.5);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      for (let p = 0; p < 64; p++) xs[i * 64 + p] = noise[i * 64 + p] + (((p % 8) < 4) === (labels[i] === 0) ? 0.6 : 0);
    }
    const model = wt.sequential({
      layers: [
        wt.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', inputShape: [8, 8, 1], useBias: false }),
        wt.layers.batchNormalization(),
        wt.layers.activation({ activation: 'relu' }),
        wt.layers.maxPooling2d({ poolSize: 2 }),
        wt.layers.flatten(),
        wt.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: new wt.Adam({ learningRate: 0.01 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fit(wt.tensor(xs, [n, 8, 8, 1]), wt.tensor(labels, [n], 'int32'), { epochs: 12, batchSize: 16, verbose: 0 });
    const loss = history.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] / 2);
    model.dispose();
  });

  test('bad arguments and inputs', () => {
    expect(() => wt.layers.batchNormalization({ axis: 1.5 })).toThrow(/^batchNormalization: axis must be an integer, got number 1.5/);
    expect(() => wt.layers.batchNormalization({ momentum: 2 })).toThrow(/^batchNormalization: momentum must be a number in \[0, 1\], got number 2/);
    expect(() => wt.layers.batchNormalization({ epsilon: -1 })).toThrow(/^batchNormalization: epsilon must be a finite number >= 0/);
    expect(() => wt.layers.batchNormalization({ center: 'yes' as never })).toThrow(/^batchNormalization: center must be true or false, got 'yes'/);
    expect(() => wt.layers.batchNormalization({ momentun: 0.9 } as never)).toThrow(/^BatchNormalization: unknown option 'momentun'/);
    expect(() => wt.layers.batchNormalization({ gammaInitializer: 'nope' })).toThrow(/^batchNormalization: .*nope/);
    const far = wt.layers.batchNormalization({ axis: 3, name: 'bn_far' });
    expect(() => far.build([null, 4])).toThrow(/^bn_far: axis 3 is out of range for inputs of rank 2/);
    const batchAxis = wt.layers.batchNormalization({ axis: 0, name: 'bn_batch' });
    expect(() => batchAxis.build([null, 4])).toThrow(/^bn_batch: axis 0 is the batch axis/);
    const unknown = wt.layers.batchNormalization({ name: 'bn_unknown' });
    expect(() => unknown.build([null, null])).toThrow(/^bn_unknown: axis -1 of the input must have a known size, got input shape \[null,null\]/);
    const bn = wt.layers.batchNormalization({ name: 'bn_c3' });
    bn.build([null, 3]);
    expect(() => bn.call(wt.ones([2, 4]))).toThrow(/^bn_c3: layer 'bn_c3' expects inputs of shape \[null,3\] \(3 channels on axis -1\), got \[2,4\]/);
    bn.dispose();
  });
});
