// depthwiseConv2d and separableConv2d (TF.js semantics).
//
// depthwiseConv2d convolves every input channel with its own filters:
// filter [fh, fw, inC, multiplier], output channel c * multiplier + m. Read
// flat, that filter is [fh, fw, inC * multiplier] in output-channel order, so
// the SIMD kernel (assembly/kernels/depthwise.ts) only does the multiplier-1
// case over outC = inC * multiplier channels; a multiplier > 1 first repeats
// each input channel `multiplier` times (broadcastTo, whose gradient sums the
// copies back). The kernel and its two adjoints (input and filter gradients)
// are recorded with each other as gradients, so gradients of gradients work,
// as im2col / col2im do for conv2d.
//
// separableConv2d is depthwiseConv2d followed by a 1x1 conv, which is just a
// matMul over the pixels (its fused bias + activation epilogue serves the
// SeparableConv2D layer). NCHW is transposed to NHWC and back; rank 3 is one image.
import { record } from '../autograd/tape';
import { backend } from '../engine';
import { fail, fmtShape } from '../errors';
import { Tensor } from '../tensor';
import { contiguous, empty, ptrOf, requireFloat } from './alloc';
import type { DataFormat } from './conv';
import { convWindow, type Padding } from './conv_geometry';
import { matMul, type Epilogue } from './matmul';
import { index } from './indexing';
import { checked } from './numerics';
import { sum } from './reduce';
import { broadcastTo, reshape, transpose } from './shape';
import { wantFullKernels } from '../backends/wasm/kernel_sets';

// Its kernels are in the full set only: a bundle that holds this module loads it.
wantFullKernels();

/** [N, H, W, C, fh, fw, sh, sw, dh, dw, padTop, padLeft, OH, OW] with C = output channels (as im2col's). */
type Geometry = number[];

/** Runs `kernel` on contiguous copies of `inputs` into a new tensor of `shape` (skipped when it is empty). */
function launch(shape: number[], inputs: Tensor[], kernel: (ptrs: number[], out: number) => void): Tensor {
  const out = empty(shape, 'float32');
  const srcs = inputs.map(contiguous);
  if (out.size > 0) kernel(srcs.map(ptrOf), out.storage.ptr);
  srcs.forEach((s, i) => s !== inputs[i] && s.dispose());
  return out;
}

/** y [N, OH, OW, C] from NHWC x [N, H, W, C] and filter [fh, fw, C] (any shape of that size); bias [C] is optional. */
function depthwise(x: Tensor, filter: Tensor, geom: Geometry, bias?: Tensor): Tensor {
  const [n, , , c, , , , , , , , , oh, ow] = geom;
  const inputs = bias === undefined ? [x, filter] : [x, filter, bias];
  const y = launch([n, oh, ow, c], inputs, ([px, pf, pb], out) => backend().depthwiseConv2d(px, pf, pb ?? 0, out, geom));
  record('depthwiseConv2d', inputs, y, (dy, needs) => [
    needs[0] ? backpropInput(dy, filter, geom) : null,
    needs[1] ? backpropFilter(x, dy, geom, filter.shape) : null,
    // The bias is added to every pixel: its gradient sums dy over them.
    ...(bias === undefined ? [] : [needs[2] ? sum(dy, [0, 1, 2]) : null]),
  ]);
  return y;
}

/**
 * dx of depthwise: linear in dy and in the filter, so its gradients are
 * depthwise and backpropFilter again. With stride 1 it is the forward kernel
 * run over dy with the filter flipped (each dx pixel gathered once, pairs of
 * pixels sharing filter loads); other strides use the scatter-add kernel.
 */
function backpropInput(dy: Tensor, filter: Tensor, geom: Geometry): Tensor {
  const [n, h, w, c, fh, fw, sh, sw, dh, dw, padTop, padLeft, oh, ow] = geom;
  let dx: Tensor;
  if (sh === 1 && sw === 1) {
    const flipped = index(filter, '::-1, ::-1');
    const adjoint: Geometry = [n, oh, ow, c, fh, fw, 1, 1, dh, dw, (fh - 1) * dh - padTop, (fw - 1) * dw - padLeft, h, w];
    dx = launch([n, h, w, c], [dy, flipped], ([pdy, pf], out) => backend().depthwiseConv2d(pdy, pf, 0, out, adjoint));
    flipped.dispose();
  } else {
    dx = launch([n, h, w, c], [dy, filter], ([pdy, pf], out) => backend().depthwiseConv2dBackpropInput(pdy, pf, out, geom));
  }
  record('depthwiseConv2dBackpropInput', [dy, filter], dx, (ddx, needs) => [
    needs[0] ? depthwise(ddx, filter, geom) : null,
    needs[1] ? backpropFilter(ddx, dy, geom, filter.shape) : null,
  ]);
  return dx;
}

/** df of depthwise, shaped like the filter. */
function backpropFilter(x: Tensor, dy: Tensor, geom: Geometry, filterShape: readonly number[]): Tensor {
  const df = launch(filterShape.slice(), [x, dy], ([px, pdy], out) => backend().depthwiseConv2dBackpropFilter(px, pdy, out, geom));
  record('depthwiseConv2dBackpropFilter', [x, dy], df, (ddf, needs) => [
    needs[0] ? backpropInput(dy, ddf, geom) : null,
    needs[1] ? depthwise(x, ddf, geom) : null,
  ]);
  return df;
}

interface Prepared {
  /** x as NHWC rank 4 with each channel repeated `multiplier` times. */
  image: Tensor;
  geom: Geometry;
  nchw: boolean;
  /** Intermediates to dispose once the result exists (a tape keeps what its backward needs). */
  temps: Tensor[];
}

