// gather vs tfjs-core's tf.gather (forward, several axes and dtypes) and
// tf.grad (scatter-add gradient with repeated indices).
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as wt from '../../src/index';

beforeAll(async () => {
  await wt.ready();
  await tf.setBackend('cpu');
});

const data = (n: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 3);

describe('gather', () => {
  test.each([
    { shape: [5, 3], idx: [4, 0, 2, 2], axis: 0 },
    { shape: [4, 6, 2], idx: [5, 1, 0], axis: 1 },
    { shape: [3, 7], idx: [6, 6, 0, 3, 1], axis: -1 },
    { shape: [6], idx: [[1, 2], [5, 0]], axis: 0 },
  ])('float32 $shape axis $axis matches tf.gather', ({ shape, idx, axis }) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const got = wt.gather(wt.tensor(data(n), shape), wt.tensor(idx as number[], undefined, 'int32'), axis);
    const want = tf.gather(tf.tensor(data(n), shape), tf.tensor(idx as number[], undefined, 'int32'), axis);
    expect(got.shape).toEqual(want.shape);
    expect(Array.from(got.dataSync())).toEqual(Array.from(want.dataSync()));
  });

  test('uint8 and int32 rows, indices from an Int32Array, a strided source', () => {
    const x = wt.tensor(Uint8Array.from({ length: 12 }, (_, i) => i * 7), [4, 3]);
    const got = wt.gather(x, Int32Array.from([3, 1]));
    expect(got.dtype).toBe('uint8');
    expect(got.arraySync()).toEqual([[63, 70, 77], [21, 28, 35]]);
    const xi = wt.tensor(Int32Array.from({ length: 12 }, (_, i) => -i), [4, 3]).T; // [3,4] view
    expect(wt.gather(xi, [2, 0]).arraySync()).toEqual(tf.gather(tf.transpose(tf.tensor2d(Array.from({ length: 12 }, (_, i) => -i), [4, 3], 'int32')), [2, 0]).arraySync());
  });

  test('gradient scatter-adds into repeated rows (vs tf.grad)', () => {
    const xs = data(12);
    const idx = [2, 0, 2, 3, 2];
    const w = Float32Array.from({ length: 15 }, (_, i) => (i % 4) - 1.5);
    const g = wt.grad((x) => wt.sum(wt.mul(wt.gather(x, idx), wt.tensor(w, [5, 3]))))(wt.tensor(xs, [4, 3]));
    const r = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.gather(x, tf.tensor1d(idx, 'int32')), tf.tensor(w, [5, 3]))))(tf.tensor(xs, [4, 3]));
    expect(Array.from(g.dataSync())).toEqual(Array.from(r.dataSync()));
    const g1 = wt.grad((x) => wt.sum(wt.square(wt.gather(x, [1, 1], 1))))(wt.tensor(xs, [4, 3]));
    const r1 = tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.gather(x, tf.tensor1d([1, 1], 'int32'), 1))))(tf.tensor(xs, [4, 3]));
    expect(Array.from(g1.dataSync())).toEqual(Array.from(r1.dataSync()));
  });

  test('clear errors: index out of range, float indices, bad axis; nothing leaks', () => {
    const x = wt.tensor(data(6), [3, 2]);
    const floatIdx = wt.tensor([0, 1]);
    const before = wt.memory().numTensors;
    expect(() => wt.gather(x, [0, 3])).toThrow(/^gather: indices\[1\] \(flat index\) is 3, out of range \[0, 3\) for axis 0/);
    expect(() => wt.gather(x, [-1])).toThrow(/is -1, out of range/);
    expect(() => wt.gather(x, floatIdx)).toThrow("gather: indices must have dtype 'int32', got 'float32'");
    expect(() => wt.gather(x, [0], 2)).toThrow(/^gather: axis 2 is out of bounds/);
    expect(wt.memory().numTensors).toBe(before);
    expect(wt.gather(x, [2]).arraySync()).toEqual([Array.from(data(6).slice(4, 6))]);
  });
});
