// The merge layers against tfjs-layers: values and gradients through a
// model, Keras' broadcasting of 1-sized dims, output shapes, config round
// trips, and on real tensors (layer.apply([a, b]) and the factories).
import { beforeAll, describe, expect, test } from 'vitest';
import { copyWeights, maxDiff, randTensor, setup, tf, tfl, toTf, weightDiff, wt } from './helpers';

beforeAll(setup);

// tfjs-layers 4 has no subtract layer: Subtract is checked on values below.
const KINDS = ['add', 'multiply', 'average', 'maximum', 'concatenate'] as const;

describe('merge layers', () => {
  for (const kind of KINDS) {
    test(`${kind}: forward and one SGD step through it match tfjs-layers`, async () => {
      const make = <T>(lib: { input: (a: { shape: number[]; name: string }) => T; dense: (a: object) => { apply: (x: T) => unknown }; merge: (a: object) => { apply: (x: T[]) => unknown } }) => {
        const a = lib.input({ shape: [4], name: `${kind}_a` });
        const b = lib.input({ shape: [4], name: `${kind}_b` });
        const da = lib.dense({ units: 3, name: `${kind}_da` }).apply(a) as T;
        const db = lib.dense({ units: 3, name: `${kind}_db` }).apply(b) as T;
        const merged = lib.merge({ name: `${kind}_m` }).apply([da, db]) as T;
        return { inputs: [a, b], outputs: lib.dense({ units: 2, name: `${kind}_out` }).apply(merged) as T };
      };
      const ours = wt.model(make({ input: wt.input, dense: wt.layers.dense, merge: wt.layers[kind] as never }) as never);
      const theirs = tfl.model(make({ input: tfl.input, dense: tfl.layers.dense, merge: tfl.layers[kind] as never }) as never);
      copyWeights(ours, theirs);
      const xa = randTensor([5, 4], 1);
      const xb = randTensor([5, 4], 2);
      const y = randTensor([5, 2], 3);
      const p = ours.predict([xa, xb]) as wt.Tensor;
      const q = theirs.predict([toTf(xa), toTf(xb)]) as tf.Tensor;
      expect(maxDiff(p.dataSync(), q.dataSync())).toBeLessThan(1e-5);
      ours.compile({ optimizer: wt.train.sgd(0.1), loss: 'mse' });
      theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      await ours.fit([xa, xb], y, { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
      await theirs.fit([toTf(xa), toTf(xb)], toTf(y), { epochs: 1, batchSize: 5, shuffle: false, verbose: 0 });
      expect(weightDiff(ours, theirs)).toBeLessThan(1e-5);
      const layer = ours.getLayer(`${kind}_m`);
      expect(wt.layers.serialize(layer).class_name).toBe(layer.className);
      ours.dispose();
    });
  }

  test('output shapes: broadcasting a 1, unknown dims, concatenate on another axis', () => {
    const a = wt.input({ shape: [3, 1] });
    const b = wt.input({ shape: [3, 5] });
    expect((wt.layers.add().apply([a, b]) as wt.SymbolicTensor).shape).toEqual([null, 3, 5]);
    expect((wt.layers.maximum().apply([a, a, a]) as wt.SymbolicTensor).shape).toEqual([null, 3, 1]);
    const c = wt.input({ shape: [null, 5] });
    expect((wt.layers.multiply().apply([b, c]) as wt.SymbolicTensor).shape).toEqual([null, 3, 5]);
    expect((wt.layers.concatenate({ axis: 1 }).apply([a, a]) as wt.SymbolicTensor).shape).toEqual([null, 6, 1]);
    expect((wt.layers.concatenate().apply([b, c]) as wt.SymbolicTensor).shape).toEqual([null, 3, 10]);
    expect((wt.layers.concatenate([b, b]) as wt.SymbolicTensor).shape).toEqual([null, 3, 10]);
  });

  test('on real tensors: broadcast values as numpy', () => {
    const a = wt.tensor([[1, 2, 3], [4, 5, 6]]);
    const b = wt.tensor([[10], [20]]);
    expect((wt.layers.add().apply([a, b]) as wt.Tensor).arraySync()).toEqual([[11, 12, 13], [24, 25, 26]]);
    expect((wt.layers.subtract().apply([a, b]) as wt.Tensor).arraySync()).toEqual([[-9, -8, -7], [-16, -15, -14]]);
    expect((wt.layers.average([a, a]) as wt.Tensor).arraySync()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect((wt.layers.concatenate([a, b]) as wt.Tensor).arraySync()).toEqual([[1, 2, 3, 10], [4, 5, 6, 20]]);
    expect((wt.layers.maximum([a, wt.fill([2, 3], 3.5)]) as wt.Tensor).arraySync()).toEqual([[3.5, 3.5, 3.5], [4, 5, 6]]);
  });

  test('shape mismatches fail naming the layer and every shape', () => {
    const a = wt.input({ shape: [3] });
    const b = wt.input({ shape: [4] });
    const c = wt.input({ shape: [2, 4] });
    expect(() => wt.layers.add({ name: 'bad_add' }).apply([a, b])).toThrow(/^bad_add: layer 'bad_add' \(Add\) cannot merge inputs of shapes \[null,3\], \[null,4\]: dimension 1 is 3 in one input and 4 in another/);
    expect(() => wt.layers.concatenate({ name: 'bad_cat' }).apply([b, c])).toThrow(/^bad_cat: layer 'bad_cat' \(Concatenate\) cannot merge inputs of shapes \[null,4\], \[null,2,4\]: the inputs must all have the same rank/);
    expect(() => wt.layers.concatenate({ name: 'bad_axis', axis: 1 }).apply([c, wt.input({ shape: [2, 5] })])).toThrow(/^bad_axis: .*all dimensions but axis 1 must match \(dimension 2 is 4 and 5\)/);
    expect(() => wt.layers.concatenate({ name: 'cat_batch', axis: 0 }).apply([a, a])).toThrow(/^cat_batch: .*axis 0 is the batch axis/);
    expect(() => wt.layers.subtract({ name: 'sub3' }).apply([a, a, a])).toThrow(/^sub3: layer 'sub3' \(Subtract\) takes exactly 2 inputs, got 3/);
    expect(() => wt.layers.multiply({ name: 'mul1' }).apply([a])).toThrow(/^mul1: layer 'mul1' \(Multiply\) takes at least 2 inputs, got 1/);
    expect(() => wt.layers.average({ name: 'avg_one' }).apply(a)).toThrow(/^avg_one: layer 'avg_one' \(Average\) takes an array of inputs/);
    const built = wt.layers.maximum({ name: 'built_max' });
    built.apply([a, a]);
    expect(() => built.apply([b, b])).toThrow(/^built_max: layer 'built_max' \(Maximum\) was built for inputs of shapes \[null,3\], \[null,3\], got \[null,4\], \[null,4\]/);
    expect(() => wt.layers.add({ name: 'real_bad' }).apply([wt.ones([2, 3]), wt.ones([2, 4])])).toThrow(/^real_bad: .*cannot merge inputs of shapes \[null,3\], \[null,4\]/);
  });
});
