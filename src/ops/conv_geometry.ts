// Argument checks and output geometry shared by conv2d and the pooling ops:
// TF.js's computeConv2DInfo / computePool2DInfo for pad 'valid' | 'same'.
import { describe, fail, fmtShape } from '../errors';

export type Padding = 'valid' | 'same';

/** A number or a [h, w] pair of positive integers (strides, dilations, filter sizes). */
export function pair(fn: string, arg: string, value: unknown): [number, number] {
  const v = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2 || !v.every((d) => Number.isInteger(d) && d >= 1)) {
    fail(fn, `${arg} must be a positive integer or a pair [h, w] of them, got ${describe(value)}`);
  }
  return [v[0], v[1]];
}

export function padding(fn: string, pad: unknown): Padding {
  if (pad !== 'valid' && pad !== 'same') fail(fn, `pad must be 'valid' or 'same', got ${describe(pad)}`);
  return pad;
}

/** Output size and the padding before the first element along one spatial axis. */
export interface Axis {
  out: number;
  padBefore: number;
}

/**
 * One spatial axis of size `size` under a window of `window` taps `dilation`
 * apart: 'same' keeps ceil(size / stride) outputs and splits the padding with
 * the extra element after (as TF); 'valid' uses only windows inside the input.
 */
export function axisGeometry(fn: string, size: number, window: number, stride: number, dilation: number, pad: Padding, what: string): Axis {
  const span = (window - 1) * dilation + 1;
  if (pad === 'same') {
    const out = Math.ceil(size / stride);
    const total = Math.max(0, (out - 1) * stride + span - size);
    return { out, padBefore: Math.floor(total / 2) };
  }
  if (span > size) {
    fail(fn, `${what} spans ${span} along an axis of size ${size}: larger than the input with pad 'valid' (use pad 'same' or a smaller window)`);
  }
  return { out: Math.ceil((size - span + 1) / stride), padBefore: 0 };
}

/** x as rank 4; rank 3 is a batch of one. */
export function batchShape(fn: string, shape: readonly number[]): [number, number, number, number] {
  if (shape.length === 4) return [shape[0], shape[1], shape[2], shape[3]];
  if (shape.length === 3) return [1, shape[0], shape[1], shape[2]];
  return fail(fn, `x must have rank 4 (a batch of images) or 3 (one image), got shape ${fmtShape(shape)}`);
}

/** The checked shapes and window of a 2-D convolution (conv2d, depthwiseConv2d). */
export interface ConvWindow {
  n: number; h: number; w: number; c: number;
  fh: number; fw: number;
  /** The filter's last axis: output channels (conv2d) or the channel multiplier (depthwise). */
  last: number;
  sh: number; sw: number; dh: number; dw: number;
  rows: Axis; cols: Axis;
  nchw: boolean;
}

/**
 * TF.js' argument checks for a convolution of x ([N, H, W, C], [N, C, H, W]
 * for 'NCHW', rank 3 = one image) with a filter [fh, fw, C, `lastName`].
 */
export function convWindow(fn: string, x: { shape: readonly number[] }, filter: { shape: readonly number[] }, strides: unknown, pad: unknown,
  dataFormat: unknown, dilations: unknown, filterArg: string, lastName: string): ConvWindow {
  const [sh, sw] = pair(fn, 'strides', strides);
  const [dh, dw] = pair(fn, 'dilations', dilations);
  const p = padding(fn, pad);
  if (dataFormat !== 'NHWC' && dataFormat !== 'NCHW') fail(fn, `dataFormat must be 'NHWC' or 'NCHW', got ${describe(dataFormat)}`);
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) {
    fail(fn, `strides ${fmtShape([sh, sw])} and dilations ${fmtShape([dh, dw])} cannot both be greater than 1 (as in TF.js)`);
  }
  const nchw = dataFormat === 'NCHW';
  const [n, d1, d2, d3] = batchShape(fn, x.shape);
  const [h, w, c] = nchw ? [d2, d3, d1] : [d1, d2, d3];
  if (filter.shape.length !== 4) {
    fail(fn, `${filterArg} must have rank 4 [filterHeight, filterWidth, inChannels, ${lastName}], got shape ${fmtShape(filter.shape)}`);
  }
  const [fh, fw, fc, last] = filter.shape;
  if (fc !== c) {
    fail(fn, `x has ${c} input channels (shape ${fmtShape(x.shape)}, ${dataFormat}) but ${filterArg} expects ${fc} (${filterArg} shape ${fmtShape(filter.shape)})`);
  }
  const rows = axisGeometry(fn, h, fh, sh, dh, p, `filter height ${fh} (dilation ${dh})`);
  const cols = axisGeometry(fn, w, fw, sw, dw, p, `filter width ${fw} (dilation ${dw})`);
  return { n, h, w, c, fh, fw, last, sh, sw, dh, dw, rows, cols, nchw };
}
