// Several inputs and outputs: per-output losses (array or by name),
// lossWeights, per-output metrics and Keras' log names, one fit step
// compared with tfjs-layers' fit on the same weights; a multi-input model
// that learns; predict / evaluate in every data form.
import { beforeAll, describe, expect, test } from 'vitest';
import { copyWeights, maxDiff, randTensor, setup, tf, tfl, toTf, weightDiff, wt } from './helpers';

beforeAll(setup);

function twoHeads(): wt.LayersModel {
  const x = wt.input({ shape: [5], name: 'x' });
  const h = wt.layers.dense({ units: 6, activation: 'relu', name: 'trunk' }).apply(x) as wt.SymbolicTensor;
  const cls = wt.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h) as wt.SymbolicTensor;
  const reg = wt.layers.dense({ units: 1, name: 'reg' }).apply(h) as wt.SymbolicTensor;
  return wt.model({ inputs: x, outputs: [cls, reg] });
}

function tfTwoHeads(): tfl.LayersModel {
  const x = tfl.input({ shape: [5], name: 'x' });
  const h = tfl.layers.dense({ units: 6, activation: 'relu', name: 'trunk' }).apply(x) as tfl.SymbolicTensor;
  const cls = tfl.layers.dense({ units: 3, activation: 'softmax', name: 'cls' }).apply(h) as tfl.SymbolicTensor;
  const reg = tfl.layers.dense({ units: 1, name: 'reg' }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: [cls, reg] });
}

function data(n: number) {
  const x = randTensor([n, 5], 11);
  const labels = wt.tensor(Int32Array.from({ length: n }, (_, i) => (i * 7) % 3), [n], 'int32');
  return { x, yc: wt.utils.toCategorical(labels, 3), yr: randTensor([n, 1], 12) };
}

