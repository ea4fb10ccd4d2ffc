// Shared setup for the model tests: our runtime, the TF.js cpu reference with
// gradients registered (tfjs-layers' trainOnBatch needs them), and small data.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as wt from '../../src/index';

export { tf, wt };

export async function setup(): Promise<void> {
  await wt.ready();
  await tf.setBackend('cpu');
}

/** Deterministic floats in [-scale, scale). */
export function rand(n: number, seed: number, scale = 1): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return ((a / 2 ** 32) * 2 - 1) * scale;
  });
}

/**
 * A separable 3-class problem in 2-D: class k around the centre at angle
 * 2 pi k / 3, radius 2, noise +-0.6. Returns x [n,2], labels, one-hot y.
 */
export function blobs(n: number, seed: number): { x: wt.Tensor; labels: Int32Array; y: wt.Tensor } {
  const noise = rand(2 * n, seed, 0.6);
  const xs = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % 3;
    labels[i] = k;
    xs[2 * i] = 2 * Math.cos((2 * Math.PI * k) / 3) + noise[2 * i];
    xs[2 * i + 1] = 2 * Math.sin((2 * Math.PI * k) / 3) + noise[2 * i + 1];
  }
  const x = wt.tensor(xs, [n, 2]);
  return { x, labels, y: wt.utils.toCategorical(wt.tensor(labels, [n], 'int32'), 3) };
}

/** max |a - b| / (1 + |b|). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return worst;
}
