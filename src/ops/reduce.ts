// Reductions along any set of axes, with keepDims. Kernels reduce the middle
// axis of a contiguous [outer, red, inner] block; this file maps any axis set
// onto that (directly when the reduced axes are adjacent, after one transposing
// copy otherwise).
import * as op from '../../assembly/opcodes';
import type { DType } from '../dtype';
import { backend } from '../engine';
import { fail } from '../errors';
import { normalizeAxes, normalizeAxis, sizeOf } from '../shape';
import { Tensor, type TensorLike } from '../tensor';
import { record } from '../autograd/tape';
import { contiguous, disposeIfCreated, empty, ptrOf, toTensor } from './alloc';
import { cast } from './convert';
import { div, equal, mul } from './elementwise';
import { broadcastTo, reshape } from './shape';
import { checked } from './numerics';

type Axis = number | number[] | undefined | null;

interface Block {
  src: Tensor;
  outer: number;
  red: number;
  inner: number;
}

/** Lays `t` out as a contiguous [outer, red, inner] block over `axes` (sorted, unique). */
function toBlock(t: Tensor, axes: number[]): Block {
  const adjacent = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
  const shape = t.shape;
  if (adjacent && axes.length > 0) {
    const lo = axes[0];
    const hi = axes[axes.length - 1];
    return {
      src: contiguous(t),
      outer: sizeOf(shape.slice(0, lo)),
      red: sizeOf(shape.slice(lo, hi + 1)),
      inner: sizeOf(shape.slice(hi + 1)),
    };
  }
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  const permuted = new Tensor(t.storage, perm.map((p) => shape[p]), t.dtype, perm.map((p) => t.strides[p]), t.offset);
  const src = contiguous(permuted);
  if (src !== permuted) permuted.dispose();
  return { src, outer: sizeOf(kept.map((i) => shape[i])), red: sizeOf(axes.map((i) => shape[i])), inner: 1 };
}

function reducedShape(shape: readonly number[], axes: number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

function computeType(fn: string, code: number, dtype: DType): 'float32' | 'int32' {
  if (dtype === 'float32' || code === op.R_MEAN) return 'float32';
  if (dtype === 'bool' && (code === op.R_MAX || code === op.R_MIN)) fail(fn, `dtype 'bool' is not supported; cast first`);
  return 'int32';
}

function reduce(fn: string, code: number, x: TensorLike, axis: Axis, keepDims: boolean): Tensor {
  const t = toTensor(fn, 'x', x);
  const axes = normalizeAxes(fn, axis, t.rank);
  const dtype = computeType(fn, code, t.dtype);
  const typed = t.dtype === dtype ? t : cast(t, dtype);
  const outShape = reducedShape(t.shape, axes, keepDims);
  if ((code === op.R_MAX || code === op.R_MIN) && t.size === 0 && sizeOf(outShape) > 0) {
    fail(fn, `zero-size axis in shape [${t.shape}]: the ${fn === 'max' ? 'maximum' : 'minimum'} of an empty sequence is undefined`);
  }
  const out = empty(outShape, dtype);
  if (axes.length === 0) {
    // numpy: reducing over no axes returns the values unchanged.
    if (out.size > 0) backend().copy(typed.view(), out.storage.ptr);
  } else if (out.size > 0) {
    const block = toBlock(typed, axes);
    backend().reduce(code, dtype, ptrOf(block.src), out.storage.ptr, block.outer, block.red, block.inner);
    if (block.src !== typed) block.src.dispose();
  }
  if (t.dtype === 'float32' && code !== op.R_PROD) record(fn, [t], out, (dy) => [reduceGrad(code, dy, t, out, axes)]);
  if (typed !== t) typed.dispose();
  disposeIfCreated(t, x);
  return checked(fn, out);
}

/**
 * sum: dy repeated over the reduced axes; mean: the same divided by the count;
 * max/min: dy routed to every element equal to the extreme (ties share, as in TF.js).
 */
function reduceGrad(code: number, dy: Tensor, x: Tensor, y: Tensor, axes: number[]): Tensor {
  const keepShape = reducedShape(x.shape, axes, true);
  const spread = (t: Tensor) => broadcastTo(reshape(t, keepShape), x.shape.slice());
  if (code === op.R_SUM) return spread(dy);
  if (code === op.R_MEAN) return div(spread(dy), sizeOf(axes.map((a) => x.shape[a])));
  return mul(spread(dy), cast(equal(x, spread(y)), 'float32'));
}

function argReduce(fn: string, code: number, x: TensorLike, axis: number): Tensor {
  const t = toTensor(fn, 'x', x);
  const ax = normalizeAxis(fn, axis, t.rank);
  if (t.rank > 0 && t.shape[ax] === 0) fail(fn, `axis ${axis} has size 0: an empty sequence has no ${fn === 'argMax' ? 'maximum' : 'minimum'}`);
  const dtype = t.dtype === 'float32' ? 'float32' : 'int32';
  const typed = t.dtype === dtype ? t : cast(t, dtype);
  const out = empty(t.rank === 0 ? [] : t.shape.filter((_, i) => i !== ax), 'int32');
  if (out.size > 0) {
    const block = t.rank === 0 ? { src: typed, outer: 1, red: 1, inner: 1 } : toBlock(typed, [ax]);
    backend().argReduce(code, dtype, ptrOf(block.src), out.storage.ptr, block.outer, block.red, block.inner);
    if (block.src !== typed) block.src.dispose();
  }
  if (typed !== t) typed.dispose();
  disposeIfCreated(t, x);
  return checked(fn, out);
}

/** Sum; int32/uint8/bool inputs give int32. */
export const sum = (x: TensorLike, axis?: Axis, keepDims = false): Tensor => reduce('sum', op.R_SUM, x, axis, keepDims);
/** Mean; always float32. The mean over an empty axis is NaN, as in numpy. */
export const mean = (x: TensorLike, axis?: Axis, keepDims = false): Tensor => reduce('mean', op.R_MEAN, x, axis, keepDims);
export const max = (x: TensorLike, axis?: Axis, keepDims = false): Tensor => reduce('max', op.R_MAX, x, axis, keepDims);
export const min = (x: TensorLike, axis?: Axis, keepDims = false): Tensor => reduce('min', op.R_MIN, x, axis, keepDims);
/** No gradient (a product's gradient with zeros in it needs care we have not taken yet). */
export const prod = (x: TensorLike, axis?: Axis, keepDims = false): Tensor => reduce('prod', op.R_PROD, x, axis, keepDims);
/** Index of the first maximum along axis (TF.js default axis 0); int32. */
export const argMax = (x: TensorLike, axis = 0): Tensor => argReduce('argMax', op.A_ARGMAX, x, axis);
export const argMin = (x: TensorLike, axis = 0): Tensor => argReduce('argMin', op.A_ARGMIN, x, axis);
