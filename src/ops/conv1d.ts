// conv1d (TF.js tf.conv1d semantics) as a conv2d over a height-1 image:
// x [N, W, C] becomes [N, 1, W, C] and the filter [fw, C, outC] becomes
// [1, fw, C, outC], both as reshapes (views), so the im2col + GEMM path,
// its fused epilogue and all its gradients serve 1-D convolution unchanged.
// 'causal' (Keras' Conv1D) left-pads the time axis by (fw - 1) * dilation
// with pad() and then convolves 'valid', so output t sees inputs <= t only.
import { describe, fail, fmtShape } from '../errors';
import type { Tensor } from '../tensor';
import { requireTensor } from './alloc';
import { conv2dWith } from './conv';
import type { Epilogue } from './matmul';
import { pad } from './pad';
import { reshape } from './shape';

export type Padding1D = 'valid' | 'same' | 'causal';
export type DataFormat1D = 'NWC' | 'NCW';

function positive(fn: string, arg: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 1) fail(fn, `${arg} must be a positive integer, got ${describe(v)}`);
  return v as number;
}

/**
 * 1-D convolution, TF.js semantics: x [N, W, C] (or [N, C, W] with
 * dataFormat 'NCW'; rank 2 is one sequence), filter [fw, C, outC].
 * pad may also be 'causal' (Keras' Conv1D padding).
 */
export function conv1d(x: Tensor, filter: Tensor, stride = 1, pad: Padding1D = 'valid', dataFormat: DataFormat1D = 'NWC', dilation = 1): Tensor {
  return conv1dWith('conv1d', x, filter, stride, pad, dataFormat, dilation, {});
}

/** conv1d with matMul's fused epilogue (bias [outC], activation code): the Conv1D layer's forward. */
export function conv1dWith(fn: string, x: Tensor, filter: Tensor, stride: number, padding: Padding1D,
  dataFormat: DataFormat1D, dilation: number, epilogue: Epilogue): Tensor {
  requireTensor(fn, 'x', x);
  requireTensor(fn, 'filter', filter);
  positive(fn, 'stride', stride);
  positive(fn, 'dilation', dilation);
  if (padding !== 'valid' && padding !== 'same' && padding !== 'causal') fail(fn, `pad must be 'valid', 'same' or 'causal', got ${describe(padding)}`);
  if (dataFormat !== 'NWC' && dataFormat !== 'NCW') fail(fn, `dataFormat must be 'NWC' or 'NCW', got ${describe(dataFormat)}`);
  if (x.rank !== 2 && x.rank !== 3) fail(fn, `x must have rank 3 [batch, width, channels] (or rank 2, one sequence), got shape ${fmtShape(x.shape)}`);
  if (filter.rank !== 3) fail(fn, `filter must have rank 3 [filterWidth, inChannels, outChannels], got shape ${fmtShape(filter.shape)}`);
  const ncw = dataFormat === 'NCW';
  const x3 = x.rank === 2 ? reshape(x, [1, ...x.shape]) : x;
  const [fw, fc, outC] = filter.shape;
  const c = ncw ? x3.shape[1] : x3.shape[2];
  if (fc !== c) fail(fn, `x has ${c} input channels (shape ${fmtShape(x.shape)}, ${dataFormat}) but filter expects ${fc} (filter shape ${fmtShape(filter.shape)})`);
  const temps: Tensor[] = [];
  const step = (t: Tensor): Tensor => (temps.push(t), t);
  if (x3 !== x) temps.push(x3);
  let seq = x3;
  if (padding === 'causal') {
    const left = (fw - 1) * dilation;
    seq = step(pad(x3, ncw ? [[0, 0], [0, 0], [left, 0]] : [[0, 0], [left, 0], [0, 0]]));
  }
  const [n, d1, d2] = seq.shape;
  // The height-1 image: [N, 1, W, C] (NHWC) or [N, C, 1, W] (NCHW).
  const image = step(reshape(seq, ncw ? [n, d1, 1, d2] : [n, 1, d1, d2]));
  const kernel = step(reshape(filter, [1, fw, fc, outC]));
  const y4 = conv2dWith(fn, image, kernel, [1, stride], padding === 'causal' ? 'valid' : padding, ncw ? 'NCHW' : 'NHWC',
    [1, dilation], epilogue);
  const [, e1, e2, e3] = y4.shape;
  let y = reshape(y4, ncw ? [n, e1, e3] : [n, e2, e3]);
  y4.dispose();
  if (x.rank === 2) y = reshape(step(y), y.shape.slice(1));
  // Under a tape dispose waits for the backward, which still reads these.
  for (const t of temps) t.dispose();
  return y;
}
