// maxPool and avgPool against tfjs-core's cpu backend (forward and tf.grads)
// plus finite differences; max pooling inputs are distinct values spaced
// wider than the finite-difference step, so no window has a tie.
import { beforeAll, describe, test } from 'vitest';
import { checkGrad, distinct, rand, setup, tf, wt } from '../autograd/gradcheck';

beforeAll(setup);

interface Case { shape: number[]; size: [number, number]; strides: [number, number]; pad: 'valid' | 'same' }

const cases: Case[] = [
  { shape: [1, 6, 6, 3], size: [2, 2], strides: [2, 2], pad: 'valid' },
  { shape: [7, 5, 7, 5], size: [2, 2], strides: [2, 2], pad: 'same' },
  { shape: [1, 9, 7, 8], size: [3, 3], strides: [1, 1], pad: 'same' },
  { shape: [7, 7, 5, 2], size: [3, 2], strides: [3, 2], pad: 'valid' },
  { shape: [1, 8, 9, 6], size: [3, 3], strides: [2, 3], pad: 'same' },
  { shape: [7, 4, 4, 1], size: [1, 1], strides: [1, 1], pad: 'valid' },
  { shape: [5, 6, 1], size: [2, 3], strides: [2, 2], pad: 'same' },
];

/**
 * With pad 'same' TF.js's cpu AvgPoolGrad divides by the full window size
 * while its forward divides by the taps inside the image, so its gradient is
 * not the forward's derivative there. The reference for 'same' is therefore
 * the same function from differentiable parts: a window sum (depthwiseConv2d
 * with a ones filter) divided by the constant count of taps inside the image.
 */
function refAvgPool(x: tf.Tensor4D | tf.Tensor3D, k: Case): tf.Tensor {
  if (k.pad === 'valid') return tf.avgPool(x, k.size, k.strides, k.pad);
  const c = x.shape[x.rank - 1];
  const ones = tf.ones([k.size[0], k.size[1], c, 1]) as tf.Tensor4D;
  const sums = tf.depthwiseConv2d(x, ones, k.strides, k.pad);
  const counts = tf.depthwiseConv2d(tf.onesLike(x), ones, k.strides, k.pad);
  return tf.div(sums, counts);
}

const name = (k: Case) => `x [${k.shape}] window ${k.size} strides ${k.strides} ${k.pad}`;

describe('maxPool vs tfjs-core cpu', () => {
  for (const k of cases) {
    test(name(k), () => {
      checkGrad({
        inputs: [distinct(k.shape)],
        ours: (x) => wt.maxPool(x, k.size, k.strides, k.pad),
        ref: (x) => tf.maxPool(x as tf.Tensor4D, k.size, k.strides, k.pad),
      });
    });
  }
});

describe('avgPool vs tfjs-core cpu', () => {
  for (const k of cases) {
    test(name(k), () => {
      checkGrad({
        inputs: [rand(k.shape)],
        ours: (x) => wt.avgPool(x, k.size, k.strides, k.pad),
        ref: (x) => refAvgPool(x as tf.Tensor4D, k),
      });
    });
  }
});
