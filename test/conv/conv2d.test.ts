// conv2d against tfjs-core's cpu backend (forward and tf.grads for x and the
// filter) plus central finite differences of our forward (checkGrad), over
// odd sizes, strides 1-3, dilations 1-2, both paddings, batch 1 and 7 and
// both data formats.
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGrad, rand, setup, tf, wt } from '../autograd/gradcheck';

beforeAll(setup);

interface Case {
  batch: number; h: number; w: number; c: number; outC: number; fh: number; fw: number;
  strides: [number, number]; dilations: [number, number]; pad: 'valid' | 'same'; format: 'NHWC' | 'NCHW';
}

const cases: Case[] = [
  { batch: 1, h: 7, w: 9, c: 3, outC: 4, fh: 3, fw: 3, strides: [1, 1], dilations: [1, 1], pad: 'valid', format: 'NHWC' },
  { batch: 1, h: 7, w: 9, c: 3, outC: 4, fh: 3, fw: 3, strides: [1, 1], dilations: [1, 1], pad: 'same', format: 'NHWC' },
  { batch: 7, h: 5, w: 6, c: 2, outC: 3, fh: 2, fw: 3, strides: [2, 2], dilations: [1, 1], pad: 'same', format: 'NHWC' },
  { batch: 7, h: 9, w: 7, c: 5, outC: 2, fh: 3, fw: 2, strides: [3, 2], dilations: [1, 1], pad: 'valid', format: 'NHWC' },
  { batch: 1, h: 11, w: 8, c: 6, outC: 5, fh: 3, fw: 3, strides: [1, 1], dilations: [2, 2], pad: 'valid', format: 'NHWC' },
  { batch: 7, h: 6, w: 7, c: 1, outC: 3, fh: 3, fw: 2, strides: [1, 1], dilations: [2, 1], pad: 'same', format: 'NHWC' },
  { batch: 1, h: 5, w: 5, c: 4, outC: 7, fh: 1, fw: 1, strides: [3, 3], dilations: [1, 1], pad: 'same', format: 'NHWC' },
  { batch: 7, h: 5, w: 7, c: 3, outC: 4, fh: 3, fw: 3, strides: [2, 1], dilations: [1, 1], pad: 'same', format: 'NCHW' },
  { batch: 1, h: 8, w: 6, c: 5, outC: 3, fh: 2, fw: 2, strides: [1, 1], dilations: [2, 2], pad: 'valid', format: 'NCHW' },
  { batch: 1, h: 6, w: 9, c: 2, outC: 2, fh: 5, fw: 3, strides: [3, 3], dilations: [1, 1], pad: 'valid', format: 'NCHW' },
];

/**
 * TF.js has no gradient for dilated conv2d, so the dilated reference convolves
 * with the filter dilated explicitly (zeros between the taps, built from pad,
 * reshape and slice, which TF.js differentiates): the same function.
 */
function dilate(f: tf.Tensor4D, d: number, axis: 0 | 1): tf.Tensor4D {
  if (d === 1) return f;
  const [fh, fw, c, o] = f.shape;
  const n = axis === 0 ? fh : fw;
  const spread = axis === 0
    ? tf.reshape(tf.pad(tf.reshape(f, [fh, 1, fw, c, o]), [[0, 0], [0, d - 1], [0, 0], [0, 0], [0, 0]]), [fh * d, fw, c, o])
    : tf.reshape(tf.pad(tf.reshape(f, [fh, fw, 1, c, o]), [[0, 0], [0, 0], [0, d - 1], [0, 0], [0, 0]]), [fh, fw * d, c, o]);
  const size = axis === 0 ? [(n - 1) * d + 1, fw, c, o] : [fh, (n - 1) * d + 1, c, o];
  return tf.slice(spread, [0, 0, 0, 0], size) as tf.Tensor4D;
}

function refConv(x: tf.Tensor4D, f: tf.Tensor4D, k: Case): tf.Tensor4D {
  const filter = dilate(dilate(f, k.dilations[0], 0), k.dilations[1], 1);
  return tf.conv2d(x, filter, k.strides, k.pad, k.format);
}

const name = (k: Case) =>
  `${k.format} x [${k.batch},${k.h},${k.w},${k.c}] filter ${k.fh}x${k.fw}x${k.outC} strides ${k.strides} dilations ${k.dilations} ${k.pad}`;

