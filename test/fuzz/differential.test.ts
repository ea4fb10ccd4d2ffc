// Differential fuzzing against TF.js: random shapes (0-d to 5-d, size-1 and
// zero-size axes), broadcasting partners, strided views (transposes, stepped
// and reversed slices) and random chains of elementwise ops, reductions,
// reshapes, softmax and matMul; every result and the gradient of each chain
// must match @tensorflow/tfjs-core's cpu backend. fast-check shrinks a failure
// to a small case, printed so that it can become a regression test
// (regressions.test.ts).
//
// The suite runs FUZZ_RUNS cases (default 2,000) from a fixed seed, so a CI
// run is reproducible and cannot fail by the draw; FUZZ_SEED=N picks another
// seed, FUZZ_SEED=random a fresh one (printed by fast-check on failure).
// `npm run fuzz` runs 50,000 from a random seed. A finding explained
// (2026-12-02): one random-seed run failed on x [1,2,2,2,2] + b [3,1,2,2,1,1]
// -> softmax -> min over axes [0,1,3,4] (keepDims), our gradient 3x TF.js's.
// The softmax of x + b_k is the same for the 3 copies k in exact arithmetic,
// so min runs over a 3-way tie that rounding keeps or breaks, and every tied
// element gets the gradient (as in TF). On 300 random cases of that shape
// both libraries left about 2/3 of the ties exact (ours 3,167, TF.js 3,197 of
// 4,800), which ones differed in 157 cases and the gradients in 81: last-bit
// rounding in either library (TF.js computes exp(x - logSumExp(x)), we
// e^(x - max) / sum), not a wrong answer. Two more random-seed findings
// (2026-12-02) are ill-conditioned chains, measured against float64:
// - seed -1834024017: x = -0.93428 -> sub 0.83983 -> squaredDifference
//   1.62564 -> square -> sin. The argument of sin is 133.59, where one float32
//   ulp moves the gradient by 2.5e-4 of itself. Ours 6.082028 (exactly the
//   float32 step-by-step value), TF.js 6.079597, float64 6.080526.
// - seed -1557551308: x = -1.29628 -> squaredDifference 1.65761 ->
//   squaredDifference [-1.05809, -1.03228] -> softmax. The gradient is the
//   difference of two terms of about 18.7 that cancel to 0.0495 (380x).
//   Ours -0.0495265, TF.js -0.0494955, float64 -0.0495085.
// Both libraries are a few float32 roundings from float64, on opposite sides.
// The tolerance (2e-4) stays: widening it for every case would hide real errors.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupBoth } from '../helpers/wt';
import { arbitraryCase } from './cases';
import { close, describeCase, runCase } from './run-case';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? 20261202);

beforeAll(setupBoth);

describe('differential fuzzing vs tfjs-core (cpu)', () => {
  it(`${RUNS} random op chains and their gradients match`, () => {
    fc.assert(
      fc.property(arbitraryCase, (c) => {
        try {
          runCase(c);
        } catch (error) {
          throw new Error(`${describeCase(c)}\n${(error as Error).message}`);
        }
      }),
      { numRuns: RUNS, seed: SEED, verbose: 1 },
    );
  }, 600_000);

  it('the comparison itself fails on a real difference, and on NaN against a number', () => {
    expect(() => close([1, 2, 3], [1, 2, 3], 'same')).not.toThrow();
    expect(() => close([1, 2, 3.01], [1, 2, 3], 'off')).toThrow('off: element 2 is 3.01, TF.js says 3');
    expect(() => close([NaN], [1], 'nan')).toThrow('nan: element 0');
    expect(() => close([1], [NaN], 'nan')).toThrow('nan: element 0');
    expect(() => close([NaN, Infinity], [NaN, Infinity], 'special')).not.toThrow();
    expect(() => close([1, 2], [1], 'length')).toThrow('length: 2 values');
  });
});
