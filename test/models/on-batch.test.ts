// trainOnBatch / testOnBatch / predictOnBatch (Keras' train_on_batch,
// test_on_batch; TF.js's trainOnBatch, predictOnBatch): three steps against
// tfjs-layers' trainOnBatch with identical initial weights, test and
// predict against evaluate and tfjs-layers, the functional API's several
// outputs against fit's logs, and bad input.
import { beforeAll, describe, expect, test } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { rand, relErr, setup, tf, wt } from './helpers';

beforeAll(setup);

const [n, d, h, c] = [12, 5, 8, 3];
const shapes = [[d, h], [h], [h, c], [c]];
const init = [rand(d * h, 2, 0.5), rand(h, 3, 0.1), rand(h * c, 4, 0.5), rand(c, 5, 0.1)];
const xs = rand(n * d, 1, 1.5);
const labels = Int32Array.from({ length: n }, (_, i) => (i * 5) % c);

function ours(): wt.Sequential {
  const m = wt.sequential({
    layers: [
      wt.layers.dense({ units: h, activation: 'relu', inputShape: [d] }),
      wt.layers.dense({ units: c, activation: 'softmax' }),
    ],
  });
  m.setWeights(init.map((w, i) => wt.tensor(w, shapes[i])));
  return m;
}

function theirs(): tfl.Sequential {
  const m = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: h, activation: 'relu', inputShape: [d] }),
      tfl.layers.dense({ units: c, activation: 'softmax' }),
    ],
  });
  m.setWeights(init.map((w, i) => tf.tensor(w, shapes[i])));
  return m;
}

