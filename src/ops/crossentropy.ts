// Softmax cross-entropy computed from logits in one fused kernel per
// direction (assembly/kernels/crossentropy.ts): per-sample losses via
// log-sum-exp, so logits of +-1000 stay finite, and a backward that writes
// dlogits = (softmax(logits) - labels) * dy in one pass instead of the chain
// softmax -> log -> mul -> sum would record. TF's names and argument order.
import { backend } from '../engine';
import { fail, fmtShape } from '../errors';
import { sizeOf } from '../shape';
import type { Tensor, TensorLike } from '../tensor';
import { record } from '../autograd/tape';
import { contiguous, disposeIfCreated, empty, ptrOf, toTensor } from './alloc';
import { cast } from './convert';
import { checked } from './numerics';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The logits as float32 with at least one axis (the classes). */
function checkLogits(fn: string, logits: TensorLike): Tensor {
  const t = toTensor(fn, 'logits', logits);
  if (t.dtype === 'bool') fail(fn, `logits must be float32, got dtype 'bool'`);
  if (t.rank === 0) fail(fn, 'logits must have a class axis (shape [batch, classes]), got a 0-d tensor');
  if (t.shape[t.rank - 1] === 0) fail(fn, `logits has 0 classes (shape ${fmtShape(t.shape)})`);
  return t;
}

/** Runs a kernel on contiguous copies of `ts`; disposes the copies afterwards. */
function withContiguous<T>(ts: Tensor[], body: (ptrs: number[]) => T): T {
  const cs = ts.map(contiguous);
  try {
    return body(cs.map(ptrOf));
  } finally {
    cs.forEach((c, i) => c !== ts[i] && c.dispose());
  }
}

function badLabel(fn: string, labels: Tensor, row: number, classes: number): never {
  const value = labels.dataSync()[row];
  return fail(fn, `labels[${row}] (flat index) is ${value}; expected an integer class index in [0, ${classes}) (logits.shape[-1] = ${classes})`);
}

/**
 * Per-sample softmax cross-entropy: -sum(labels * logSoftmax(logits), -1),
 * shape logits.shape[:-1]. labels are float32 probabilities with the shape of
 * logits. The gradient flows to the logits only (labels are treated as data).
 */
export function softmaxCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  const fn = 'softmaxCrossEntropyWithLogits';
  const x = checkLogits(fn, logits);
  const y = toTensor(fn, 'labels', labels);
  if (y.dtype !== 'float32') {
    fail(fn, `labels must be float32 probabilities (one-hot rows) with the shape of logits, got dtype '${y.dtype}'; integer class indices go to sparseSoftmaxCrossEntropyWithLogits`);
  }
  if (!sameShape(y.shape, x.shape)) {
    fail(fn, `labels shape ${fmtShape(y.shape)} must equal logits shape ${fmtShape(x.shape)}`);
  }
  const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
  const n = x.shape[x.rank - 1];
  const rows = sizeOf(x.shape) / n;
  const out = empty(x.shape.slice(0, -1), 'float32');
  if (rows > 0) withContiguous([xf, y], ([px, py]) => backend().softmaxCrossEntropy(px, py, null, out.storage.ptr, rows, n));
  if (x.dtype === 'float32') {
    record(fn, [x, y], out, (dy) => {
      const dx = empty(x.shape, 'float32');
      if (rows > 0) {
        withContiguous([x, y, dy], ([px, py, pd]) => backend().softmaxCrossEntropyGrad(px, py, null, pd, dx.storage.ptr, rows, n));
      }
      return [dx, null];
    });
  }
  if (xf !== x) xf.dispose();
  disposeIfCreated(y, labels);
  disposeIfCreated(x, logits);
  return checked(fn, out);
}

/**
 * Per-sample softmax cross-entropy with integer class labels:
 * -logSoftmax(logits)[..., label], shape logits.shape[:-1] = labels.shape.
 * labels are int32, uint8 or float32 holding integers in [0, classes).
 */
export function sparseSoftmaxCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  const fn = 'sparseSoftmaxCrossEntropyWithLogits';
  const x = checkLogits(fn, logits);
  const y = toTensor(fn, 'labels', labels, 'int32');
  if (y.dtype === 'bool') fail(fn, `labels must be integer class indices (int32, uint8 or float32), got dtype 'bool'`);
  const batchShape = x.shape.slice(0, -1);
  if (!sameShape(y.shape, batchShape)) {
    const hint = sameShape(y.shape, x.shape) ? '; labels with the shape of logits look one-hot: use softmaxCrossEntropyWithLogits' : '';
    fail(fn, `labels shape ${fmtShape(y.shape)} must equal logits shape without its last axis, ${fmtShape(batchShape)} (logits ${fmtShape(x.shape)})${hint}`);
  }
  const xf = x.dtype === 'float32' ? x : cast(x, 'float32');
  const n = x.shape[x.rank - 1];
  const rows = y.size;
  const out = empty(batchShape, 'float32');
  if (rows > 0) {
    const bad = withContiguous([xf, y], ([px, py]) => backend().softmaxCrossEntropy(px, py, y.dtype, out.storage.ptr, rows, n));
    if (bad >= 0) {
      out.dispose();
      if (xf !== x) xf.dispose();
      badLabel(fn, y, bad, n);
    }
  }
  if (x.dtype === 'float32') {
    record(fn, [x, y], out, (dy) => {
      const dx = empty(x.shape, 'float32');
      if (rows > 0) {
        withContiguous([x, y, dy], ([px, py, pd]) => backend().softmaxCrossEntropyGrad(px, py, y.dtype, pd, dx.storage.ptr, rows, n));
      }
      return [dx, null];
    });
  }
  if (xf !== x) xf.dispose();
  disposeIfCreated(y, labels);
  disposeIfCreated(x, logits);
  return checked(fn, out);
}
