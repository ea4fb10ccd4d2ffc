// depthwiseConv2d against tfjs-core's cpu backend (forward and tf.grads for x
// and the filter) plus central finite differences of our forward (checkGrad):
// odd sizes, strides 1-3, dilations 1-2, both paddings, batch 1 and 7,
// multipliers 1-3, both data formats, and channel counts that exercise the
// kernel's 16-, 4- and 1-channel paths.
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGrad, rand, setup, tf, wt } from '../autograd/gradcheck';
import { refDepthwise } from './depthwise_ref';

beforeAll(setup);

interface Case {
  batch: number; h: number; w: number; c: number; mult: number; fh: number; fw: number;
  strides: [number, number]; dilations: [number, number]; pad: 'valid' | 'same'; format: 'NHWC' | 'NCHW';
}

const cases: Case[] = [
  { batch: 1, h: 7, w: 9, c: 3, mult: 1, fh: 3, fw: 3, strides: [1, 1], dilations: [1, 1], pad: 'valid', format: 'NHWC' },
  { batch: 1, h: 7, w: 9, c: 21, mult: 1, fh: 3, fw: 3, strides: [1, 1], dilations: [1, 1], pad: 'same', format: 'NHWC' },
  { batch: 7, h: 5, w: 6, c: 2, mult: 2, fh: 2, fw: 3, strides: [2, 2], dilations: [1, 1], pad: 'same', format: 'NHWC' },
  { batch: 7, h: 9, w: 7, c: 5, mult: 1, fh: 3, fw: 2, strides: [3, 2], dilations: [1, 1], pad: 'valid', format: 'NHWC' },
  { batch: 1, h: 11, w: 8, c: 9, mult: 2, fh: 3, fw: 3, strides: [1, 1], dilations: [2, 2], pad: 'valid', format: 'NHWC' },
  { batch: 7, h: 6, w: 7, c: 1, mult: 3, fh: 3, fw: 2, strides: [1, 1], dilations: [2, 1], pad: 'same', format: 'NHWC' },
  { batch: 1, h: 5, w: 5, c: 17, mult: 1, fh: 1, fw: 1, strides: [3, 3], dilations: [1, 1], pad: 'same', format: 'NHWC' },
  { batch: 1, h: 4, w: 4, c: 4, mult: 1, fh: 5, fw: 5, strides: [1, 1], dilations: [1, 1], pad: 'same', format: 'NHWC' },
  { batch: 7, h: 5, w: 7, c: 3, mult: 2, fh: 3, fw: 3, strides: [2, 1], dilations: [1, 1], pad: 'same', format: 'NCHW' },
  { batch: 1, h: 8, w: 6, c: 6, mult: 1, fh: 2, fw: 2, strides: [1, 1], dilations: [2, 2], pad: 'valid', format: 'NCHW' },
  { batch: 1, h: 6, w: 9, c: 2, mult: 2, fh: 5, fw: 3, strides: [3, 3], dilations: [1, 1], pad: 'valid', format: 'NCHW' },
  { batch: 7, h: 7, w: 5, c: 20, mult: 1, fh: 3, fw: 3, strides: [2, 2], dilations: [1, 1], pad: 'same', format: 'NCHW' },
  // Pairs of output pixels (C >= 4) with dilation and an overlapping last block of 4; a bias-free wide row.
  { batch: 1, h: 9, w: 12, c: 7, mult: 1, fh: 3, fw: 3, strides: [1, 1], dilations: [2, 2], pad: 'same', format: 'NHWC' },
  { batch: 7, h: 4, w: 13, c: 33, mult: 1, fh: 2, fw: 3, strides: [1, 3], dilations: [1, 1], pad: 'valid', format: 'NHWC' },
];

const name = (k: Case) =>
  `${k.format} x [${k.batch},${k.h},${k.w},${k.c}] filter ${k.fh}x${k.fw} x${k.mult} strides ${k.strides} dilations ${k.dilations} ${k.pad}`;

