// Differential fuzzing against TF.js: random shapes (0-d to 5-d, size-1 and
// zero-size axes), broadcasting partners, strided views (transposes, stepped
// and reversed slices) and random chains of elementwise ops, reductions,
// reshapes, softmax and matMul; every result and the gradient of each chain
// must match @tensorflow/tfjs-core's cpu backend. fast-check shrinks a failure
// to a small case, printed so that it can become a regression test
// (regressions.test.ts).
//
// CI runs FUZZ_RUNS cases (default 2,000, seed fixed per run by fast-check's
// report); a longer run: `npm run fuzz` (FUZZ_RUNS=50000).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setupBoth } from '../helpers/wt';
import { arbitraryCase } from './cases';
import { close, describeCase, runCase } from './run-case';

const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

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
      { numRuns: RUNS, verbose: 1 },
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
