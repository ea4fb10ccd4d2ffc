// Starting the GPU worker in Node (and Deno/Bun): a worker_threads Worker
// that loads the npm package `webgpu` (Dawn) by file URL. Nothing here is
// imported statically: wasmtensor installs, imports and runs without that
// package, and browsers get host.browser.ts in the browser bundle instead.
import { gpuWorkerSource } from './worker-source';
import type { GpuWorker } from './connection';
import { nodeBuiltin } from '../../node_builtin';

const LISTEN = `(fn) => import('node:worker_threads').then(({ parentPort }) => parentPort.on('message', fn))`;
const ACQUIRE = `async (module) => { const { create } = await import(module); return create([]); }`;

/** The worker, or the reason there is none. */
export async function startGpuWorker(): Promise<GpuWorker | string> {
  const proc = globalThis.process as undefined | { versions?: { node?: string }; cwd(): string };
  if (!proc?.versions?.node) return browserLike();
  const module = await resolveWebgpu(proc.cwd());
  if (module === null) return "the npm package 'webgpu' is not installed (npm install webgpu)";
  try {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(gpuWorkerSource(LISTEN, ACQUIRE), { eval: true });
    // The process may exit while the worker idles; its device goes with it.
    worker.unref();
    return {
      module,
      post: (job, transfer) => worker.postMessage(job, transfer ?? []),
      terminate: () => void worker.terminate(),
      onExit(listener) {
        worker.once('error', (error) => listener(String(error)));
        worker.once('exit', (code) => listener(`exit code ${code}`));
      },
    };
  } catch (error) {
    return `could not start the GPU worker: ${String(error)}`;
  }
}

/** A file: URL for `webgpu`, looked up from this bundle and then from the working directory. */
async function resolveWebgpu(cwd: string): Promise<string | null> {
  const { createRequire } = await import('node:module');
  const { pathToFileURL } = await import('node:url');
  for (const from of [import.meta.url, pathToFileURL(`${cwd}/`).href]) {
    try {
      return pathToFileURL(createRequire(from).resolve('webgpu')).href;
    } catch {
      // try the next place
    }
  }
  return null;
}

/** A non-Node runtime that reached this file (Deno without the browser bundle): use its navigator.gpu, if any. */
async function browserLike(): Promise<GpuWorker | string> {
  const { startBrowserGpuWorker } = await import('./host.browser');
  return startBrowserGpuWorker();
}

/** The synchronous slice of node:fs the threshold cache uses. */
export interface CacheFs {
  readFileSync(path: string, encoding: 'utf8'): string;
  writeFileSync(path: string, data: string): void;
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

/** Node's fs and environment for threshold-cache.ts, or null (no process.getBuiltinModule). */
export function cacheFs(): { fs: CacheFs; env: Record<string, string | undefined> } | null {
  const fs = nodeBuiltin<CacheFs>('node:fs');
  return fs ? { fs, env: process.env } : null;
}