describe('Sequential', () => {
  test('trainOnBatch: three RMSprop steps match tfjs-layers (loss and accuracy before each step, weights after)', async () => {
    const a = ours();
    a.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const b = theirs();
    b.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = wt.tensor(xs, [n, d]);
    const y = wt.utils.toCategorical(wt.tensor(labels, [n], 'int32'), c);
    const xt = tf.tensor(xs, [n, d]);
    const yt = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), c), 'float32');
    for (let step = 0; step < 3; step++) {
      const got = (await a.trainOnBatch(x, y)) as number[];
      const want = (await b.trainOnBatch(xt, yt)) as number[];
      expect(got.length).toBe(2);
      expect(Math.abs(got[0] - want[0]), `loss, step ${step}`).toBeLessThan(1e-5);
      expect(got[1], `accuracy, step ${step}`).toBeCloseTo(want[1], 6);
    }
    const wantWeights = b.getWeights().map((w) => w.dataSync() as Float32Array);
    a.getWeights().forEach((w, i) => {
      expect(relErr(w.dataSync(), wantWeights[i])).toBeLessThan(1e-4);
      w.dispose();
    });
    expect(a.optimizer.iterations).toBe(3);
    a.dispose();
  });

  test('trainOnBatch without metrics resolves to the loss alone, as a number', async () => {
    const a = ours();
    a.compile({ optimizer: wt.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
    const loss = await a.trainOnBatch(wt.tensor(xs, [n, d]), wt.tensor(labels, [n], 'int32'));
    expect(typeof loss).toBe('number');
    expect(loss as number).toBeGreaterThan(0);
    a.dispose();
  });

  test('testOnBatch equals evaluate over the same rows and changes no weight; predictOnBatch equals tfjs-layers', () => {
    const a = ours();
    a.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = wt.tensor(xs, [n, d]);
    const y = wt.utils.toCategorical(wt.tensor(labels, [n], 'int32'), c);
    const before = a.getWeights().map((w) => Array.from(w.dataSync()));
    const got = a.testOnBatch(x, y) as number[];
    const ev = (a.evaluate(x, y, { batchSize: n }) as wt.Tensor[]).map((t) => t.dataSync()[0]);
    expect(got).toEqual(ev);
    expect(a.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    expect(a.optimizer.iterations).toBe(0);

    const p = a.predictOnBatch(x);
    const q = theirs().predictOnBatch(tf.tensor(xs, [n, d])) as tf.Tensor;
    expect(p.shape).toEqual([n, c]);
    expect(relErr(p.dataSync(), q.dataSync())).toBeLessThan(1e-6);
    a.dispose();
  });

  test('testOnBatch runs in inference mode: dropout is off', () => {
    const m = wt.sequential({ layers: [wt.layers.dropout({ rate: 0.5, inputShape: [d] }), wt.layers.dense({ units: 1, kernelInitializer: 'ones' })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = wt.tensor(xs, [n, d]);
    const y = wt.zeros([n, 1]);
    const first = m.testOnBatch(x, y);
    expect(m.testOnBatch(x, y)).toBe(first);
    expect(first).toBeCloseTo((m.evaluate(x, y) as wt.Tensor).dataSync()[0], 6);
    m.dispose();
  });

  test('bad input names the method and leaves the model working', async () => {
    const a = ours();
    await expect(a.trainOnBatch(wt.tensor(xs, [n, d]), wt.zeros([n, c]))).rejects.toThrow(/^trainOnBatch: .*compile/);
    expect(() => a.testOnBatch(wt.tensor(xs, [n, d]), wt.zeros([n, c]))).toThrow(/^testOnBatch: .*compile/);
    a.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    await expect(a.trainOnBatch(wt.zeros([0, d]), wt.zeros([0, c]))).rejects.toThrow(/^trainOnBatch: x has no samples/);
    await expect(a.trainOnBatch(wt.tensor(xs, [n, d]), wt.zeros([n - 1, c]))).rejects.toThrow(/^trainOnBatch: /);
    expect(() => a.predictOnBatch(wt.zeros([2, d + 1]))).toThrow(/^predictOnBatch: /);
    expect(typeof (await a.trainOnBatch(wt.tensor(xs, [n, d]), wt.zeros([n, c])))).toBe('number');
    a.dispose();
  });
});

describe('functional model with two outputs', () => {
  function twoHeads(): wt.LayersModel {
    const x = wt.input({ shape: [d], name: 'x' });
    const hid = wt.layers.dense({ units: 6, activation: 'relu', name: 'trunk', kernelInitializer: wt.initializers.glorotUniform({ seed: 1 }) }).apply(x) as wt.SymbolicTensor;
    const cls = wt.layers.dense({ units: c, activation: 'softmax', name: 'cls', kernelInitializer: wt.initializers.glorotUniform({ seed: 2 }) }).apply(hid) as wt.SymbolicTensor;
    const reg = wt.layers.dense({ units: 1, name: 'reg', kernelInitializer: wt.initializers.glorotUniform({ seed: 3 }) }).apply(hid) as wt.SymbolicTensor;
    const m = wt.model({ inputs: x, outputs: [cls, reg] });
    m.compile({ optimizer: wt.train.sgd(0.1), loss: ['categoricalCrossentropy', 'meanSquaredError'], metrics: { cls: ['acc'] } });
    return m;
  }

  test('trainOnBatch gives fit\'s logs (metricsNames order) and the same weights; testOnBatch, predictOnBatch', async () => {
    const x = wt.tensor(xs, [n, d]);
    const ys = [wt.utils.toCategorical(wt.tensor(labels, [n], 'int32'), c), wt.tensor(rand(n, 9), [n, 1])];
    // One model at a time: the two share layer (and so variable) names.
    const a = twoHeads();
    const steps: number[][] = [];
    for (let i = 0; i < 2; i++) steps.push((await a.trainOnBatch({ x }, { cls: ys[0], reg: ys[1] })) as number[]);
    expect(a.metricsNames).toEqual(['loss', 'cls_loss', 'reg_loss', 'cls_acc']);
    const stepped = a.getWeights().map((w) => Array.from(w.dataSync()));
    const tested = a.testOnBatch(x, ys) as number[];
    expect(tested).toEqual((a.evaluate(x, ys, { batchSize: n }) as wt.Tensor[]).map((t) => t.dataSync()[0]));
    const [pc, pr] = a.predictOnBatch(x) as wt.Tensor[];
    const [qc, qr] = a.predict(x) as wt.Tensor[];
    expect(pc.shape).toEqual([n, c]);
    expect(Array.from(pc.dataSync())).toEqual(Array.from(qc.dataSync()));
    expect(Array.from(pr.dataSync())).toEqual(Array.from(qr.dataSync()));
    await expect(a.trainOnBatch(x, [ys[0]])).rejects.toThrow(/^trainOnBatch: /);
    a.dispose();

    const b = twoHeads();
    const history = await b.fit(x, ys, { epochs: 2, batchSize: n, shuffle: false, verbose: 0 });
    b.metricsNames.forEach((name, j) => {
      for (let i = 0; i < 2; i++) expect(steps[i][j], `${name}, step ${i}`).toBeCloseTo((history.history[name] as number[])[i], 6);
    });
    b.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(stepped[i]));
    b.dispose();
  });
});
