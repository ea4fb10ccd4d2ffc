// How the main thread talks to the GPU worker (worker-source.ts). WebGPU
// only reads buffers back asynchronously, but wasmtensor's ops and dataSync()
// are synchronous: so the device lives in a worker, and the main thread posts
// a job and sleeps on a shared control word (Atomics.wait) until the worker
// has finished it. Jobs run in the order posted; uploads and frees are posted
// without waiting, since a later waited-for job sees their effect.
//
// Control block (Int32 words of one SharedArrayBuffer):
//   DONE    sequence number of the last job the worker finished
//   STATUS  0 ok, 1 failed (the message is UTF-8 text in the staging buffer)
//   LENGTH  bytes of the reply in the staging buffer (text, JSON or data)
//   LOST    1 once the device is lost (set by the worker at any time)

export const DONE = 0;
export const STATUS = 1;
export const LENGTH = 2;
export const LOST = 3;
export const CONTROL_WORDS = 4;
/** Bytes before the data in a readAsync target. */
export const ASYNC_HEADER = 16;

export const OK = 0;
export const FAILED = 1;

/** GPUBufferUsage / GPUMapMode bits (the spec's values, so no global is needed). */
export const USAGE_MAP_READ = 0x0001;
export const USAGE_COPY_SRC = 0x0004;
export const USAGE_COPY_DST = 0x0008;
export const USAGE_UNIFORM = 0x0040;
export const USAGE_STORAGE = 0x0080;
export const MAP_READ = 0x0001;

/** One compute dispatch: bindings are inputs, then outputs (created by the job), then the uniform block. */
export interface RunJob {
  kind: 'run';
  seq: number;
  /** Identifies the compiled pipeline: same key, same WGSL. */
  key: string;
  /** The WGSL, sent only until the worker has compiled this key (then null). */
  code: string | null;
  inputs: number[];
  outputs: { id: number; bytes: number }[];
  /** 32-bit words of the uniform block (u32 or f32 bit patterns). */
  uniforms: ArrayBuffer;
  groups: [number, number, number];
}

export type Job =
  | { kind: 'init'; seq: number; module: string | null; control: SharedArrayBuffer; staging: SharedArrayBuffer }
  | { kind: 'staging'; staging: SharedArrayBuffer }
  | { kind: 'upload'; id: number; data: ArrayBuffer }
  | { kind: 'free'; id: number }
  | { kind: 'download'; seq: number; id: number; bytes: number }
  /** A readback nobody blocks on: into its own buffer [done, status, pad, pad, ...bytes], done set last. */
  | { kind: 'readAsync'; id: number; bytes: number; target: SharedArrayBuffer }
  | { kind: 'stats'; seq: number }
  | { kind: 'destroy'; seq: number }
  | RunJob;
