// What loading the kernels needs from the runtime it runs in: Node (and other
// server runtimes: Deno, Bun) here; browsers get host.browser.ts instead,
// which the browser bundle (dist/index.browser.mjs, rollup.config.mjs)
// substitutes for this file, so fs, worker_threads and os never reach it.
// Node built-ins are still imported lazily, inside functions and behind
// isNode(), so this build also runs in Deno or in a web worker.
import { isNode, type BuildName } from './builds';
import { packagedWasmFile, type KernelSet } from './kernel_sets';
import { webWorkerFactory, workerSource, type WorkerFactory } from './worker-source';
import { nodeBuiltin } from '../../node_builtin';

/**
 * Where the packaged `wasmtensor-<build>[-core].wasm` may be, first match
 * wins: next to this bundle in dist/, or in dist/ when running from src/ (the
 * test suite).
 */
export function packagedWasmURLs(build: BuildName, set: KernelSet): URL[] {
  const file = packagedWasmFile(build, set);
  return [new URL(`./${file}`, import.meta.url), new URL(`../../../dist/${file}`, import.meta.url)];
}

/**
 * Reads a .wasm file: URL (Node only). Synchronously where Node hands out its
 * built-ins synchronously (process.getBuiltinModule, Node >= 20.16): for a
 * file of about 100 KB, read once by ready(), that is ~0.5 ms sooner than
 * importing fs/promises and waiting on the thread pool.
 */
export async function readFileURL(url: URL): Promise<Uint8Array> {
  if (!isNode()) throw new Error(`ready: cannot read ${url.href} outside Node; pass bytes or an http(s) URL`);
  const fs = nodeBuiltin<typeof import('node:fs')>('node:fs');
  if (fs) return fs.readFileSync(url);
  const { readFile } = await import('node:fs/promises');
  return readFile(url);
}

/** Relative paths given in LoadOptions resolve against the working directory in Node, the page elsewhere. */
export function baseURL(): string | undefined {
  return isNode() ? `file://${process.cwd()}/` : globalThis.location?.href;
}

// A Node pool worker gets its first message from worker_threads' parentPort.
// Node evaluates the source as CommonJS or as a module (it inherits
// --input-type): import() works in both.
const NODE_LISTEN = `(fn) => import('node:worker_threads').then(({ parentPort }) =>
  parentPort.once('message', (data) => fn(data, () => parentPort.close())))`;

/** How to start a pool worker: worker_threads in Node, Web Workers elsewhere; null if neither. */
export async function workerFactory(): Promise<WorkerFactory | null> {
  if (!isNode()) return webWorkerFactory();
  try {
    const { Worker } = await import('node:worker_threads');
    const source = workerSource(NODE_LISTEN);
    return () => new Worker(source, { eval: true });
  } catch {
    return null;
  }
}

/** The core count without awaiting (before ready()): navigator, or node:os where process.getBuiltinModule exists. */
export function coresNow(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (typeof n === 'number' && n >= 1) return Math.floor(n);
  try {
    const p = nodeBuiltin<{ availableParallelism?: () => number }>('node:os')?.availableParallelism?.();
    if (typeof p === 'number' && p >= 1) return p;
  } catch {
    // fall through
  }
  return 1;
}

/** The machine's cores: os.availableParallelism() in Node, navigator.hardwareConcurrency elsewhere. */
export async function detectCores(): Promise<number> {
  // Without an import where Node hands out node:os synchronously: ready()
  // waits on this, and a dynamic import goes through the module loader.
  const known = coresNow();
  if (known > 1) return known;
  try {
    if (isNode()) {
      const os = await import('node:os');
      return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
    }
  } catch {
    // fall through
  }
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
}
