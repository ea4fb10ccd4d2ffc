// Threaded elementwise ops and reductions: split with 2 threads (the size
// threshold lowered so small odd sizes split) against 1 thread (identical
// bits for elementwise ops and row-split reductions) and float64 references.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wt from '../../src/index';
import { getFlags } from '../../src/flags';

const saved = getFlags().threadsMinElements;

function rand(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 4 - 2);
}

/** f with 1 thread and with 2, as plain arrays. */
async function oneAndTwo(f: () => wt.Tensor): Promise<[number[], number[]]> {
  await wt.setThreads(1);
  const one = Array.from(f().dataSync() as ArrayLike<number>);
  await wt.setThreads(2);
  const two = Array.from(f().dataSync() as ArrayLike<number>);
  return [one, two];
}

function expectClose(got: number[], want: ArrayLike<number>, tol: number): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i] - want[i]) > tol * Math.max(1, Math.abs(want[i]))) {
      expect.fail(`element ${i}: got ${got[i]}, want ${want[i]}`);
    }
  }
}

beforeAll(async () => {
  await wt.ready();
  wt.setFlags({ threadsMinElements: 0 });
});

afterAll(async () => {
  wt.setFlags({ threadsMinElements: saved });
  await wt.setThreads(2);
});

describe('threaded elementwise ops', () => {
  const [R, C] = [37, 101];
  const A = rand(R * C, 1);
  const B = rand(R * C, 2);
  const row = rand(C, 3);

  it('add, same shapes (1-D split of 3737 elements)', async () => {
    const a = wt.tensor(A, [R, C]);
    const b = wt.tensor(B, [R, C]);
    const [one, two] = await oneAndTwo(() => wt.add(a, b));
    expect(two).toEqual(one);
    expectClose(two, Float64Array.from(A, (v, i) => v + B[i]), 1e-6);
  });

  it('mul with a broadcast row, and a transposed (strided) input', async () => {
    const a = wt.tensor(A, [R, C]);
    const r = wt.tensor(row, [C]);
    const [one, two] = await oneAndTwo(() => wt.mul(a, r));
    expect(two).toEqual(one);
    expectClose(two, Float64Array.from(A, (v, i) => v * row[i % C]), 1e-6);
    const t = wt.transpose(wt.tensor(B, [R, C]));
    const [o2, t2] = await oneAndTwo(() => wt.sub(t, wt.tensor(A.subarray(0, C * R), [C, R])));
    expect(t2).toEqual(o2);
    const want = new Float64Array(C * R);
    for (let i = 0; i < C; i++) for (let j = 0; j < R; j++) want[i * R + j] = B[j * C + i] - A[i * R + j];
    expectClose(t2, want, 1e-6);
  });

  it('unary relu, exp, and int32 neg', async () => {
    const a = wt.tensor(A, [R, C]);
    let [one, two] = await oneAndTwo(() => wt.relu(a));
    expect(two).toEqual(one);
    expectClose(two, Float64Array.from(A, (v) => Math.max(v, 0)), 0);
    [one, two] = await oneAndTwo(() => wt.exp(a));
    expect(two).toEqual(one);
    expectClose(two, Float64Array.from(A, Math.exp), 1e-6);
    const ints = Int32Array.from(A, (v) => Math.round(v * 1000));
    [one, two] = await oneAndTwo(() => wt.neg(wt.tensor(ints, [R, C])));
    expect(two).toEqual(one);
    expect(two).toEqual(Array.from(ints, (v) => -v | 0));
  });

  it('compare (1-byte bool output)', async () => {
    const a = wt.tensor(A, [R, C]);
    const b = wt.tensor(B, [R, C]);
    const [one, two] = await oneAndTwo(() => wt.greater(a, b));
    expect(two).toEqual(one);
    expect(two).toEqual(Array.from(A, (v, i) => (v > B[i] ? 1 : 0)));
  });
});

describe('threaded reductions', () => {
  const [O, N, I] = [29, 53, 7];
  const X = rand(O * N * I, 4);

  it('sum / max over an axis (split over the outer rows): identical to 1 thread', async () => {
    const x = wt.tensor(X, [O, N, I]);
    for (const [f, init, op] of [
      [(t: wt.Tensor) => wt.sum(t, 1), 0, (s: number, v: number) => s + v],
      [(t: wt.Tensor) => wt.max(t, 1), -Infinity, Math.max],
      [(t: wt.Tensor) => wt.mean(t, 1), 0, (s: number, v: number) => s + v / N],
    ] as const) {
      const [one, two] = await oneAndTwo(() => f(x));
      expect(two).toEqual(one);
      const want = new Float64Array(O * I).fill(init);
      for (let o = 0; o < O; o++) for (let n = 0; n < N; n++) for (let i = 0; i < I; i++) {
        want[o * I + i] = op(want[o * I + i], X[(o * N + n) * I + i]);
      }
      expectClose(two, want, 1e-5);
    }
  });

  it('sum / max / min of everything (split into per-thread partials)', async () => {
    const x = wt.tensor(X, [X.length]);
    let s = 0;
    for (const v of X) s += v;
    const [, sum2] = await oneAndTwo(() => wt.sum(x));
    expect(Math.abs(sum2[0] - s)).toBeLessThan(1e-5 * X.length);
    const [max1, max2] = await oneAndTwo(() => wt.max(x));
    expect(max2).toEqual(max1);
    expect(max2[0]).toBe(X.reduce((m, v) => Math.max(m, v), -Infinity));
    const [min1, min2] = await oneAndTwo(() => wt.min(x));
    expect(min2).toEqual(min1);
    expect(min2[0]).toBe(X.reduce((m, v) => Math.min(m, v), Infinity));
  });

  it('int32 sum over an axis', async () => {
    const ints = Int32Array.from(X, (v) => Math.round(v * 100));
    const x = wt.tensor(ints, [O, N * I]);
    const [one, two] = await oneAndTwo(() => wt.sum(x, 1));
    expect(two).toEqual(one);
    const want = new Array(O).fill(0);
    for (let o = 0; o < O; o++) for (let j = 0; j < N * I; j++) want[o] += ints[o * N * I + j];
    expect(two).toEqual(want);
  });
});
