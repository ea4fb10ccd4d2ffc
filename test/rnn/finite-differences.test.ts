// The fused recurrences (src/ops/recurrent.ts + assembly/kernels/recurrent.ts)
// against central finite differences in float64-ish terms: gradients for xw,
// the recurrent kernel and both initial states, with a mask, smooth
// activations (sigmoid / tanh / linear: no kinks for the difference to straddle)
// and widths that leave the kernels' scalar tails (units 5, 3).
import { beforeAll, describe, expect, test } from 'vitest';
import * as ra from '../../assembly/rnn_opcodes';
import { gruRecurrence, gruResetAfterRecurrence } from '../../src/ops/gru';
import { lstmRecurrence, rnnRecurrence } from '../../src/ops/recurrent';
import { rand, setup, wt } from './helpers';

beforeAll(setup);

const EPS = 1e-2;

/** Checks analytic gradients of loss(inputs) against central differences at a few coordinates of each input. */
function check(inputs: Float32Array[], shapes: number[][], loss: (ts: wt.Tensor[]) => wt.Tensor): void {
  const ts = inputs.map((v, i) => wt.tensor(v, shapes[i]));
  const analytic = wt.grads((...xs: wt.Tensor[]) => loss(xs))(ts).map((g) => g.dataSync());
  const value = (vals: Float32Array[]) => loss(vals.map((v, i) => wt.tensor(v, shapes[i]))).dataSync()[0];
  inputs.forEach((v, i) => {
    for (const j of [0, 1, Math.floor(v.length / 2), v.length - 1]) {
      const plus = inputs.map((w) => w.slice());
      const minus = inputs.map((w) => w.slice());
      plus[i][j] += EPS;
      minus[i][j] -= EPS;
      const numeric = (value(plus) - value(minus)) / (2 * EPS);
      expect(Math.abs(analytic[i][j] - numeric), `input ${i} [${j}]: ${analytic[i][j]} vs ${numeric}`).toBeLessThan(2e-3 * Math.max(1, Math.abs(numeric)));
    }
  });
}

describe('finite differences', () => {
  const [T, B] = [4, 3];
  const maskValues = Float32Array.from([1, 1, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1]);

  test.each([
    { units: 5, act: ra.RA_TANH, ract: ra.RA_SIGMOID, masked: false },
    { units: 3, act: ra.RA_TANH, ract: ra.RA_SIGMOID, masked: true },
    { units: 4, act: ra.RA_LINEAR, ract: ra.RA_SIGMOID, masked: true },
  ])('lstm units $units act $act mask $masked', ({ units, act, ract, masked }) => {
    const shapes = [[T, B, 4 * units], [units, 4 * units], [B, units], [B, units]];
    const inputs = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 11 + i, 0.8));
    const r = wt.tensor(rand(2 * T * B * units, 5), [2, T, B, units]);
    check(inputs, shapes, ([xw, u, h0, c0]) =>
      wt.sum(wt.mul(lstmRecurrence(xw, u, h0, c0, { activation: act, recurrentActivation: ract, mask: masked ? wt.tensor(maskValues, [T, B]) : null }), r)));
  });

  test.each([
    { units: 3, act: ra.RA_TANH, masked: true },
    { units: 8, act: ra.RA_SIGMOID, masked: false },
  ])('simpleRNN units $units act $act mask $masked', ({ units, act, masked }) => {
    const shapes = [[T, B, units], [units, units], [B, units]];
    const inputs = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 21 + i, 0.8));
    const r = wt.tensor(rand(T * B * units, 6), [T, B, units]);
    check(inputs, shapes, ([xw, u, h0]) =>
      wt.sum(wt.mul(rnnRecurrence(xw, u, h0, { activation: act, recurrentActivation: ra.RA_LINEAR, mask: masked ? wt.tensor(maskValues, [T, B]) : null }), r)));
  });

  test.each([
    { units: 5, act: ra.RA_TANH, ract: ra.RA_SIGMOID, masked: true },
    { units: 4, act: ra.RA_TANH, ract: ra.RA_SIGMOID, masked: false },
  ])('gru units $units mask $masked', ({ units, act, ract, masked }) => {
    const shapes = [[T, B, 3 * units], [units, 3 * units], [B, units]];
    const inputs = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 31 + i, 0.8));
    const r = wt.tensor(rand(T * B * units, 7), [T, B, units]);
    check(inputs, shapes, ([xw, u, h0]) =>
      wt.sum(wt.mul(gruRecurrence(xw, u, h0, { activation: act, recurrentActivation: ract, mask: masked ? wt.tensor(maskValues, [T, B]) : null }), r)));
  });

  test.each(['lstm', 'simpleRNN'])('%s with a recurrent dropout mask', (kind) => {
    const units = 5;
    const k = kind === 'lstm' ? 4 : 1;
    const keep = Float32Array.from({ length: B * units }, (_, i) => (i % 3 === 1 ? 0 : 1.5));
    const shapes = [[T, B, k * units], [units, k * units], [B, units]];
    const inputs = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 41 + i, 0.8));
    const r = wt.tensor(rand((kind === 'lstm' ? 2 : 1) * T * B * units, 8), kind === 'lstm' ? [2, T, B, units] : [T, B, units]);
    const opts = () => ({ activation: ra.RA_TANH, recurrentActivation: ra.RA_SIGMOID, mask: wt.tensor(maskValues, [T, B]), recurrentMask: wt.tensor(keep, [B, units]) });
    check(inputs, shapes, ([xw, u, h0]) => wt.sum(wt.mul(kind === 'lstm' ? lstmRecurrence(xw, u, h0, null, opts()) : rnnRecurrence(xw, u, h0, opts()), r)));
  });

  test.each([{ units: 5, masked: true }, { units: 4, masked: false }])('gru resetAfter units $units mask $masked (with the recurrent bias)', ({ units, masked }) => {
    const shapes = [[T, B, 3 * units], [units, 3 * units], [3 * units], [B, units]];
    const inputs = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 51 + i, 0.8));
    const r = wt.tensor(rand(T * B * units, 9), [T, B, units]);
    const opts = () => ({ activation: ra.RA_TANH, recurrentActivation: ra.RA_SIGMOID, mask: masked ? wt.tensor(maskValues, [T, B]) : null });
    check(inputs, shapes, ([xw, u, b, h0]) => wt.sum(wt.mul(gruResetAfterRecurrence(xw, u, b, h0, opts()), r)));
  });
});
