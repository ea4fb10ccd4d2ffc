// host.ts for browsers (the browser bundle substitutes this file): the GPU
// worker is a Web Worker from a Blob URL using navigator.gpu. The main thread
// waits for it with Atomics.wait, which a page's main thread may not do, so
// WebGPU is offered only where wasmtensor itself runs in a worker of a
// cross-origin isolated page (SharedArrayBuffer).
import { gpuWorkerSource } from './worker-source';
import type { GpuWorker } from './connection';
import type { CacheFs } from './host';

const LISTEN = `(fn) => { self.onmessage = (e) => fn(e.data); }`;
const ACQUIRE = `async () => navigator.gpu`;

export async function startGpuWorker(): Promise<GpuWorker | string> {
  return startBrowserGpuWorker();
}

export async function startBrowserGpuWorker(): Promise<GpuWorker | string> {
  const g = globalThis as { navigator?: { gpu?: unknown }; document?: unknown; crossOriginIsolated?: boolean; Worker?: unknown };
  if (!g.navigator?.gpu) return 'this browser has no navigator.gpu (WebGPU)';
  if (typeof SharedArrayBuffer === 'undefined') return 'WebGPU needs SharedArrayBuffer: serve the page cross-origin isolated (COOP/COEP)';
  if (g.document !== undefined) {
    return "a page's main thread cannot wait for the GPU synchronously (Atomics.wait): run wasmtensor in a Web Worker to use WebGPU";
  }
  if (typeof g.Worker !== 'function') return 'this worker cannot start nested Web Workers';
  const url = URL.createObjectURL(new Blob([gpuWorkerSource(LISTEN, ACQUIRE)], { type: 'text/javascript' }));
  const worker = new Worker(url);
  return {
    module: null,
    post: (job, transfer) => worker.postMessage(job, transfer ?? []),
    terminate: () => worker.terminate(),
    onExit(listener) {
      worker.addEventListener('error', (e) => listener(e.message || 'error'), { once: true });
    },
  };
}

/** No file cache in browsers: the threshold is kept for the page's life only. */
export function cacheFs(): { fs: CacheFs; env: Record<string, string | undefined> } | null {
  return null;
}
