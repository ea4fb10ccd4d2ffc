// Shape arithmetic: sizes, row-major strides, numpy broadcasting, axis
// normalisation and dimension collapsing for the kernels. Pure functions on
// plain number arrays; no tensors here.
import { fail, fmtShape } from './errors';

export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** Row-major strides in elements. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

/** True when a view with these strides is laid out row-major without gaps (size-1 axes ignored). */
export function isContiguous(shape: readonly number[], strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] === 1) continue;
    if (strides[i] !== expected) return false;
    expected *= shape[i];
  }
  return true;
}

export function checkShape(fn: string, shape: unknown, arg = 'shape'): number[] {
  if (!Array.isArray(shape)) fail(fn, `${arg} must be an array of non-negative integers, got ${typeof shape}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) fail(fn, `${arg} must be an array of non-negative integers, got ${fmtShape(shape)}`);
  }
  return shape.slice();
}

/** numpy broadcasting: align right, each pair of dims equal or one of them 1. */
export function broadcastShapes(fn: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      fail(fn, `shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast together`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read a view of `shape` as if it had the broadcast shape `outShape` (0 on repeated axes). */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], outShape: readonly number[]): number[] {
  const lead = outShape.length - shape.length;
  return outShape.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : strides[i - lead]));
}

/** Normalises one axis (negatives count from the end) or fails with numpy's wording. */
export function normalizeAxis(fn: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis)) fail(fn, `axis must be an integer, got ${axis}`);
  if (axis < -rank || axis >= Math.max(rank, 1)) fail(fn, `axis ${axis} is out of bounds for tensor of rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Sorted unique axes; undefined or null means all axes. */
export function normalizeAxes(fn: string, axis: number | number[] | undefined | null, rank: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  const out = list.map((a) => normalizeAxis(fn, a, rank));
  if (new Set(out).size !== out.length) fail(fn, `repeated axis in ${JSON.stringify(list)}`);
  return out.sort((x, y) => x - y);
}

/**
 * Merges adjacent dimensions that every operand walks contiguously, and drops
 * size-1 dimensions, so kernels see the fewest, longest rows. Returns at least
 * one dimension ([1] for a scalar).
 */
export function collapseDims(shape: readonly number[], stridesList: readonly (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = stridesList.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 && stridesList.every((s, k) => outStrides[k][last] === s[i] * shape[i]);
    if (mergeable) {
      outShape[last] *= shape[i];
      stridesList.forEach((s, k) => (outStrides[k][last] = s[i]));
    } else {
      outShape.push(shape[i]);
      stridesList.forEach((s, k) => outStrides[k].push(s[i]));
    }
  }
  if (outShape.length === 0) return { shape: [1], strides: stridesList.map(() => [0]) };
  return { shape: outShape, strides: outStrides };
}
