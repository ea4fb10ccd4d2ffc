// Finds, compiles and instantiates the wasm build that this runtime supports
// (builds.ts chooses it). Threaded builds import one shared memory, created
// here, that a worker pool later instantiates the same module over.
// Everything that differs between Node and browsers (reading files, starting
// workers) is in host.ts / host.browser.ts.
import { isNode, isThreaded, selectBuild, type BuildName } from './builds';
import { baseURL, packagedWasmURLs, readFileURL } from './host';
import { startThreads } from './threads';
import { kernelSetOf, packagedWasmFile, selectKernelSet, withMissingKernels, type KernelSet } from './kernel_sets';

/** A wasm module: bytes, compiled, a fetch() Response, or a URL (http(s), file: in Node, or a path). */
export type WasmSource = ArrayBuffer | Uint8Array | WebAssembly.Module | Response | URL | string;

export interface LoadOptions {
  /**
   * The module instead of the packaged file: its bytes, a compiled
   * WebAssembly.Module, a Response, or a URL/path to fetch it from. It must be
   * the build that `build` names (or, without `build`, the best this runtime supports).
   */
  wasm?: WasmSource;
  /**
   * A directory URL (a CDN, say) holding the packaged `wasmtensor-<build>.wasm`
   * files; the build is still chosen automatically. Relative URLs resolve
   * against the page in browsers, the working directory in Node.
   */
  wasmBase?: URL | string;
  /**
   * Force a build: 'simd', 'relaxed' (relaxed-SIMD FMA), 'threads' (shared
   * memory, worker pool) or 'relaxed-threads'; 'auto' or absent: the best this
   * runtime supports. In Node the environment variable WASMTENSOR_BUILD does the same.
   */
  build?: BuildName | 'auto';
  /**
   * Which kernel set to load (kernel_sets.ts): 'full', or 'core' (no
   * convolution, pooling, batch-normalization or recurrent kernels; a third
   * smaller). 'auto' or absent: 'full' in Node, and in browsers whenever the
   * bundle includes an op that needs it, else 'core'.
   */
  kernels?: KernelSet | 'auto';
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

function resolveURL(source: URL | string): URL {
  return source instanceof URL ? source : new URL(source, baseURL());
}

/** Compiles `source`; over http(s) with streaming compilation when the server sends application/wasm. */
async function compile(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) return WebAssembly.compile(source as BufferSource);
  // URLs before Responses: in Node, merely reading the global `Response` loads
  // the fetch implementation (undici), about 25 ms of every cold start.
  if (source instanceof URL || typeof source === 'string') {
    const url = resolveURL(source);
    if (url.protocol === 'file:') return WebAssembly.compile((await readFileURL(url)) as BufferSource);
    return compileResponse(await fetch(url));
  }
  if (typeof Response === 'function' && source instanceof Response) return compileResponse(source);
  throw new Error(`ready: wasm must be bytes, a WebAssembly.Module, a Response or a URL, got ${Object.prototype.toString.call(source)}`);
}

async function compileResponse(response: Response): Promise<WebAssembly.Module> {
  if (!response.ok) throw new Error(`ready: fetching ${response.url} failed with HTTP ${response.status}`);
  const streaming = typeof WebAssembly.compileStreaming === 'function' &&
    response.headers.get('content-type')?.split(';')[0].trim() === 'application/wasm';
  return streaming ? WebAssembly.compileStreaming(response) : WebAssembly.compile(await response.arrayBuffer());
}

/** The packaged .wasm for `build` and `set` (host.ts says where it lives), or the one under options.wasmBase. */
async function compilePackaged(build: BuildName, set: KernelSet, wasmBase?: URL | string): Promise<WebAssembly.Module> {
  const file = packagedWasmFile(build, set);
  if (wasmBase !== undefined) {
    const base = resolveURL(wasmBase);
    return compile(new URL(file, base.href.endsWith('/') ? base : new URL(`${base.href}/`)));
  }
  let lastError: unknown;
  for (const url of packagedWasmURLs(build, set)) {
    try {
      return await compile(url);
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

export async function instantiate(options: LoadOptions = {}): Promise<{ build: string; kernelSet: KernelSet; exports: KernelExports }> {
  const build = selectBuild(options.build);
  if (options.wasm !== undefined && options.wasmBase !== undefined) throw new Error('ready: pass options.wasm or options.wasmBase, not both');
  const wanted = selectKernelSet(options.kernels, isNode());
  const module = options.wasm === undefined ? await compilePackaged(build, wanted, options.wasmBase) : await compile(options.wasm);
  // A module passed in holds whichever set it holds.
  const kernelSet = kernelSetOf(module);
  const env: WebAssembly.ModuleImports = { abort: abortImport };
  let memory: WebAssembly.Memory | undefined;
  if (isThreaded(build)) {
    memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
    env.memory = memory;
  }
  const instance = await WebAssembly.instantiate(module, { env });
  const raw = instance.exports as unknown as KernelExports;
  const exports = kernelSet === 'core' ? withMissingKernels(raw) : raw;
  const kernels = memory ? { module, memory } : undefined;
  if (kernels) shared.set(exports, kernels);
  await startThreads(kernels);
  return { build, kernelSet, exports };
}
