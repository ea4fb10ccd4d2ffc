// The seed walkthrough (shared/SEED-DIGEST.md): tensors and their attributes,
// MNIST-shaped slicing and batches on a synthetic uint8 (600,28,28) tensor
// (values checked against the JS numpy-index reference), the broadcasting
// example, the dot shape table, reshape and transpose examples, the Dense
// formula relu(dot(W, x) + b).
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, refDot, refIndex, randData, tf, tfOf } from './helpers/reference';
import { setupBoth, W, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

const M = [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]];

describe('Tensors', () => {
  it('scalar: ndim 0, shape ()', () => {
    const x = w.tensor(12);
    expect(x.ndim).toBe(0);
    expect(x.rank).toBe(0);
    expect(x.shape).toEqual([]);
    expect(x.size).toBe(1);
    expect(x.dtype).toBe('float32');
    expect(x.arraySync()).toBe(12);
    const s = w.scalar(12);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.arraySync()).toBe(12);
  });

  it('vector: ndim 1, shape (5,)', () => {
    const x = w.tensor([12, 3, 6, 14, 7]);
    expect(x.ndim).toBe(1);
    expect(x.shape).toEqual([5]);
    expect(x.size).toBe(5);
    expect(x.arraySync()).toEqual([12, 3, 6, 14, 7]);
  });

  it('matrix: ndim 2, shape (3,5); first row and first column', () => {
    const x = w.tensor(M);
    expect(x.ndim).toBe(2);
    expect(x.rank).toBe(2);
    expect(x.shape).toEqual([3, 5]);
    expect(x.dtype).toBe('float32');
    expect(x.index(0).arraySync()).toEqual([5, 78, 2, 34, 0]);
    expect(x.index('0').arraySync()).toEqual([5, 78, 2, 34, 0]);
    expect(x.index(':, 0').arraySync()).toEqual([5, 6, 7]);
    expect(Array.from(x.dataSync())).toEqual(M.flat());
    expect(x.strides).toEqual([5, 1]);
  });

  it('3-D: three copies of the matrix -> shape (3,3,5)', () => {
    const x = w.tensor([M, M, M]);
    expect(x.ndim).toBe(3);
    expect(x.shape).toEqual([3, 3, 5]);
    expect(x.size).toBe(45);
    expect(x.arraySync()).toEqual([M, M, M]);
  });

  it('the DESIGN example: tensor([[5,78,2],[6,79,3]])', async () => {
    const x = w.tensor([[5, 78, 2], [6, 79, 3]]);
    expect([x.ndim, x.rank, x.shape, x.dtype, x.size]).toEqual([2, 2, [2, 3], 'float32', 6]);
    expect(Array.from(await x.data())).toEqual([5, 78, 2, 6, 79, 3]);
    const s = x.toString();
    expect(typeof s).toBe('string');
    for (const v of ['5', '78', '2', '6', '79', '3', '[[', ']]']) expect(s).toContain(v);
  });
});

describe('Slicing and batches (MNIST-shaped uint8 (600,28,28))', () => {
  const N = 600;
  const r = randData([N, 28, 28], { dtype: 'uint8', seed: 2024 });
  let x: any;
  beforeAll(() => {
    x = W(r);
  });
  const check = (spec: string, shape: number[]) => {
    const y = x.index(spec);
    const ref = refIndex(r.data, r.shape, spec);
    expect(ref.shape).toEqual(shape);
    expectClose(y, { shape: ref.shape, dtype: 'uint8', data: ref.data }, { msg: `index('${spec}')` });
    return y;
  };

  it('train_images attributes', () => {
    expect(x.ndim).toBe(3);
    expect(x.shape).toEqual([N, 28, 28]);
    expect(x.dtype).toBe('uint8');
    const d = x.dataSync();
    expect(d).toBeInstanceOf(Uint8Array);
    expect(Math.max(...d.subarray(0, 5000))).toBeLessThanOrEqual(255);
    // train_images[4] is one 28x28 digit
    check('4', [28, 28]);
    expect(x.index(4).shape).toEqual([28, 28]);
  });

  it("[10:100] == [10:100, :, :] == [10:100, 0:28, 0:28] -> (90, 28, 28)", () => {
    const a = check('10:100', [90, 28, 28]);
    const b = check('10:100, :, :', [90, 28, 28]);
    const c = check('10:100, 0:28, 0:28', [90, 28, 28]);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(c.dataSync())).toEqual(Array.from(a.dataSync()));
  });

  it("bottom-right 14x14 [:, 14:, 14:] and centre crop [:, 7:-7, 7:-7]", () => {
    check(':, 14:, 14:', [N, 14, 14]);
    check(':, 7:-7, 7:-7', [N, 14, 14]);
  });

  it('batches: [:128], [128:256], the n-th [128*n : 128*(n+1)], the last partial one', () => {
    check(':128', [128, 28, 28]);
    check('128:256', [128, 28, 28]);
    const n = 3;
    check(`${128 * n}:${128 * (n + 1)}`, [128, 28, 28]);
    check(`${128 * 4}:${128 * 5}`, [88, 28, 28]);
  });

  it("'..., 0' and reshape (N,28,28) -> (N,784), astype('float32') / 255", () => {
    check('..., 0', [N, 28]);
    const flat = x.reshape([N, 28 * 28]);
    expect(flat.shape).toEqual([N, 784]);
    const f = flat.astype('float32');
    expect(f.dtype).toBe('float32');
    const scaled = w.div(f, 255);
    const want = Array.from(r.data.subarray(0, 784 * 2), (v) => Math.fround(v / 255));
    const got = scaled.index(':2').dataSync();
    expectClose({ shape: [want.length], dtype: 'float32', dataSync: () => got }, { shape: [want.length], dtype: 'float32', data: want });
  });
});

