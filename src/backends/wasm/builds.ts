// The wasm builds (asconfig.json targets) and which of them this runtime can
// run, decided by WebAssembly.validate of tiny probe modules, never by
// user-agent or version sniffing.

/** Every build `npm run build:wasm` produces, best first. */
export const BUILDS = ['relaxed-threads', 'threads', 'relaxed', 'simd'] as const;
export type BuildName = (typeof BUILDS)[number];

// () -> v128 { i8x16.popcnt(i8x16.splat(0)) }: validates only where wasm SIMD exists.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

// () -> v128 { f32x4.relaxed_madd(splat 0, splat 0, splat 0) }: relaxed SIMD.
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 19, 1, 17, 0, 65, 0, 253, 15, 65, 0, 253, 15,
  65, 0, 253, 15, 253, 133, 2, 11,
]);

// (import "env" "memory" (memory 1 1 shared)): wasm threads (shared memory).
const SHARED_MEMORY_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 2, 16, 1, 3, 101, 110, 118, 6, 109, 101, 109, 111, 114, 121, 2, 3, 1, 1,
]);

export interface Features {
  simd: boolean;
  relaxed: boolean;
  /** Shared wasm memory, SharedArrayBuffer and (in browsers) cross-origin isolation. */
  threads: boolean;
}

export function isNode(): boolean {
  return typeof process !== 'undefined' && !!process.versions?.node;
}

function probe(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

export function detectFeatures(): Features {
  const simd = probe(SIMD_PROBE);
  // Browsers hand out SharedArrayBuffer only to cross-origin isolated pages
  // (COOP/COEP); Node always has it.
  const isolated = isNode() || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const threads = simd && isolated && typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' &&
    probe(SHARED_MEMORY_PROBE);
  return { simd, relaxed: simd && probe(RELAXED_PROBE), threads };
}

/** The builds this runtime can run, best first. */
export function supportedBuilds(f: Features = detectFeatures()): BuildName[] {
  return BUILDS.filter((b) => f.simd && (!b.includes('relaxed') || f.relaxed) && (!b.includes('threads') || f.threads));
}

/** True for the builds that import one shared memory (and can run a worker pool). */
export function isThreaded(build: string): boolean {
  return build.endsWith('threads');
}

/**
 * The build to load: `requested` (LoadOptions.build, else the environment
 * variable WASMTENSOR_BUILD in Node), else the best supported one.
 */
export function selectBuild(requested?: string): BuildName {
  const f = detectFeatures();
  if (!f.simd) {
    throw new Error('ready: this runtime lacks WebAssembly SIMD (Node >= 16.4, Chrome 91, Firefox 89, Safari 16.4 have it)');
  }
  const supported = supportedBuilds(f);
  const env = isNode() ? process.env.WASMTENSOR_BUILD : undefined;
  const wanted = requested ?? (env === '' ? undefined : env);
  if (wanted === undefined || wanted === 'auto') return supported[0];
  const source = requested !== undefined ? 'build' : 'WASMTENSOR_BUILD';
  if (!(BUILDS as readonly string[]).includes(wanted)) {
    throw new Error(`ready: unknown ${source} '${wanted}'; builds are ${BUILDS.join(', ')} (this runtime supports ${supported.join(', ')})`);
  }
  if (!(supported as string[]).includes(wanted)) {
    throw new Error(`ready: ${source} '${wanted}' is not supported by this runtime; it supports ${supported.join(', ')}`);
  }
  return wanted as BuildName;
}
