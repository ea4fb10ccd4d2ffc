// The functional API against tfjs-layers: a diamond graph (one input, two
// branches merged by Add) and a shared layer (one Dense called on two inputs:
// one set of weights, gradients from both calls summed) — forward values and
// one SGD step compared with the same weights.
import { beforeAll, describe, expect, test } from 'vitest';
import { copyWeights, maxDiff, randTensor, setup, tf, tfl, toTf, weightDiff, wt } from './helpers';

beforeAll(setup);

function diamond(): wt.LayersModel {
  const x = wt.input({ shape: [4], name: 'x' });
  const a = wt.layers.dense({ units: 3, activation: 'relu', name: 'branch_a' }).apply(x) as wt.SymbolicTensor;
  const b = wt.layers.dense({ units: 3, activation: 'tanh', name: 'branch_b' }).apply(x) as wt.SymbolicTensor;
  const sum = wt.layers.add({ name: 'join' }).apply([a, b]) as wt.SymbolicTensor;
  const out = wt.layers.dense({ units: 2, name: 'head' }).apply(sum) as wt.SymbolicTensor;
  return wt.model({ inputs: x, outputs: out, name: 'diamond' });
}

function tfDiamond(): tfl.LayersModel {
  const x = tfl.input({ shape: [4], name: 'x' });
  const a = tfl.layers.dense({ units: 3, activation: 'relu', name: 'branch_a' }).apply(x) as tfl.SymbolicTensor;
  const b = tfl.layers.dense({ units: 3, activation: 'tanh', name: 'branch_b' }).apply(x) as tfl.SymbolicTensor;
  const sum = tfl.layers.add({ name: 'join' }).apply([a, b]) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 2, name: 'head' }).apply(sum) as tfl.SymbolicTensor;
  return tfl.model({ inputs: x, outputs: out });
}

describe('symbolic tensors', () => {
  test('wt.input and layer.apply give shapes, names and the producing layer', () => {
    const x = wt.input({ shape: [5], name: 'features' });
    expect(x.shape).toEqual([null, 5]);
    expect(x.sourceLayer.className).toBe('InputLayer');
    expect(x.sourceLayer.name).toBe('features');
    const d = wt.layers.dense({ units: 7, name: 'sym_dense' });
    const y = d.apply(x) as wt.SymbolicTensor;
    expect(y).toBeInstanceOf(wt.SymbolicTensor);
    expect(y.shape).toEqual([null, 7]);
    expect(y.sourceLayer).toBe(d);
    expect(d.built).toBe(true);
    expect(d.weights.map((w) => w.shape)).toEqual([[5, 7], [7]]);
    d.dispose();
    const b = wt.input({ batchShape: [8, 2, 3] });
    expect(b.shape).toEqual([8, 2, 3]);
  });

  test('layer.apply on a real tensor still computes', () => {
    const d = wt.layers.dense({ units: 2, name: 'real_apply', kernelInitializer: 'ones' });
    const y = d.apply(wt.ones([3, 4])) as wt.Tensor;
    expect(y.shape).toEqual([3, 2]);
    expect(Array.from(y.dataSync())).toEqual([4, 4, 4, 4, 4, 4]);
    d.dispose();
  });
});

describe('a diamond graph', () => {
  test('forward pass and one SGD step match tfjs-layers', async () => {
    const ours = diamond();
    const theirs = tfDiamond();
    copyWeights(ours, theirs);
    expect(ours.layers.map((l) => l.name)).toEqual(['x', 'branch_a', 'branch_b', 'join', 'head']);
    expect(ours.countParams()).toBe(theirs.countParams());

    const x = randTensor([6, 4], 1);
    const y = randTensor([6, 2], 2);
    const p = ours.predict(x) as wt.Tensor;
    const q = theirs.predict(toTf(x)) as tf.Tensor;
    expect(maxDiff(p.dataSync(), q.dataSync())).toBeLessThan(1e-5);

    ours.compile({ optimizer: wt.train.sgd(0.1), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const h = await ours.fit(x, y, { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
    const g = await theirs.fit(toTf(x), toTf(y), { epochs: 2, batchSize: 6, shuffle: false, verbose: 0 });
    expect(maxDiff(h.history.loss as number[], g.history.loss as number[])).toBeLessThan(1e-5);
    expect(weightDiff(ours, theirs)).toBeLessThan(1e-5);
    ours.dispose();
  });

  test('model.apply on tensors equals predict; evaluate returns the loss', () => {
    const ours = diamond();
    const x = randTensor([3, 4], 3);
    const a = ours.apply(x) as wt.Tensor;
    const b = ours.predict(x, { batchSize: 2 }) as wt.Tensor;
    expect(maxDiff(a.dataSync(), b.dataSync())).toBe(0);
    ours.compile({ optimizer: 'sgd', loss: 'mse' });
    const loss = ours.evaluate(x, wt.zeros([3, 2])) as wt.Tensor;
    expect(loss.shape).toEqual([]);
    ours.dispose();
  });
});

describe('a shared layer', () => {
  test('one layer called on two inputs: one set of weights, gradients from both calls, as tfjs-layers', async () => {
    const left = wt.input({ shape: [3], name: 'left' });
    const right = wt.input({ shape: [3], name: 'right' });
    const shared = wt.layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
    const joined = wt.layers.concatenate({ name: 'both' }).apply([shared.apply(left), shared.apply(right)] as wt.SymbolicTensor[]) as wt.SymbolicTensor;
    const out = wt.layers.dense({ units: 1, name: 'score' }).apply(joined) as wt.SymbolicTensor;
    const ours = wt.model({ inputs: [left, right], outputs: out });
    expect(ours.layers.map((l) => l.name)).toEqual(['left', 'right', 'shared', 'both', 'score']);
    expect(ours.weights.length).toBe(4);
    expect(joined.shape).toEqual([null, 8]);

    const tl = tfl.input({ shape: [3], name: 'left' });
    const tr = tfl.input({ shape: [3], name: 'right' });
    const ts = tfl.layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
    const tj = tfl.layers.concatenate({ name: 'both' }).apply([ts.apply(tl), ts.apply(tr)] as tfl.SymbolicTensor[]) as tfl.SymbolicTensor;
    const theirs = tfl.model({ inputs: [tl, tr], outputs: tfl.layers.dense({ units: 1, name: 'score' }).apply(tj) as tfl.SymbolicTensor });
    copyWeights(ours, theirs);

    const a = randTensor([5, 3], 4);
    const b = randTensor([5, 3], 5);
    const y = randTensor([5, 1], 6);
    const before = shared.getWeights().map((w) => w.dataSync().slice());
    ours.compile({ optimizer: wt.train.sgd(0.2), loss: 'meanSquaredError' });
    theirs.compile({ optimizer: tf.train.sgd(0.2), loss: 'meanSquaredError' });
    // Inputs given as an object by name here and as an array there.
    await ours.fit({ right: b, left: a }, y, { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
    await theirs.fit([toTf(a), toTf(b)], toTf(y), { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
    expect(weightDiff(ours, theirs)).toBeLessThan(1e-5);
    expect(maxDiff(shared.weights[0].dataSync(), before[0])).toBeGreaterThan(1e-4);

    // tfjs sums the shared kernel's gradients over both calls; equal weights after the step mean we do too.
    const p = ours.predict([a, b]) as wt.Tensor;
    const q = theirs.predict([toTf(a), toTf(b)]) as tf.Tensor;
    expect(maxDiff(p.dataSync(), q.dataSync())).toBeLessThan(1e-5);
    ours.dispose();
  });
});
