// Which matMuls run on the GPU, and what happens when the GPU fails.
//   'wasm'   never (the default; ops see gpuOps.current === null).
//   'webgpu' every float32 matMul, on any adapter, software ones included.
//   'auto'   only with a hardware adapter, and only products of at least
//            minMatMul multiply-adds (measured on the device at first use,
//            calibrate.ts, and cached: threshold-cache.ts) or whose inputs
//            already live on the GPU.
// A failure (device lost, out of GPU memory, a shader that does not compile)
// sends that op and, for a lost device, every later one to the CPU kernels,
// with one console warning per kind of failure.
import { backend, ready } from '../../engine';
import { calibrate, thresholdFrom, type Calibration } from './calibrate';
import type { Tensor } from '../../tensor';
import { GpuConnection, GpuError, type AdapterInfo } from './connection';
import { gpuOps, type GpuMatMul, type GpuOps } from './hook';
import { startGpuWorker } from './host';
import { activationGradKernelRun, columnSumKernelRun, matMulKernel } from './kernels';
import { detachGpu, gpuOnly } from './residency';
import { GPU_ACTIVATIONS } from './wgsl/activations';
import { GEMM_KEY } from './wgsl/gemm';
import { getThreads } from '../wasm/threads';
import { loadThreshold, storeThreshold, thresholdKey } from './threshold-cache';

export type BackendChoice = 'wasm' | 'webgpu' | 'auto';

/** The adapter, with whether it is a software rasteriser rather than a GPU. */
export interface GpuInfo extends AdapterInfo {
  software: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|\bwarp\b/i;

export function isSoftware(info: AdapterInfo): boolean {
  return info.isFallbackAdapter || SOFTWARE.test(`${info.vendor} ${info.architecture} ${info.device} ${info.description}`);
}

const state = {
  mode: 'wasm' as BackendChoice,
  conn: null as GpuConnection | null,
  connecting: null as Promise<GpuConnection | string> | null,
  reason: null as string | null,
  /** Why there can be no device in this process at all, once known. */
  absent: null as string | null,
  info: null as GpuInfo | null,
  /** Multiply-adds from which 'auto' uses the GPU; null until measured or set. */
  minMatMul: null as number | null,
  userMinMatMul: null as number | null,
  calibrating: false,
  calibration: [] as Calibration[],
  timeoutMs: 120_000,
  broken: new Set<string>(),
  warned: new Set<string>(),
};

/** Starts the GPU worker and device once; the connection, or why there is none. */
export function connect(): Promise<GpuConnection | string> {
  if (state.conn && !state.conn.lost) return Promise.resolve(state.conn);
  // No package, no WebGPU, no adapter: that does not change while the process runs.
  if (state.absent !== null) return Promise.resolve(state.absent);
  state.connecting ??= (async () => {
    const worker = await startGpuWorker();
    if (typeof worker === 'string') return (state.absent = worker);
    const conn = new GpuConnection(worker, state.timeoutMs);
    try {
      const info = await conn.init();
      state.info = { ...info, software: isSoftware(info) };
      state.conn = conn;
      state.reason = null;
      state.warned.delete('lost'); // a new device: its loss gets its own warning
      return conn;
    } catch (error) {
      conn.close();
      const message = error instanceof Error ? error.message : String(error);
      if (/no WebGPU adapter|has no WebGPU/.test(message)) state.absent = message;
      return message;
    }
  })().then((result) => {
    state.connecting = null;
    if (typeof result === 'string') state.reason = result;
    return result;
  });
  return state.connecting;
}

export async function available(): Promise<boolean> {
  return typeof (await connect()) !== 'string';
}

export async function adapterInfo(): Promise<GpuInfo | null> {
  return typeof (await connect()) === 'string' ? null : state.info;
}

/** Why the last attempt found no usable GPU, or null. */
export function unavailableReason(): string | null {
  return state.reason;
}

/**
 * Chooses where matMuls run. Resolves to true when the GPU will be used
 * ('webgpu', or 'auto' with a hardware adapter); false otherwise, with a
 * warning for 'webgpu' (which then stays on 'wasm').
 */
export async function setBackend(name: BackendChoice): Promise<boolean> {
  if (name !== 'wasm' && name !== 'webgpu' && name !== 'auto') {
    throw new Error(`setBackend: unknown backend '${String(name)}'; expected 'wasm', 'webgpu' or 'auto'`);
  }
  await ready();
  state.mode = name;
  gpuOps.current = null;
  if (name === 'wasm') return false;
  const conn = await connect();
  if (typeof conn === 'string') {
    if (name === 'webgpu') {
      state.mode = 'wasm';
      console.warn(`wasmtensor: WebGPU is not available (${conn}); staying on wasm`);
    }
    return false;
  }
  if (name === 'auto' && state.info?.software) return false;
  state.broken.clear();
  gpuOps.current = ops;
  return true;
}

/** 'webgpu' or 'wasm': where a large matMul runs now. */
export function activeBackend(): string {
  return gpuOps.current !== null && state.mode === 'webgpu' ? 'webgpu' : state.mode === 'auto' && gpuOps.current ? 'auto' : 'wasm';
}

export function backendChoice(): BackendChoice {
  return state.mode;
}

/** Overrides the measured 'auto' threshold (multiply-adds, M*N*K*batch); null measures again. */
export function setMinMatMul(macs: number | null): void {
  if (macs !== null && !(typeof macs === 'number' && macs >= 0)) throw new Error(`webgpu.setMinMatMul: expected a number >= 0 or null, got ${String(macs)}`);
  state.userMinMatMul = macs;
}

export function connection(): GpuConnection | null {
  return state.conn;
}

/** The threshold 'auto' uses: the user's, else measured once (see calibrate.ts). */
export function autoThreshold(measure: () => number): number {
  if (state.userMinMatMul !== null) return state.userMinMatMul;
  if (state.minMatMul === null && !state.calibrating) {
    state.calibrating = true;
    try {
      state.minMatMul = measure();
    } finally {
      state.calibrating = false;
    }
  }
  return state.minMatMul ?? Infinity;
}

/** The calibration 'auto' ran, if it has (for wt.webgpu.threshold()). */
export function lastCalibration(): { minMatMul: number | null; rows: Calibration[] } {
  return { minMatMul: state.userMinMatMul ?? state.minMatMul, rows: state.calibration };
}

/** The cache key of a threshold measured now (adapter, wasm build, threads). */
export function currentThresholdKey(): string | null {
  return state.info ? thresholdKey(state.info, backend().build, getThreads()) : null;
}

function measureThreshold(): number {
  const conn = live();
  const key = currentThresholdKey();
  if (conn === null || key === null) return Infinity;
  const cached = loadThreshold(key);
  if (cached !== null) return cached;
  try {
    state.calibration = calibrate(conn, backend());
    const threshold = thresholdFrom(state.calibration);
    storeThreshold(key, threshold);
    return threshold;
  } catch (error) {
    if (error instanceof GpuError && error.lost) lose(error);
    else warnOnce('calibrate', `measuring the WebGPU threshold failed (${String(error)}); 'auto' keeps matMuls on the CPU`);
    return Infinity;
  }
}

export function warnOnce(kind: string, message: string): void {
  if (state.warned.has(kind)) return;
  state.warned.add(kind);
  console.warn(`wasmtensor: ${message}`);
}

/** The usable connection, or null after a loss (warning once and leaving the GPU for the rest of the session). */
function live(): GpuConnection | null {
  const conn = state.conn;
  if (conn === null) return null;
  if (conn.lost) {
    lose(new GpuError('the GPU device was lost', true));
    return null;
  }
  return conn;
}

function lose(error: GpuError): void {
  warnOnce('lost', `WebGPU failed (${error.message}); running on the CPU (wasm) from now on`);
  gpuOps.current = null;
  state.conn?.close();
}

/** Runs a GPU kernel; on failure warns, undoes its output and returns false so the op runs on the CPU. */
function attempt(key: string, out: Tensor, run: (conn: GpuConnection) => void): boolean {
  const conn = live();
  if (conn === null || state.broken.has(key)) return false;
  try {
    run(conn);
    return true;
  } catch (error) {
    detachGpu(out.storage);
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof GpuError && error.lost) lose(error);
    else if (/compile/i.test(message)) {
      state.broken.add(key);
      warnOnce(`compile:${key}`, `a WebGPU shader failed to compile (${message}); that kernel runs on the CPU`);
    } else if (/out of GPU memory|out of memory/i.test(message)) {
      warnOnce('oom', `the GPU ran out of memory (${message}); such products run on the CPU`);
    } else {
      warnOnce('error', `a WebGPU kernel failed (${message}); it ran on the CPU instead`);
    }
    return false;
  }
}

