// pad (TF.js tf.pad): constant padding of every axis by [before, after]
// elements. No kernel of its own: the output is filled with the constant,
// then x is written into its interior view by the strided scatter (the
// inverse of copy), so each byte is touched once by SIMD-friendly row loops.
// The gradient is the interior slice of dy, whose own gradient is a pad.
import { record } from '../autograd/tape';
import { backend } from '../engine';
import { describe, fail } from '../errors';
import type { Tensor, TensorLike } from '../tensor';
import { contiguous, disposeIfCreated, ptrOf, toTensor } from './alloc';
import { fill } from './create';
import { slice } from './indexing';
import { viewOf } from './shape';

export type Paddings = Array<[number, number]>;

function readPaddings(fn: string, paddings: unknown, rank: number): Paddings {
  const ok = Array.isArray(paddings) && paddings.length === rank && paddings.every((p) =>
    Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0));
  if (!ok) {
    const got = Array.isArray(paddings) ? JSON.stringify(paddings) : describe(paddings);
    fail(fn, `paddings must hold one [before, after] pair of non-negative integers per axis of x (rank ${rank}), got ${got}`);
  }
  return (paddings as Paddings).map(([a, b]) => [a, b]);
}

/** x with `paddings[i][0]` elements of constantValue before axis i and `paddings[i][1]` after it. */
export function pad(x: TensorLike, paddings: Paddings, constantValue = 0): Tensor {
  const fn = 'pad';
  const t = toTensor(fn, 'x', x);
  const p = readPaddings(fn, paddings, t.rank);
  if (typeof constantValue !== 'number') fail(fn, `constantValue must be a number, got ${describe(constantValue)}`);
  const outShape = t.shape.map((d, i) => d + p[i][0] + p[i][1]);
  const out = fill(outShape, constantValue, t.dtype);
  if (t.size > 0) {
    // The interior of `out`: x's shape at offset `before` on every axis.
    const offset = p.reduce((o, [before], i) => o + before * out.strides[i], 0);
    const interior = viewOf(out, t.shape, out.strides, offset);
    const src = contiguous(t);
    backend().scatter(ptrOf(src), interior.view());
    if (src !== t) src.dispose();
    interior.dispose();
  }
  if (t.dtype === 'float32') record(fn, [t], out, (dy) => [slice(dy, p.map(([before]) => before), t.shape.slice())]);
  disposeIfCreated(t, x);
  return out;
}

