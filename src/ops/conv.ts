// conv2d (TF.js tf.conv2d semantics) as im2col + the packed GEMM.
//
// The op is a composite: im2col (a primitive with a SIMD kernel, whose
// gradient is col2im and vice versa), a reshape of the filter, and matMul.
// matMul's gradient then gives exactly the two backward GEMMs — the filter
// gradient im2col(x)^T · dy and the input gradient col2im(dy · W^T) — and
// gradients of gradients come for free. The fused bias + activation epilogue
// of matMul serves the Conv2D layer. NCHW is transposed to NHWC and back.
import { isRecording, record } from '../autograd/tape';
import { backend } from '../engine';
import { Tensor } from '../tensor';
import { contiguous, empty, ptrOf, requireFloat } from './alloc';
import { convWindow, type Padding } from './conv_geometry';
import { matMul, type Epilogue } from './matmul';
import { checked } from './numerics';
import { getFlags } from '../flags';
import { slice } from './indexing';
import { concat, reshape, transpose } from './shape';
import { wantFullKernels } from '../backends/wasm/kernel_sets';

// Its kernels are in the full set only: a bundle that holds this module loads it.
wantFullKernels();

export type DataFormat = 'NHWC' | 'NCHW';

/** [N, H, W, C, fh, fw, sh, sw, dh, dw, padTop, padLeft, OH, OW]: the kernels' geom vector. */
type Geometry = number[];

/** cols [N*OH*OW, fh*fw*C] of an NHWC x; recorded, with col2im as its gradient. */
function im2col(x: Tensor, geom: Geometry): Tensor {
  const [n, , , c, fh, fw, , , , , , , oh, ow] = geom;
  const src = contiguous(x);
  const cols = empty([n * oh * ow, fh * fw * c], 'float32');
  if (cols.size > 0) backend().im2col(ptrOf(src), cols.storage.ptr, geom);
  if (src !== x) src.dispose();
  record('im2col', [x], cols, (dy) => [col2im(dy, geom)]);
  return cols;
}

/** The adjoint of im2col: an NHWC image where every tap adds its column entry. */
function col2im(cols: Tensor, geom: Geometry): Tensor {
  const [n, h, w, c] = geom;
  const src = contiguous(cols);
  const dx = empty([n, h, w, c], 'float32');
  if (dx.size > 0) backend().col2im(ptrOf(src), dx.storage.ptr, geom);
  if (src !== cols) src.dispose();
  record('col2im', [cols], dx, (dy) => [im2col(dy, geom)]);
  return dx;
}

/**
 * 2-D convolution, TF.js semantics: x [N, H, W, C] (or [N, C, H, W] with
 * dataFormat 'NCHW'; rank 3 is one image), filter [fh, fw, C, outC].
 */
export function conv2d(x: Tensor, filter: Tensor, strides: number | [number, number], pad: Padding,
  dataFormat: DataFormat = 'NHWC', dilations: number | [number, number] = 1): Tensor {
  return conv2dWith('conv2d', x, filter, strides, pad, dataFormat, dilations, {});
}

/** conv2d with matMul's fused epilogue (bias [outC] then an activation code): the Conv2D layer's forward. */
export function conv2dWith(fn: string, x: Tensor, filter: Tensor, strides: number | [number, number], pad: Padding,
  dataFormat: DataFormat, dilations: number | [number, number], epilogue: Epilogue): Tensor {
  requireFloat(fn, 'x', x);
  requireFloat(fn, 'filter', filter);
  const { n, h, w, c, fh, fw, last: outC, sh, sw, dh, dw, rows, cols, nchw } =
    convWindow(fn, x, filter, strides, pad, dataFormat, dilations, 'filter', 'outChannels');
  const geom: Geometry = [n, h, w, c, fh, fw, sh, sw, dh, dw, rows.padBefore, cols.padBefore, rows.out, cols.out];

  const chunk = imagesPerChunk(n, rows.out * cols.out * fh * fw * c * 4);
  if (chunk < n) return checked(fn, chunked(x, filter, strides, pad, dataFormat, dilations, epilogue, chunk));

  // Every intermediate is disposed at the end; under a tape dispose waits for
  // the tape, so the backward still has them.
  const temps: Tensor[] = [];
  const step = (t: Tensor): Tensor => (temps.push(t), t);
  let image = x.rank === 3 ? step(reshape(x, [1, ...x.shape])) : x;
  if (nchw) image = step(transpose(image, [0, 2, 3, 1]));
  const patches = step(im2col(image, geom));
  const weights = step(reshape(filter, [fh * fw * c, outC]));
  const product = step(matMul(patches, weights, false, false, epilogue));
  let y = reshape(product, [n, rows.out, cols.out, outC]);
  if (nchw) y = transpose(step(y), [0, 3, 1, 2]);
  if (x.rank === 3) y = reshape(step(y), y.shape.slice(1));
  for (const t of temps) t.dispose();
  return checked(fn, y);
}

/** Images per im2col pass under flag convChunkBytes (all n while a tape records: its backward needs every patch). */
function imagesPerChunk(n: number, patchBytesPerImage: number): number {
  const limit = getFlags().convChunkBytes;
  if (limit === 0 || isRecording() || n * patchBytesPerImage <= limit) return n;
  return Math.max(1, Math.floor(limit / patchBytesPerImage));
}

/** conv2d over groups of `chunk` images (batch slices are views), joined along the batch axis. */
function chunked(x: Tensor, filter: Tensor, strides: number | [number, number], pad: Padding, dataFormat: DataFormat,
  dilations: number | [number, number], epilogue: Epilogue, chunk: number): Tensor {
  const n = x.shape[0];
  const parts: Tensor[] = [];
  for (let start = 0; start < n; start += chunk) {
    const size = Math.min(chunk, n - start);
    const part = slice(x, [start, 0, 0, 0], [size, -1, -1, -1]);
    parts.push(conv2dWith('conv2d', part, filter, strides, pad, dataFormat, dilations, epilogue));
    part.dispose();
  }
  const y = concat(parts, 0);
  for (const t of parts) t.dispose();
  return y;
}
