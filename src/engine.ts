// Owns the backend and the lifetime of tensor storage: reference counts shared
// by views, tidy() scopes, explicit dispose(), and reclamation of tensors the
// program dropped without disposing (FinalizationRegistry).
import { deferDisposal } from './autograd/tape';
import type { Backend } from './backends/backend';
import { instantiate, type LoadOptions } from './backends/wasm/load';
import { WasmBackend } from './backends/wasm/backend';
import { describe, fail, readOptions } from './errors';
import { getFlags } from './flags';
import { nodeBuiltin } from './node_builtin';

/**
 * A copy of a Storage's bytes held elsewhere (a WebGPU buffer,
 * src/backends/webgpu/residency.ts). The wasm bytes stay the home of the data.
 */
export interface DeviceCopy {
  /** Called before CPU code uses the wasm bytes: bring them up to date, then let go of the copy (the CPU may write). */
  beforeCpuAccess(storage: Storage): void;
  /** Brings the wasm bytes up to date without blocking the thread (Tensor.data()); the copy stays valid. */
  readAsync?(storage: Storage): Promise<void>;
  /** The storage was freed. */
  release(): void;
}

/** A block of backend memory shared by a tensor and all of its views. */
export class Storage {
  /** Tensors (views included) still holding this block. */
  refs = 0;
  freed = false;
  /** Set only while the WebGPU backend holds a copy; null keeps `ptr` a plain read. */
  device: DeviceCopy | null = null;
  constructor(readonly backend: Backend, readonly address: number, readonly bytes: number) {}

  /** The wasm address, for CPU kernels: data that lives only on the GPU is read back first. */
  get ptr(): number {
    if (this.device !== null) this.device.beforeCpuAccess(this);
    return this.address;
  }
}

/** What the engine needs to know about a tensor, without importing the Tensor class. */
export interface Tracked {
  readonly storage: Storage;
  isDisposedInternal: boolean;
  dispose(): void;
}

let activeBackend: WasmBackend | null = null;
let loading: Promise<void> | null = null;

let liveTensors = 0;
let liveBytes = 0;
const scopes: Tracked[][] = [];
const kept = new WeakSet<Tracked>();

// Runs some time after a tensor became unreachable without dispose().
const reclaimer = new FinalizationRegistry<Storage>((storage) => {
  liveTensors--;
  settled(--reclaimable);
  release(storage);
});

// Tensors registered with the reclaimer that are neither disposed nor
// reclaimed yet: garbage the program dropped, or tensors it still holds. V8
// runs the FinalizationRegistry only after a full collection, which a small
// JS heap rarely needs, so a loop dropping small tensors (a scalar loss per
// step) would pile them up: every gcAfterTensors more of them, ask for one.
let reclaimable = 0;
/** The lowest `reclaimable` since the last requested collection. */
let lowWater = 0;

function settled(count: number): void {
  if (count < lowWater) lowWater = count;
}

function register(t: Tracked): void {
  reclaimer.register(t, t.storage, t);
  const every = getFlags().gcAfterTensors;
  if (++reclaimable - lowWater < every || every <= 0) return;
  lowWater = reclaimable;
  requestCollection();
}

/** Loads and instantiates the kernels. Safe to call more than once. */
export function ready(options: LoadOptions = {}): Promise<void> {
  try {
    readOptions('ready', options, ['wasm', 'wasmBase', 'build', 'kernels']);
  } catch (error) {
    return Promise.reject(error);
  }
  if (activeBackend) return Promise.resolve();
  loading ??= instantiate(options)
    .then(({ build, kernelSet, exports }) => {
      activeBackend = new WasmBackend(exports, build, kernelSet);
    })
    .catch((error) => {
      loading = null;
      throw error;
    });
  return loading;
}

export function backend(): WasmBackend {
  if (!activeBackend) throw new Error('wasmtensor is not ready: `await wt.ready()` once before creating tensors');
  return activeBackend;
}

export function allocStorage(bytes: number): Storage {
  const b = backend();
  const storage = new Storage(b, b.alloc(bytes), bytes);
  liveBytes += bytes;
  // Only storage made outside tidy() can be dropped without anyone freeing it.
  if (scopes.length === 0) allocatedSinceCollect += bytes;
  const threshold = getFlags().gcAfterBytes;
  if (threshold > 0 && allocatedSinceCollect > threshold) {
    allocatedSinceCollect = 0;
    requestCollection();
  }
  return storage;
}

