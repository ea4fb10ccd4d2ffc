// How many threads kernels may use: wt.setThreads(n) / wt.getThreads().
// Default: the machine's cores (os.availableParallelism() in Node,
// navigator.hardwareConcurrency in browsers; in Node the environment variable
// WASMTENSOR_THREADS overrides it). Only a threaded build (shared
// memory, see builds.ts) has a pool; elsewhere every kernel runs on one
// thread, with no error.
import { describe, fail } from '../../errors';
import { isNode } from './builds';
import type { SharedKernels } from './load';
import { coresNow, detectCores, workerFactory } from './host';
import type { WorkerPool } from './pool';
import type { Fn, ParallelKernels } from './parallel';

let requested: number | null = null;
let cores = coresNow();
let pool: WorkerPool | null = null;
let parallelModule: typeof import('./parallel') | null = null;
/** True once ready() has loaded a build (threaded or not). */
let loaded = false;
let resizing: Promise<void> = Promise.resolve();
/** Set while a threaded build's pool is being started (startThreads). */
let starting: Promise<void> | null = null;
/** Backends waiting for the pool's kernel splitter (attachParallel). */
const waiting: (() => void)[] = [];

/** Node: WASMTENSOR_THREADS=n sets the default thread count (CI runs the suite with 1). */
function envThreads(): number | undefined {
  const v = isNode() ? process.env.WASMTENSOR_THREADS : undefined;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) fail('ready', `WASMTENSOR_THREADS must be an integer >= 1, got '${v}'`);
  return n;
}

/**
 * Called by instantiate(): starts the pool for a threaded build, after
 * ready() has resolved. Loading worker_threads and spawning a worker take
 * about 9 ms of a cold start here, which the first prediction need not wait
 * for; workers then start in the background (about 150 ms), and kernels use
 * each one once it is ready (usableThreads). `await wt.setThreads(n)` waits
 * for them.
 */
export async function startThreads(kernels: SharedKernels | undefined): Promise<void> {
  cores = await detectCores();
  loaded = true;
  if (!kernels) return;
  starting = new Promise((resolve) => setTimeout(resolve, 0))
    .then(() => startPool(kernels))
    .catch((error: unknown) => {
      // Nothing is lost: kernels keep running on this thread.
      console.warn(`wasmtensor: the worker pool did not start (${String(error)}); computing on one thread`);
    })
    .finally(() => {
      starting = null;
    });
}

async function startPool(kernels: SharedKernels): Promise<void> {
  const spawn = await workerFactory();
  if (!spawn) return;
  // The pool and the code that splits kernels across it load only here, for
  // a threaded build that can start workers: a page that is not
  // cross-origin isolated never downloads them.
  const [{ WorkerPool }, parallel] = await Promise.all([import('./pool'), import('./parallel')]);
  parallelModule = parallel;
  pool = new WorkerPool(kernels, spawn);
  for (const attach of waiting.splice(0)) attach();
  void setThreads(requested ?? envThreads() ?? cores);
}

/**
 * Hands `attach` what splits a backend's large kernel calls across the pool,
 * once there is a pool: at once, or when it starts; never for a build
 * without threads or where workers cannot start.
 */
export function attachParallel(kernels: Record<string, Fn>, mem: ConstructorParameters<typeof ParallelKernels>[1], attach: (p: ParallelKernels) => void): void {
  const make = () => attach(new parallelModule!.ParallelKernels(kernels, mem));
  if (parallelModule !== null) make();
  else waiting.push(make);
}

/** The pool, when a threaded build runs with more than one thread. */
export function activePool(): WorkerPool | null {
  return pool;
}

/**
 * Uses n threads (the calling thread + n - 1 workers) for large GEMMs,
 * elementwise ops and reductions; n = 1: no workers. Only the threaded builds
 * run workers; elsewhere this is remembered and computation stays on one
 * thread. The promise resolves once new workers are ready to take work
 * (until then kernels run on the threads that are).
 */
export function setThreads(n: number): Promise<void> {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    fail('setThreads', `n must be an integer >= 1, got ${describe(n)}`);
  }
  requested = n;
  if (pool) {
    const p = pool;
    resizing = resizing.then(() => p.resize(n - 1));
  } else if (starting) {
    const started = starting;
    resizing = resizing.then(() => started).then(() => pool?.resize(n - 1));
  }
  return resizing;
}

/** Threads kernels may use: the setThreads() value (default: the cores), or 1 where the build has no pool. */
export function getThreads(): number {
  if (loaded && !pool && !starting) return 1;
  return requested ?? envThreads() ?? cores;
}

/** Threads a kernel call can use right now: the requested count, capped by the workers that are ready. */
export function usableThreads(): number {
  if (!pool || requested === 1) return 1;
  return Math.min(requested ?? cores, 1 + pool.readyWorkers());
}
