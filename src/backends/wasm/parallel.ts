// Splits large kernel calls across the thread pool (threaded builds): the
// main thread computes one share itself, workers the others, all on the one
// shared memory. Shares are disjoint row blocks / column panels of the output,
// so no two threads write the same bytes. Every buffer a share needs (GEMM
// packing workspaces) is allocated here, on the main thread, and kept for
// the next call: workers never allocate.
import type { MatMulArgs } from '../backend';
import { getFlags } from '../../flags';
import { collapseDims } from '../../shape';
import { R_MAX, R_MIN, R_SUM } from '../../../assembly/opcodes';
import { POOL_KERNELS, type OptimizerKernel, type PoolKernel, type WorkerPool } from './pool';
import { activePool, usableThreads } from './threads';

export type Fn = (...args: number[]) => number;

const MR = 5; // GEMM register tile rows (assembly/kernels/gemm_pack.ts)
const NR = 8; // and columns
const MAX_KERNEL_RANK = 8;
const META_BYTES = 3 * MAX_KERNEL_RANK * 4;
// A shared GEMM is cut into about this many blocks per thread, each at least
// MIN_BLOCK rows or columns: smaller blocks balance better, larger ones re-pack
// the shared operand less often.
const BLOCKS_PER_THREAD = 3;
const MIN_BLOCK = 32;
// A 1-D elementwise split keeps shares 64-byte aligned (16 four-byte elements).
const CHUNK = 16;

interface Memory {
  alloc(bytes: number): number;
  free(ptr: number): void;
  readonly heap: { readonly i32: Int32Array };
}

const kernelIndex = (name: PoolKernel): number => POOL_KERNELS.indexOf(name);

/**
 * Whether a shared GEMM is cut into row blocks (true) or column panels.
 * Every row block packs all of op(B) (K x N) again, every column panel all of
 * op(A) (M x K): cut along the dimension whose other operand is the smaller
 * one to re-pack, as long as that dimension has at least two tiles per
 * thread. The seed's Dense forward (128 x 784 x 512) re-packed its 1.6 MB
 * weight matrix in every row block; by columns it re-packs the 400 KB batch.
 */
export function splitByRows(m: number, n: number, threads: number): boolean {
  const rowsOk = m >= threads * 2 * MR;
  const colsOk = n >= threads * 2 * NR;
  if (rowsOk !== colsOk) return rowsOk;
  return m >= n;
}

export class ParallelKernels {
  /** Per-thread GEMM packing workspaces (index 0: the main thread), grown on demand. */
  private readonly ws: { ptr: number; bytes: number }[] = [];
  /** Per-thread shape/stride blocks for the strided elementwise kernels. */
  private readonly metas: number[] = [];
  /** Per-thread partial results of a split full reduction (one f32 each). */
  private partials = 0;
  /** The i32 block counter of a shared GEMM. */
  private counter = 0;

  constructor(private readonly k: Record<string, Fn>, private readonly mem: Memory) {}

  /** Threads to use for `work` units (multiply-adds, elements), or 1 when one thread should do it. */
  private threadsFor(work: number, minWork: number): { pool: WorkerPool; threads: number } | null {
    const pool = activePool();
    if (!pool || work < minWork) return null;
    const threads = usableThreads();
    return threads > 1 ? { pool, threads } : null;
  }

  private workspace(t: number, bytes: number): number {
    const w = (this.ws[t] ??= { ptr: 0, bytes: 0 });
    if (bytes > w.bytes) {
      if (w.ptr !== 0) this.mem.free(w.ptr);
      w.ptr = 0;
      w.bytes = 0;
      w.ptr = this.mem.alloc(bytes);
      w.bytes = bytes;
    }
    return w.ptr;
  }