describe('depthwiseConv2d vs tfjs-core cpu', () => {
  for (const k of cases) {
    test(name(k), () => {
      const xShape = k.format === 'NHWC' ? [k.batch, k.h, k.w, k.c] : [k.batch, k.c, k.h, k.w];
      checkGrad({
        inputs: [rand(xShape), rand([k.fh, k.fw, k.c, k.mult])],
        ours: (x, f) => wt.depthwiseConv2d(x, f, k.strides, k.pad, k.format, k.dilations),
        ref: (x, f) => refDepthwise(x as tf.Tensor4D, f as tf.Tensor4D, k),
        rtol: 1e-4, atol: 1e-4,
      });
    });
  }

  test('TF.js forward with dilations (no explicit filter dilation) agrees', () => {
    const x = rand([2, 9, 8, 5]);
    const f = rand([3, 2, 5, 2]);
    const ours = wt.tidy(() => wt.depthwiseConv2d(wt.tensor(x.data, x.shape), wt.tensor(f.data, f.shape), 1, 'same', 'NHWC', [2, 3]).dataSync());
    const want = tf.tidy(() => tf.depthwiseConv2d(tf.tensor4d(x.data as Float32Array, x.shape as [number, number, number, number]),
      tf.tensor4d(f.data as Float32Array, f.shape as [number, number, number, number]), 1, 'same', 'NHWC', [2, 3]).dataSync());
    expect(ours.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(ours[i] - want[i]));
    expect(worst).toBeLessThan(1e-4);
  });

  test('rank-3 input is one image; the result keeps rank 3', () => {
    checkGrad({
      inputs: [rand([6, 5, 3]), rand([3, 3, 3, 2])],
      ours: (x, f) => wt.depthwiseConv2d(x, f, 2, 'same'),
      ref: (x, f) => tf.depthwiseConv2d(x as tf.Tensor3D, f as tf.Tensor4D, 2, 'same'),
      rtol: 1e-4, atol: 1e-4,
    });
  });

  test('temporaries are freed: no tensors leak through forward and backward (NCHW, multiplier 2)', () => {
    const x = wt.randomNormal([2, 3, 5, 5]);
    const f = wt.randomNormal([3, 3, 3, 2]);
    const before = wt.memory().numTensors;
    const y = wt.depthwiseConv2d(x, f, 1, 'same', 'NCHW');
    expect(y.shape).toEqual([2, 6, 5, 5]);
    y.dispose();
    const [gx, gf] = wt.grads((a: wt.Tensor, b: wt.Tensor) => wt.sum(wt.depthwiseConv2d(a, b, 1, 'same', 'NCHW')))([x, f]);
    expect(wt.memory().numTensors).toBe(before + 2);
    for (const t of [x, f, gx, gf]) t.dispose();
  });
});

describe('depthwiseConv2d gradients of gradients', () => {
  // TF.js has no gradients for DepthwiseConv2dNativeBackprop*, so the reference
  // is conv2d (whose second derivatives test/conv/conv2d.test.ts checks against
  // TF.js) with the equivalent block-diagonal filter F[kh, kw, c, c*M + m] = f[kh, kw, c, m].
  const blockDiagonal = (f: wt.Tensor): wt.Tensor => {
    const [fh, fw, c, m] = f.shape;
    const spread = wt.mul(wt.reshape(f, [fh, fw, c, 1, m]), wt.reshape(wt.eye(c), [1, 1, c, c, 1]));
    return wt.reshape(spread, [fh, fw, c, c * m]);
  };
  test.each([1, 2])('through dL/dx and through dL/dfilter, L = sum(depthwiseConv2d(x, filter)^2), multiplier %i', (m) => {
    const [xs, fs] = [[2, 6, 5, 3], [3, 2, 3, m]];
    const [xi, fi, wi, vi] = [rand(xs), rand(fs), rand(xs), rand(fs)];
    const T = (i: { data: ArrayLike<number> }, s: number[]) => wt.tensor(i.data as Float32Array, s);
    const run = (conv: (a: wt.Tensor, b: wt.Tensor) => wt.Tensor) => wt.tidy(() => {
      const x = T(xi, xs);
      const f = T(fi, fs);
      const loss = (a: wt.Tensor, b: wt.Tensor) => wt.sum(wt.square(conv(a, b)));
      const viaX = wt.grad((b: wt.Tensor) => wt.sum(wt.mul(wt.grad((a: wt.Tensor) => loss(a, b))(x), T(wi, xs))))(f);
      const viaF = wt.grad((a: wt.Tensor) => wt.sum(wt.mul(wt.grad((b: wt.Tensor) => loss(a, b))(f), T(vi, fs))))(x);
      return [viaX.dataSync(), viaF.dataSync()];
    });
    const ours = run((a, b) => wt.depthwiseConv2d(a, b, [2, 1], 'same'));
    const want = run((a, b) => wt.conv2d(a, blockDiagonal(b), [2, 1], 'same'));
    for (let j = 0; j < 2; j++) {
      expect(ours[j].length).toBe(want[j].length);
      let worst = 0;
      for (let i = 0; i < want[j].length; i++) worst = Math.max(worst, Math.abs(ours[j][i] - want[j][i]) / (1 + Math.abs(want[j][i])));
      expect(worst, j === 0 ? 'through dL/dx' : 'through dL/dfilter').toBeLessThan(1e-4);
    }
  });
});