describe('Tensor operations', () => {
  it('broadcasting: X (32,10) + y (10,) and maximum((64,3,32,10), (32,10))', () => {
    const X = randData([32, 10], { seed: 1 });
    const y = randData([10], { seed: 2 });
    expectClose(w.add(W(X), W(y)), tf.add(tfOf(X), tfOf(y)));
    const a = randData([64, 3, 32, 10], { seed: 3 });
    const b = randData([32, 10], { seed: 4 });
    const z = w.maximum(W(a), W(b));
    expect(z.shape).toEqual([64, 3, 32, 10]);
    expectClose(z, tf.maximum(tfOf(a), tfOf(b)));
    // np.maximum(z, 0.) is relu
    expectClose(w.maximum(W(X), 0), tf.relu(tfOf(X)));
  });

  it('Dense as relu(dot(W, input) + b)', () => {
    const Wt = randData([512, 784], { seed: 5, lo: -0.05, hi: 0.05 });
    const inp = randData([784], { seed: 6, lo: 0, hi: 1 });
    const b = randData([512], { seed: 7, lo: -0.1, hi: 0.1 });
    const out = w.relu(w.add(w.dot(W(Wt), W(inp)), W(b)));
    const ref = refDot(Wt, inp).data.map((v, i) => Math.max(v + b.data[i], 0));
    expectClose(out, { shape: [512], dtype: 'float32', data: ref }, { rtol: 1e-4, atol: 1e-5 });
  });

  it('dot shape table', () => {
    const sh = (a: number[], b: number[]) => w.dot(w.ones(a), w.ones(b)).shape;
    expect(sh([5], [5])).toEqual([]);
    expect(sh([3, 5], [5])).toEqual([3]);
    expect(sh([3, 5], [5, 4])).toEqual([3, 4]);
    expect(sh([2, 3, 4, 5], [5])).toEqual([2, 3, 4]);
    expect(sh([2, 3, 4, 5], [5, 6])).toEqual([2, 3, 4, 6]);
    expect(w.dot(w.ones([2, 3, 4, 5]), w.ones([5, 6])).dataSync()[0]).toBe(5);
  });

  it('reshape (3,2) -> (6,1) -> (2,3) = [[0,1,2],[3,4,5]]; (60000,28,28)-like -> (.,784)', () => {
    const x = w.tensor([[0, 1], [2, 3], [4, 5]]);
    expect(x.shape).toEqual([3, 2]);
    const y = x.reshape([6, 1]);
    expect(y.shape).toEqual([6, 1]);
    expect(y.arraySync()).toEqual([[0], [1], [2], [3], [4], [5]]);
    const z = y.reshape([2, 3]);
    expect(z.arraySync()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(w.reshape(x, [2, -1]).arraySync()).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it('transpose zeros (300,20) -> (20,300)', () => {
    const x = w.zeros([300, 20]);
    const t = w.transpose(x);
    expect(t.shape).toEqual([20, 300]);
    expect(x.T.shape).toEqual([20, 300]);
    const d = t.dataSync();
    expect(d.length).toBe(6000);
    expect(d.every((v: number) => v === 0)).toBe(true);
  });

  it('MNIST label preprocessing: to_categorical', () => {
    const labels = w.tensor(new Int32Array([5, 0, 4, 1, 9]), [5]);
    const y = w.utils.toCategorical(labels);
    expect(y.shape).toEqual([5, 10]);
    expect(y.dtype).toBe('float32');
    expectClose(y, tf.oneHot(tf.tensor1d([5, 0, 4, 1, 9], 'int32'), 10), { dtype: 'float32' });
  });
});
