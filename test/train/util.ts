// Shared test glue for test/train: setup of both runtimes and array comparison.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { expect } from 'vitest';
import * as wt from '../../src/index';
import { prng } from '../helpers/reference';

export { tf, wt };

export async function setup(): Promise<void> {
  await wt.ready();
  await tf.setBackend('cpu');
}

/** n float32-representable values uniform in [lo, hi). */
export function floats(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rnd = prng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rnd());
}

/** Elementwise |a - b| <= atol + rtol |b|, with the worst element in the message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol = 0, msg = ''): void {
  expect(actual.length, `${msg}: length`).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i] - expected[i]) - (atol + rtol * Math.abs(expected[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`${msg}: element ${worst} is ${actual[worst]}, expected ${expected[worst]} (atol ${atol}, rtol ${rtol})`);
  }
}

/** The single value of a scalar tensor (ours or TF.js's). */
export function value(t: { dataSync(): ArrayLike<number> }): number {
  return t.dataSync()[0];
}
