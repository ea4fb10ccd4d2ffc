// Flag checkNumerics: ops hand their float32 results here; with the flag on,
// the first NaN or Infinity throws an error that names the op that made it
// (the inputs were checked when they were made, so this op is the culprit).
import { backend } from '../engine';
import { fmtShape } from '../errors';
import { getFlags } from '../flags';
import type { Tensor } from '../tensor';
import { contiguous, ptrOf } from './alloc';

/** Returns t; with flag checkNumerics, throws if t (float32) holds a NaN or ±Infinity. */
export function checked(fn: string, t: Tensor): Tensor {
  if (!getFlags().checkNumerics || t.dtype !== 'float32' || t.size === 0) return t;
  const c = contiguous(t);
  const at = backend().firstNonFinite(ptrOf(c), c.size);
  if (c !== t) c.dispose();
  if (at < 0) return t;
  const value = t.dataSync()[at];
  t.dispose();
  throw new Error(`${fn}: produced ${value} at flat index ${at} of its result (shape ${fmtShape(t.shape)}); flag checkNumerics is on`);
}
