// Allocating output tensors and turning user values into tensors: the helpers
// every op starts with.
import { bytesPerElement, type DType } from '../dtype';
import { allocStorage, backend } from '../engine';
import { describe, fail } from '../errors';
import { sizeOf } from '../shape';
import { Tensor, type TensorLike } from '../tensor';
import { tensor } from './create';

/** A new contiguous tensor with uninitialised contents. */
export function empty(shape: readonly number[], dtype: DType): Tensor {
  return new Tensor(allocStorage(sizeOf(shape) * bytesPerElement(dtype)), shape, dtype);
}

/**
 * Accepts a Tensor (checked alive) or a plain value. A JS number follows
 * numpy's weak scalar rule: it takes `like`'s dtype when that keeps its value
 * (an integer with an int32 tensor), float32 otherwise.
 */
export function toTensor(fn: string, arg: string, value: TensorLike, like?: DType): Tensor {
  if (value instanceof Tensor) {
    value.assertAlive(fn, arg);
    return value;
  }
  if (typeof value === 'number') {
    const dtype = (like === 'int32' || like === 'uint8') && Number.isInteger(value) ? 'int32' : 'float32';
    return tensor(value, [], dtype);
  }
  if (typeof value === 'boolean' || Array.isArray(value) || ArrayBuffer.isView(value)) return tensor(value);
  return fail(fn, `${arg} must be a Tensor, a number or an array, got ${describe(value)}`);
}

/** x itself, checked to be a live Tensor (for functions that take no plain values). */
export function requireTensor(fn: string, arg: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) fail(fn, `${arg} must be a Tensor, got ${describe(x)}`);
  x.assertAlive(fn, arg);
  return x;
}

/** requireTensor for the float32-only ops (matMul, conv, pooling). */
export function requireFloat(fn: string, arg: string, x: unknown): Tensor {
  const t = requireTensor(fn, arg, x);
  if (t.dtype !== 'float32') fail(fn, `${arg} has dtype '${t.dtype}', expected 'float32' (cast with .astype('float32'))`);
  return t;
}

/**
 * Disposes a temporary an op made (from a plain value, or a cast) once it is
 * done with it. (If a gradient tape still needs it, dispose() waits for the tape.)
 */
export function disposeIfCreated(t: Tensor, original: unknown): void {
  if (t !== original) t.dispose();
}

/** t itself when contiguous, else a contiguous copy (the caller disposes it when t !== result). */
export function contiguous(t: Tensor): Tensor {
  if (t.isContiguous) return t;
  const out = empty(t.shape, t.dtype);
  if (t.size > 0) backend().copy(t.view(), out.storage.ptr);
  return out;
}

/** Byte address of element [0,...,0] of a contiguous tensor. */
export function ptrOf(t: Tensor): number {
  return t.storage.ptr + t.offset * bytesPerElement(t.dtype);
}
