// Splits large kernel calls across the thread pool (threaded builds): the
// main thread computes one share itself, workers the others, all on the one
// shared memory. Shares are disjoint row blocks / column panels of the output,
// so no two threads write the same bytes. Every buffer a share needs (GEMM
// packing workspaces) is allocated here, on the main thread, and kept for
// the next call: workers never allocate.
import type { MatMulArgs } from '../backend';
import { getFlags } from '../../flags';
import { POOL_KERNELS, type PoolKernel, type WorkerPool } from './pool';
import { activePool, usableThreads } from './threads';

type Fn = (...args: number[]) => number;

const MR = 5; // GEMM register tile rows (assembly/kernels/gemm_pack.ts)
const NR = 8; // and columns

const kernelIndex = (name: PoolKernel): number => POOL_KERNELS.indexOf(name);
const MATMUL_PART = kernelIndex('matmul_f32_part');

export class ParallelKernels {
  /** Per-thread GEMM packing workspaces (index 0: the main thread), grown on demand. */
  private readonly ws: { ptr: number; bytes: number }[] = [];

  constructor(
    private readonly k: Record<string, Fn>,
    private readonly mem: { alloc(bytes: number): number; free(ptr: number): void },
  ) {}

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
   * should run it on one thread. Shares: row blocks of M (multiples of the
   * 5-row tile) when M is large, else column panels of N (multiples of 8).
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
    const byRows = m >= plan.threads * 2 * MR || m >= n;
    const extent = byRows ? m : n;
    const unit = byRows ? MR : NR;
    const units = Math.ceil(extent / unit);
    const threads = Math.min(plan.threads, units);
    if (threads < 2) return false;
    const lda = p.transposeA ? m : k;
    const ldb = p.transposeB ? k : n;
    const act = p.activation ?? 0;
    // Reserve every workspace before any job starts: alloc may grow memory.
    const shares: number[][] = [];
    for (let t = 0; t < threads; t++) {
      const lo = Math.floor((units * t) / threads) * unit;
      const hi = Math.min(extent, Math.floor((units * (t + 1)) / threads) * unit);
      const mt = byRows ? hi - lo : m;
      const nt = byRows ? n : hi - lo;
      const ws = this.workspace(t, this.k.matmul_ws_bytes(mt, nt, k, p.transposeB ? 1 : 0));
      const a = byRows ? p.a + 4 * (p.transposeA ? lo : lo * k) : p.a;
      const b = byRows ? p.b : p.b + 4 * (p.transposeB ? lo * k : lo);
      const c = p.c + 4 * (byRows ? lo * n : lo);
      const bias = p.bias === 0 || byRows ? p.bias : p.bias + 4 * lo;
      shares.push([a, b, c, mt, nt, k, p.transposeA ? 1 : 0, p.transposeB ? 1 : 0, lda, ldb, n, bias, act, ws]);
    }
    for (let t = 1; t < threads; t++) plan.pool.post(t - 1, MATMUL_PART, shares[t]);
    try {
      this.k.matmul_f32_part(...shares[0]);
    } finally {
      plan.pool.wait();
    }
    return true;
  }
}
