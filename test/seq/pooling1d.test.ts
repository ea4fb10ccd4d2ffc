// GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D and
// AveragePooling1D against tfjs-layers' layers of the same configuration:
// outputs and input gradients on random inputs. tfjs-layers' 1-D layers are
// channels-last only, so channelsFirst runs them on the transposed input.
// Also keepDims, null steps, masks (consumed by the global layers), Keras
// defaults and bad input.
import { beforeAll, describe, expect, test } from 'vitest';
import { compareWithTfjs, rand, relErr, setup, tf, tfl, wt } from './helpers';

beforeAll(setup);

type Row = { factory: string; args: Record<string, unknown>; shape: number[] };
const rows: Row[] = [
  { factory: 'globalAveragePooling1d', args: {}, shape: [3, 7, 4] },
  { factory: 'globalMaxPooling1d', args: {}, shape: [2, 9, 5] },
  { factory: 'maxPooling1d', args: {}, shape: [2, 9, 3] },
  { factory: 'maxPooling1d', args: { poolSize: 3, strides: 2, padding: 'same' }, shape: [2, 10, 3] },
  { factory: 'averagePooling1d', args: { poolSize: [3] }, shape: [3, 8, 2] },
  { factory: 'averagePooling1d', args: { poolSize: 2, strides: 1 }, shape: [2, 6, 4] },
];

describe('vs tfjs-layers: outputs and input gradients', () => {
  const all = [
    ...rows.map((r) => ({ ...r, format: 'channelsLast' as const })),
    ...rows.map((r) => ({ ...r, format: 'channelsFirst' as const, shape: [r.shape[0], r.shape[2], r.shape[1]] })),
  ];
  test.each(all.map((r) => [`${r.factory}(${JSON.stringify(r.args)}) ${r.format} on [${r.shape}]`, r] as const))('%s', (_, row) => {
    const ours = (wt.layers as any)[row.factory]({ ...row.args, dataFormat: row.format });
    const theirs = (tfl.layers as any)[row.factory]({ ...row.args });
    const first = row.format === 'channelsFirst';
    const global = row.factory.startsWith('global');
    const around = first ? {
      input: (x: tf.Tensor) => tf.transpose(x, [0, 2, 1]),
      output: global ? undefined : (y: tf.Tensor) => tf.transpose(y, [0, 2, 1]),
    } : undefined;
    const n = row.shape.reduce((a, b) => a * b, 1);
    // Distinct values: no ties for max.
    const x = Float32Array.from(rand(n, n + 3, 1), (v, i) => v + i * 1e-3);
    compareWithTfjs(ours, theirs, row.shape, x, { around });
    const batch = [null, ...row.shape.slice(1)];
    const out = (ours.apply(wt.tensor(x, row.shape)) as wt.Tensor).shape;
    expect(ours.computeOutputShape(batch)).toEqual([null, ...out.slice(1)]);
  });
});

