// Image ops, wt.image.* as TF.js's tf.image.*. resizeBilinear resizes NHWC
// images (rank 3: one image) with TF's arithmetic (assembly/kernels/resize.ts);
// its gradient is the kernel's adjoint, whose own gradient is the resize.
// tfjs-core's cpu gradient ignores halfPixelCenters; ours does not.
import { record } from '../autograd/tape';
import { backend } from '../engine';
import { describe, fail } from '../errors';
import type { Tensor } from '../tensor';
import { contiguous, empty, ptrOf, requireFloat } from './alloc';
import { batchShape } from './conv_geometry';
import { checked } from './numerics';
import { wantFullKernels } from '../backends/wasm/kernel_sets';

// Its kernels are in the full set only: a bundle that holds this module loads it.
wantFullKernels();

/** [N, H, W, C, OH, OW, alignCorners, halfPixelCenters]: the resize kernels' geom vector. */
type Geometry = number[];

/**
 * images [N, H, W, C] (or [H, W, C]) resized to size [newHeight, newWidth] by
 * bilinear interpolation. alignCorners maps the corner pixels' centres onto
 * each other; halfPixelCenters samples at pixel centres (what Keras'
 * UpSampling2D and TF 2's tf.image.resize do). At most one may be true.
 */
export function resizeBilinear(images: Tensor, size: [number, number], alignCorners = false, halfPixelCenters = false): Tensor {
  const fn = 'image.resizeBilinear';
  const x = requireFloat(fn, 'images', images);
  const [n, h, w, c] = batchShape(fn, x.shape);
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isInteger(d) && d > 0)) {
    fail(fn, `size must be [newHeight, newWidth], two positive integers, got ${Array.isArray(size) ? `[${size}]` : describe(size)}`);
  }
  for (const [name, flag] of [['alignCorners', alignCorners], ['halfPixelCenters', halfPixelCenters]] as const) {
    if (typeof flag !== 'boolean') fail(fn, `${name} must be a boolean, got ${describe(flag)}`);
  }
  if (alignCorners && halfPixelCenters) fail(fn, 'alignCorners and halfPixelCenters cannot both be true');
  if (h === 0 || w === 0) fail(fn, `images must have a height and width of at least 1, got shape [${x.shape}]`);
  const geom = [n, h, w, c, size[0], size[1], +alignCorners, +halfPixelCenters];
  return checked(fn, resizeForward(x, geom));
}

function resizeForward(x: Tensor, geom: Geometry): Tensor {
  const src = contiguous(x);
  const shape = [geom[0], geom[4], geom[5], geom[3]];
  const out = empty(x.rank === 3 ? shape.slice(1) : shape, 'float32');
  if (out.size > 0) backend().resizeBilinear(ptrOf(src), out.storage.ptr, geom);
  if (src !== x) src.dispose();
  record('resizeBilinear', [x], out, (dy) => [resizeBackward(dy, geom, x.shape)]);
  return out;
}

/** The adjoint of resizeBilinear: each dy spread over its four source pixels. */
function resizeBackward(dy: Tensor, geom: Geometry, xShape: readonly number[]): Tensor {
  const g = contiguous(dy);
  const dx = empty(xShape, 'float32');
  if (dx.size > 0) backend().resizeBilinearGrad(ptrOf(g), dx.storage.ptr, geom);
  if (g !== dy) g.dispose();
  record('resizeBilinearBackward', [dy], dx, (ddx) => [resizeForward(ddx, geom)]);
  return dx;
}
