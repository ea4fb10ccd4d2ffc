// gather: TF.js tf.gather(x, indices, axis) with batchDims 0. Output shape is
// x.shape[:axis] + indices.shape + x.shape[axis+1:]. The kernel copies whole
// slices (one memory.copy per selected row when axis = 0), which is what fit
// uses to assemble shuffled batches; the gradient scatter-adds dy back.
import { isRecording, record } from '../autograd/tape';
import { bytesPerElement } from '../dtype';
import { backend } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { normalizeAxis, sizeOf } from '../shape';
import { Tensor, type TensorLike } from '../tensor';
import { contiguous, empty, ptrOf } from './alloc';
import { tensor, zeros } from './create';

/** The indices as a contiguous int32 tensor (converted from arrays; other dtypes are rejected like TF.js). */
function checkIndices(fn: string, indices: TensorLike): Tensor {
  if (indices instanceof Tensor) {
    indices.assertAlive(fn, 'indices');
    if (indices.dtype !== 'int32') fail(fn, `indices must have dtype 'int32', got '${indices.dtype}' (cast with .astype('int32'))`);
    return contiguous(indices);
  }
  if (typeof indices === 'number' || Array.isArray(indices) || indices instanceof Int32Array) {
    return tensor(indices as number[], undefined, 'int32');
  }
  return fail(fn, `indices must be an int32 Tensor, an array of integers or an Int32Array, got ${describe(indices)}`);
}

export function gather(x: Tensor, indices: TensorLike, axis = 0): Tensor {
  const fn = 'gather';
  if (!(x instanceof Tensor)) fail(fn, `x must be a Tensor, got ${describe(x)}`);
  x.assertAlive(fn);
  if (x.rank === 0) fail(fn, 'x must have at least one axis, got a 0-d tensor');
  const ax = normalizeAxis(fn, axis, x.rank);
  const idx = checkIndices(fn, indices);
  const outer = sizeOf(x.shape.slice(0, ax));
  const axisSize = x.shape[ax];
  const inner = sizeOf(x.shape.slice(ax + 1));
  const src = contiguous(x);
  const out = empty([...x.shape.slice(0, ax), ...idx.shape, ...x.shape.slice(ax + 1)], x.dtype);
  const release = () => {
    if (src !== x) src.dispose();
    if (idx !== indices) idx.dispose();
  };
  if (idx.size > 0 && out.size > 0) {
    const bad = backend().gather(ptrOf(src), ptrOf(idx), out.storage.ptr, outer, axisSize, idx.size, inner * bytesPerElement(x.dtype));
    if (bad >= 0) {
      const value = idx.dataSync()[bad];
      out.dispose();
      release();
      fail(fn, `indices[${bad}] (flat index) is ${value}, out of range [0, ${axisSize}) for axis ${ax} of x with shape ${fmtShape(x.shape)}`);
    }
  } else if (idx.size > 0 && axisSize === 0) {
    release();
    fail(fn, `cannot gather from axis ${ax} of size 0 (x shape ${fmtShape(x.shape)})`);
  }
  if (x.dtype === 'float32' && isRecording()) {
    // The backward reads the indices after this op returns: give them their own
    // tensor, saved on the tape so that a caller disposing the indices (an
    // Embedding layer's reshaped view) does not free them under it.
    const kept = idx === indices ? idx : idx.clone();
    record(fn, [x], out, (dy) => {
      const dx = zeros(x.shape.slice());
      const g = contiguous(dy);
      if (g.size > 0) backend().gatherGrad(ptrOf(g), ptrOf(kept), dx.storage.ptr, outer, axisSize, kept.size, inner);
      if (g !== dy) g.dispose();
      return [dx];
    }, [kept]);
  }
  release();
  return out;
}