describe('conv2d vs tfjs-core cpu', () => {
  for (const k of cases) {
    test(name(k), () => {
      const xShape = k.format === 'NHWC' ? [k.batch, k.h, k.w, k.c] : [k.batch, k.c, k.h, k.w];
      checkGrad({
        inputs: [rand(xShape), rand([k.fh, k.fw, k.c, k.outC])],
        ours: (x, f) => wt.conv2d(x, f, k.strides, k.pad, k.format, k.dilations),
        ref: (x, f) => refConv(x as tf.Tensor4D, f as tf.Tensor4D, k),
        rtol: 1e-4, atol: 1e-4,
      });
    });
  }

  test('rank-3 input is one image; the result keeps rank 3', () => {
    checkGrad({
      inputs: [rand([6, 5, 3]), rand([3, 3, 3, 2])],
      ours: (x, f) => wt.conv2d(x, f, 2, 'same'),
      ref: (x, f) => tf.conv2d(x as tf.Tensor3D, f as tf.Tensor4D, 2, 'same'),
      rtol: 1e-4, atol: 1e-4,
    });
  });

  test('a strided view as input (the im2col kernel reads a contiguous copy)', () => {
    const x = wt.tidy(() => wt.transpose(wt.randomNormal([2, 3, 6, 5]), [0, 2, 3, 1]));
    const f = wt.randomNormal([3, 3, 3, 4]);
    const y = wt.conv2d(x, f, 1, 'same');
    const ref = tf.conv2d(tf.tensor4d(x.dataSync() as Float32Array, x.shape as [number, number, number, number]),
      tf.tensor4d(f.dataSync() as Float32Array, [3, 3, 3, 4]), 1, 'same');
    const a = y.dataSync();
    const b = ref.dataSync();
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThan(1e-4);
    for (const t of [x, f, y]) t.dispose();
    ref.dispose();
  });

  test('temporaries are freed: no tensors leak through forward and backward', () => {
    const x = wt.randomNormal([2, 3, 5, 5]);
    const f = wt.randomNormal([3, 3, 3, 2]);
    const before = wt.memory().numTensors;
    const [gx, gf] = wt.grads((a: wt.Tensor, b: wt.Tensor) => wt.sum(wt.conv2d(a, b, 1, 'same', 'NCHW')))([x, f]);
    expect(wt.memory().numTensors).toBe(before + 2);
    for (const t of [x, f, gx, gf]) t.dispose();
  });
});

describe('conv2d gradients of gradients', () => {
  test('d/dfilter of sum(dL/dx * w), L = sum(conv2d(x, filter)^2): matches TF.js', () => {
    const [xs, fs, ws] = [[2, 6, 5, 3], [3, 2, 3, 4], [2, 6, 5, 3]];
    const [xi, fi, wi] = [rand(xs), rand(fs), rand(ws)];
    const ours = wt.tidy(() => {
      const x = wt.tensor(xi.data, xs);
      const w = wt.tensor(wi.data, ws);
      const outer = wt.grad((f: wt.Tensor) => {
        const inner = wt.grad((a: wt.Tensor) => wt.sum(wt.square(wt.conv2d(a, f, [2, 1], 'same'))));
        return wt.sum(wt.mul(inner(x), w));
      });
      return outer(wt.tensor(fi.data, fs)).dataSync();
    });
    const want = tf.tidy(() => {
      const x = tf.tensor4d(xi.data as Float32Array, xs as [number, number, number, number]);
      const w = tf.tensor(wi.data as Float32Array, ws);
      const outer = tf.grad((f: tf.Tensor) => {
        const inner = tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, [2, 1], 'same'))));
        return tf.sum(tf.mul(inner(x), w));
      });
      return outer(tf.tensor4d(fi.data as Float32Array, fs as [number, number, number, number])).dataSync();
    });
    expect(ours.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(ours[i] - want[i]) / (1 + Math.abs(want[i])));
    expect(worst).toBeLessThan(1e-4);
  });
});

describe('flag convChunkBytes (inference over groups of images)', () => {
  test('chunked results equal one pass, in both data formats; gradients are unaffected', () => {
    const saved = wt.getFlags().convChunkBytes;
    try {
      for (const format of ['NHWC', 'NCHW'] as const) {
        const x = wt.randomNormal(format === 'NHWC' ? [7, 9, 8, 3] : [7, 3, 9, 8], 0, 1, 5);
        const f = wt.randomNormal([3, 3, 3, 5], 0, 1, 6);
        wt.setFlags({ convChunkBytes: 0 });
        const whole = wt.conv2d(x, f, [2, 1], 'same', format).dataSync();
        const gWhole = wt.grad((a: wt.Tensor) => wt.sum(wt.square(wt.conv2d(a, f, 1, 'valid', format))))(x).dataSync();
        // 3 images' patch matrices (9 * 8 * 27 floats each for 'same', stride [2, 1]: 5 * 8 * 27) per pass.
        wt.setFlags({ convChunkBytes: 3 * 5 * 8 * 27 * 4 });
        const before = wt.memory().numTensors;
        const y = wt.conv2d(x, f, [2, 1], 'same', format);
        expect(wt.memory().numTensors).toBe(before + 1);
        expect(y.shape).toEqual(format === 'NHWC' ? [7, 5, 8, 5] : [7, 5, 5, 8]);
        const parts = y.dataSync();
        let worst = 0;
        for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(parts[i] - whole[i]));
        expect(worst).toBeLessThan(1e-5);
        const g = wt.grad((a: wt.Tensor) => wt.sum(wt.square(wt.conv2d(a, f, 1, 'valid', format))))(x).dataSync();
        expect(Array.from(g)).toEqual(Array.from(gWhole));
        for (const t of [x, f, y]) t.dispose();
      }
    } finally {
      wt.setFlags({ convChunkBytes: saved });
    }
  });
});
