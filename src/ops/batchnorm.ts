// batchNorm, tf.batchNorm semantics:
//   y = (x - mean) * rsqrt(variance + varianceEpsilon) * scale + offset,
// where mean, variance, offset and scale broadcast against x by numpy's rules
// (typically rank 1 of the size of x's last axis; [1, C, 1, 1] for NCHW) and
// y has x's shape. TF.js also asks the four to share one rank; we only ask that
// each broadcasts to x.
//
// Under a gradient tape the op is a composite of sub, mul, rsqrt and add, so
// all five gradients (and gradients of gradients) come from theirs; they are
// exactly TF.js' FusedBatchNorm gradient formulas. Without a tape (inference)
// the statistics fold into per-channel factors a = scale * rsqrt(variance +
// eps) and b = offset - mean * a, computed on C floats, and one SIMD pass
// y = x * a + b runs over x (assembly/kernels/batchnorm.ts).
import { isRecording } from '../autograd/tape';
import { backend } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { sizeOf } from '../shape';
import type { Tensor, TensorLike } from '../tensor';
import { contiguous, disposeIfCreated, empty, ptrOf, toTensor } from './alloc';
import { add, mul, neg, rsqrt, sub } from './elementwise';
import { checked } from './numerics';
import { broadcastTo, reshape } from './shape';
import { wantFullKernels } from '../backends/wasm/kernel_sets';

// Its kernels are in the full set only: a bundle that holds this module loads it.
wantFullKernels();

const FN = 'batchNorm';

function floatInput(arg: string, v: TensorLike): Tensor {
  const t = toTensor(FN, arg, v);
  if (t.dtype !== 'float32') {
    disposeIfCreated(t, v);
    fail(FN, `${arg} has dtype '${t.dtype}', expected 'float32' (cast with .astype('float32'))`);
  }
  return t;
}

/** Fails unless `t` broadcasts to x's shape without changing it (y keeps x's shape). */
function checkBroadcasts(arg: string, t: Tensor, x: Tensor): void {
  const lead = x.rank - t.rank;
  const ok = lead >= 0 && t.shape.every((d, i) => d === 1 || d === x.shape[lead + i]);
  if (!ok) {
    const last = x.rank > 0 ? `[${x.shape[x.rank - 1]}] (x's last axis) or ` : '';
    fail(FN, `${arg} has shape ${fmtShape(t.shape)}, which does not broadcast to x's shape ${fmtShape(x.shape)}; expected ${last}a shape that broadcasts to it`);
  }
}

/** t's shape left-padded with 1s to `rank` (numpy's alignment). */
function aligned(t: Tensor, rank: number): number[] {
  return [...new Array<number>(rank - t.rank).fill(1), ...t.shape];
}

/**
 * Normalizes x with the given statistics (see the file comment). offset and
 * scale may be omitted (null or undefined): 0 and 1.
 */
export function batchNorm(x: TensorLike, mean: TensorLike, variance: TensorLike, offset?: TensorLike | null,
  scale?: TensorLike | null, varianceEpsilon: number | null = 0.001): Tensor {
  // null reads as the default, as in TF.js.
  const eps = varianceEpsilon ?? 0.001;
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) fail(FN, `varianceEpsilon must be a finite number >= 0, got ${describe(eps)}`);
  const given: [string, TensorLike | null | undefined][] = [['x', x], ['mean', mean], ['variance', variance], ['offset', offset], ['scale', scale]];
  const made: [Tensor, unknown][] = [];
  try {
    const inputs = given.map(([arg, v]) => {
      if (v === null || v === undefined) {
        if (arg === 'offset' || arg === 'scale') return null;
        return fail(FN, `${arg} is required (a Tensor), got ${describe(v)}`);
      }
      const t = floatInput(arg, v);
      made.push([t, v]);
      return t;
    });
    const [tx, tm, tv, to, tsc] = inputs as [Tensor, Tensor, Tensor, Tensor | null, Tensor | null];
    for (let i = 1; i < inputs.length; i++) if (inputs[i]) checkBroadcasts(given[i][0], inputs[i] as Tensor, tx);
    const axis = channelAxis(tx, [tm, tv, to, tsc]);
    const y = isRecording() || axis === undefined || tx.size === 0
      ? composite(tx, tm, tv, to, tsc, eps)
      : fused(tx, tm, tv, to, tsc, eps, axis);
    return checked(FN, y);
  } finally {
    for (const [t, v] of made) disposeIfCreated(t, v);
  }
}

/**
 * The one axis of x along which the statistics vary (-1: none varies, they
 * are scalars in effect), or undefined when they vary along several (the
 * fused kernel then does not apply).
 */
function channelAxis(x: Tensor, params: (Tensor | null)[]): number | undefined {
  const varying = new Set<number>();
  for (const p of params) if (p) aligned(p, x.rank).forEach((d, i) => d > 1 && varying.add(i));
  if (varying.size > 1) return undefined;
  return varying.size === 0 ? -1 : [...varying][0];
}

/** The differentiable form: every step is a recorded op. */
function composite(x: Tensor, mean: Tensor, variance: Tensor, offset: Tensor | null, scale: Tensor | null, eps: number): Tensor {
  const temps: Tensor[] = [];
  const step = (t: Tensor): Tensor => (temps.push(t), t);
  let factor = step(rsqrt(step(add(variance, eps))));
  if (scale) factor = step(mul(factor, scale));
  let y = mul(step(sub(x, mean)), factor);
  if (offset) y = add(step(y), offset);
  // Under a tape these disposals wait until the backward pass is done.
  for (const t of temps) t.dispose();
  return y;
}

/** y = x * a + b with per-channel a, b along `axis` (-1: one a, b for all of x), one kernel pass. */
function fused(x: Tensor, mean: Tensor, variance: Tensor, offset: Tensor | null, scale: Tensor | null, eps: number, axis: number): Tensor {
  const temps: Tensor[] = [];
  const step = (t: Tensor): Tensor => (temps.push(t), t);
  const c = axis < 0 ? 1 : x.shape[axis];
  const outer = axis < 0 ? x.size : sizeOf(x.shape.slice(0, axis));
  const inner = axis < 0 ? 1 : sizeOf(x.shape.slice(axis + 1));
  // Each factor as c contiguous floats, whatever rank and broadcasting the statistics had.
  const channelShape = x.shape.map((_, i) => (i === axis ? c : 1));
  const perChannel = (t: Tensor): Tensor => step(contiguous(step(broadcastTo(step(reshape(t, aligned(t, x.rank))), channelShape))));
  let factor = step(rsqrt(step(add(variance, eps))));
  if (scale) factor = step(mul(factor, scale));
  const shifted = step(mul(mean, factor));
  const shift = offset ? step(sub(offset, shifted)) : step(neg(shifted));
  const a = perChannel(factor);
  const b = perChannel(shift);
  const src = step(contiguous(x));
  const y = empty(x.shape, 'float32');
  backend().batchNorm(ptrOf(src), ptrOf(a), ptrOf(b), y.storage.ptr, outer, c, inner);
  for (const t of temps) if (t !== x) t.dispose();
  return y;
}
