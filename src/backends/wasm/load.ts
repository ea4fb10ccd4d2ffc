// Finds, compiles and instantiates the wasm build that this runtime supports.
// Builds (asconfig.json targets): "simd" today; relaxed-SIMD and threaded
// builds plug in here, chosen by feature probes, never by user-agent sniffing.

export type WasmSource = ArrayBuffer | Uint8Array | URL | string;

export interface LoadOptions {
  /** The module's bytes, or a URL/path to fetch them from, instead of the packaged file. */
  wasm?: WasmSource;
}

export interface KernelExports {
  memory: WebAssembly.Memory;
  [name: string]: unknown;
}

// A module that uses one v128 instruction: validates only where wasm SIMD exists.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function selectBuild(): 'simd' {
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new Error('ready: this runtime lacks WebAssembly SIMD (Node >= 16.4, Chrome 91, Firefox 89, Safari 16.4 have it)');
  }
  return 'simd';
}

function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node;
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

export async function instantiate(options: LoadOptions = {}): Promise<{ build: string; exports: KernelExports }> {
  const build = selectBuild();
  const bytes = options.wasm === undefined ? await packagedBytes(build) : await readBytes(options.wasm);
  const imports = {
    env: {
      abort(_message: number, _file: number, line: number, column: number): never {
        throw new Error(`wasmtensor: kernel aborted at ${line}:${column} (out of memory?)`);
      },
    },
  };
  const { instance } = await WebAssembly.instantiate(bytes as BufferSource, imports);
  return { build, exports: instance.exports as unknown as KernelExports };
}
