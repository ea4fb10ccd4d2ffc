// Shape ops. reshape/transpose/expandDims/squeeze/broadcastTo return views that
// share storage (no copy) whenever the layout allows; concat/stack copy.
import { record } from '../autograd/tape';
import { unbroadcast } from '../autograd/unbroadcast';
import { backend } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { broadcastShapes, broadcastStrides, contiguousStrides, normalizeAxes, normalizeAxis, sizeOf } from '../shape';
import { Tensor, type TensorLike } from '../tensor';
import { contiguous, disposeIfCreated, empty, toTensor } from './alloc';

/** A view of `t`'s storage with a new shape/strides/offset. */
export function viewOf(t: Tensor, shape: readonly number[], strides: readonly number[], offset = t.offset): Tensor {
  return new Tensor(t.storage, shape, t.dtype, strides, offset);
}

/** Reshape; one dimension may be -1 (inferred). A view when x is contiguous, a copy otherwise. */
export function reshape(x: TensorLike, shape: number[], fn = 'reshape'): Tensor {
  const t = toTensor(fn, 'x', x);
  if (!Array.isArray(shape)) fail(fn, `shape must be an array of integers, got ${describe(shape)}`);
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) fail(fn, `only one dimension can be -1, got ${fmtShape(shape)}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < -1) fail(fn, `shape must hold non-negative integers or one -1, got ${fmtShape(shape)}`);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  let target = shape.slice();
  if (unknown === 1) {
    if (known === 0 || t.size % known !== 0) fail(fn, `cannot reshape tensor of size ${t.size} into shape ${fmtShape(shape)}`);
    target = shape.map((d) => (d === -1 ? t.size / known : d));
  }
  if (sizeOf(target) !== t.size) fail(fn, `cannot reshape tensor of size ${t.size} into shape ${fmtShape(shape)}`);
  const src = contiguous(t);
  const out = viewOf(src, target, contiguousStrides(target));
  record(fn, [t], out, (dy) => [reshape(dy, t.shape.slice())]);
  if (src !== t) src.dispose();
  disposeIfCreated(t, x);
  return out;
}

/** Permutes axes (default: reversed). Always a view. */
export function transpose(x: TensorLike, perm?: number[]): Tensor {
  const fn = 'transpose';
  const t = toTensor(fn, 'x', x);
  const p = perm ?? t.shape.map((_, i) => t.rank - 1 - i);
  const valid = Array.isArray(p) && p.length === t.rank && [...p].sort((a, b) => a - b).every((v, i) => v === i);
  if (!valid) fail(fn, `perm must be a permutation of 0..${t.rank - 1} for a tensor of rank ${t.rank}, got ${JSON.stringify(perm)}`);
  const out = viewOf(t, p.map((i) => t.shape[i]), p.map((i) => t.strides[i]));
  const inverse = p.map((_, i) => p.indexOf(i));
  record(fn, [t], out, (dy) => [transpose(dy, inverse)]);
  return out;
}

/** Inserts a size-1 axis at `axis` (negative counts from the end of the result). A view. */
export function expandDims(x: TensorLike, axis = 0): Tensor {
  const t = toTensor('expandDims', 'x', x);
  const ax = normalizeAxis('expandDims', axis, t.rank + 1);
  const shape = t.shape.slice();
  const strides = t.strides.slice();
  shape.splice(ax, 0, 1);
  strides.splice(ax, 0, 0);
  const out = viewOf(t, shape, strides);
  record('expandDims', [t], out, (dy) => [reshape(dy, t.shape.slice())]);
  return out;
}

/** Removes size-1 axes (all, or those given). A view. */
export function squeeze(x: TensorLike, axis?: number | number[]): Tensor {
  const fn = 'squeeze';
  const t = toTensor(fn, 'x', x);
  const axes = axis === undefined ? t.shape.map((_, i) => i).filter((i) => t.shape[i] === 1) : normalizeAxes(fn, axis, t.rank);
  for (const a of axes) {
    if (t.shape[a] !== 1) fail(fn, `cannot squeeze axis ${a} of size ${t.shape[a]} (shape ${fmtShape(t.shape)})`);
  }
  const keep = (_: number, i: number) => !axes.includes(i);
  const out = viewOf(t, t.shape.filter(keep), t.strides.filter(keep));
  record(fn, [t], out, (dy) => [reshape(dy, t.shape.slice())]);
  return out;
}

/** numpy broadcast_to: a read-only view with stride 0 on repeated axes. */
export function broadcastTo(x: TensorLike, shape: number[]): Tensor {
  const fn = 'broadcastTo';
  const t = toTensor(fn, 'x', x);
  const out = broadcastShapes(fn, t.shape, shape);
  if (out.length !== shape.length || out.some((d, i) => d !== shape[i])) {
    fail(fn, `cannot broadcast shape ${fmtShape(t.shape)} to ${fmtShape(shape)}`);
  }
  const result = viewOf(t, shape, broadcastStrides(t.shape, t.strides, shape));
  record(fn, [t], result, (dy) => [unbroadcast(dy, t.shape)]);
  return result;
}

/** Joins tensors along an existing axis. */
export function concat(tensors: Tensor[], axis = 0): Tensor {
  const fn = 'concat';
  if (!Array.isArray(tensors) || tensors.length === 0) fail(fn, 'tensors must be a non-empty array of tensors');
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) fail(fn, `tensors[${i}] must be a Tensor, got ${describe(t)}`);
    t.assertAlive(fn, `tensors[${i}]`);
  });
  const first = tensors[0];
  if (first.rank === 0) fail(fn, 'cannot concatenate 0-d tensors; use stack');
  const ax = normalizeAxis(fn, axis, first.rank);
  tensors.forEach((t, i) => {
    const same = t.rank === first.rank && t.shape.every((d, k) => k === ax || d === first.shape[k]);
    if (!same) fail(fn, `tensors[${i}] has shape ${fmtShape(t.shape)}, incompatible with ${fmtShape(first.shape)} along axis ${ax}`);
    if (t.dtype !== first.dtype) fail(fn, `tensors[${i}] has dtype '${t.dtype}', expected '${first.dtype}' like tensors[0]`);
  });
  const total = tensors.reduce((n, t) => n + t.shape[ax], 0);
  const outShape = first.shape.slice();
  outShape[ax] = total;
  // Move `axis` to the front so every input lands in one contiguous run of
  // the permuted output, then copy the permuted result back into place.
  const toFront = [ax, ...first.shape.map((_, i) => i).filter((i) => i !== ax)];
  const back = toFront.map((_, i) => toFront.indexOf(i));
  const front = empty(toFront.map((i) => outShape[i]), first.dtype);
  const bytes = first.dtype === 'float32' || first.dtype === 'int32' ? 4 : 1;
  let at = front.storage.ptr;
  for (const t of tensors) {
    if (t.size === 0) continue;
    const v = t.view();
    backend().copy({ ...v, shape: toFront.map((i) => v.shape[i]), strides: toFront.map((i) => v.strides[i]) }, at);
    at += t.size * bytes;
  }
  let out = front;
  if (ax !== 0) {
    const permuted = viewOf(front, back.map((i) => front.shape[i]), back.map((i) => front.strides[i]));
    out = contiguous(permuted);
    permuted.dispose();
    front.dispose();
  }
  record(fn, tensors, out, (dy) => {
    let start = 0;
    return tensors.map((t) => {
      const begin = dy.shape.map((_, i) => (i === ax ? start : 0));
      start += t.shape[ax];
      return sliceView(dy, begin, t.shape);
    });
  });
  return out;
}

/** Joins tensors of equal shape along a new axis. */
export function stack(tensors: Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) fail('stack', 'tensors must be a non-empty array of tensors');
  tensors.forEach((t, i) => {
    if (!(t instanceof Tensor)) fail('stack', `tensors[${i}] must be a Tensor, got ${describe(t)}`);
    t.assertAlive('stack', `tensors[${i}]`);
    if (t.shape.length !== tensors[0].shape.length || t.shape.some((d, k) => d !== tensors[0].shape[k])) {
      fail('stack', `tensors[${i}] has shape ${fmtShape(t.shape)}, expected ${fmtShape(tensors[0].shape)} like tensors[0]`);
    }
  });
  const ax = normalizeAxis('stack', axis, tensors[0].rank + 1);
  const expanded = tensors.map((t) => expandDims(t, ax));
  const out = concat(expanded, ax);
  expanded.forEach((t) => t.dispose());
  return out;
}

/** A view of t starting at `begin` with `shape` (no checks: internal). */
function sliceView(t: Tensor, begin: number[], shape: readonly number[]): Tensor {
  const offset = begin.reduce((o, b, i) => o + b * t.strides[i], t.offset);
  return viewOf(t, shape, t.strides, offset);
}
