// Creation (tensor from nested / typed / flat arrays, scalar, zeros, ones, fill,
// range, eye, oneHot, toCategorical) vs TF.js equivalents; seedable random
// (determinism, moments, bounds); data accessors.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, nest, tf } from './helpers/reference';
import { setupBoth, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

describe('tensor()', () => {
  it('nested arrays -> float32 by default, with shape', () => {
    const x = w.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.dtype).toBe('float32');
    expect(x.shape).toEqual([2, 3]);
    expect(x.dataSync()).toBeInstanceOf(Float32Array);
    expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('typed arrays keep their dtype; a shape reshapes flat data', () => {
    const i = w.tensor(new Int32Array([1, -2, 3, 4, 5, 6]), [3, 2]);
    expect(i.dtype).toBe('int32');
    expect(i.shape).toEqual([3, 2]);
    expect(i.dataSync()).toBeInstanceOf(Int32Array);
    expect(i.arraySync()).toEqual([[1, -2], [3, 4], [5, 6]]);
    const u = w.tensor(new Uint8Array([0, 255, 7]));
    expect(u.dtype).toBe('uint8');
    expect(u.shape).toEqual([3]);
    expect(u.dataSync()).toBeInstanceOf(Uint8Array);
    expect(Array.from(u.dataSync())).toEqual([0, 255, 7]);
    const f = w.tensor(new Float32Array([1.5, 2.5]), [2, 1]);
    expect(f.dtype).toBe('float32');
    expect(f.arraySync()).toEqual([[1.5], [2.5]]);
    // plain flat array + shape (TF.js)
    expect(w.tensor([1, 2, 3, 4], [2, 2]).arraySync()).toEqual([[1, 2], [3, 4]]);
  });

  it('explicit dtype: int32 truncates, bool from booleans', () => {
    const i = w.tensor([[1.7, -1.7]], undefined, 'int32');
    expect(i.dtype).toBe('int32');
    expect(i.arraySync()).toEqual([[1, -1]]);
    const b = w.tensor([true, false, true]);
    expect(b.dtype).toBe('bool');
    expect(Array.from(b.dataSync(), Number)).toEqual([1, 0, 1]);
    const b2 = w.tensor([1, 0, 2], [3], 'bool');
    expect(b2.dtype).toBe('bool');
    expect(Array.from(b2.dataSync(), Number)).toEqual([1, 0, 1]);
  });

  it('dataSync returns a copy; data() resolves the same values; arraySync nests', async () => {
    const x = w.tensor([[1, 2], [3, 4]]);
    const d = x.dataSync();
    d[0] = 99;
    expect(x.dataSync()[0]).toBe(1);
    expect(Array.from(await x.data())).toEqual([1, 2, 3, 4]);
    expect(x.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(w.scalar(3).arraySync()).toBe(3);
    expect(w.zeros([2, 0]).arraySync()).toEqual([[], []]);
    expect(w.scalar(5, 'int32').dtype).toBe('int32');
  });

  it('strides are row-major element strides', () => {
    expect(w.zeros([2, 3, 4]).strides).toEqual([12, 4, 1]);
    expect(w.zeros([5]).strides).toEqual([1]);
  });

  it('toString is a numpy-like print', () => {
    const s = w.tensor([[1, 2], [3, 4]]).toString();
    expect(s).toMatch(/\[\s*\[/);
    expect(s).toMatch(/1[^]*2[^]*3[^]*4/);
    expect(s).toMatch(/\]\s*\]/);
    const i = w.tensor(new Int32Array([7, 8, 9])).toString();
    for (const v of ['7', '8', '9', '[']) expect(i).toContain(v);
    expect(w.scalar(2.5).toString()).toContain('2.5');
    // a large tensor prints without listing every element
    expect(w.zeros([1000, 1000]).toString().length).toBeLessThan(20000);
  });
});

describe('constant creators vs tfjs', () => {
  it('zeros / ones / fill with dtypes', () => {
    for (const shape of [[], [3], [2, 0], [2, 3, 4]]) {
      expectClose(w.zeros(shape), tf.zeros(shape));
      expectClose(w.ones(shape), tf.ones(shape));
      expectClose(w.fill(shape, 2.5), tf.fill(shape, 2.5));
      expectClose(w.zeros(shape, 'int32'), tf.zeros(shape, 'int32'));
      expectClose(w.ones(shape, 'int32'), tf.ones(shape, 'int32'));
      expectClose(w.fill(shape, -7, 'int32'), tf.fill(shape, -7, 'int32'));
    }
    const u = w.ones([4], 'uint8');
    expect(u.dtype).toBe('uint8');
    expect(Array.from(u.dataSync())).toEqual([1, 1, 1, 1]);
    const b = w.ones([2], 'bool');
    expect(b.dtype).toBe('bool');
  });

  it('range follows numpy arange (and matches tf.range)', () => {
    const cases: [number, number | undefined, number | undefined][] = [
      [5, undefined, undefined], [2, 9, undefined], [0, 1, 0.1], [10, 0, -3], [5, 5, 1], [5, 0, 1], [-3, 3, 2], [0, 0.95, 0.3],
    ];
    // numpy arange in float64: n = max(0, ceil((stop - start) / step)), start + i*step.
    // (tf.range is a cross-check only where it agrees: it flips the sign of a
    // positive step when start > stop, numpy returns an empty array.)
    for (const [a, b, c] of cases) {
      const [start, stop, step] = b === undefined ? [0, a, 1] : [a, b, c ?? 1];
      const n = Math.max(0, Math.ceil((stop - start) / step));
      const want = Array.from({ length: n }, (_, i) => Math.fround(start + i * step));
      expectClose(w.range(a, b, c), { shape: [n], data: want }, { dtype: false, msg: `range(${a}, ${b}, ${c})` });
      if (!(start > stop && step > 0)) {
        const ref = tf.range(start, stop, step);
        expectClose(w.range(a, b, c), ref, { dtype: false, msg: `range(${a}, ${b}, ${c}) vs tf.range` });
      }
    }
    expect(Array.from(w.range(5).dataSync())).toEqual([0, 1, 2, 3, 4]);
    const ri = w.range(0, 10, 3, 'int32');
    expect(ri.dtype).toBe('int32');
    expect(Array.from(ri.dataSync())).toEqual([0, 3, 6, 9]);
    expect(w.range(0, 1, 0.1).shape).toEqual([10]); // numpy: ceil((stop-start)/step)
  });

  it('eye(n, m?, k?)', () => {
    expectClose(w.eye(3), tf.eye(3));
    expectClose(w.eye(3, 5), tf.eye(3, 5));
    expectClose(w.eye(4, 2), tf.eye(4, 2));
    // numpy eye with diagonal offset k
    expect(w.eye(3, 4, 1).arraySync()).toEqual([[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
    expect(w.eye(3, 3, -1).arraySync()).toEqual([[0, 0, 0], [1, 0, 0], [0, 1, 0]]);
    expect(w.eye(0).shape).toEqual([0, 0]);
  });

  it('oneHot and utils.toCategorical', () => {
    const labels = [0, 2, 1, 4, 3, 0];
    const ref = tf.oneHot(tf.tensor1d(labels, 'int32'), 5);
    expectClose(w.oneHot(w.tensor(new Int32Array(labels)), 5), ref, { dtype: false });
    // out-of-range label -> all-zero row (TF.js)
    expect(w.oneHot(w.tensor(new Int32Array([-1, 3])), 3).arraySync()).toEqual([[0, 0, 0], [0, 0, 0]]);
    // toCategorical infers numClasses = max + 1 (Keras)
    const c = w.utils.toCategorical(w.tensor(new Int32Array(labels)));
    expect(c.shape).toEqual([6, 5]);
    expectClose(c, ref, { dtype: 'float32' });
    const c2 = w.utils.toCategorical(w.tensor(new Int32Array([1, 0])), 4);
    expect(c2.arraySync()).toEqual([[0, 1, 0, 0], [1, 0, 0, 0]]);
    // uint8 labels as loaded from MNIST
    const c3 = w.utils.toCategorical(w.tensor(new Uint8Array([9, 0])), 10);
    expect(c3.shape).toEqual([2, 10]);
    expect(Array.from(c3.dataSync())).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('random', () => {
  const stats = (d: Float32Array) => {
    let s = 0;
    for (const v of d) s += v;
    const mean = s / d.length;
    let q = 0;
    for (const v of d) q += (v - mean) ** 2;
    return { mean, std: Math.sqrt(q / d.length) };
  };

  it('same seed -> same values, different seeds -> different values', () => {
    const a = w.randomNormal([1000], 0, 1, 42).dataSync();
    const b = w.randomNormal([1000], 0, 1, 42).dataSync();
    const c = w.randomNormal([1000], 0, 1, 43).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const u1 = w.randomUniform([1000], 0, 1, 7).dataSync();
    const u2 = w.randomUniform([1000], 0, 1, 7).dataSync();
    const u3 = w.randomUniform([1000], 0, 1, 8).dataSync();
    expect(Array.from(u1)).toEqual(Array.from(u2));
    expect(Array.from(u1)).not.toEqual(Array.from(u3));
    // values are not all equal / not a constant
    expect(new Set(Array.from(u1)).size).toBeGreaterThan(990);
  });

  it('randomNormal: mean and std of 100k samples', () => {
    const x = w.randomNormal([100, 1000], 3, 2, 123);
    expect(x.shape).toEqual([100, 1000]);
    expect(x.dtype).toBe('float32');
    const { mean, std } = stats(x.dataSync());
    expect(Math.abs(mean - 3)).toBeLessThan(0.03); // 5 sigma: 5 * 2 / sqrt(1e5) = 0.032
    expect(Math.abs(std - 2)).toBeLessThan(0.03);
    const d = x.dataSync();
    // tails: about 4.55% beyond 2 sigma
    let out = 0;
    for (const v of d) if (Math.abs(v - 3) > 4) out++;
    expect(out / d.length).toBeGreaterThan(0.04);
    expect(out / d.length).toBeLessThan(0.051);
  });

  it('randomUniform: within [lo, hi), mean and std of 100k samples', () => {
    const x = w.randomUniform([100000], -2, 3, 99);
    const d = x.dataSync() as Float32Array;
    let lo = Infinity, hi = -Infinity;
    for (const v of d) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    expect(lo).toBeGreaterThanOrEqual(-2);
    expect(hi).toBeLessThan(3);
    expect(lo).toBeLessThan(-1.99);
    expect(hi).toBeGreaterThan(2.99);
    const { mean, std } = stats(d);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.03);
    expect(Math.abs(std - 5 / Math.sqrt(12))).toBeLessThan(0.02);
    // histogram of 10 bins is flat within 5%
    const bins = new Array(10).fill(0);
    for (const v of d) bins[Math.min(9, Math.floor((v + 2) * 2))]++;
    for (const b of bins) expect(Math.abs(b - 10000)).toBeLessThan(500);
  });

  it('randomUniform: element i depends only on (seed, i), whatever the length (SIMD body and scalar tail agree)', () => {
    const long = Array.from(w.randomUniform([64], -1, 1, 11).dataSync());
    for (const n of [1, 3, 5, 7, 13]) expect(Array.from(w.randomUniform([n], -1, 1, 11).dataSync())).toEqual(long.slice(0, n));
  });

  it('randomUniform: consecutive values are uncorrelated and seeds 1..4 are unrelated streams', () => {
    const n = 1 << 18;
    const streams = [1, 2, 3, 4].map((seed) => w.randomUniform([n], 0, 1, seed).dataSync());
    // Pearson correlation of two equal-length sequences; 5 sigma is 5 / sqrt(n) ~ 0.01.
    const corr = (a: ArrayLike<number>, b: ArrayLike<number>, lag = 0) => {
      let sab = 0, sa = 0, sb = 0, saa = 0, sbb = 0;
      const m = a.length - lag;
      for (let i = 0; i < m; i++) {
        const x = a[i + lag], y = b[i];
        sab += x * y; sa += x; sb += y; saa += x * x; sbb += y * y;
      }
      return (sab / m - (sa / m) * (sb / m)) / Math.sqrt((saa / m - (sa / m) ** 2) * (sbb / m - (sb / m) ** 2));
    };
    for (const lag of [1, 2, 3, 4, 5, 8]) expect(Math.abs(corr(streams[0], streams[0], lag))).toBeLessThan(0.01);
    for (let i = 1; i < 4; i++) {
      expect(Math.abs(corr(streams[0], streams[i]))).toBeLessThan(0.01);
      expect(Math.abs(corr(streams[0], streams[i], 1))).toBeLessThan(0.01); // not a shifted copy
    }
  });

  it('randomUniform: a range wider than float32 can hold (hi - lo overflows) and an empty one', () => {
    const d = w.randomUniform([1001], -3e38, 3e38, 3).dataSync();
    expect(d.every((v) => Number.isFinite(v) && v >= Math.fround(-3e38) && v < Math.fround(3e38))).toBe(true);
    expect(stats(d).std).toBeGreaterThan(1e38);
    expect(Array.from(w.randomUniform([9], 2.5, 2.5, 3).dataSync())).toEqual(new Array(9).fill(2.5));
  });

  it('defaults: randomUniform in [0,1), randomNormal mean 0 std 1', () => {
    const u = w.randomUniform([20000], undefined, undefined, 5).dataSync();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const n = stats(w.randomNormal([20000], undefined, undefined, 6).dataSync());
    expect(Math.abs(n.mean)).toBeLessThan(0.04);
    expect(Math.abs(n.std - 1)).toBeLessThan(0.04);
  });
});

describe('nest helper sanity', () => {
  it('nest matches arraySync of tf', () => {
    expect(nest([1, 2, 3, 4, 5, 6], [2, 3])).toEqual(tf.tensor([1, 2, 3, 4, 5, 6], [2, 3]).arraySync());
  });
});
