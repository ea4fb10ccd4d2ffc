// wt.image.resizeBilinear against tfjs-core's cpu tf.image.resizeBilinear
// (forward, every flag combination, up and down, rank 3 and 4, channel counts
// on and off the SIMD width), its gradient against tf.grads of the same
// resize written as two interpolation-matrix products (tfjs-core's own
// ResizeBilinearGrad ignores halfPixelCenters) plus finite differences, and
// UpSampling2D 'bilinear' against Keras's values worked by hand.
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGrad, rand, setup, tf, wt } from '../autograd/gradcheck';

beforeAll(setup);

interface Case { shape: number[]; size: [number, number] }
const cases: Case[] = [
  { shape: [1, 2, 2, 1], size: [4, 4] },
  { shape: [2, 3, 5, 4], size: [7, 9] },
  { shape: [1, 6, 7, 5], size: [3, 4] }, // down
  { shape: [3, 4, 3, 9], size: [4, 8] }, // one axis unchanged
  { shape: [5, 4, 3], size: [10, 1] }, // rank 3, to a single column
  { shape: [1, 1, 1, 3], size: [3, 2] }, // from a single pixel
];
const FLAGS: [boolean, boolean][] = [[false, false], [true, false], [false, true]];
const label = (k: Case, [align, half]: [boolean, boolean]) => `[${k.shape}] -> ${k.size} alignCorners=${align} halfPixelCenters=${half}`;

/** TF's interpolation along one axis as a dense [out, in] matrix (rows: the two taps' weights). */
function interpolationMatrix(inSize: number, outSize: number, align: boolean, half: boolean): tf.Tensor2D {
  const m = new Float32Array(outSize * inSize);
  const scale = align && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const src = half ? scale * (i + 0.5) - 0.5 : scale * i;
    const lo = Math.max(0, Math.floor(src));
    const hi = Math.min(inSize - 1, Math.ceil(src));
    const f = Math.fround(src - lo);
    m[i * inSize + lo] += 1 - f;
    m[i * inSize + hi] += f;
  }
  return tf.tensor2d(m, [outSize, inSize]);
}

/** The same resize from differentiable tfjs ops: y[n] = Ah · x[n] · Aw^T per channel. */
function separableReference(x: tf.Tensor, size: [number, number], align: boolean, half: boolean): tf.Tensor {
  const x4 = (x.rank === 3 ? tf.expandDims(x, 0) : x) as tf.Tensor4D;
  const [n, h, w, c] = x4.shape;
  const ah = interpolationMatrix(h, size[0], align, half);
  const aw = interpolationMatrix(w, size[1], align, half);
  const rows = tf.matMul(tf.broadcastTo(ah, [n, size[0], h]), tf.reshape(x4, [n, h, w * c])); // [n, OH, W*C]
  const byCol = tf.reshape(tf.transpose(tf.reshape(rows, [n, size[0], w, c]), [0, 1, 3, 2]), [n, size[0] * c, w]);
  const cols = tf.matMul(byCol, tf.broadcastTo(aw, [n, size[1], w]), false, true); // [n, OH*C, OW]
  const y = tf.transpose(tf.reshape(cols, [n, size[0], c, size[1]]), [0, 1, 3, 2]); // [n, OH, OW, C]
  return x.rank === 3 ? tf.squeeze(y, [0]) : y;
}