/** Checks depthwiseConv2d's arguments and brings x into the kernel's layout. */
function prepare(fn: string, x: unknown, filter: unknown, strides: unknown, pad: unknown, dataFormat: unknown, dilations: unknown,
  filterArg = 'filter'): Prepared {
  const t = requireFloat(fn, 'x', x);
  const f = requireFloat(fn, filterArg, filter);
  const { n, h, w, c, fh, fw, last: mult, sh, sw, dh, dw, rows, cols, nchw } =
    convWindow(fn, t, f, strides, pad, dataFormat, dilations, filterArg, 'channelMultiplier');
  const geom: Geometry = [n, h, w, c * mult, fh, fw, sh, sw, dh, dw, rows.padBefore, cols.padBefore, rows.out, cols.out];

  const temps: Tensor[] = [];
  const step = (v: Tensor): Tensor => (temps.push(v), v);
  let image = t.rank === 3 ? step(reshape(t, [1, ...t.shape])) : t;
  if (nchw) image = step(transpose(image, [0, 2, 3, 1]));
  if (mult > 1) {
    // Output channel c * mult + m reads input channel c: repeat each channel mult times.
    const spread = step(broadcastTo(step(reshape(image, [n, h, w, c, 1])), [n, h, w, c, mult]));
    image = step(reshape(spread, [n, h, w, c * mult]));
  }
  return { image, geom, nchw, temps };
}

/** An NHWC rank-4 result back in the caller's layout; disposes the intermediates. */
function finish(fn: string, y: Tensor, prep: Prepared, rank: number): Tensor {
  const { temps } = prep;
  let out = y;
  if (prep.nchw) out = transpose((temps.push(out), out), [0, 3, 1, 2]);
  if (rank === 3) out = reshape((temps.push(out), out), out.shape.slice(1));
  for (const t of temps) t.dispose();
  return checked(fn, out);
}

/**
 * Depthwise 2-D convolution, TF.js semantics: x [N, H, W, C] (or [N, C, H, W]
 * with dataFormat 'NCHW'; rank 3 is one image), filter [fh, fw, C, multiplier],
 * result with C * multiplier channels, channel c * multiplier + m.
 */
export function depthwiseConv2d(x: Tensor, filter: Tensor, strides: number | [number, number], pad: Padding,
  dataFormat: DataFormat = 'NHWC', dilations: number | [number, number] = 1): Tensor {
  return depthwiseConv2dWith('depthwiseConv2d', x, filter, strides, pad, dataFormat, dilations);
}

/** depthwiseConv2d with a bias [C * multiplier] added in the kernel: the DepthwiseConv2D layer's forward. */
export function depthwiseConv2dWith(fn: string, x: Tensor, filter: Tensor, strides: number | [number, number], pad: Padding,
  dataFormat: DataFormat, dilations: number | [number, number], bias?: Tensor): Tensor {
  const prep = prepare(fn, x, filter, strides, pad, dataFormat, dilations);
  const outC = prep.geom[3];
  if (bias !== undefined) {
    requireFloat(fn, 'bias', bias);
    if (bias.size !== outC) fail(fn, `bias must have ${outC} values (one per output channel), got shape ${fmtShape(bias.shape)}`);
  }
  const y = depthwise(prep.image, filter, prep.geom, bias);
  return finish(fn, y, prep, x.rank);
}

/**
 * Depthwise then pointwise convolution, TF.js semantics (and argument order):
 * depthwiseFilter [fh, fw, C, multiplier], pointwiseFilter [1, 1, C * multiplier, outC].
 */
export function separableConv2d(x: Tensor, depthwiseFilter: Tensor, pointwiseFilter: Tensor, strides: number | [number, number],
  pad: Padding, dilation: number | [number, number] = 1, dataFormat: DataFormat = 'NHWC'): Tensor {
  return separableConv2dWith('separableConv2d', x, depthwiseFilter, pointwiseFilter, strides, pad, dilation, dataFormat, {});
}

/** separableConv2d with matMul's fused epilogue (bias [outC], activation): the SeparableConv2D layer's forward. */
export function separableConv2dWith(fn: string, x: Tensor, depthwiseFilter: Tensor, pointwiseFilter: Tensor,
  strides: number | [number, number], pad: Padding, dilation: number | [number, number], dataFormat: DataFormat, epilogue: Epilogue): Tensor {
  const pw = requireFloat(fn, 'pointwiseFilter', pointwiseFilter);
  const prep = prepare(fn, x, depthwiseFilter, strides, pad, dataFormat, dilation, 'depthwiseFilter');
  const [n, , , mid, , , , , , , , , oh, ow] = prep.geom;
  if (pw.rank !== 4 || pw.shape[0] !== 1 || pw.shape[1] !== 1 || pw.shape[2] !== mid) {
    for (const t of prep.temps) t.dispose();
    fail(fn, `pointwiseFilter must have shape [1, 1, ${mid}, outChannels] (${mid} = inChannels * channelMultiplier), got shape ${fmtShape(pw.shape)}`);
  }
  const outC = pw.shape[3];
  const { temps } = prep;
  const step = (v: Tensor): Tensor => (temps.push(v), v);
  const d = step(depthwise(prep.image, depthwiseFilter, prep.geom));
  const rows = step(reshape(d, [n * oh * ow, mid]));
  const weights = step(reshape(pw, [mid, outC]));
  const y = reshape(step(matMul(rows, weights, false, false, epilogue)), [n, oh, ow, outC]);
  return finish(fn, y, prep, x.rank);
}
