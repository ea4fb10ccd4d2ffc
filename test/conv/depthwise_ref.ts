// TF.js references for the depthwise and separable conv tests.
import { tf } from '../autograd/gradcheck';

interface RefArgs {
  strides: [number, number];
  dilations: [number, number];
  pad: 'valid' | 'same';
  format: 'NHWC' | 'NCHW';
}

/**
 * TF.js has no gradient for dilated depthwise convolution, so the dilated
 * reference convolves with the filter dilated explicitly (zeros between the
 * taps, from pad, reshape and slice, which TF.js differentiates).
 */
export function dilate(f: tf.Tensor4D, d: number, axis: 0 | 1): tf.Tensor4D {
  if (d === 1) return f;
  const [fh, fw, c, o] = f.shape;
  const n = axis === 0 ? fh : fw;
  const spread = axis === 0
    ? tf.reshape(tf.pad(tf.reshape(f, [fh, 1, fw, c, o]), [[0, 0], [0, d - 1], [0, 0], [0, 0], [0, 0]]), [fh * d, fw, c, o])
    : tf.reshape(tf.pad(tf.reshape(f, [fh, fw, 1, c, o]), [[0, 0], [0, 0], [0, d - 1], [0, 0], [0, 0]]), [fh, fw * d, c, o]);
  const size = axis === 0 ? [(n - 1) * d + 1, fw, c, o] : [fh, (n - 1) * d + 1, c, o];
  return tf.slice(spread, [0, 0, 0, 0], size) as tf.Tensor4D;
}

/** TF.js depthwiseConv2d in NHWC (NCHW transposed around it), dilation as an explicitly dilated filter. */
export function refDepthwise(x: tf.Tensor4D, f: tf.Tensor4D, k: RefArgs): tf.Tensor4D {
  const filter = dilate(dilate(f, k.dilations[0], 0), k.dilations[1], 1);
  const image = k.format === 'NCHW' ? tf.transpose(x, [0, 2, 3, 1]) : x;
  const y = tf.depthwiseConv2d(image, filter, k.strides, k.pad);
  return k.format === 'NCHW' ? tf.transpose(y, [0, 3, 1, 2]) : y;
}
