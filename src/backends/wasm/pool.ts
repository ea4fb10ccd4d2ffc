// A pool of workers over ONE shared wasm memory (threaded builds only).
// The public API is synchronous, so a parallel kernel call is: post one job
// per worker (kernel name + numeric arguments in a shared control block),
// run the main thread's own share, then wait for every posted job. Node's
// main thread spins briefly, then blocks in Atomics.wait; a browser's main
// thread may not block, so there it spins on Atomics.load (jobs are only
// posted for work large enough to be worth it). Workers are unref'd: they
// never keep a process alive.
// Which kind of worker the pool starts is the host's choice (host.ts,
// host.browser.ts); the pool only needs postMessage.
import { isNode } from './builds';
import type { SharedKernels } from './load';
import {
  ARGS_OFFSET, FAILED, FN, IDLE, MAX_ARGS, NARGS, READY, RUN, SLOT_BYTES, STATE,
  type WorkerFactory, type WorkerLike,
} from './worker-source';

/** Kernels a worker may run; a job names one by its index here. */
export const POOL_KERNELS = [
  'matmul_f32_shared', 'unary_f32', 'unary_i32', 'binary_f32', 'binary_i32', 'compare_f32', 'compare_i32',
  'reduce_f32', 'reduce_i32', 'depthwise_rows_f32',
  'sgd_step', 'momentum_step', 'rmsprop_step', 'adam_step', 'adamax_step', 'adagrad_step', 'adadelta_step',
] as const;
export type PoolKernel = (typeof POOL_KERNELS)[number];
/** The optimizer updates (assembly/kernels/optim.ts), which the pool can share. */
export type OptimizerKernel = Extract<PoolKernel, `${string}_step`>;

const MAX_WORKERS = 64;
/** How long wait() spins on a job's STATE before it sleeps (Node, where the main thread may block). */
const MAIN_SPIN_MS = 1;

export class WorkerPool {
  private readonly control: SharedArrayBuffer;
  private readonly workers: (WorkerLike | null)[] = [];
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  /** The main thread may block in Atomics.wait (Node, or a worker scope); a browser page spins instead. */
  private readonly canBlock: boolean;
  private readonly pending: number[] = [];

  constructor(private readonly kernels: SharedKernels, private readonly spawn: WorkerFactory) {
    this.control = new SharedArrayBuffer(SLOT_BYTES * MAX_WORKERS);
    this.ctl = new Int32Array(this.control);
    this.args = new Float64Array(this.control);
    this.canBlock = isNode() || typeof (globalThis as { document?: unknown }).document === 'undefined';
  }

  /**
   * Starts workers until `count` exist (capped at 64); returns when the new
   * ones are ready. Never stops any: fewer threads just leaves the extra
   * workers parked in Atomics.wait (a slot is never handed to a second
   * worker while its first one might still be listening on it).
   */
  resize(count: number): Promise<void> {
    count = Math.max(0, Math.min(MAX_WORKERS, count));
    const started: Promise<void>[] = [];
    while (this.workers.length < count) {
      const slot = this.workers.length;
      for (let w = 0; w < SLOT_BYTES / 4; w++) this.ctl[slot * (SLOT_BYTES / 4) + w] = 0;
      const worker = this.spawn();
      worker.unref?.();
      // A worker that fails to start is never used (READY -1); kernels run on the others.
      const dead = (): void => {
        Atomics.store(this.ctl, this.word(slot, READY), -1);
      };
      if (worker.on) worker.on('error', dead);
      else worker.addEventListener?.('error', dead);
      const { module, memory } = this.kernels;
      worker.postMessage({ module, memory, control: this.control, slot, names: POOL_KERNELS });
      this.workers.push(worker);
      started.push(this.whenReady(slot));
    }
    return Promise.all(started).then(() => undefined);
  }

  // Polls with a timer, not Atomics.waitAsync: a pending timer keeps Node's
  // event loop alive while the (unref'd) workers instantiate the module.
  // Resolves when the worker is ready (1) or failed to start (-1).
  private async whenReady(slot: number): Promise<void> {
    const i = this.word(slot, READY);
    while (Atomics.load(this.ctl, i) === 0) await new Promise((resolve) => setTimeout(resolve, 2));
  }

  /** Workers that have instantiated the module and can take jobs now. */
  readyWorkers(): number {
    let n = 0;
    while (n < this.workers.length && Atomics.load(this.ctl, this.word(n, READY)) === 1) n++;
    return n;
  }

  /** Posts a job to worker `slot` (which must be ready and idle). */
  post(slot: number, kernel: number, args: readonly number[]): void {
    if (args.length > MAX_ARGS) throw new Error(`pool: ${args.length} arguments, at most ${MAX_ARGS}`);
    const base = (slot * SLOT_BYTES + ARGS_OFFSET) / 8;
    for (let i = 0; i < args.length; i++) this.args[base + i] = args[i];
    this.ctl[this.word(slot, FN)] = kernel;
    this.ctl[this.word(slot, NARGS)] = args.length;
    this.ctl[this.word(slot, FAILED)] = 0;
    Atomics.store(this.ctl, this.word(slot, STATE), RUN);
    Atomics.notify(this.ctl, this.word(slot, STATE), 1);
    this.pending.push(slot);
  }

  /** Waits for every posted job; throws if one failed (after all have finished). */
  wait(): void {
    let failed = -1;
    for (const slot of this.pending) {
      const i = this.word(slot, STATE);
      if (this.canBlock) {
        // The worker's share usually ends within a millisecond of ours:
        // spin that long before sleeping, as being woken costs 50-100 us.
        const until = performance.now() + MAIN_SPIN_MS;
        while (Atomics.load(this.ctl, i) === RUN && performance.now() < until) { /* spin */ }
        while (Atomics.load(this.ctl, i) === RUN) Atomics.wait(this.ctl, i, RUN);
      } else {
        while (Atomics.load(this.ctl, i) === RUN) { /* spin: a page's main thread may not block */ }
      }
      if (this.ctl[this.word(slot, FAILED)] !== 0) failed = slot;
      Atomics.store(this.ctl, i, IDLE);
    }
    this.pending.length = 0;
    if (failed >= 0) throw new Error(`wasmtensor: a kernel failed on pool worker ${failed} (out of bounds or aborted)`);
  }

  private word(slot: number, w: number): number {
    return slot * (SLOT_BYTES / 4) + w;
  }
}

