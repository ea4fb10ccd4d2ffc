// Shared setup for the functional-API tests: our runtime and tfjs-layers
// (cpu backend, gradients registered) from the io helpers, deterministic
// data, and copying weights between the two by layer name.
import { rand } from '../models/helpers';
import { setup, tf, tfl, wt } from '../io/helpers';

export { rand, setup, tf, tfl, wt };

export function randTensor(shape: number[], seed: number, scale = 1): wt.Tensor {
  return wt.tensor(rand(shape.reduce((a, b) => a * b, 1), seed, scale), shape);
}

export const toTf = (t: wt.Tensor): tf.Tensor => tf.tensor(t.dataSync() as Float32Array, t.shape);

/** Gives every tfjs layer of the same name our weights (ours are the reference). */
export function copyWeights(ours: wt.LayersModel, theirs: tfl.LayersModel): void {
  for (const layer of ours.layers) {
    if (layer.weights.length === 0) continue;
    theirs.getLayer(layer.name).setWeights(layer.weights.map((w) => toTf(w)));
  }
}

/** Max |a - b| over two equally shaped arrays of values. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expectSameLength(a, b);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function expectSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
}

/** Every weight of ours against tfjs' layer of the same name. */
export function weightDiff(ours: wt.LayersModel, theirs: tfl.LayersModel): number {
  let m = 0;
  for (const layer of ours.layers) {
    const tw = theirs.getLayer(layer.name).getWeights();
    layer.weights.forEach((w, i) => (m = Math.max(m, maxDiff(w.dataSync(), tw[i].dataSync()))));
  }
  return m;
}
