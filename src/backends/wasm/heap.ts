// Typed views over wasm linear memory, re-created whenever memory has grown
// (growth detaches the old ArrayBuffer and writes through a stale view are
// silently lost). Always go through these getters; never cache a view across
// a call that may allocate.
import type { DType, TypedArray } from '../../dtype';

export class Heap {
  private buffer: ArrayBuffer | SharedArrayBuffer | null = null;
  private f32v = new Float32Array(0);
  private i32v = new Int32Array(0);
  private u8v = new Uint8Array(0);

  constructor(private readonly memory: WebAssembly.Memory) {}

  private refresh(): void {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.f32v = new Float32Array(this.buffer);
      this.i32v = new Int32Array(this.buffer);
      this.u8v = new Uint8Array(this.buffer);
    }
  }

  get f32(): Float32Array { this.refresh(); return this.f32v; }
  get i32(): Int32Array { this.refresh(); return this.i32v; }
  get u8(): Uint8Array { this.refresh(); return this.u8v; }
  get byteLength(): number { return this.memory.buffer.byteLength; }

  /** A live view (not a copy) of n elements at byte address ptr. */
  view(dtype: DType, ptr: number, n: number): TypedArray {
    switch (dtype) {
      case 'float32': return this.f32.subarray(ptr >>> 2, (ptr >>> 2) + n);
      case 'int32': return this.i32.subarray(ptr >>> 2, (ptr >>> 2) + n);
      default: return this.u8.subarray(ptr, ptr + n);
    }
  }
}
