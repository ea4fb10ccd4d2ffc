// Casts: astype / cast between float32, int32, uint8, bool. Contract:
// f32 -> int32 truncates toward zero (NaN -> 0); f32 -> uint8 saturates to
// [0, 255] (fractions truncated); -> bool is x != 0; bool -> numbers 0/1.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, randData, tf, tfOf } from './helpers/reference';
import { setupBoth, W, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

describe('cast tables', () => {
  it('float32 -> int32 truncates toward zero, NaN -> 0', () => {
    const x = w.tensor([1.7, -1.7, 0.5, -0.5, 2, -2, 123456.75, -0.0, NaN, 2147483520]);
    expectClose(x.cast('int32'), { shape: [10], dtype: 'int32', data: [1, -1, 0, 0, 2, -2, 123456, 0, 0, 2147483520] });
    expectClose(x.astype('int32'), { shape: [10], dtype: 'int32', data: [1, -1, 0, 0, 2, -2, 123456, 0, 0, 2147483520] });
  });

  it('float32 -> int32 on random data vs tfjs', () => {
    const r = randData([7, 13], { seed: 3, lo: -1000, hi: 1000 });
    expectClose(W(r).cast('int32'), tf.cast(tfOf(r), 'int32'));
    expectClose(W(r).T.cast('int32'), tf.cast(tf.transpose(tfOf(r)), 'int32'), { msg: 'view' });
  });

  it('float32 -> uint8 saturates to [0, 255] and truncates', () => {
    const x = w.tensor([-5, -0.5, 0, 0.9, 1.5, 254.9, 255, 255.5, 256, 1000, -1e9, 1e9, NaN, Infinity, -Infinity]);
    const y = x.astype('uint8');
    expectClose(y, { shape: [15], dtype: 'uint8', data: [0, 0, 0, 0, 1, 254, 255, 255, 255, 255, 0, 255, 0, 255, 0] });
    expect(y.dataSync()).toBeInstanceOf(Uint8Array);
  });

  it('int32 -> uint8 saturates; uint8 -> int32 / float32 widen', () => {
    const i = w.tensor(new Int32Array([-1, 0, 1, 255, 256, 70000, -70000]));
    expectClose(i.astype('uint8'), { shape: [7], dtype: 'uint8', data: [0, 0, 1, 255, 255, 255, 0] });
    const u = w.tensor(new Uint8Array([0, 1, 128, 255]));
    expectClose(u.cast('int32'), { shape: [4], dtype: 'int32', data: [0, 1, 128, 255] });
    expectClose(u.astype('float32'), { shape: [4], dtype: 'float32', data: [0, 1, 128, 255] });
  });

  it('-> bool is x != 0 (NaN is truthy); bool -> numbers', () => {
    const x = w.tensor([0, -0, 0.1, -3, NaN, Infinity]);
    const b = x.cast('bool');
    expectClose(b, { shape: [6], dtype: 'bool', data: [0, 0, 1, 1, 1, 1] });
    expectClose(w.tensor(new Int32Array([0, 5, -1])).cast('bool'), { shape: [3], dtype: 'bool', data: [0, 1, 1] });
    expectClose(w.tensor(new Uint8Array([0, 200])).cast('bool'), { shape: [2], dtype: 'bool', data: [0, 1] });
    expectClose(b.cast('float32'), { shape: [6], dtype: 'float32', data: [0, 0, 1, 1, 1, 1] });
    expectClose(b.cast('int32'), { shape: [6], dtype: 'int32', data: [0, 0, 1, 1, 1, 1] });
    expectClose(b.cast('uint8'), { shape: [6], dtype: 'uint8', data: [0, 0, 1, 1, 1, 1] });
    // comparison result -> float mask
    const m = w.greater(w.tensor([1, -1, 2]), 0).cast('float32');
    expectClose(m, { shape: [3], dtype: 'float32', data: [1, 0, 1] });
  });

  it('int32 -> float32 is exact for |x| < 2^24, cast to the same dtype keeps values', () => {
    const r = randData([50], { dtype: 'int32', lo: -16777216, hi: 16777216, seed: 8 });
    expectClose(W(r).cast('float32'), tf.cast(tfOf(r), 'float32'), { rtol: 0, atol: 0 });
    expectClose(W(r).cast('int32'), tfOf(r));
  });

  it('casts of 0-d, empty and strided tensors', () => {
    expectClose(w.scalar(3.9).cast('int32'), { shape: [], dtype: 'int32', data: [3] });
    expectClose(w.zeros([0, 4]).cast('uint8'), { shape: [0, 4], dtype: 'uint8', data: [] });
    const x = w.tensor([[1.5, 300], [-2.5, 7.9]]);
    expectClose(x.T.astype('uint8'), { shape: [2, 2], dtype: 'uint8', data: [1, 0, 255, 7] });
    expectClose(x.index('::-1').cast('int32'), { shape: [2, 2], dtype: 'int32', data: [-2, 7, 1, 300] });
    expectClose(w.cast(x, 'int32'), { shape: [2, 2], dtype: 'int32', data: [1, 300, -2, 7] });
  });
});
