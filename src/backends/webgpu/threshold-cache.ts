// The 'auto' threshold is measured once per adapter and CPU setup, then kept:
// in Node in a small JSON file (WASMTENSOR_CACHE_DIR, else
// $XDG_CACHE_HOME/wasmtensor or ~/.cache/wasmtensor), so later processes
// skip the measurement; in browsers for the life of the page only (host.ts
// gives Node's fs; its browser twin gives none).
import { cacheFs, type CacheFs } from './host';
import { GEMM_KEY } from './wgsl/gemm';

const memory = new Map<string, number>();
const FILE = 'webgpu-threshold.json';

function nodeCache(): { fs: CacheFs; file: string } | null {
  const found = cacheFs();
  if (!found) return null;
  const { fs, env } = found;
  const home = env.HOME ?? env.USERPROFILE;
  const dir = env.WASMTENSOR_CACHE_DIR ?? (env.XDG_CACHE_HOME ? `${env.XDG_CACHE_HOME}/wasmtensor` : home ? `${home}/.cache/wasmtensor` : null);
  return dir ? { fs, file: `${dir}/${FILE}` } : null;
}

function readAll(cache: { fs: CacheFs; file: string }): Record<string, number | null> {
  try {
    const parsed = JSON.parse(cache.fs.readFileSync(cache.file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, number | null>) : {};
  } catch {
    return {};
  }
}

/** The stored threshold (multiply-adds; Infinity: the GPU never won) for key, or null. */
export function loadThreshold(key: string): number | null {
  if (memory.has(key)) return memory.get(key)!;
  const cache = nodeCache();
  if (!cache) return null;
  const value = readAll(cache)[key];
  if (value === undefined) return null;
  const threshold = value === null ? Infinity : value; // JSON has no Infinity
  memory.set(key, threshold);
  return threshold;
}

export function storeThreshold(key: string, threshold: number): void {
  memory.set(key, threshold);
  const cache = nodeCache();
  if (!cache) return;
  try {
    const all = readAll(cache);
    all[key] = Number.isFinite(threshold) ? threshold : null;
    cache.fs.mkdirSync(cache.file.slice(0, cache.file.lastIndexOf('/')), { recursive: true });
    cache.fs.writeFileSync(cache.file, `${JSON.stringify(all, null, 2)}\n`);
  } catch {
    // A read-only home: keep the value for this process only.
  }
}

/**
 * What a measurement depends on: the adapter, the wasm build, the thread count
 * and the GEMM shader's version (a changed kernel moves the crossover).
 */
export function thresholdKey(adapter: { vendor: string; architecture: string; device: string; description: string }, build: string, threads: number): string {
  return [adapter.vendor, adapter.architecture, adapter.device, adapter.description, build, `${threads}t`, GEMM_KEY].join('|');
}
