// Argument readers and shape arithmetic shared by the image and sequence
// layers (conv, pooling, flatten, padding): a module of its own so that
// Flatten, which reads dataFormat, does not bring Conv2D into a bundle.
import { describe, fail } from '../errors';
import type { Padding } from '../ops/conv_geometry';
import { fmtBatchShape, type Shape } from './layer';

export type DataFormatArg = 'channelsLast' | 'channelsFirst';

export function readPadding(fn: string, v: unknown): Padding {
  const p = v ?? 'valid';
  if (p !== 'valid' && p !== 'same') fail(fn, `padding must be 'valid' or 'same', got ${describe(v)}`);
  return p;
}

export function readDataFormat(fn: string, v: unknown): DataFormatArg {
  const f = v ?? 'channelsLast';
  if (f !== 'channelsLast' && f !== 'channelsFirst') fail(fn, `dataFormat must be 'channelsLast' or 'channelsFirst', got ${describe(v)}`);
  return f;
}

/** Keras' conv_output_length for one axis; null (unknown) stays null. */
export function outputLength(size: number | null, window: number, stride: number, dilation: number, padding: Padding): number | null {
  if (size === null) return null;
  const span = (window - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(size / stride) : Math.ceil((size - span + 1) / stride);
}

/** [batch, h, w, c] positions of a rank-4 batch shape in either data format. */
export function spatial(fn: string, layer: string, shape: Shape, format: DataFormatArg): { h: number | null; w: number | null; c: number | null } {
  if (shape.length !== 4) fail(fn, `layer '${layer}' expects inputs of rank 4 (batch, height, width, channels), got shape ${fmtBatchShape(shape)}`);
  return format === 'channelsLast' ? { h: shape[1], w: shape[2], c: shape[3] } : { h: shape[2], w: shape[3], c: shape[1] };
}
