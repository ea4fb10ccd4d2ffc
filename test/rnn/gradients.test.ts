// Gradients through time against tfjs-layers with the same weights: for the
// kernel, recurrent kernel, bias and the input, of a random projection of the
// outputs (the sequence or the last output, and LSTM's final cell state), with
// goBackwards and masks.
import { beforeAll, describe, expect, test } from 'vitest';
import type { RNNBase } from '../../src/layers/recurrent';
import { maxAbsDiff, pair, rand, setup, tf, tfl, wt, type Kind } from './helpers';

beforeAll(setup);

interface Case { B: number; T: number; D: number; units: number; returnSequences: boolean; goBackwards: boolean; masked: boolean }

function grads(kind: Kind, c: Case): void {
  const { B, T, D, units } = c;
  const p = pair(kind, { units, returnSequences: c.returnSequences, goBackwards: c.goBackwards, returnState: true }, D, T + units);
  const x = rand(B * T * D, 17 + T, 1.2);
  const maskData = Float32Array.from({ length: B * T }, (_, i) => ((i * 7) % 5 === 2 ? 0 : 1));
  const outLen = B * units * (c.returnSequences ? T : 1);
  const r1 = rand(outLen, 5);
  const r2 = rand(B * units, 6);
  const outShape = c.returnSequences ? [B, T, units] : [B, units];

  const theirsLoss = (xt: tf.Tensor) => {
    const out = p.theirs.apply(xt, c.masked ? { mask: tf.tensor(maskData, [B, T], 'bool') } : {}) as tf.Tensor[];
    let loss = tf.sum(tf.mul(out[0], tf.tensor(r1, outShape)));
    if (kind === 'LSTM') loss = tf.add(loss, tf.sum(tf.mul(out[2], tf.tensor(r2, [B, units]))));
    return loss as tf.Scalar;
  };
  const xt = tf.tensor(x, [B, T, D]);
  const vars = p.theirs.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const tv = tf.variableGrads(() => theirsLoss(xt), vars);
  const theirW = vars.map((v) => tv.grads[v.name].dataSync());
  const theirX = tf.grad((v: tf.Tensor) => theirsLoss(v))(xt).dataSync();

  const mask = c.masked ? wt.tensor(maskData, [B, T]) : undefined;
  const oursLoss = (xo: wt.Tensor, layer: RNNBase) => {
    const out = layer.callWithState(xo, { mask });
    let loss = wt.sum(wt.mul(out[0], wt.tensor(r1, outShape)));
    if (kind === 'LSTM') loss = wt.add(loss, wt.sum(wt.mul(out[2], wt.tensor(r2, [B, units]))));
    return loss;
  };
  const xo = wt.tensor(x, [B, T, D]);
  const ov = wt.variableGrads(() => oursLoss(xo, p.ours), p.ours.weights);
  const ourW = p.ours.weights.map((w) => ov.grads[w.name].dataSync());
  const ourX = wt.grad((v: wt.Tensor) => oursLoss(v, p.ours))(xo).dataSync();

  expect(ourW.length).toBe(3);
  ourW.forEach((g, i) => expect(maxAbsDiff(g, theirW[i]), `weight ${i}`).toBeLessThan(1e-4));
  expect(maxAbsDiff(ourX, theirX)).toBeLessThan(1e-4);
  p.ours.dispose();
  void tfl;
}

const CASES: Case[] = [
  // T = 1 is covered by the forward test and finite differences: tfjs-layers' gradient fails there (stack of one step).
  { B: 3, T: 2, D: 4, units: 5, returnSequences: false, goBackwards: false, masked: false },
  { B: 2, T: 6, D: 3, units: 8, returnSequences: true, goBackwards: false, masked: false },
  { B: 4, T: 9, D: 5, units: 3, returnSequences: false, goBackwards: true, masked: false },
  { B: 3, T: 7, D: 4, units: 6, returnSequences: true, goBackwards: true, masked: true },
  { B: 5, T: 5, D: 2, units: 4, returnSequences: false, goBackwards: false, masked: true },
];

describe.each(['LSTM', 'GRU', 'SimpleRNN'] as Kind[])('%s gradients vs tfjs-layers', (kind) => {
  test.each(CASES)('B $B T $T D $D units $units seq $returnSequences back $goBackwards mask $masked', (c) => grads(kind, c));
});
