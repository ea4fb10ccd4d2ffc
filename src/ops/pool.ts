// maxPool and avgPool over NHWC images (TF.js tf.maxPool / tf.avgPool; rank 3
// is one image). The SIMD kernels vectorise across channels; maxPool's kernel
// also writes the flat input index of each maximum, so its gradient is a
// scatter-add of dy through those indices (and the gradient of that, a gather).
// avgPool's gradient is its adjoint kernel, whose own gradient is avgPool.
import { record } from '../autograd/tape';
import { backend } from '../engine';
import { Tensor } from '../tensor';
import { contiguous, empty, ptrOf, requireFloat } from './alloc';
import { axisGeometry, batchShape, padding, pair, type Padding } from './conv_geometry';
import { gather } from './gather';
import { checked } from './numerics';
import { reshape } from './shape';
import { wantFullKernels } from '../backends/wasm/kernel_sets';

// Its kernels are in the full set only: a bundle that holds this module loads it.
wantFullKernels();

/** [N, H, W, C, fh, fw, sh, sw, padTop, padLeft, OH, OW]: the pool kernels' geom vector. */
type Geometry = number[];

function poolGeometry(fn: string, x: unknown, filterSize: number | [number, number], strides: number | [number, number], pad: Padding): Geometry {
  const t = requireFloat(fn, 'x', x);
  const [fh, fw] = pair(fn, 'filterSize', filterSize);
  const [sh, sw] = pair(fn, 'strides', strides);
  const p = padding(fn, pad);
  const [n, h, w, c] = batchShape(fn, t.shape);
  const rows = axisGeometry(fn, h, fh, sh, 1, p, `filterSize height ${fh}`);
  const cols = axisGeometry(fn, w, fw, sw, 1, p, `filterSize width ${fw}`);
  return [n, h, w, c, fh, fw, sh, sw, rows.padBefore, cols.padBefore, rows.out, cols.out];
}

/** The output shape for x: rank 3 stays rank 3. */
function outShape(x: Tensor, geom: Geometry): number[] {
  const shape = [geom[0], geom[10], geom[11], geom[3]];
  return x.rank === 3 ? shape.slice(1) : shape;
}

export function maxPool(x: Tensor, filterSize: number | [number, number], strides: number | [number, number], pad: Padding): Tensor {
  const fn = 'maxPool';
  const geom = poolGeometry(fn, x, filterSize, strides, pad);
  const src = contiguous(x);
  const out = empty(outShape(x, geom), 'float32');
  const indices = empty(out.shape, 'int32');
  if (out.size > 0) backend().maxPool(ptrOf(src), out.storage.ptr, indices.storage.ptr, geom);
  if (src !== x) src.dispose();
  record(fn, [x], out, (dy) => [maxPoolBackward(dy, indices, x.shape)], [indices]);
  // Without a tape nothing needs the indices; with one, dispose waits for it.
  indices.dispose();
  return checked(fn, out);
}

/** dx of maxPool: dy added at the recorded argmax positions of an input of xShape. */
function maxPoolBackward(dy: Tensor, indices: Tensor, xShape: readonly number[]): Tensor {
  const g = contiguous(dy);
  const dx = empty(xShape, 'float32');
  if (dx.size > 0) backend().maxPoolGrad(ptrOf(g), indices.storage.ptr, dx.storage.ptr, g.size, dx.size);
  if (g !== dy) g.dispose();
  record('maxPoolBackward', [dy], dx, (ddx) => {
    const flat = reshape(ddx, [ddx.size]);
    const picked = gather(flat, reshape(indices, [indices.size]));
    flat.dispose();
    const shaped = reshape(picked, dy.shape.slice());
    picked.dispose();
    return [shaped];
  }, [indices]);
  return dx;
}

export function avgPool(x: Tensor, filterSize: number | [number, number], strides: number | [number, number], pad: Padding): Tensor {
  const fn = 'avgPool';
  const geom = poolGeometry(fn, x, filterSize, strides, pad);
  return checked(fn, avgPoolForward(x, geom));
}

function avgPoolForward(x: Tensor, geom: Geometry): Tensor {
  const src = contiguous(x);
  const out = empty(outShape(x, geom), 'float32');
  if (out.size > 0) backend().avgPool(ptrOf(src), out.storage.ptr, geom);
  if (src !== x) src.dispose();
  record('avgPool', [x], out, (dy) => [avgPoolBackward(dy, geom, x.shape)]);
  return out;
}

/** The adjoint of avgPool: each output's dy spread evenly over its window's taps. */
function avgPoolBackward(dy: Tensor, geom: Geometry, xShape: readonly number[]): Tensor {
  const g = contiguous(dy);
  const dx = empty(xShape, 'float32');
  if (dx.size > 0) backend().avgPoolGrad(ptrOf(g), dx.storage.ptr, geom);
  if (g !== dy) g.dispose();
  record('avgPoolBackward', [dy], dx, (ddx) => [avgPoolForward(ddx, geom)]);
  return dx;
}
