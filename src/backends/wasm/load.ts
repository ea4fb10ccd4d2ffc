// Finds, compiles and instantiates the wasm build that this runtime supports
// (builds.ts chooses it). Threaded builds import one shared memory, created
// here, that a worker pool later instantiates the same module over.
import { isNode, isThreaded, selectBuild, type BuildName } from './builds';
import { startThreads } from './threads';

export type WasmSource = ArrayBuffer | Uint8Array | URL | string;

export interface LoadOptions {
  /** The module's bytes, or a URL/path to fetch them from, instead of the packaged file (must match `build`). */
  wasm?: WasmSource;
  /**
   * Force a build: 'simd', 'relaxed' (relaxed-SIMD FMA), 'threads' (shared
   * memory, worker pool) or 'relaxed-threads'; 'auto' or absent: the best this
   * runtime supports. In Node the environment variable WASMTENSOR_BUILD does the same.
   */
  build?: BuildName | 'auto';
}

export interface KernelExports {
  memory: WebAssembly.Memory;
  [name: string]: unknown;
}

/** What a worker needs to instantiate the same kernels over the same memory. */
export interface SharedKernels {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

// Pages the threaded builds declare for their imported memory (asconfig.json
// initialMemory, maximumMemory).
const INITIAL_PAGES = 32;
const MAXIMUM_PAGES = 65536;

const shared = new WeakMap<object, SharedKernels>();

/** The module and shared memory behind `exports`, for threaded builds only. */
export function sharedKernelsOf(exports: KernelExports): SharedKernels | undefined {
  return shared.get(exports);
}

async function readBytes(source: WasmSource): Promise<ArrayBuffer | Uint8Array> {
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) return source;
  const url = source instanceof URL ? source : new URL(source, isNode() ? `file://${process.cwd()}/` : globalThis.location?.href);
  if (url.protocol === 'file:') {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`ready: fetching ${url.href} failed with HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** The packaged .wasm: next to the bundle in dist/, or in dist/ when running from src/ (tests). */
async function packagedBytes(build: string): Promise<ArrayBuffer | Uint8Array> {
  const file = `wasmtensor-${build}.wasm`;
  const candidates = [new URL(`./${file}`, import.meta.url), new URL(`../../../dist/${file}`, import.meta.url)];
  let lastError: unknown;
  for (const url of candidates) {
    try {
      return await readBytes(url);
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`ready: could not load ${file} (run \`npm run build\`?): ${String(lastError)}`);
}

/** The env.abort import: a kernel that runs out of memory (or asserts) throws in JS. */
export function abortImport(_message: number, _file: number, line: number, column: number): never {
  throw new Error(`wasmtensor: kernel aborted at ${line}:${column} (out of memory?)`);
}

export async function instantiate(options: LoadOptions = {}): Promise<{ build: string; exports: KernelExports }> {
  const build = selectBuild(options.build);
  const bytes = options.wasm === undefined ? await packagedBytes(build) : await readBytes(options.wasm);
  const module = await WebAssembly.compile(bytes as BufferSource);
  const env: WebAssembly.ModuleImports = { abort: abortImport };
  let memory: WebAssembly.Memory | undefined;
  if (isThreaded(build)) {
    memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    env.memory = memory;
  }
  const instance = await WebAssembly.instantiate(module, { env });
  const exports = instance.exports as unknown as KernelExports;
  const kernels = memory ? { module, memory } : undefined;
  if (kernels) shared.set(exports, kernels);
  await startThreads(kernels);
  return { build, exports };
}
