// numpy basic indexing x.index(spec) vs the float64 JS reference (random valid
// specs with ints, slices with negative starts/stops/steps, ':' and '...'),
// chained views, integer index arguments; TF.js slice(begin, size) vs tf.slice.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, prng, randData, randomIndexSpec, refIndex, tf, tfOf } from './helpers/reference';
import { setupBoth, W, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

describe('x.index(spec) vs numpy reference', () => {
  it('random specs on random 1-4-d shapes (float32)', () => {
    const rnd = prng(7);
    const ri = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    for (let t = 0; t < 60; t++) {
      const rank = ri(1, 4);
      const shape = Array.from({ length: rank }, () => ri(1, 7));
      const r = randData(shape, { seed: 1000 + t });
      const x = W(r);
      for (let k = 0; k < 5; k++) {
        const spec = randomIndexSpec(shape, rnd);
        const ref = refIndex(r.data, shape, spec);
        expectClose(x.index(spec), { ...ref, dtype: 'float32' }, { rtol: 0, atol: 0, msg: `${JSON.stringify(shape)} index('${spec}')` });
      }
    }
  });

  it('int32 and uint8 tensors keep their dtype', () => {
    const rnd = prng(8);
    for (const dtype of ['int32', 'uint8'] as const) {
      const shape = [4, 5, 6];
      const r = randData(shape, { dtype, seed: 5 });
      for (let k = 0; k < 20; k++) {
        const spec = randomIndexSpec(shape, rnd);
        expectClose(W(r).index(spec), { ...refIndex(r.data, shape, spec), dtype }, { msg: `${dtype} index('${spec}')` });
      }
    }
  });

  it('hand cases: negative steps, negative ints, ellipsis, whitespace', () => {
    const x = w.tensor([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(x.index('::-1').arraySync()).toEqual([[8, 9, 10, 11], [4, 5, 6, 7], [0, 1, 2, 3]]);
    expect(x.index(':, ::-1').arraySync()).toEqual([[3, 2, 1, 0], [7, 6, 5, 4], [11, 10, 9, 8]]);
    expect(x.index('::-2, 3:0:-2').arraySync()).toEqual([[11, 9], [3, 1]]);
    expect(x.index('-1').arraySync()).toEqual([8, 9, 10, 11]);
    expect(x.index('-1, -1').arraySync()).toBe(11);
    expect(x.index('-1, -1').shape).toEqual([]);
    expect(x.index('..., 1').arraySync()).toEqual([1, 5, 9]);
    expect(x.index('1, ...').arraySync()).toEqual([4, 5, 6, 7]);
    expect(x.index('...').arraySync()).toEqual(x.arraySync());
    expect(x.index(' 1 : 3 ,  -2: ').arraySync()).toEqual([[6, 7], [10, 11]]);
    expect(x.index('5:').shape).toEqual([0, 4]);
    expect(x.index('2:1').shape).toEqual([0, 4]);
    expect(x.index(':, -100:100').shape).toEqual([3, 4]);
    expect(x.index(1).arraySync()).toEqual([4, 5, 6, 7]);
    expect(x.index(-3).arraySync()).toEqual([0, 1, 2, 3]);
  });

  it('chained views: index of index, index of x.T, ops on the result', () => {
    const r = randData([6, 8, 5], { seed: 33 });
    const x = W(r);
    const a = x.index('1:, ::-1').index('::2, 1:-1, 0');
    const step1 = refIndex(r.data, r.shape, '1:, ::-1');
    const want = refIndex(step1.data, step1.shape, '::2, 1:-1, 0');
    expectClose(a, { ...want, dtype: 'float32' }, { rtol: 0, atol: 0, msg: 'index of index' });
    // x.T then index
    const tt = tf.transpose(tfOf(r));
    const refT = refIndex(tt.dataSync() as Float32Array, tt.shape, '1:4, ::-3');
    expectClose(x.T.index('1:4, ::-3'), { ...refT, dtype: 'float32' }, { rtol: 0, atol: 0, msg: 'T then index' });
    // view then reshape / arithmetic / materialise
    const v = x.index(':, 2:6, ::2');
    const refV = refIndex(r.data, r.shape, ':, 2:6, ::2');
    expectClose(v.reshape([-1]), { shape: [refV.data.length], dtype: 'float32', data: refV.data }, { rtol: 0, atol: 0, msg: 'view.reshape' });
    expectClose(w.mul(v, 2), { ...refV, dtype: 'float32', data: refV.data.map((q) => q * 2) }, { msg: 'view * 2' });
    expect(v.arraySync()).toEqual(tf.tensor(refV.data, refV.shape).arraySync());
  });

  it('the source tensor is unchanged by indexing and by ops on views', () => {
    const r = randData([4, 4], { seed: 44 });
    const x = W(r);
    const v = x.index('::-1, 1:');
    w.add(v, 1).dataSync();
    v.dispose();
    expect(Array.from(x.dataSync())).toEqual(Array.from(r.data));
  });
});

describe('x.slice(begin, size) (TF.js semantics) vs tf.slice', () => {
  it('random begin/size including size -1', () => {
    const rnd = prng(99);
    const ri = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    for (let t = 0; t < 50; t++) {
      const rank = ri(1, 4);
      const shape = Array.from({ length: rank }, () => ri(1, 7));
      const begin = shape.map((d) => ri(0, d - 1));
      const size = shape.map((d, i) => (rnd() < 0.25 ? -1 : ri(0, d - begin[i])));
      const r = randData(shape, { seed: 2000 + t });
      const msg = `${JSON.stringify(shape)} slice(${JSON.stringify(begin)}, ${JSON.stringify(size)})`;
      expectClose(W(r).slice(begin, size), tf.slice(tfOf(r), begin, size), { msg });
      expectClose(W(r).T.slice(begin.slice().reverse(), size.slice().reverse()), tf.slice(tf.transpose(tfOf(r)), begin.slice().reverse(), size.slice().reverse()), {
        msg: 'T ' + msg,
      });
    }
  });

  it('the DESIGN example x.slice([0, 1], [2, 2]); int32 dtype preserved', () => {
    const x = w.tensor([[5, 78, 2], [6, 79, 3]]);
    expect(x.slice([0, 1], [2, 2]).arraySync()).toEqual([[78, 2], [79, 3]]);
    const i = w.tensor(new Int32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
    const s = i.slice([1, 0], [1, -1]);
    expect(s.dtype).toBe('int32');
    expect(s.arraySync()).toEqual([[4, 5, 6]]);
  });
});
