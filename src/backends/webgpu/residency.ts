// Where a tensor's data lives. Every Storage keeps its wasm bytes; the
// WebGPU backend may hang a GpuCopy on it (Storage.device, src/engine.ts):
//   cpuStale = true:  the data exists only on the GPU (a GPU kernel wrote it);
//   cpuStale = false: both copies are equal (it was uploaded).
// Data moves only when the other side needs it: an upload when a GPU kernel
// reads a tensor with no GPU copy, a readback when CPU code takes the wasm
// pointer of one whose data is only on the GPU. Since CPU code may write
// through that pointer, the GPU copy is dropped then.
import type { DeviceCopy, Storage } from '../../engine';
import type { Tensor } from '../../tensor';
import type { GpuConnection } from './connection';

export class GpuCopy implements DeviceCopy {
  constructor(readonly conn: GpuConnection, readonly id: number, public cpuStale: boolean) {}

  beforeCpuAccess(storage: Storage): void {
    if (this.cpuStale) {
      let bytes: Uint8Array;
      try {
        bytes = this.conn.download(this.id, storage.bytes);
      } catch (error) {
        // The only copy is gone: every later read must fail too, never return stale wasm bytes.
        const lost = new LostCopy(error instanceof Error ? error.message : String(error));
        storage.device = lost;
        throw lost.error();
      }
      storage.backend.write(storage.address, bytes);
    }
    storage.device = null;
    this.conn.free(this.id);
  }

  async readAsync(storage: Storage): Promise<void> {
    if (!this.cpuStale) return;
    const bytes = await this.conn.downloadAsync(this.id, storage.bytes);
    // Disposed meanwhile (its wasm block may belong to another tensor now), or already read back.
    if (storage.freed || storage.device !== this || !this.cpuStale) return;
    storage.backend.write(storage.address, bytes);
    this.cpuStale = false;
  }

  release(): void {
    this.conn.free(this.id);
  }
}

/** Marks storage whose data lived only on a GPU that was lost. */
class LostCopy implements DeviceCopy {
  constructor(private readonly why: string) {}
  error(): Error {
    return new Error(`webgpu: this tensor's data lived only on the GPU, which failed (${this.why}); recompute it`);
  }
  beforeCpuAccess(): void {
    throw this.error();
  }
  release(): void {}
}

export type Location = 'cpu' | 'gpu' | 'both';

export function locationOf(t: Tensor): Location {
  const copy = t.storage.device;
  if (copy instanceof GpuCopy) return copy.cpuStale ? 'gpu' : 'both';
  return 'cpu';
}

/** True when t's data is only on the GPU (reading it on the CPU would cost a readback). */
export function gpuOnly(t: Tensor | undefined): boolean {
  const copy = t?.storage.device;
  return copy instanceof GpuCopy && copy.cpuStale;
}

/** The GPU buffer holding t's storage, uploading it first if needed. Throws for data lost with a device. */
export function gpuBufferOf(conn: GpuConnection, t: Tensor): number {
  const storage = t.storage;
  const copy = storage.device;
  if (copy instanceof GpuCopy && copy.conn === conn) return copy.id;
  if (copy !== null) void storage.ptr; // a copy on a closed connection (or lost data): bring it home, or throw
  const data = storage.backend.read('float32', storage.address, storage.bytes >>> 2) as Float32Array;
  const id = conn.newId();
  conn.upload(id, data.buffer as ArrayBuffer);
  storage.device = new GpuCopy(conn, id, false);
  return id;
}

/** Records that a GPU kernel wrote buffer `id` as the only up-to-date copy of storage. */
export function attachGpuResult(conn: GpuConnection, storage: Storage, id: number): void {
  storage.device?.release();
  storage.device = new GpuCopy(conn, id, true);
}

/** Drops storage's GPU copy without reading it back (a failed kernel left it half-written). */
export function detachGpu(storage: Storage): void {
  if (storage.device instanceof GpuCopy) {
    storage.device.release();
    storage.device = null;
  }
}