  /**
   * Runs a GEMM across threads when it is large enough; false when the caller
   * should run it on one thread. The output is cut into about 3 blocks per
   * thread (row blocks of M, multiples of the 5-row tile, when M is large;
   * else column panels of N, multiples of 8), at least 32 rows/columns each
   * so that re-packing the shared operand per block stays cheap; threads
   * claim blocks through an atomic counter (matmul_f32_shared), so a thread
   * the OS delays takes fewer of them.
   */
  matMul(p: MatMulArgs): boolean {
    let { m, batch } = p;
    const { n, k } = p;
    // Shared B and contiguous row-major A batches are one GEMM with batch*m rows (as matmul_f32 does).
    if (batch > 1 && p.strideB === 0 && !p.transposeA && p.strideA === m * k) {
      m *= batch;
      batch = 1;
    }
    if (batch !== 1 || m <= 3 || n <= 3 || k <= 0) return false;
    const plan = this.threadsFor(m * n * k, getFlags().threadsMinMatMul);
    if (!plan) return false;
    const byRows = splitByRows(m, n, plan.threads);
    const extent = byRows ? m : n;
    const unit = byRows ? MR : NR;
    const units = Math.ceil(extent / unit);
    const perBlock = Math.max(Math.ceil(units / (plan.threads * BLOCKS_PER_THREAD)), Math.ceil(MIN_BLOCK / unit));
    const block = perBlock * unit;
    const threads = Math.min(plan.threads, Math.ceil(extent / block));
    if (threads < 2) return false;
    const tb = p.transposeB ? 1 : 0;
    const wsBytes = this.k.matmul_ws_bytes(byRows ? Math.min(block, m) : m, byRows ? n : Math.min(block, n), k, tb);
    // Reserve every buffer before any job starts: alloc may grow memory.
    const ws: number[] = [];
    for (let t = 0; t < threads; t++) ws.push(this.workspace(t, wsBytes));
    this.counter ||= this.mem.alloc(16);
    this.mem.heap.i32[this.counter >>> 2] = 0;
    const args = [
      this.counter, byRows ? 1 : 0, block, p.a, p.b, p.c, m, n, k, p.transposeA ? 1 : 0, tb,
      p.transposeA ? m : k, p.transposeB ? k : n, n, p.bias, p.activation ?? 0,
    ];
    this.run(plan.pool, 'matmul_f32_shared', ws.map((w) => [...args, w]));
    return true;
  }

  /**
   * The depthwise conv forward (depthwise_rows_f32) split into contiguous
   * blocks of its N * OH output rows; every share reads the same geom vector.
   * A depthwise multiply-add runs at about a quarter of a GEMM one's rate
   * (~12 vs ~50 GFLOP/s here), so the work is weighed as 4 per tap against
   * flag threadsMinMatMul. False when the caller should run it on one thread.
   */
  depthwise(x: number, filter: number, bias: number, out: number, geom: number, rows: number, macs: number): boolean {
    const plan = this.threadsFor(4 * macs, getFlags().threadsMinMatMul);
    if (!plan) return false;
    const threads = Math.min(plan.threads, rows);
    if (threads < 2) return false;
    const shares: number[][] = [];
    for (let t = 0; t < threads; t++) {
      shares.push([x, filter, bias, out, geom, Math.floor((rows * t) / threads), Math.floor((rows * (t + 1)) / threads)]);
    }
    this.run(plan.pool, 'depthwise_rows_f32', shares);
    return true;
  }

  /**
   * An optimizer update (assembly/kernels/optim.ts: element buffers, n,
   * scalars) split into contiguous element ranges; a buffer given as 0 (a
   * slot the variant does not use) stays 0. Each element's update reads and
   * writes only that element, so any split gives the same bits. An update
   * computes a square root and a divide per element over 3-5 buffers, so it
   * is worth sharing from half the elementwise threshold (the seed's
   * 400K-weight kernel: about 0.5 ms of each RMSprop step on one thread).
   * False when the caller should run it on one thread.
   */
  optimizerStep(kernel: OptimizerKernel, buffers: readonly number[], n: number, scalars: readonly number[]): boolean {
    const plan = this.threadsFor(n, getFlags().threadsMinElements / 2);
    if (!plan) return false;
    const units = Math.ceil(n / CHUNK);
    const threads = Math.min(plan.threads, units);
    if (threads < 2) return false;
    const shares: number[][] = [];
    for (let t = 0; t < threads; t++) {
      const lo = Math.floor((units * t) / threads) * CHUNK;
      const hi = Math.min(n, Math.floor((units * (t + 1)) / threads) * CHUNK);
      shares.push([...buffers.map((p) => (p === 0 ? 0 : p + 4 * lo)), hi - lo, ...scalars]);
    }
    this.run(plan.pool, kernel, shares);
    return true;
  }

