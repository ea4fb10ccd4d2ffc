// separableConv2d against tfjs-core's cpu backend (forward and tf.grads for x
// and both filters) plus central finite differences of our forward, over odd
// sizes, strides 1-3, dilation, both paddings, batch 1 and 7, multipliers 1
// and 2 and both data formats (TF.js itself takes NHWC only: the reference
// transposes around it).
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGrad, rand, setup, tf, wt } from '../autograd/gradcheck';
import { dilate } from './depthwise_ref';

beforeAll(setup);

interface Case {
  batch: number; h: number; w: number; c: number; mult: number; outC: number; fh: number; fw: number;
  strides: [number, number]; dilation: [number, number]; pad: 'valid' | 'same'; format: 'NHWC' | 'NCHW';
}

const cases: Case[] = [
  { batch: 1, h: 7, w: 9, c: 3, mult: 1, outC: 4, fh: 3, fw: 3, strides: [1, 1], dilation: [1, 1], pad: 'valid', format: 'NHWC' },
  { batch: 7, h: 5, w: 6, c: 5, mult: 2, outC: 3, fh: 3, fw: 2, strides: [2, 2], dilation: [1, 1], pad: 'same', format: 'NHWC' },
  { batch: 1, h: 9, w: 7, c: 18, mult: 1, outC: 5, fh: 2, fw: 3, strides: [3, 2], dilation: [1, 1], pad: 'valid', format: 'NHWC' },
  { batch: 7, h: 8, w: 9, c: 2, mult: 2, outC: 7, fh: 3, fw: 3, strides: [1, 1], dilation: [2, 2], pad: 'same', format: 'NHWC' },
  { batch: 7, h: 6, w: 5, c: 3, mult: 2, outC: 2, fh: 3, fw: 3, strides: [1, 2], dilation: [1, 1], pad: 'same', format: 'NCHW' },
  { batch: 1, h: 9, w: 8, c: 4, mult: 1, outC: 6, fh: 2, fw: 2, strides: [1, 1], dilation: [2, 1], pad: 'valid', format: 'NCHW' },
];

function refSeparable(x: tf.Tensor4D, dw: tf.Tensor4D, pw: tf.Tensor4D, k: Case): tf.Tensor4D {
  const filter = dilate(dilate(dw, k.dilation[0], 0), k.dilation[1], 1);
  const image = k.format === 'NCHW' ? tf.transpose(x, [0, 2, 3, 1]) : x;
  const y = tf.separableConv2d(image, filter, pw, k.strides, k.pad, 1, 'NHWC');
  return k.format === 'NCHW' ? tf.transpose(y, [0, 3, 1, 2]) : y;
}

const name = (k: Case) =>
  `${k.format} x [${k.batch},${k.h},${k.w},${k.c}] ${k.fh}x${k.fw} x${k.mult} -> ${k.outC} strides ${k.strides} dilation ${k.dilation} ${k.pad}`;

describe('separableConv2d vs tfjs-core cpu', () => {
  for (const k of cases) {
    test(name(k), () => {
      const xShape = k.format === 'NHWC' ? [k.batch, k.h, k.w, k.c] : [k.batch, k.c, k.h, k.w];
      checkGrad({
        inputs: [rand(xShape), rand([k.fh, k.fw, k.c, k.mult]), rand([1, 1, k.c * k.mult, k.outC])],
        ours: (x, dw, pw) => wt.separableConv2d(x, dw, pw, k.strides, k.pad, k.dilation, k.format),
        ref: (x, dw, pw) => refSeparable(x as tf.Tensor4D, dw as tf.Tensor4D, pw as tf.Tensor4D, k),
        rtol: 1e-4, atol: 1e-4,
      });
    });
  }

  test('TF.js forward with a dilation argument agrees; rank 3 is one image', () => {
    const x = rand([9, 8, 3]);
    const dw = rand([3, 3, 3, 2]);
    const pw = rand([1, 1, 6, 4]);
    const ours = wt.tidy(() => {
      const y = wt.separableConv2d(wt.tensor(x.data, x.shape), wt.tensor(dw.data, dw.shape), wt.tensor(pw.data, pw.shape), 1, 'same', 2);
      expect(y.shape).toEqual([9, 8, 4]);
      return y.dataSync();
    });
    const want = tf.tidy(() => tf.separableConv2d(tf.tensor3d(x.data as Float32Array, [9, 8, 3]),
      tf.tensor4d(dw.data as Float32Array, [3, 3, 3, 2]), tf.tensor4d(pw.data as Float32Array, [1, 1, 6, 4]), 1, 'same', 2).dataSync());
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(ours[i] - want[i]));
    expect(worst).toBeLessThan(1e-4);
  });

  test('temporaries are freed through forward and backward', () => {
    const x = wt.randomNormal([2, 3, 6, 5]);
    const dw = wt.randomNormal([3, 3, 3, 2]);
    const pw = wt.randomNormal([1, 1, 6, 4]);
    const before = wt.memory().numTensors;
    wt.separableConv2d(x, dw, pw, 2, 'same', 1, 'NCHW').dispose();
    const gs = wt.grads((a: wt.Tensor, b: wt.Tensor, c: wt.Tensor) => wt.sum(wt.separableConv2d(a, b, c, 1, 'valid', 1, 'NCHW')))([x, dw, pw]);
    expect(wt.memory().numTensors).toBe(before + 3);
    for (const t of [x, dw, pw, ...gs]) t.dispose();
  });
});

describe('separableConv2d bad input', () => {
  const x = () => wt.ones([2, 5, 5, 3]);
  const dw = () => wt.ones([3, 3, 3, 2]);
  test('pointwise filter shape, depthwise filter channels, rank, dilation with strides', () => {
    const before = wt.memory().numTensors;
    expect(() => wt.separableConv2d(x(), dw(), wt.ones([1, 1, 3, 4]), 1, 'same')).toThrow(
      'separableConv2d: pointwiseFilter must have shape [1, 1, 6, outChannels] (6 = inChannels * channelMultiplier), got shape [1,1,3,4]');
    expect(() => wt.separableConv2d(x(), dw(), wt.ones([3, 3, 6, 4]), 1, 'same')).toThrow('separableConv2d: pointwiseFilter must have shape [1, 1, 6, outChannels]');
    expect(wt.memory().numTensors - before).toBe(6);
    expect(() => wt.separableConv2d(x(), wt.ones([3, 3, 2, 2]), wt.ones([1, 1, 4, 4]), 1, 'same')).toThrow(
      'separableConv2d: x has 3 input channels (shape [2,5,5,3], NHWC) but depthwiseFilter expects 2 (depthwiseFilter shape [3,3,2,2])');
    expect(() => wt.separableConv2d(wt.ones([5, 5]), dw(), wt.ones([1, 1, 6, 4]), 1, 'same')).toThrow('separableConv2d: x must have rank 4 (a batch of images) or 3 (one image)');
    expect(() => wt.separableConv2d(x(), dw(), wt.ones([1, 1, 6, 4]), 2, 'same', 2)).toThrow('separableConv2d: strides [2,2] and dilations [2,2] cannot both be greater than 1');
    expect(() => wt.separableConv2d(x(), wt.ones([7, 3, 3, 2]), wt.ones([1, 1, 6, 4]), 1, 'valid')).toThrow(
      "separableConv2d: filter height 7 (dilation 1) spans 7 along an axis of size 5: larger than the input with pad 'valid'");
    expect(() => wt.separableConv2d(x(), dw(), 'pw' as never, 1, 'same')).toThrow("separableConv2d: pointwiseFilter must be a Tensor, got 'pw'");
  });
});
