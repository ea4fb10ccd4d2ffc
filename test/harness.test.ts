// Checks the reference side itself (no wasmtensor import): the JS numpy-index
// reference agrees with tf.stridedSlice, refDot with tf.matMul, erf with known
// values, and expectClose really fails on wrong values. If these fail, every
// other verdict of the suite is suspect.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  compareValues, erf, parseIndex, prng, randData, randomIndexSpec, refDot, refIndex, refMatMul,
  setupTf, sizeOf, sliceIndices, tf, tfOf,
} from './helpers/reference';

beforeAll(setupTf);

function tfIndex(x: tf.Tensor, spec: string): tf.Tensor {
  let items = parseIndex(spec);
  const nAx = items.filter((i) => i.kind !== 'ellipsis').length;
  const fill = Array.from({ length: x.rank - nAx }, () => ({ kind: 'slice', start: null, stop: null, step: null }) as const);
  const k = items.findIndex((i) => i.kind === 'ellipsis');
  items = k >= 0 ? [...items.slice(0, k), ...fill, ...items.slice(k + 1)] : [...items, ...fill];
  const begin: number[] = [], end: number[] = [], strides: number[] = [];
  let beginMask = 0, endMask = 0, shrink = 0;
  items.forEach((it, ax) => {
    if (it.kind === 'int') {
      const i = it.i < 0 ? it.i + x.shape[ax] : it.i;
      // (shrinkAxisMask is buggy in TF.js next to negative strides: slice then reshape)
      begin.push(i); end.push(i + 1); strides.push(1); shrink |= 1 << ax;
    } else if (it.kind === 'slice') {
      begin.push(it.start ?? 0); end.push(it.stop ?? 0); strides.push(it.step ?? 1);
      if (it.start === null) beginMask |= 1 << ax;
      if (it.stop === null) endMask |= 1 << ax;
    }
  });
  const y = tf.stridedSlice(x, begin, end, strides, beginMask, endMask, 0, 0, 0);
  return tf.reshape(y, y.shape.filter((_, ax) => !(shrink & (1 << ax))));
}

describe('reference harness', () => {
  it('sliceIndices follows Python slice.indices', () => {
    // values from CPython: slice(a,b,c).indices(10)
    expect(sliceIndices(10, null, null, -1)).toEqual([9, -1, 10]);
    expect(sliceIndices(10, 7, -7, null)).toEqual([7, 1, 0]);
    expect(sliceIndices(28, 7, -7, null)).toEqual([7, 1, 14]);
    expect(sliceIndices(10, -100, 100, 3)).toEqual([0, 3, 4]);
    expect(sliceIndices(10, 100, -100, -3)).toEqual([9, -3, 4]);
    expect(sliceIndices(5, 3, 3, 1)).toEqual([3, 1, 0]);
  });

  it('refIndex agrees with tf.stridedSlice on random specs', () => {
    const rnd = prng(42);
    const shapes = [[7], [5, 6], [4, 3, 5], [3, 4, 2, 5]];
    let n = 0;
    for (const shape of shapes) {
      const r = randData(shape, { seed: n + 1 });
      const x = tfOf(r);
      for (let t = 0; t < 40; t++, n++) {
        const spec = randomIndexSpec(shape, rnd);
        const ref = refIndex(r.data, shape, spec);
        // tf.stridedSlice itself throws on some empty results (TF.js bug): those
        // are covered by the hand cases and sliceIndices checks instead.
        if (sizeOf(ref.shape) === 0) continue;
        const y = tfIndex(x, spec);
        expect(y.shape, spec).toEqual(ref.shape);
        expect(compareValues(y.dataSync(), ref.data, 0, 0), spec).toBeNull();
      }
    }
  });

  it('refIndex on hand cases', () => {
    const d = [0, 1, 2, 3, 4, 5];
    expect(refIndex(d, [2, 3], '::-1')).toEqual({ shape: [2, 3], data: [3, 4, 5, 0, 1, 2] });
    expect(refIndex(d, [2, 3], '..., 0')).toEqual({ shape: [2], data: [0, 3] });
    expect(refIndex(d, [2, 3], '-1')).toEqual({ shape: [3], data: [3, 4, 5] });
    expect(refIndex(d, [2, 3], ':, ::-2')).toEqual({ shape: [2, 2], data: [2, 0, 5, 3] });
    expect(refIndex(d, [2, 3], '1, 2')).toEqual({ shape: [], data: [5] });
    expect(() => refIndex(d, [2, 3], '2')).toThrow(/out of bounds/);
  });

  it('refDot agrees with tf.matMul for 2-d and with hand values', () => {
    const a = randData([5, 7]);
    const b = randData([7, 3]);
    const ref = refDot(a, b);
    const t = tf.matMul(tfOf(a), tfOf(b));
    expect(ref.shape).toEqual([5, 3]);
    expect(compareValues(t.dataSync(), ref.data, 1e-5, 1e-5)).toBeNull();
    expect(refDot({ shape: [3], data: [1, 2, 3] }, { shape: [3], data: [4, 5, 6] })).toEqual({ shape: [], data: [32] });
    const big = refDot({ shape: [2, 1, 1, 2], data: [1, 2, 3, 4] }, { shape: [2, 3], data: [1, 0, 1, 0, 1, 1] });
    expect(big).toEqual({ shape: [2, 1, 1, 3], data: [1, 2, 3, 3, 4, 7] });
  });

  it('refMatMul agrees with tf.matMul (transposes, batch broadcast TF.js gets right)', () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 7], [7, 3], false, false], [[7, 5], [3, 7], true, true], [[2, 3, 4], [4, 5], false, false],
      [[2, 3, 4], [2, 4, 5], false, false], [[1, 5, 7], [3, 7, 4], false, false], [[2, 3, 9, 4], [9, 5], true, false],
    ];
    cases.forEach(([sa, sb, ta, tb], i) => {
      const a = randData(sa, { seed: 300 + i }), b = randData(sb, { seed: 400 + i });
      const ref = refMatMul(a, b, ta, tb);
      const t = tf.matMul(tfOf(a), tfOf(b), ta, tb);
      expect(ref.shape).toEqual(t.shape);
      expect(compareValues(t.dataSync(), ref.data, 1e-5, 1e-5)).toBeNull();
    });
  });

  it('erf matches tabulated values', () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 13);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 13);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 13);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 13);
    expect(erf(-4)).toBeCloseTo(-0.9999999845827421, 13);
  });

  it('compareValues rejects wrong values and accepts NaN/Inf matches', () => {
    expect(compareValues([1, NaN, Infinity], [1, NaN, Infinity], 0, 0)).toBeNull();
    expect(compareValues([1, 2], [1, 2.001], 1e-5, 1e-6)).not.toBeNull();
    expect(compareValues([NaN], [1], 1, 1)).not.toBeNull();
    expect(compareValues([1], [NaN], 1, 1)).not.toBeNull();
    expect(compareValues([Infinity], [1e30], 1, 1)).not.toBeNull();
    expect(compareValues([1, 2], [1], 1, 1)).not.toBeNull();
    expect(sizeOf([])).toBe(1);
  });
});
