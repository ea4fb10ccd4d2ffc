// Tuning knobs, as TF.js keeps them: named flags with defaults, set through
// wt.setFlags({...}) and validated, instead of constants buried in code.
import { describe, fail } from './errors';

export interface Flags {
  /**
   * After this many bytes of tensor storage have been allocated outside tidy()
   * since the last collection, ask the JavaScript engine for a garbage collection so tensors
   * dropped without dispose() are found and their wasm memory reused (V8 sees
   * only the small Tensor objects, not the memory behind them). Node only;
   * 0 turns it off.
   */
  gcAfterBytes: number;
  /**
   * Also ask for a collection whenever this many more tensors made outside
   * tidy() are waiting for dispose() or reclamation than at the last one:
   * small dropped tensors (a scalar loss per step) add few bytes but still
   * pile up until V8 runs a full collection. Node only; 0 turns it off.
   */
  gcAfterTensors: number;
  /**
   * Threaded builds: a matMul of at least this many multiply-adds (M*N*K) is
   * split across the worker pool (wt.setThreads); smaller ones run on one
   * thread, where waking workers would cost more than it saves.
   */
  threadsMinMatMul: number;
  /**
   * Threaded builds: elementwise ops and reductions over at least this many
   * elements are split across the worker pool.
   */
  threadsMinElements: number;
  /**
   * Debug mode (off by default, as TF.js's DEBUG): every op checks its float32
   * output and throws on the first NaN or Infinity, naming the op, so the
   * step that made a model diverge is found where it happens. Costs one
   * SIMD pass over each result.
   */
  checkNumerics: boolean;
  /**
   * Without a gradient tape (inference), conv2d runs im2col + GEMM over groups
   * of images whose patch matrix fits in this many bytes, so large images need
   * bounded scratch memory (a 224x224x32 batch of 32 with a 3x3 filter would
   * otherwise need a 1.8 GB patch matrix). Training keeps one pass: the
   * backward needs the whole matrix. 0: always one pass.
   */
  convChunkBytes: number;
}

const defaults: Flags = {
  gcAfterBytes: 128 * 1024 * 1024,
  gcAfterTensors: 10_000,
  // Measured on 2-vCPU VMs (Zen 4, then Sapphire Rapids), with workers that
  // spin briefly after each job (worker-source.ts): back to back, 2 threads
  // ran a 64^3 GEMM 1.75x and 128^3-200^3 1.55-1.7x faster, an add or relu of
  // 1M floats 1.8-1.9x and of 256K 3.5x (each half then fits its core's L2).
  // A worker asleep after a pause costs 50-100 us to wake, so a share is
  // only posted for work of about 0.2 ms or more on one thread, which still
  // breaks even then: 4M multiply-adds, 512K elements.
  threadsMinMatMul: 1 << 22,
  threadsMinElements: 1 << 19,
  checkNumerics: false,
  convChunkBytes: 64 * 1024 * 1024,
};

const current: Flags = { ...defaults };

export function getFlags(): Readonly<Flags> {
  return current;
}

export function setFlags(changes: Partial<Flags>): void {
  if (changes === null || typeof changes !== 'object') fail('setFlags', `changes must be an object, got ${describe(changes)}`);
  for (const [key, value] of Object.entries(changes)) {
    if (!(key in defaults)) fail('setFlags', `unknown flag '${key}'; flags are ${Object.keys(defaults).join(', ')}`);
    const wanted = typeof defaults[key as keyof Flags];
    if (wanted === 'boolean' && typeof value !== 'boolean') fail('setFlags', `${key} must be true or false, got ${describe(value)}`);
    if (wanted === 'number' && (typeof value !== 'number' || !(value >= 0))) fail('setFlags', `${key} must be a non-negative number, got ${describe(value)}`);
    (current as unknown as Record<string, unknown>)[key] = value;
  }
}

export function resetFlags(): void {
  Object.assign(current, defaults);
}
