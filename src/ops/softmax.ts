// softmax and logSoftmax along one axis, numerically stable (the kernel
// subtracts the maximum first).
import { backend } from '../engine';
import { fail } from '../errors';
import { normalizeAxis, sizeOf } from '../shape';
import type { Tensor, TensorLike } from '../tensor';
import { record } from '../autograd/tape';
import { contiguous, disposeIfCreated, empty, ptrOf, toTensor } from './alloc';
import { cast } from './convert';
import { exp, mul, sub } from './elementwise';
import { sum } from './reduce';
import { checked } from './numerics';

function run(fn: string, x: TensorLike, axis: number, log: boolean): Tensor {
  const t = toTensor(fn, 'x', x);
  if (t.dtype === 'bool') fail(fn, `dtype 'bool' is not supported; expected float32`);
  if (t.rank === 0) fail(fn, 'x must have at least one axis, got a 0-d tensor');
  const ax = normalizeAxis(fn, axis, t.rank);
  const typed = t.dtype === 'float32' ? t : cast(t, 'float32');
  const src = contiguous(typed);
  const out = empty(t.shape, 'float32');
  if (out.size > 0) {
    backend().softmax(ptrOf(src), out.storage.ptr, sizeOf(t.shape.slice(0, ax)), t.shape[ax], sizeOf(t.shape.slice(ax + 1)), log);
  }
  if (t.dtype === 'float32') {
    // softmax: y (dy - sum(dy y)); logSoftmax: dy - exp(y) sum(dy), both along the axis.
    record(fn, [t], out, (dy) => [
      log ? sub(dy, mul(exp(out), sum(dy, ax, true))) : mul(out, sub(dy, sum(mul(dy, out), ax, true))),
    ]);
  }
  if (src !== typed) src.dispose();
  if (typed !== t) typed.dispose();
  disposeIfCreated(t, x);
  return checked(fn, out);
}

export const softmax = (x: TensorLike, axis = -1): Tensor => run('softmax', x, axis, false);
export const logSoftmax = (x: TensorLike, axis = -1): Tensor => run('logSoftmax', x, axis, true);