describe('image.resizeBilinear vs tfjs-core cpu', () => {
  for (const k of cases) {
    for (const flags of FLAGS) {
      test(`forward ${label(k, flags)}`, () => {
        const x = rand(k.shape);
        const want = tf.tidy(() => tf.image.resizeBilinear(tf.tensor(x.data, x.shape) as tf.Tensor4D, k.size, ...flags).dataSync());
        const got = wt.tidy(() => wt.image.resizeBilinear(wt.tensor(x.data, x.shape), k.size, ...flags).dataSync());
        expect(got.length).toBe(want.length);
        for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i], 5);
      });
      test(`gradient ${label(k, flags)}`, () => {
        checkGrad({
          inputs: [rand(k.shape)],
          ours: (x) => wt.image.resizeBilinear(x, k.size, ...flags),
          ref: (x) => separableReference(x, k.size, ...flags),
        });
      });
    }
  }

  test('the gradient of the gradient is the resize (second order through the adjoint)', () => {
    const x = wt.randomUniform([1, 3, 4, 2], -1, 1, 'float32', 3);
    const g = wt.randomUniform([1, 5, 7, 2], -1, 1, 'float32', 4);
    const h = wt.randomUniform([1, 3, 4, 2], -1, 1, 'float32', 5);
    // d/dg of sum(adjoint(g) * h) = resize(h), because the adjoint is linear in g.
    const adjoint = (v: wt.Tensor) => wt.grad((t: wt.Tensor) => wt.sum(wt.mul(wt.image.resizeBilinear(t, [5, 7], false, true), v)))(x);
    const viaGrad = wt.grad((v: wt.Tensor) => wt.sum(wt.mul(adjoint(v), h)))(g).dataSync();
    const direct = wt.image.resizeBilinear(h, [5, 7], false, true).dataSync();
    for (let i = 0; i < direct.length; i++) expect(viaGrad[i]).toBeCloseTo(direct[i], 5);
  });

  test('bad input names the function and the argument', () => {
    const x = wt.zeros([1, 2, 2, 1]);
    expect(() => wt.image.resizeBilinear(x, [0, 2])).toThrow(/^image.resizeBilinear: size must be \[newHeight, newWidth\], two positive integers, got \[0,2\]/);
    expect(() => wt.image.resizeBilinear(x, [2] as never)).toThrow(/^image.resizeBilinear: size must be/);
    expect(() => wt.image.resizeBilinear(x, [2, 2], true, true)).toThrow(/^image.resizeBilinear: alignCorners and halfPixelCenters cannot both be true/);
    expect(() => wt.image.resizeBilinear(x, [2, 2], 1 as never)).toThrow(/^image.resizeBilinear: alignCorners must be a boolean, got /);
    expect(() => wt.image.resizeBilinear(wt.zeros([2, 2]), [2, 2])).toThrow(/^image.resizeBilinear: x must have rank 4/);
    expect(() => wt.image.resizeBilinear(wt.zeros([1, 2, 2, 1], 'int32'), [2, 2])).toThrow(/^image.resizeBilinear: images has dtype 'int32', expected 'float32'/);
    expect(wt.image.resizeBilinear(x, [3, 3]).shape).toEqual([1, 3, 3, 1]); // still working
  });
});

describe("UpSampling2D interpolation 'bilinear' (Keras: half-pixel centres)", () => {
  // Keras 2/3: UpSampling2D(size=2, interpolation='bilinear') on [[1, 2], [3, 4]]
  // samples at (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25, clamped at the edges.
  const keras = [
    1, 1.25, 1.75, 2,
    1.5, 1.75, 2.25, 2.5,
    2.5, 2.75, 3.25, 3.5,
    3, 3.25, 3.75, 4,
  ];
  test('channels last, and channels first by transposes, match the values worked by hand', () => {
    const layer = wt.layers.upSampling2d({ size: 2, interpolation: 'bilinear' });
    const y = layer.apply(wt.tensor([1, 2, 3, 4], [1, 2, 2, 1])) as wt.Tensor;
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(Array.from(y.dataSync())).toEqual(keras);
    const first = wt.layers.upSampling2d({ size: [2, 2], interpolation: 'bilinear', dataFormat: 'channelsFirst' });
    const two = wt.tensor([1, 2, 3, 4, 10, 20, 30, 40], [1, 2, 2, 2]); // two channels, [1, C, H, W]
    const z = first.apply(two) as wt.Tensor;
    expect(z.shape).toEqual([1, 2, 4, 4]);
    expect(Array.from(z.dataSync())).toEqual([...keras, ...keras.map((v) => v * 10)]);
    expect(layer.getConfig().interpolation).toBe('bilinear');
  });

  test('round trip through the layer config keeps bilinear', () => {
    const model = wt.sequential();
    model.add(wt.layers.upSampling2d({ size: [2, 3], interpolation: 'bilinear', inputShape: [2, 2, 1] }));
    const config = wt.layers.serialize(model.layers[0]);
    expect(config.config.interpolation).toBe('bilinear');
    const copy = wt.layers.deserialize(config) as wt.Layer;
    const x = wt.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(Array.from((copy.apply(x) as wt.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as wt.Tensor).dataSync()));
  });
});
