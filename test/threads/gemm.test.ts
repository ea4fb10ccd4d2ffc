// Threaded GEMM: the same products with 1 and 2+ threads (row-block and
// column-panel splits, transposes, merged batches, fused bias + activation)
// against each other and a float64 reference, on sizes that are not
// multiples of the 5x8 tile. Where the build has no pool (simd/relaxed),
// setThreads is accepted and everything runs on one thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wt from '../../src/index';
import { getFlags } from '../../src/flags';

const saved = getFlags().threadsMinMatMul;
import { backend } from '../../src/engine';
import { isThreaded } from '../../src/backends/wasm/builds';
import { splitByRows } from '../../src/backends/wasm/parallel';
import { U_RELU, U_SIGMOID } from '../../assembly/opcodes';

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

/** float64 C = op(A) op(B) (+ bias, activation) for one matrix. */
function reference(A: Float32Array, B: Float32Array, m: number, n: number, k: number, ta: boolean, tb: boolean,
  bias?: Float32Array, act?: (x: number) => number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = bias ? bias[j] : 0;
      for (let p = 0; p < k; p++) s += A[ta ? p * m + i : i * k + p] * B[tb ? j * k + p : p * n + j];
      out[i * n + j] = act ? act(s) : s;
    }
  }
  return out;
}

function expectClose(got: ArrayLike<number>, want: Float64Array, k: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst).toBeLessThan(2e-6 * Math.sqrt(k) * 8);
}

const available = () => isThreaded(wt.getBuild());

beforeAll(async () => {
  await wt.ready();
  await wt.setThreads(2);
  // Split even small products here, so the test sizes exercise the pool.
  wt.setFlags({ threadsMinMatMul: 0 });
});

afterAll(async () => {
  wt.setFlags({ threadsMinMatMul: saved });
  await wt.setThreads(2);
});

describe('threaded GEMM', () => {
  it('reports its thread count: 2 on a threaded build, 1 elsewhere', () => {
    expect(wt.getThreads()).toBe(available() ? 2 : 1);
  });

  const cases: [string, number, number, number, boolean, boolean][] = [
    ['row blocks', 203, 157, 129, false, false],
    ['row blocks, transposeA', 131, 45, 301, true, false],
    ['row blocks, transposeB', 77, 61, 263, false, true],
    ['column panels (M small)', 13, 517, 99, false, false],
    ['column panels, both transposes', 9, 203, 70, true, true],
    ['K above the 256 K block', 41, 37, 600, false, false],
    // M large enough for row blocks, but N larger: column panels re-pack the smaller A.
    ['column panels (M < N, Dense forward shape)', 67, 263, 145, false, false],
    ['column panels (M < N), transposeA', 45, 130, 77, true, false],
    ['column panels (M < N), transposeB', 33, 211, 90, false, true],
  ];
  for (const [name, m, n, k, ta, tb] of cases) {
    it(`${name}: ${m}x${n}x${k} equals the 1-thread result and a float64 reference`, async () => {
      const A = rand(m * k, m * 7 + k);
      const B = rand(k * n, n * 13 + k);
      const a = wt.tensor(A, ta ? [k, m] : [m, k]);
      const b = wt.tensor(B, tb ? [n, k] : [k, n]);
      await wt.setThreads(2);
      const two = wt.matMul(a, b, ta, tb).dataSync();
      await wt.setThreads(1);
      const one = wt.matMul(a, b, ta, tb).dataSync();
      await wt.setThreads(2);
      expect(Array.from(two)).toEqual(Array.from(one));
      expectClose(two, reference(A, B, m, n, k, ta, tb), k);
      a.dispose();
      b.dispose();
    });
  }

  it('a batch with a shared B runs as one split GEMM', () => {
    const [batch, m, n, k] = [3, 17, 23, 31];
    const A = rand(batch * m * k, 5);
    const B = rand(k * n, 6);
    const got = wt.matMul(wt.tensor(A, [batch, m, k]), wt.tensor(B, [k, n])).dataSync();
    const want = reference(A, B, batch * m, n, k, false, false);
    expectClose(got, want, k);
  });

  for (const [name, act, f] of [
    ['relu', U_RELU, (x: number) => Math.max(x, 0)],
    ['sigmoid', U_SIGMOID, (x: number) => 1 / (1 + Math.exp(-x))],
  ] as const) {
    for (const [m, n] of [[101, 37], [7, 301], [40, 203]]) {
      it(`fused bias + ${name}, ${m}x${n}: each share adds its own slice of the bias`, () => {
        const k = 53;
        const A = rand(m * k, m);
        const B = rand(k * n, n);
        const bias = rand(n, 99);
        const be = backend();
        const pa = be.alloc(A.length * 4);
        const pb = be.alloc(B.length * 4);
        const pbias = be.alloc(bias.length * 4);
        const pc = be.alloc(m * n * 4);
        be.write(pa, A);
        be.write(pb, B);
        be.write(pbias, bias);
        be.matMul({
          a: pa, b: pb, c: pc, m, n, k, transposeA: false, transposeB: false,
          batch: 1, strideA: 0, strideB: 0, bias: pbias, activation: act,
        });
        expectClose(be.read('float32', pc, m * n), reference(A, B, m, n, k, false, false, bias, f), k);
        for (const p of [pa, pb, pbias, pc]) be.free(p);
      });
    }
  }

  it('splits along the dimension whose other operand is cheaper to re-pack', () => {
    expect(splitByRows(128, 512, 2)).toBe(false); // Dense forward: re-pack the 128x784 batch, not the weights
    expect(splitByRows(784, 512, 2)).toBe(true); // Dense weight gradient
    expect(splitByRows(1024, 1024, 2)).toBe(true);
    expect(splitByRows(13, 517, 2)).toBe(false); // too few rows for row blocks
    expect(splitByRows(301, 20, 2)).toBe(true); // too few columns for column panels
  });

  it('setThreads validates its argument', () => {
    expect(() => wt.setThreads(0)).toThrow('setThreads: n must be an integer >= 1, got number 0');
    expect(() => wt.setThreads(1.5)).toThrow('setThreads: n must be an integer >= 1, got number 1.5');
  });
});