let allocatedSinceCollect = 0;
let collector: (() => void) | null | undefined;

/**
 * Asks for a garbage collection so the FinalizationRegistry learns about
 * tensors dropped without dispose(); their storage is freed when the program
 * next yields to the event loop. Node only (through V8's gc, exposed at run
 * time); elsewhere the engine collects on its own schedule.
 */
function requestCollection(): void {
  if (collector === undefined) collector = findCollector();
  collector?.();
}

function findCollector(): (() => void) | null {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    const v8 = nodeBuiltin<{ setFlagsFromString(flags: string): void }>('node:v8');
    const vm = nodeBuiltin<{ runInNewContext(code: string): unknown }>('node:vm');
    if (!v8 || !vm) return null;
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

function release(storage: Storage): void {
  if (--storage.refs > 0 || storage.freed) return;
  storage.freed = true;
  liveBytes -= storage.bytes;
  if (storage.device !== null) storage.device.release();
  storage.backend.free(storage.address);
}

/**
 * Called by every Tensor constructor. A tensor made inside tidy() is
 * registered for reclamation only if it outlives the outermost scope (or is
 * kept): most never do, and registering costs about as much as the rest of a
 * small op.
 */
export function track(t: Tracked): void {
  t.storage.refs++;
  liveTensors++;
  const scope = scopes[scopes.length - 1];
  if (scope === undefined) register(t);
  else scope.push(t);
}

/** From here on only the FinalizationRegistry can free t if the program drops it. */
function escape(t: Tracked): void {
  if (!t.isDisposedInternal) register(t);
}

/** Frees t's hold on its storage now. Idempotent. */
export function disposeTracked(t: Tracked): void {
  if (t.isDisposedInternal || deferDisposal(t)) return;
  t.isDisposedInternal = true;
  if (reclaimer.unregister(t)) settled(--reclaimable);
  liveTensors--;
  release(t.storage);
}

/** Keeps t alive past the end of the enclosing tidy() scopes. */
export function keep<T extends Tracked>(t: T): T {
  if (t === null || typeof t !== 'object' || typeof t.dispose !== 'function') fail('keep', `x must be a Tensor, got ${describe(t)}`);
  kept.add(t);
  return t;
}

/**
 * Runs fn and disposes every tensor created inside it except those it returns
 * (a tensor, or tensors inside an array or plain object) and those passed to
 * keep(). Synchronous, like TF.js: a Promise result is rejected.
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== 'function') throw new Error(`tidy: expected a function, got ${typeof fn}`);
  const scope: Tracked[] = [];
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    for (const t of scope) {
      if (kept.has(t)) escape(t);
      else disposeTracked(t);
    }
    throw error;
  } finally {
    scopes.pop();
  }
  if (result instanceof Promise) {
    scope.forEach(disposeTracked);
    throw new Error('tidy: fn returned a Promise; tidy only tracks synchronous code');
  }
  const survivors = new Set<Tracked>();
  collectTracked(result, survivors);
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (survivors.has(t)) {
      if (parent) parent.push(t);
      else escape(t);
    } else if (kept.has(t)) escape(t);
    else disposeTracked(t);
  }
  return result;
}

/**
 * Disposes every tensor in value: a tensor, or the tensors inside (nested)
 * arrays and plain objects, as TF.js's tf.dispose. Anything else in it is
 * left alone; a tensor already disposed is skipped.
 */
export function dispose(value: unknown): void {
  const found = new Set<Tracked>();
  collectTracked(value, found);
  for (const t of found) t.dispose();
}

function collectTracked(value: unknown, into: Set<Tracked>): void {
  if (value === null || typeof value !== 'object') return;
  if ('storage' in value && 'isDisposedInternal' in value) {
    into.add(value as Tracked);
  } else if (Array.isArray(value)) {
    for (const v of value) collectTracked(v, into);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collectTracked(v, into);
  }
}

export interface MemoryInfo {
  /** Tensors not yet disposed or reclaimed (views count separately). */
  numTensors: number;
  /** Bytes of tensor storage still held. */
  numBytes: number;
  /** Size of the wasm linear memory (it grows, never shrinks). */
  wasmBytes: number;
}

export function memory(): MemoryInfo {
  return { numTensors: liveTensors, numBytes: liveBytes, wasmBytes: activeBackend?.memoryBytes() ?? 0 };
}
