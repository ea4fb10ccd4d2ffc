// wt.webgpu: the WebGPU backend's public face (device, adapter, residency,
// threshold). wt.setBackend lives in policy.ts and is exported beside it.
import { describe, fail } from '../../errors';
import { Tensor } from '../../tensor';
import { calibrate, thresholdFrom, type Calibration } from './calibrate';
import { storeThreshold } from './threshold-cache';
import { backend } from '../../engine';
import {
  adapterInfo, available, connect, connection, currentThresholdKey, lastCalibration, setMinMatMul, unavailableReason, type GpuInfo,
} from './policy';
import { locationOf, type Location } from './residency';

export type { GpuInfo, Location, Calibration };
export { setBackend, activeBackend, backendChoice, type BackendChoice } from './policy';

export const webgpu = {
  /** Whether a WebGPU device can be created here (starts it once; software adapters count). */
  available,
  /** The adapter (vendor, architecture, description, limits) and whether it is software (SwiftShader, llvmpipe); null if none. */
  adapterInfo,
  /** Why no device could be created, after available() said false. */
  unavailableReason,
  /** Where t's data is: 'cpu' (wasm memory), 'gpu' (only in a GPU buffer) or 'both'. */
  location(t: Tensor): Location {
    if (!(t instanceof Tensor)) fail('webgpu.location', `t must be a Tensor, got ${describe(t)}`);
    return locationOf(t);
  },
  /** GPU buffers the device holds for tensors now (a waited-for query to the GPU worker). */
  memory(): { buffers: number; bytes: number } {
    const conn = connection();
    return conn && !conn.lost ? conn.stats() : { buffers: 0, bytes: 0 };
  },
  /** Uploads, readbacks and kernel dispatches since the device started. */
  counts(): { uploads: number; downloads: number; dispatches: number } {
    return { ...(connection()?.counts ?? { uploads: 0, downloads: 0, dispatches: 0 }) };
  },
  /** Overrides the 'auto' threshold in multiply-adds (M*N*K*batch); null to measure it on the device. */
  setMinMatMul,
  /** The 'auto' threshold in use and the measurement behind it, if one ran. */
  threshold: lastCalibration,
  /**
   * Times CPU vs GPU square GEMMs now (any adapter): rows until the GPU first
   * wins. With the default sizes the result also replaces the cached 'auto' threshold.
   */
  async calibrate(sizes?: number[]): Promise<Calibration[]> {
    if (sizes !== undefined && !(Array.isArray(sizes) && sizes.length > 0 && sizes.every((s) => Number.isInteger(s) && s >= 1 && s <= 8192))) {
      fail('webgpu.calibrate', `sizes must be a non-empty array of integers in [1, 8192], got ${describe(sizes)}`);
    }
    const conn = await connect();
    if (typeof conn === 'string') throw new Error(`webgpu.calibrate: no WebGPU device (${conn})`);
    const rows = calibrate(conn, backend(), sizes);
    const key = currentThresholdKey();
    if (sizes === undefined && key !== null) storeThreshold(key, thresholdFrom(rows));
    return rows;
  },
  /** Destroys the device, as a driver reset would: for testing the CPU fallback. */
  loseDevice(): void {
    connection()?.destroyDevice();
  },
};
