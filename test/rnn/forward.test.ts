// SimpleRNN, LSTM and GRU forward passes against tfjs-layers with the same weights:
// several sequence lengths and widths (units % 4 != 0 exercises the kernels'
// scalar tails), returnSequences / returnState / goBackwards, activations.
import { beforeAll, describe, expect, test } from 'vitest';
import { forward, maxAbsDiff, pair, rand, setup, type Kind } from './helpers';

beforeAll(setup);

const KINDS: Kind[] = ['LSTM', 'GRU', 'SimpleRNN'];

describe.each(KINDS)('%s forward vs tfjs-layers', (kind) => {
  test.each([
    { B: 3, T: 1, D: 4, units: 5 },
    { B: 2, T: 7, D: 3, units: 8 },
    { B: 4, T: 13, D: 6, units: 3 },
  ])('B $B T $T D $D units $units', ({ B, T, D, units }) => {
    for (const returnSequences of [false, true]) {
      for (const goBackwards of [false, true]) {
        const p = pair(kind, { units, returnSequences, returnState: true, goBackwards }, D, B + T);
        const x = rand(B * T * D, 3 + T, 1.5);
        const { ours, theirs } = forward(p, x, [B, T, D]);
        expect(ours.length).toBe(theirs.length);
        ours.forEach((o, i) => expect(maxAbsDiff(o, theirs[i])).toBeLessThan(2e-5));
        p.ours.dispose();
      }
    }
  });

  test('activations: sigmoid / relu / linear (and LSTM recurrentActivation sigmoid)', () => {
    for (const activation of ['sigmoid', 'relu', 'linear']) {
      const args = { units: 6, activation, returnSequences: true, ...(kind !== 'SimpleRNN' ? { recurrentActivation: 'sigmoid' } : {}) };
      const p = pair(kind, args, 5, 9);
      const x = rand(2 * 9 * 5, 4, 1);
      const { ours, theirs } = forward(p, x, [2, 9, 5]);
      expect(maxAbsDiff(ours[0], theirs[0])).toBeLessThan(2e-5);
      p.ours.dispose();
    }
  });

  test('masks: masked steps carry the state (returnSequences, goBackwards)', () => {
    const [B, T, D] = [3, 6, 4];
    const mask = Float32Array.from([1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1]);
    for (const goBackwards of [false, true]) {
      for (const returnSequences of [false, true]) {
        const p = pair(kind, { units: 5, returnSequences, goBackwards, returnState: true }, D, 11);
        const { ours, theirs } = forward(p, rand(B * T * D, 5), [B, T, D], mask);
        ours.forEach((o, i) => expect(maxAbsDiff(o, theirs[i])).toBeLessThan(2e-5));
        p.ours.dispose();
      }
    }
  });
});
