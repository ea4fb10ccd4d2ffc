// The code each pool worker runs, kept as a string so that it needs no
// separate file next to the bundle (Node: new Worker(code, { eval: true }),
// host.ts; browsers: a Blob URL, webWorkerFactory below). Plain JavaScript:
// it is never transpiled. How a worker receives its first message differs
// (worker_threads' parentPort or self.onmessage), so the host passes that part
// in: the browser bundle's copy names no Node module at all.
//
// A worker instantiates the same module over the same shared memory, then
// loops: watch its slot's STATE word (spinning briefly, then asleep) until
// it reads RUN, run the kernel named by FN with the float64 arguments of its
// slot, set STATE to DONE and wake the main thread (which sets it back to
// IDLE).
// Kernels get raw pointers only; a worker never allocates (the allocator is
// not thread-safe) and never grows memory.
//
// Control block layout (one SharedArrayBuffer, SLOT_BYTES per worker slot):
//   Int32 words  [STATE, FN, NARGS, READY, FAILED]
//   Float64 args at byte ARGS_OFFSET, at most MAX_ARGS of them.

export const SLOT_BYTES = 256;
export const ARGS_OFFSET = 64;
export const MAX_ARGS = 24;
export const STATE = 0;
export const FN = 1;
export const NARGS = 2;
export const READY = 3;
export const FAILED = 4;
export const IDLE = 0;
export const RUN = 1;
export const DONE = 2;
export const EXIT = 3;
/**
 * After a job a worker spins this long, watching its STATE word, before it
 * sleeps in Atomics.wait. Waking a sleeping thread took 50-100 us on the
 * 2-vCPU VMs this was measured on: more than a 1M-float add takes. A
 * training loop or a chain of ops posts its next job well within the spin,
 * so the worker takes it at once.
 */
export const WORKER_SPIN_MS = 0.2;

/** The slice of a Worker the pool uses (a worker_threads Worker or a Web Worker). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): unknown;
  unref?(): void;
  on?(event: 'error', listener: (error: unknown) => void): void;
  addEventListener?(event: 'error', listener: (error: unknown) => void): void;
}
export type WorkerFactory = () => WorkerLike;

/** A worker scope's listen: hands the first message to fn with a way to close the worker. */
export const WEB_LISTEN = `(fn) => { self.onmessage = (e) => { self.onmessage = null; fn(e.data, () => self.close()); }; }`;

/** The worker program; `listen` is a JS function expression like WEB_LISTEN. */
export function workerSource(listen: string): string {
  return `
'use strict';
const SLOT_BYTES = ${SLOT_BYTES}, ARGS_OFFSET = ${ARGS_OFFSET};
const STATE = ${STATE}, FN = ${FN}, NARGS = ${NARGS}, READY = ${READY}, FAILED = ${FAILED};
const IDLE = ${IDLE}, DONE = ${DONE}, EXIT = ${EXIT};
const listen = ${listen};
listen(async ({ module, memory, control, slot, names }, close) => {
  const env = { memory, abort(_m, _f, line, col) { throw new Error('kernel aborted at ' + line + ':' + col); } };
  const k = (await WebAssembly.instantiate(module, { env })).exports;
  const fns = names.map((n) => k[n]);
  const ctl = new Int32Array(control, slot * SLOT_BYTES, ARGS_OFFSET / 4);
  const args = new Float64Array(control, slot * SLOT_BYTES + ARGS_OFFSET, (SLOT_BYTES - ARGS_OFFSET) / 8);
  Atomics.store(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  for (;;) {
    const state = Atomics.load(ctl, STATE);
    if (state === EXIT) break;
    if (state !== ${RUN}) {
      // Spin for WORKER_SPIN_MS, then sleep until the main thread posts the
      // next job: it notifies on RUN, so waiting on DONE as well as IDLE
      // cannot miss it.
      const until = performance.now() + ${WORKER_SPIN_MS};
      while (Atomics.load(ctl, STATE) === state && performance.now() < until) { /* spin */ }
      if (Atomics.load(ctl, STATE) === state) Atomics.wait(ctl, STATE, state);
      continue;
    }
    try {
      const n = ctl[NARGS];
      const a = [];
      for (let i = 0; i < n; i++) a.push(args[i]);
      fns[ctl[FN]].apply(null, a);
    } catch (e) {
      ctl[FAILED] = 1;
    }
    Atomics.store(ctl, STATE, DONE);
    Atomics.notify(ctl, STATE);
  }
  close();
});
`;
}

/**
 * Web Workers from a Blob URL of the worker program (browsers, Deno, Bun); null
 * where there are none. A page must be cross-origin isolated for the shared
 * memory to reach them (builds.ts only picks a threaded build when it is).
 */
export function webWorkerFactory(): WorkerFactory | null {
  const W = (globalThis as { Worker?: new (url: string) => WorkerLike }).Worker;
  if (typeof W !== 'function' || typeof Blob !== 'function' || typeof URL?.createObjectURL !== 'function') return null;
  const url = URL.createObjectURL(new Blob([workerSource(WEB_LISTEN)], { type: 'text/javascript' }));
  return () => new W(url);
}