describe('depthwiseConv2d bad input: the error names the op, the argument and what was expected', () => {
  const x = () => wt.ones([2, 5, 5, 3]);
  const f = () => wt.ones([3, 3, 3, 2]);
  test('a kernel larger than the input with pad valid (fine with same)', () => {
    expect(() => wt.depthwiseConv2d(x(), wt.ones([6, 2, 3, 1]), 1, 'valid')).toThrow(
      "depthwiseConv2d: filter height 6 (dilation 1) spans 6 along an axis of size 5: larger than the input with pad 'valid'");
    expect(() => wt.depthwiseConv2d(x(), f(), 1, 'valid', 'NHWC', [1, 3])).toThrow('depthwiseConv2d: filter width 3 (dilation 3) spans 7 along an axis of size 5');
    expect(wt.depthwiseConv2d(x(), wt.ones([6, 2, 3, 1]), 1, 'same').shape).toEqual([2, 5, 5, 3]);
  });
  test('wrong ranks', () => {
    expect(() => wt.depthwiseConv2d(wt.ones([5, 5]), f(), 1, 'same')).toThrow('depthwiseConv2d: x must have rank 4 (a batch of images) or 3 (one image), got shape [5,5]');
    expect(() => wt.depthwiseConv2d(x(), wt.ones([3, 3, 3]), 1, 'same')).toThrow(
      'depthwiseConv2d: filter must have rank 4 [filterHeight, filterWidth, inChannels, channelMultiplier], got shape [3,3,3]');
  });
  test('channel mismatch, in either data format', () => {
    expect(() => wt.depthwiseConv2d(x(), wt.ones([3, 3, 2, 1]), 1, 'same')).toThrow(
      'depthwiseConv2d: x has 3 input channels (shape [2,5,5,3], NHWC) but filter expects 2 (filter shape [3,3,2,1])');
    expect(() => wt.depthwiseConv2d(x(), f(), 1, 'same', 'NCHW')).toThrow('depthwiseConv2d: x has 5 input channels (shape [2,5,5,3], NCHW) but filter expects 3');
  });
  test('arguments', () => {
    expect(() => wt.depthwiseConv2d('x' as never, f(), 1, 'same')).toThrow("depthwiseConv2d: x must be a Tensor, got 'x'");
    expect(() => wt.depthwiseConv2d(x(), wt.ones([3, 3, 3, 1], 'int32'), 1, 'same')).toThrow("depthwiseConv2d: filter has dtype 'int32', expected 'float32'");
    expect(() => wt.depthwiseConv2d(x(), f(), [1, 0] as never, 'same')).toThrow('depthwiseConv2d: strides must be a positive integer or a pair [h, w] of them');
    expect(() => wt.depthwiseConv2d(x(), f(), 1, 'full' as never)).toThrow("depthwiseConv2d: pad must be 'valid' or 'same', got 'full'");
    expect(() => wt.depthwiseConv2d(x(), f(), 1, 'same', 'NWHC' as never)).toThrow("depthwiseConv2d: dataFormat must be 'NHWC' or 'NCHW', got 'NWHC'");
    expect(() => wt.depthwiseConv2d(x(), f(), 2, 'same', 'NHWC', 2)).toThrow('depthwiseConv2d: strides [2,2] and dilations [2,2] cannot both be greater than 1');
    const gone = x();
    gone.dispose();
    expect(() => wt.depthwiseConv2d(gone, f(), 1, 'same')).toThrow(/^depthwiseConv2d: x is a disposed tensor/);
  });
});

describe('depthwiseConv2d on the worker pool (threaded builds)', () => {
  test('a forward split over output rows equals the one-thread result, bias, stride and both grads included', async () => {
    const before = wt.getThreads();
    const run = () => wt.tidy(() => {
      const x = wt.randomNormal([4, 37, 29, 70], 0, 1, 1);
      const f = wt.randomNormal([3, 3, 70, 1], 0, 1, 2);
      // 4 * 37 * 29 * 70 * 9 multiply-adds: above the split threshold (4 * macs >= threadsMinMatMul, 2^22).
      const [gx, gf] = wt.grads((a: wt.Tensor, b: wt.Tensor) => wt.sum(wt.square(wt.depthwiseConv2d(a, b, 1, 'same'))))([x, f]);
      return [wt.depthwiseConv2d(x, f, [2, 1], 'same').dataSync(), gx.dataSync(), gf.dataSync()];
    });
    try {
      await wt.setThreads(1);
      const one = run();
      await wt.setThreads(2);
      const two = run();
      for (let i = 0; i < 3; i++) expect(Array.from(two[i])).toEqual(Array.from(one[i]));
    } finally {
      await wt.setThreads(before);
    }
  });
});