describe('two outputs with different losses', () => {
  test('fit with lossWeights matches tfjs-layers: total and per-output losses, weights after', async () => {
    const ours = twoHeads();
    const theirs = tfTwoHeads();
    copyWeights(ours, theirs);
    const { x, yc, yr } = data(8);
    ours.compile({ optimizer: wt.train.sgd(0.1), loss: { cls: 'categoricalCrossentropy', reg: 'meanSquaredError' }, lossWeights: { cls: 1, reg: 0.5 }, metrics: { cls: ['acc'] } });
    // tfjs-layers ignores lossWeights (a TODO there): weigh its second loss by hand instead.
    const halfMse = (yt: tf.Tensor, yp: tf.Tensor) => tf.mul(0.5, tf.mean(tf.squaredDifference(yt, yp)));
    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: ['categoricalCrossentropy', halfMse], metrics: ['acc'] });
    const h = await ours.fit(x, [yc, yr], { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    const g = await theirs.fit(toTf(x), [toTf(yc), toTf(yr)], { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(['cls_acc', 'cls_loss', 'loss', 'reg_loss']);
    for (const k of ['loss', 'cls_loss', 'cls_acc']) {
      expect(maxDiff(h.history[k] as number[], g.history[k] as number[]), k).toBeLessThan(1e-5);
    }
    // '<output>_loss' is the unweighted loss (Keras); tfjs' is our hand-weighted one.
    expect(maxDiff((h.history.reg_loss as number[]).map((v) => v * 0.5), g.history.reg_loss as number[])).toBeLessThan(1e-5);
    expect(weightDiff(ours, theirs)).toBeLessThan(1e-5);
    expect(ours.metricsNames).toEqual(['loss', 'cls_loss', 'reg_loss', 'cls_acc']);

    const ev = ours.evaluate(x, { reg: yr, cls: yc }) as wt.Tensor[];
    const evs = ev.map((t) => t.dataSync()[0]);
    expect(ev.length).toBe(4);
    // tfjs' evaluate() lists its values in an order of its own; compute the reference from its predictions.
    const [tc, tr] = theirs.predict(toTf(x)) as tf.Tensor[];
    const ce = tf.mean(tfl.metrics.categoricalCrossentropy(toTf(yc), tc)).dataSync()[0];
    const mse = tf.mean(tf.squaredDifference(toTf(yr), tr)).dataSync()[0];
    expect(maxDiff(evs, [ce + 0.5 * mse, ce, mse, evs[3]])).toBeLessThan(1e-5);

    const [pc, pr] = ours.predict(x, { batchSize: 3 }) as wt.Tensor[];
    const [qc, qr] = theirs.predict(toTf(x)) as tf.Tensor[];
    expect(pc.shape).toEqual([8, 3]);
    expect(maxDiff(pc.dataSync(), qc.dataSync())).toBeLessThan(1e-5);
    expect(maxDiff(pr.dataSync(), qr.dataSync())).toBeLessThan(1e-5);
    ours.dispose();
  });

  test('losses as an array; metrics for every output; validation logs', async () => {
    const ours = twoHeads();
    const { x, yc, yr } = data(10);
    ours.compile({ optimizer: 'adam', loss: ['categoricalCrossentropy', 'mse'], metrics: ['mae'] });
    const h = await ours.fit(x, [yc, yr], { epochs: 1, batchSize: 4, validationSplit: 0.2, verbose: 0 });
    expect(Object.keys(h.history).sort()).toEqual(
      ['cls_loss', 'cls_mae', 'loss', 'reg_loss', 'reg_mae', 'val_cls_loss', 'val_cls_mae', 'val_loss', 'val_reg_loss', 'val_reg_mae'].sort());
    ours.dispose();
  });
});

describe('a two-input model', () => {
  test('learns a target that needs both inputs', async () => {
    wt.setRandomSeed(3);
    const a = wt.input({ shape: [2], name: 'a' });
    const b = wt.input({ shape: [2], name: 'b' });
    const ha = wt.layers.dense({ units: 8, activation: 'relu' }).apply(a) as wt.SymbolicTensor;
    const hb = wt.layers.dense({ units: 8, activation: 'relu' }).apply(b) as wt.SymbolicTensor;
    const joined = wt.layers.concatenate().apply([ha, hb]) as wt.SymbolicTensor;
    const out = wt.layers.dense({ units: 1 }).apply(joined) as wt.SymbolicTensor;
    const m = wt.model({ inputs: [a, b], outputs: out });
    const n = 256;
    const xa = randTensor([n, 2], 21);
    const xb = randTensor([n, 2], 22);
    // y = sum(a) - sum(b): neither input alone predicts it.
    const y = wt.sub(wt.sum(xa, 1, true), wt.sum(xb, 1, true));
    m.compile({ optimizer: wt.train.adam(0.02), loss: 'mse' });
    const first = (m.evaluate([xa, xb], y) as wt.Tensor).dataSync()[0];
    await m.fit([xa, xb], y, { epochs: 40, batchSize: 32, verbose: 0 });
    const last = (m.evaluate({ a: xa, b: xb }, y) as wt.Tensor).dataSync()[0];
    expect(last).toBeLessThan(0.02);
    expect(last).toBeLessThan(first / 10);
    m.dispose();
  });
});

describe('memory', () => {
  test('fit, evaluate, predict and apply leave no tensors behind but their results', async () => {
    const m = twoHeads();
    const { x, yc, yr } = data(12);
    m.compile({ optimizer: 'adam', loss: ['categoricalCrossentropy', 'mse'], metrics: ['mae'] });
    await m.fit(x, [yc, yr], { epochs: 1, batchSize: 5, verbose: 0 }); // creates the optimizer slots
    const before = wt.memory().numTensors;
    await m.fit(x, [yc, yr], { epochs: 2, batchSize: 5, validationSplit: 0.25, verbose: 0 });
    expect(wt.memory().numTensors).toBe(before);
    const ev = m.evaluate(x, [yc, yr], { batchSize: 5 }) as wt.Tensor[];
    const p = m.predict(x, { batchSize: 5 }) as wt.Tensor[];
    const q = m.apply(x) as wt.Tensor[];
    expect(wt.memory().numTensors).toBe(before + ev.length + p.length + q.length);
    [...ev, ...p, ...q].forEach((t) => t.dispose());
    m.dispose();
  });
});

describe('softmax outputs', () => {
  test('crossentropy on a softmax output works from the logits (not clipped probabilities), as Sequential', () => {
    const x = wt.input({ shape: [1], name: 'sx1' });
    const out = wt.layers.dense({ units: 2, activation: 'softmax', name: 'sm_out' }).apply(x) as wt.SymbolicTensor;
    const m = wt.model({ inputs: x, outputs: out });
    m.setWeights([wt.tensor([[100, 0]]), wt.zeros([2])]);
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    // logits [100, 0] with label 1: the exact loss is ~100; clipped probabilities would give -log(1e-7) = 16.1.
    const loss = (m.evaluate(wt.ones([1, 1]), wt.tensor([[0, 1]])) as wt.Tensor).dataSync()[0];
    expect(loss).toBeCloseTo(100, 3);
    expect((m.predict(wt.ones([1, 1])) as wt.Tensor).dataSync()[1]).toBeLessThan(1e-40);
    m.dispose();
  });
});
