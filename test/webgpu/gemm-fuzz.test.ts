// Random GEMMs on the GPU against the wasm kernels: shapes from 1 to 80 on
// each side (so partial tiles in every direction, and k, n multiples of 4 a
// quarter of the time, which take the quad loads), all four transposes,
// batches with broadcasting, operands that are offset row slices, and a fused
// bias + activation now and then. gemm.test.ts names the cases one by one;
// this looks for the ones nobody thought of. A fixed seed keeps a CI run
// reproducible; GPU_FUZZ_RUNS and GPU_FUZZ_SEED (or 'random') pick others.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as op from '../../assembly/opcodes';
import { matMul } from '../../src/ops/matmul';
import { gpuAvailable, maxRelError, onBoth, skipReason, wt } from './setup';

const RUNS = Number(process.env.GPU_FUZZ_RUNS ?? 60);
const SEED = process.env.GPU_FUZZ_SEED === 'random' ? undefined : Number(process.env.GPU_FUZZ_SEED ?? 20261202);
const ACTIVATIONS = [op.ACT_NONE, op.U_RELU, op.U_SIGMOID, op.U_TANH, op.U_GELU];

/** A side of 1-80, a multiple of 4 about a quarter of the time. */
const side = fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 20 }).map((q) => 4 * q));

const gemmCase = fc.record({
  m: side, k: side, n: side,
  transposeA: fc.boolean(), transposeB: fc.boolean(),
  // Batch dims of a and b: none, equal, or one side broadcast.
  batch: fc.constantFrom<[number[], number[]]>([[], []], [[3], [3]], [[2, 1], [1, 3]], [[], [4]], [[2], []]),
  // Rows of padding before the operand in a larger tensor (a row slice: an offset view).
  skipA: fc.constantFrom(0, 0, 1, 3), skipB: fc.constantFrom(0, 0, 2),
  bias: fc.boolean(),
  activation: fc.constantFrom(...ACTIVATIONS),
  seed: fc.integer({ min: 1, max: 1 << 20 }),
});
type GemmCase = typeof gemmCase extends fc.Arbitrary<infer T> ? T : never;

/** An operand of the given batch dims and stored matrix shape, sliced out of a taller tensor when skip > 0. */
function operand(batch: number[], rows: number, cols: number, skip: number, seed: number): wt.Tensor {
  const whole = wt.randomUniform([...batch, rows + skip, cols], -2, 2, 'float32', seed);
  if (skip === 0) return whole;
  const begin = [...batch.map(() => 0), skip, 0];
  return whole.slice(begin, [...batch, rows, cols]);
}

describe.skipIf(!gpuAvailable)(`WebGPU GEMM, random cases vs the CPU${skipReason}`, () => {
  it(`${RUNS} random GEMMs (shapes, transposes, batches, views, epilogues) match`, async () => {
    const cases = fc.sample(gemmCase, { numRuns: RUNS, seed: SEED });
    for (const c of cases) await check(c);
  }, 300_000);
});

async function check(c: GemmCase): Promise<void> {
  const [batchA, batchB] = c.batch;
  const a = operand(batchA, c.transposeA ? c.k : c.m, c.transposeA ? c.m : c.k, c.skipA, c.seed);
  const b = operand(batchB, c.transposeB ? c.n : c.k, c.transposeB ? c.k : c.n, c.skipB, c.seed + 1);
  const bias = c.bias ? wt.randomUniform([c.n], -1, 1, 'float32', c.seed + 2) : undefined;
  const { cpu, gpu } = await onBoth(() => matMul(a, b, c.transposeA, c.transposeB, { bias, activation: c.activation }));
  const label = JSON.stringify(c);
  expect(wt.webgpu.location(gpu), label).toBe('gpu');
  expect(gpu.shape, label).toEqual(cpu.shape);
  // Sums of up to 80 products of values in [-2, 2], summed in another order than the CPU's.
  expect(maxRelError(gpu.dataSync(), cpu.dataSync()), label).toBeLessThan(1e-4);
  wt.dispose([a, b, bias, cpu, gpu]);
}