describe('shapes, masks, defaults', () => {
  test('keepDims and null steps', () => {
    expect(wt.layers.globalAveragePooling1d().computeOutputShape([null, null, 3])).toEqual([null, 3]);
    expect(wt.layers.globalMaxPooling1d({ keepDims: true }).computeOutputShape([null, null, 3])).toEqual([null, 1, 3]);
    expect(wt.layers.globalMaxPooling1d({ keepDims: true, dataFormat: 'channelsFirst' }).computeOutputShape([null, 3, 8])).toEqual([null, 3, 1]);
    expect(wt.layers.maxPooling1d().computeOutputShape([null, null, 3])).toEqual([null, null, 3]);
    expect(wt.layers.averagePooling1d({ dataFormat: 'channelsFirst', poolSize: 3 }).computeOutputShape([null, 2, 10])).toEqual([null, 2, 3]);
    const x = wt.randomNormal([2, 5, 3], 0, 1, 4);
    const kept = wt.layers.globalAveragePooling1d({ keepDims: true }).apply(x) as wt.Tensor;
    expect(kept.shape).toEqual([2, 1, 3]);
    expect(relErr(kept.dataSync(), wt.mean(x, 1).dataSync())).toBeLessThan(1e-6);
  });

  test('the global layers consume the mask; the windowed ones pass it on (Layer default)', () => {
    const mask = wt.tensor([[true, false, true]], undefined, 'bool');
    const x = wt.ones([1, 3, 2]);
    expect(wt.layers.globalAveragePooling1d().computeMask(x, mask)).toBeNull();
    expect(wt.layers.globalMaxPooling1d().computeMask(x, mask)).toBeNull();
    expect(wt.layers.layerNormalization().computeMask(x, mask)).toBe(mask);
  });

  test('GlobalAveragePooling1D with a mask averages the unmasked steps (Keras), both formats, with gradients', () => {
    const x = wt.tensor(rand(2 * 4 * 3, 8, 1), [2, 4, 3]);
    const mask = wt.tensor([[true, true, false, false], [true, false, true, true]], undefined, 'bool');
    const want = wt.stack([wt.mean(x.index('0, 0:2'), 0), wt.mean(wt.stack([x.index('1, 0'), x.index('1, 2'), x.index('1, 3')]), 0)]);
    const gap = wt.layers.globalAveragePooling1d();
    (gap.apply(x) as wt.Tensor).dispose();
    const got = gap.call(x, { mask });
    expect(relErr(got.dataSync(), want.dataSync())).toBeLessThan(1e-6);
    const first = wt.layers.globalAveragePooling1d({ dataFormat: 'channelsFirst', keepDims: true });
    const xt = wt.transpose(x, [0, 2, 1]);
    (first.apply(xt) as wt.Tensor).dispose();
    const gotFirst = first.call(xt, { mask: wt.cast(mask, 'float32') });
    expect(gotFirst.shape).toEqual([2, 3, 1]);
    expect(relErr(gotFirst.dataSync(), want.dataSync())).toBeLessThan(1e-6);
    // d/dx: 1/count at unmasked steps, 0 at masked ones.
    const g = wt.grad((v) => wt.sum(gap.call(v, { mask })))(x);
    const perStep = Array.from(wt.mean(g, 2).dataSync()).map((v) => Math.round(v * 1e4) / 1e4);
    expect(perStep).toEqual([0.5, 0.5, 0, 0, 0.3333, 0, 0.3333, 0.3333]);
    expect(() => gap.call(x, { mask: wt.ones([2, 3]) })).toThrow(/the mask must have shape \[2,4\] \(batch, steps\), got \[2,3\]/);
  });

  test('Keras defaults and names', () => {
    const gap = wt.layers.globalAveragePooling1d();
    expect([gap.dataFormat, gap.keepDims]).toEqual(['channelsLast', false]);
    expect(gap.name).toMatch(/^global_average_pooling1d(_\d+)?$/);
    expect(wt.layers.globalMaxPooling1d().name).toMatch(/^global_max_pooling1d(_\d+)?$/);
    const mp = wt.layers.maxPooling1d();
    expect([mp.poolSize, mp.strides, mp.padding, mp.dataFormat]).toEqual([2, 2, 'valid', 'channelsLast']);
    expect(mp.name).toMatch(/^max_pooling1d(_\d+)?$/);
    expect(wt.layers.averagePooling1d({ poolSize: 4 }).strides).toBe(4);
  });

  test('bad input', () => {
    expect(() => wt.layers.globalAveragePooling1d({ dataFormat: 'NWC' as never })).toThrow(/^globalAveragePooling1d: dataFormat must be 'channelsLast' or 'channelsFirst'/);
    expect(() => wt.layers.globalMaxPooling1d({ keepDims: 'yes' as never })).toThrow(/^globalMaxPooling1d: keepDims must be true or false/);
    expect(() => wt.layers.maxPooling1d({ poolSize: 0 })).toThrow(/^maxPooling1d: poolSize must be a positive integer/);
    expect(() => wt.layers.averagePooling1d({ padding: 'causal' as never })).toThrow(/^averagePooling1d: padding must be 'valid' or 'same'/);
    const g = wt.layers.globalAveragePooling1d({ name: 'gap1d_bad' });
    expect(() => g.apply(wt.ones([2, 3, 4, 5]))).toThrow(/^gap1d_bad: layer 'gap1d_bad' expects inputs of rank 3 \(batch, steps, channels\), got shape \[null,3,4,5\]/);
  });
});
