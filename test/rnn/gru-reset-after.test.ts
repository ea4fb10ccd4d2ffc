// GRU with resetAfter (Keras 3's default; tfjs-layers has no such GRU, so the
// reference here is the Keras 3 formula written with wasmtensor's own ops):
//   hu = h·U + b[1]; z, r = sigmoid(x·W + b[0] + hu)_{z,r}; hh = tanh(x_h + r * hu_h); h = z h + (1 - z) hh.
// Forward and gradients against that composite, bias shape [2, 3u], and the
// Keras config round trip (reset_after: true).
import { beforeAll, expect, test } from 'vitest';
import { GRU } from '../../src/layers/gru';
import { maxAbsDiff, rand, setup, wt } from './helpers';

beforeAll(setup);

const [B, T, D, U] = [3, 5, 4, 6];

function reference(x: wt.Tensor, w: wt.Tensor, u: wt.Tensor, b: wt.Tensor): wt.Tensor {
  let h = wt.zeros([B, U]);
  const cols = (t: wt.Tensor, i: number) => wt.slice(t, [0, i * U], [-1, U]);
  const xw = wt.add(wt.matMul(wt.reshape(x, [B * T, D]), w), wt.reshape(wt.slice(b, [0, 0], [1, -1]), [3 * U]));
  const xs = wt.reshape(xw, [B, T, 3 * U]);
  for (let t = 0; t < T; t++) {
    const xt = wt.reshape(wt.slice(xs, [0, t, 0], [-1, 1, -1]), [B, 3 * U]);
    const hu = wt.add(wt.matMul(h, u), wt.reshape(wt.slice(b, [1, 0], [1, -1]), [3 * U]));
    const z = wt.sigmoid(wt.add(cols(xt, 0), cols(hu, 0)));
    const r = wt.sigmoid(wt.add(cols(xt, 1), cols(hu, 1)));
    const hh = wt.tanh(wt.add(cols(xt, 2), wt.mul(r, cols(hu, 2))));
    h = wt.add(wt.mul(z, h), wt.mul(wt.sub(1, z), hh));
  }
  return h;
}

test('forward and gradients match the Keras 3 formula', () => {
  const layer = new GRU({ units: U, resetAfter: true, recurrentActivation: 'sigmoid' });
  layer.build([null, T, D]);
  expect(layer.weights.map((w) => w.shape)).toEqual([[D, 3 * U], [U, 3 * U], [2, 3 * U]]);
  const values = layer.weights.map((w, i) => rand(w.size, 60 + i, 0.5));
  layer.setWeights(values.map((v, i) => wt.tensor(v, layer.weights[i].shape.slice())));
  const x = wt.tensor(rand(B * T * D, 70, 1.2), [B, T, D]);
  const r = wt.tensor(rand(B * U, 71), [B, U]);
  const [w, u, b] = layer.weights;
  expect(maxAbsDiff(layer.call(x).dataSync(), reference(x, w, u, b).dataSync())).toBeLessThan(1e-5);
  const ours = wt.variableGrads(() => wt.sum(wt.mul(layer.call(x), r)), layer.weights);
  const theirs = wt.variableGrads(() => wt.sum(wt.mul(reference(x, w, u, b), r)), layer.weights);
  for (const v of layer.weights) expect(maxAbsDiff(ours.grads[v.name].dataSync(), theirs.grads[v.name].dataSync()), v.name).toBeLessThan(1e-5);
  layer.dispose();
});

test('config round trip keeps reset_after and the [2, 3u] bias', () => {
  const g = wt.layers.gru({ units: 3, resetAfter: true, returnSequences: true });
  const cfg = wt.layers.serialize(g);
  expect(cfg.config).toMatchObject({ reset_after: true });
  const back = wt.layers.deserialize(cfg) as GRU;
  expect(back.resetAfter).toBe(true);
  back.build([null, 2, 4]);
  expect(back.weights[2].shape).toEqual([2, 9]);
  expect(back.apply(wt.ones([1, 2, 4])).shape).toEqual([1, 2, 3]);
  back.dispose();
});
