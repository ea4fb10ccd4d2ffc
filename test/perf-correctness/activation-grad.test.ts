// The activation backward kernel (assembly/kernels/act_grad.ts): relu, relu6,
// sigmoid and tanh gradients computed in one pass from the output. Checked
// bit for bit against the unfused op chain it replaced (dy * mask, dy * y(1-y),
// dy * (1 - y^2)) at lengths around the 4-lane SIMD width and with special
// values, and against tf.grad (first and second order) as an independent reference.
import { beforeAll, describe, expect, test } from 'vitest';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as op from '../../assembly/opcodes';
import { activationGrad } from '../../src/ops/activation_grad';
import { expectClose, randData, tf, tfOf } from '../helpers/reference';
import { setupBoth, W, wt } from '../helpers/wt';

beforeAll(setupBoth);

const w = wt as any;

/** The op chains the activations' gradients used before the fused kernel (inputs x, output y). */
const UNFUSED: Record<string, (dy: any, x: any, y: any) => any> = {
  relu: (dy, x) => w.mul(dy, w.cast(w.greater(x, 0), 'float32')),
  relu6: (dy, x) => w.mul(dy, w.mul(w.cast(w.greater(x, 0), 'float32'), w.cast(w.less(x, 6), 'float32'))),
  sigmoid: (dy, _x, y) => w.mul(dy, w.mul(y, w.sub(1, y))),
  tanh: (dy, _x, y) => w.mul(dy, w.sub(1, w.square(y))),
};
const CODES: Record<string, number> = { relu: op.U_RELU, relu6: op.U_RELU6, sigmoid: op.U_SIGMOID, tanh: op.U_TANH };
// (tf.relu6's gradient fails in tfjs-core's cpu backend; clipByValue has the same derivative off the ends.)
const TF: Record<string, (x: any) => any> = { relu: tf.relu, relu6: (x) => tf.clipByValue(x, 0, 6), sigmoid: tf.sigmoid, tanh: tf.tanh };
const NAMES = Object.keys(CODES);

function bits(t: any): Uint32Array {
  return new Uint32Array(Float32Array.from(t.dataSync() as Float32Array).buffer);
}

describe('activationGrad kernel vs the unfused op chain (bitwise)', () => {
  // Tails below, at and above the 4-lane width, and a size with a long SIMD body.
  const sizes = [1, 3, 4, 5, 7, 8, 17, 1000, 4099];
  test.each(NAMES.flatMap((name) => sizes.map((n) => ({ name, n }))))('$name n=$n', ({ name, n }) => {
    w.tidy(() => {
      const x = W(randData([n], { seed: n + 11, lo: -8, hi: 8 }));
      const dy = W(randData([n], { seed: n + 29, lo: -2, hi: 2 }));
      const y = (w as any)[name](x);
      const fused = activationGrad(CODES[name], dy, y);
      expect(Array.from(bits(fused))).toEqual(Array.from(bits(UNFUSED[name](dy, x, y))));
    });
  });

  test.each(NAMES)('%s with special values (0, +-inf, NaN in x and dy; the 6 of relu6)', (name) => {
    w.tidy(() => {
      const xs = [0, -0, 6, -6, 1e-30, Infinity, -Infinity, NaN, 0.5, 3, 7, -1];
      const dys = [1, -1, Infinity, NaN, 2, 0.25, -Infinity, 1, NaN, Infinity, 3, -0];
      const x = w.tensor(xs);
      const dy = w.tensor(dys);
      const y = (w as any)[name](x);
      const fused = activationGrad(CODES[name], dy, y);
      expect(Array.from(bits(fused))).toEqual(Array.from(bits(UNFUSED[name](dy, x, y))));
    });
  });

  test('strided (transposed) dy and y are read through contiguous copies', () => {
    w.tidy(() => {
      const x = W(randData([6, 5], { seed: 3, lo: -3, hi: 3 }));
      const dy = W(randData([5, 6], { seed: 4 })).transpose();
      const y = w.relu(x);
      expect(Array.from(bits(activationGrad(op.U_RELU, dy, y)))).toEqual(Array.from(bits(UNFUSED.relu(dy, x, y))));
    });
  });

  test('rejects unsupported codes and mismatched shapes', () => {
    w.tidy(() => {
      const a = w.ones([3]);
      expect(() => activationGrad(op.U_GELU, a, a)).toThrow(/activationGrad: activation code/);
      expect(() => activationGrad(op.U_RELU, a, w.ones([4]))).toThrow(/activationGrad: dy shape \[3\] must equal y shape \[4\]/);
    });
  });
});

describe('activation gradients vs tf.grad', () => {
  test.each(NAMES)('%s: first order', (name) => {
    const r = randData([7, 9], { seed: 5, lo: -7, hi: 7 });
    const g = w.grad((x: any) => w.sum(w.mul((w as any)[name](x), w.range(0, 63).reshape([7, 9]))))(W(r));
    const want = tf.grad((x: any) => tf.sum(tf.mul(TF[name](x), tf.reshape(tf.range(0, 63), [7, 9]))))(tfOf(r));
    // TF.js computes sigmoid with its own exp: values agree to ~3e-5 relative.
    expectClose(g, want, { rtol: 1e-4, atol: 1e-6 });
  });

  // Second derivatives in closed form, float64: sigmoid'' = s(1-s)(1-2s), tanh'' = -2t(1-t^2).
  // (relu's and relu6's second derivative is zero: nothing on the tape depends on x.)
  const SECOND: Record<string, (v: number) => number> = {
    sigmoid: (v) => { const s = 1 / (1 + Math.exp(-v)); return s * (1 - s) * (1 - 2 * s); },
    tanh: (v) => { const t = Math.tanh(v); return -2 * t * (1 - t * t); },
  };
  test.each(Object.keys(SECOND))('%s: second order (grad of grad) vs the closed form', (name) => {
    const r = randData([11], { seed: 9, lo: -3, hi: 3 });
    const g2 = w.grad((x: any) => w.sum(w.grad((z: any) => w.sum((w as any)[name](z)))(x)))(W(r));
    expectClose(g2, { shape: [11], dtype: 'float32', data: Array.from(r.data as Float32Array, SECOND[name]) }, { rtol: 1e-4, atol: 1e-5 });
  });
});