function fits(...tensors: (Tensor | undefined)[]): boolean {
  const limit = state.info?.maxStorageBufferBindingSize ?? 0;
  return tensors.every((t) => t === undefined || t.storage.bytes <= limit);
}

function wantsMatMul(s: GpuMatMul): boolean {
  if (!GPU_ACTIVATIONS.has(s.activation) || !fits(s.a, s.b, s.bias, s.out)) return false;
  if (state.mode === 'webgpu') return true;
  if (gpuOnly(s.a) || gpuOnly(s.b)) return true;
  const macs = s.m * s.n * s.k * s.calls.reduce((total, c) => total + c.count, 0);
  return macs >= autoThreshold(measureThreshold);
}

const ops: GpuOps = {
  matMul(s) {
    if (!wantsMatMul(s)) return false;
    return attempt(GEMM_KEY, s.out, (conn) => matMulKernel(conn, s));
  },
  activationGrad(act, dy, y, out) {
    // Only where the data already is on the GPU: elementwise work never pays for a transfer.
    if (!(gpuOnly(dy) || gpuOnly(y)) || !fits(dy, y, out)) return false;
    return attempt('act_grad', out, (conn) => activationGradKernelRun(conn, act, dy, y, out));
  },
  columnSum(x, out) {
    if (!gpuOnly(x) || !fits(x, out)) return false;
    return attempt('column_sum', out, (conn) => columnSumKernelRun(conn, x, out));
  },
};