  private meta(t: number): number {
    return (this.metas[t] ??= this.mem.alloc(META_BYTES));
  }

  /** Posts shares 1.. to workers, runs share 0 here, waits for all. */
  private run(pool: WorkerPool, kernel: PoolKernel, shares: number[][]): void {
    const index = kernelIndex(kernel);
    for (let t = 1; t < shares.length; t++) pool.post(t - 1, index, shares[t]);
    try {
      this.k[kernel](...shares[0]);
    } finally {
      pool.wait();
    }
  }

  /**
   * A strided elementwise kernel (unary_*, binary_*, compare_*: arguments
   * op, inputs..., out, rank, meta, ...tail) split over the outermost collapsed
   * dimension; inputs have 4-byte elements, the output outBytes-byte ones.
   * False when the caller should run it on one thread.
   */
  elementwise(kernel: PoolKernel, op: number, inputs: readonly number[], out: number, outBytes: number,
    shape: readonly number[], stridesList: readonly (readonly number[])[], tail: readonly number[] = []): boolean {
    let size = 1;
    for (const d of shape) size *= d;
    const plan = this.threadsFor(size, getFlags().threadsMinElements);
    if (!plan) return false;
    const c = collapseDims(shape, stridesList);
    const rank = c.shape.length;
    if (rank > MAX_KERNEL_RANK || rank === 0) return false;
    const rows = c.shape[0];
    const inner = size / rows;
    const unit = rank === 1 ? CHUNK : 1;
    const units = Math.ceil(rows / unit);
    const threads = Math.min(plan.threads, units);
    if (threads < 2) return false;
    const metas: number[] = [];
    for (let t = 0; t < threads; t++) metas.push(this.meta(t));
    const i32 = this.mem.heap.i32;
    const shares: number[][] = [];
    for (let t = 0; t < threads; t++) {
      const lo = Math.floor((units * t) / threads) * unit;
      const hi = Math.min(rows, Math.floor((units * (t + 1)) / threads) * unit);
      const base = metas[t] >>> 2;
      i32.set(c.shape, base);
      i32[base] = hi - lo;
      c.strides.forEach((st, j) => i32.set(st, base + (j + 1) * rank));
      const ptrs = inputs.map((p, j) => p + 4 * lo * c.strides[j][0]);
      shares.push([op, ...ptrs, out + outBytes * lo * inner, rank, metas[t], ...tail]);
    }
    this.run(plan.pool, kernel, shares);
    return true;
  }

  /**
   * reduce_f32 / reduce_i32 over x viewed as [outer, red, inner]: split over
   * outer, or, for a float32 sum/max/min of everything (outer = inner = 1),
   * over red into per-thread partials that the main thread then combines.
   */
  reduce(kernel: 'reduce_f32' | 'reduce_i32', op: number, x: number, out: number, outer: number, red: number, inner: number): boolean {
    const plan = this.threadsFor(outer * red * inner, getFlags().threadsMinElements);
    if (!plan) return false;
    if (outer >= plan.threads) {
      const threads = plan.threads;
      const shares: number[][] = [];
      for (let t = 0; t < threads; t++) {
        const lo = Math.floor((outer * t) / threads);
        const hi = Math.floor((outer * (t + 1)) / threads);
        shares.push([op, x + 4 * lo * red * inner, out + 4 * lo * inner, hi - lo, red, inner]);
      }
      this.run(plan.pool, kernel, shares);
      return true;
    }
    if (kernel !== 'reduce_f32' || outer !== 1 || inner !== 1 || !(op === R_SUM || op === R_MAX || op === R_MIN)) return false;
    const units = Math.ceil(red / CHUNK);
    const threads = Math.min(plan.threads, units);
    if (threads < 2) return false;
    this.partials ||= this.mem.alloc(4 * 64);
    const shares: number[][] = [];
    for (let t = 0; t < threads; t++) {
      const lo = Math.floor((units * t) / threads) * CHUNK;
      const hi = Math.min(red, Math.floor((units * (t + 1)) / threads) * CHUNK);
      shares.push([op, x + 4 * lo, this.partials + 4 * t, 1, hi - lo, 1]);
    }
    this.run(plan.pool, kernel, shares);
    this.k.reduce_f32(op, this.partials, out, 1, threads, 1);
    return true;
  }
}
