// host.ts for browsers: the browser build (dist/index.browser.mjs and
// dist/browser/, the package's `browser` export) is built with this file in
// place of host.ts, so it names no Node module. Same exports, same signatures.
import type { BuildName } from './builds';
import type { KernelSet } from './kernel_sets';
import type { WorkerFactory } from './worker-source';

// One literal `new URL('../../../file.wasm', import.meta.url)` per build and
// kernel set: Vite, webpack 5 and rollup asset plugins recognise this form, copy
// the file into the app's output and rewrite the URL. The path is relative to
// where this module is built, dist/browser/backends/wasm/host.browser.mjs
// (rollup.config.mjs mirrors src/ under dist/browser/), so it names the .wasm
// files in dist/ and is right unbundled too.
const PACKAGED: Record<`${BuildName}-${KernelSet}`, () => URL> = {
  'simd-full': () => new URL('../../../wasmtensor-simd.wasm', import.meta.url),
  'relaxed-full': () => new URL('../../../wasmtensor-relaxed.wasm', import.meta.url),
  'threads-full': () => new URL('../../../wasmtensor-threads.wasm', import.meta.url),
  'relaxed-threads-full': () => new URL('../../../wasmtensor-relaxed-threads.wasm', import.meta.url),
  'simd-core': () => new URL('../../../wasmtensor-simd-core.wasm', import.meta.url),
  'relaxed-core': () => new URL('../../../wasmtensor-relaxed-core.wasm', import.meta.url),
  'threads-core': () => new URL('../../../wasmtensor-threads-core.wasm', import.meta.url),
  'relaxed-threads-core': () => new URL('../../../wasmtensor-relaxed-threads-core.wasm', import.meta.url),
};

export function packagedWasmURLs(build: BuildName, set: KernelSet): URL[] {
  return [PACKAGED[`${build}-${set}`]()];
}

export async function readFileURL(url: URL): Promise<Uint8Array> {
  throw new Error(`ready: a browser cannot read ${url.href}; serve the file over http(s) or pass its bytes`);
}

/** Relative URLs given in LoadOptions resolve against the page (or the worker's script). */
export function baseURL(): string | undefined {
  return globalThis.location?.href;
}

/** Loaded only by a threaded build (startThreads), like the pool itself. */
export async function workerFactory(): Promise<WorkerFactory | null> {
  const { webWorkerFactory } = await import('./worker-source');
  return webWorkerFactory();
}

export function coresNow(): number {
  const n = globalThis.navigator?.hardwareConcurrency;
  return typeof n === 'number' && n >= 1 ? Math.floor(n) : 1;
}

export async function detectCores(): Promise<number> {
  return coresNow();
}
