// dtype conversion, copies, and reading data back to JS.
import { checkDType, type DType, type TypedArray } from '../dtype';
import { record } from '../autograd/tape';
import { backend } from '../engine';
import { Tensor, type NestedArray } from '../tensor';
import { contiguous, empty, ptrOf, requireTensor } from './alloc';

/**
 * Converts to another dtype: float32 -> int32 truncates toward zero (NaN -> 0),
 * -> uint8 saturates to [0, 255] (numpy wraps; we clamp, since uint8 holds
 * pixels), -> bool is x != 0. Same dtype returns a copy, like numpy's astype.
 */
export function cast(x: Tensor, dtype: DType, fn = 'cast'): Tensor {
  requireTensor(fn, 'x', x);
  checkDType(fn, 'dtype', dtype);
  const src = contiguous(x);
  const out = empty(x.shape, dtype);
  if (x.size > 0) backend().cast(ptrOf(src), x.dtype, out.storage.ptr, dtype, x.size);
  if (src !== x) src.dispose();
  if (x.dtype === 'float32' && dtype === 'float32') record(fn, [x], out, (dy) => [dy]);
  return out;
}

/** A contiguous copy with its own storage. */
export function clone(x: Tensor): Tensor {
  requireTensor('clone', 'x', x);
  const out = empty(x.shape, x.dtype);
  if (x.size > 0) backend().copy(x.view(), out.storage.ptr);
  if (x.dtype === 'float32') record('clone', [x], out, (dy) => [dy]);
  return out;
}

export function readData(x: Tensor): TypedArray {
  const src = contiguous(x);
  const data = backend().read(x.dtype, ptrOf(src), x.size);
  if (src !== x) src.dispose();
  return data;
}

export function toNested(x: Tensor): NestedArray {
  const flat = readData(x);
  const leaf = x.dtype === 'bool' ? (i: number) => flat[i] !== 0 : (i: number) => flat[i];
  if (x.rank === 0) return leaf(0);
  let pos = 0;
  const build = (axis: number): NestedArray[] => {
    const row: NestedArray[] = new Array(x.shape[axis]);
    for (let i = 0; i < row.length; i++) row[i] = axis === x.rank - 1 ? leaf(pos++) : build(axis + 1);
    return row;
  };
  return build(0);
}
