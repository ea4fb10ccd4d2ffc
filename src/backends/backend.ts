// The contract between ops and a compute backend: raw storage and kernels,
// nothing about autograd, layers or dtype promotion (ops decide those).
// Today one backend implements it (wasm); WebGPU will implement the same.
import type { DType, TypedArray } from '../dtype';

/** A strided view into backend memory: `ptr` is the byte address of element [0,...,0]. */
export interface View {
  ptr: number;
  shape: readonly number[];
  strides: readonly number[];
  dtype: DType;
}

export interface Backend {
  readonly name: string;
  alloc(bytes: number): number;
  free(ptr: number): void;
  /** Copies `data` into memory at ptr. */
  write(ptr: number, data: TypedArray): void;
  /** A copy of n elements at ptr. */
  read(dtype: DType, ptr: number, n: number): TypedArray;
  /** Bytes of memory the backend holds from the system (wasm: linear memory size). */
  memoryBytes(): number;

  unary(op: number, x: View, out: number, p0?: number, p1?: number): void;
  binary(op: number, a: View, b: View, out: number, outShape: readonly number[]): void;
  compare(op: number, a: View, b: View, out: number, outShape: readonly number[]): void;
  /** x contiguous as [outer, red, inner]. */
  reduce(op: number, dtype: DType, x: number, out: number, outer: number, red: number, inner: number): void;
  argReduce(op: number, dtype: DType, x: number, out: number, outer: number, red: number, inner: number): void;
  softmax(x: number, out: number, outer: number, n: number, inner: number, log: boolean): void;
  cast(x: number, from: DType, out: number, to: DType, n: number): void;
  /** Materialises any view into contiguous memory at out. */
  copy(x: View, out: number): void;
  /** The inverse of copy: writes contiguous elements at x into the strided view `out`. */
  scatter(x: number, out: View): void;
  fill(dtype: DType, out: number, n: number, value: number): void;
  range(dtype: DType, out: number, n: number, start: number, step: number): void;
  eye(out: number, rows: number, cols: number, k: number): void;
  oneHot(indices: number, out: number, n: number, depth: number, on: number, off: number): void;
  random(kind: 'uniform' | 'normal' | 'truncatedNormal', out: number, n: number, a: number, b: number, seed: number): void;
  matMul(args: MatMulArgs): void;

  // ---- training (src/train, src/ops/crossentropy.ts) ----
  /** One fused optimizer update in place: w and every slot are contiguous float32 of n elements. */
  optimizerStep(step: OptimizerStep): void;
  /** Per-row softmax cross-entropy of contiguous float32 [rows, n] logits; sparse labels are [rows]. Returns the first invalid sparse label's row, or -1. */
  softmaxCrossEntropy(logits: number, labels: number, labelDType: DType | null, out: number, rows: number, n: number): number;
  /** dlogits = (softmax(logits) * sum(labels) - labels) * dy[row] (sparse: one-hot labels). Returns as softmaxCrossEntropy. */
  softmaxCrossEntropyGrad(logits: number, labels: number, labelDType: DType | null, dy: number, out: number, rows: number, n: number): number;

  // ---- gather (src/ops/gather.ts) ----
  /** out[o, i, :] = x[o, indices[i], :] with x as [outer, axisSize, rowBytes bytes]; int32 indices. Returns the first bad index's position, or -1. */
  gather(x: number, indices: number, out: number, outer: number, axisSize: number, n: number, rowBytes: number): number;
  /** dx[o, indices[i], :] += dy[o, i, :], float32 slices of `inner` elements; dx zeroed by the caller. */
  gatherGrad(dy: number, indices: number, dx: number, outer: number, axisSize: number, n: number, inner: number): void;

  // ---- convolution and pooling (src/ops/conv.ts, src/ops/pool.ts); geom as in assembly/kernels/im2col.ts, pool.ts ----
  /** cols [N*OH*OW, fh*fw*C] from NHWC x; geom [N, H, W, C, fh, fw, sh, sw, dh, dw, padTop, padLeft, OH, OW]. */
  im2col(x: number, cols: number, geom: readonly number[]): void;
  /** The adjoint of im2col: dx (NHWC, overwritten) from cols. */
  col2im(cols: number, dx: number, geom: readonly number[]): void;
  /** NHWC max pooling with int32 argmax indices into x; geom [N, H, W, C, fh, fw, sh, sw, padTop, padLeft, OH, OW]. */
  maxPool(x: number, out: number, indices: number, geom: readonly number[]): void;
  /** dx (xSize floats, overwritten)[indices[i]] += dy[i] for n outputs. */
  maxPoolGrad(dy: number, indices: number, dx: number, n: number, xSize: number): void;
  avgPool(x: number, out: number, geom: readonly number[]): void;
  /** The adjoint of avgPool: dx (overwritten) from dy. */
  avgPoolGrad(dy: number, dx: number, geom: readonly number[]): void;
  /** NHWC bilinear resize (assembly/kernels/resize.ts); geom [N, H, W, C, OH, OW, alignCorners, halfPixelCenters]. */
  resizeBilinear(x: number, out: number, geom: readonly number[]): void;
  /** The adjoint of resizeBilinear: dx (overwritten) from dy. */
  resizeBilinearGrad(dy: number, dx: number, geom: readonly number[]): void;
  /** Depthwise NHWC conv (assembly/kernels/depthwise.ts), im2col's geom; filter [fh, fw, C]; bias 0 or C floats. */
  depthwiseConv2d(x: number, filter: number, bias: number, out: number, geom: readonly number[]): void;
  /** The adjoint of depthwiseConv2d in x: dx (NHWC, overwritten) from dy. */
  depthwiseConv2dBackpropInput(dy: number, filter: number, dx: number, geom: readonly number[]): void;
  /** The adjoint of depthwiseConv2d in the filter: df ([fh, fw, C], overwritten) from x and dy. */
  depthwiseConv2dBackpropFilter(x: number, dy: number, df: number, geom: readonly number[]): void;

  // ---- batch normalization (src/ops/batchnorm.ts) ----
  /** out = x * a[c] + b[c] over contiguous float32 x [outer, c, inner]; a, b hold c floats each. */
  batchNorm(x: number, a: number, b: number, out: number, outer: number, c: number, inner: number): void;

  // ---- activation gradients (src/ops/activation_grad.ts) ----
  /** out = dy * act'(y) from the activation's output y; contiguous float32 of n elements. False when act has no such kernel. */
  activationGrad(act: number, dy: number, y: number, out: number, n: number): boolean;

  // ---- recurrent cells (src/ops/recurrent.ts); one time step, see assembly/kernels/recurrent.ts ----
  /** LSTM step: gates/h/c from xw + hu ([b, 4u] rows, gates i f c o); mask 0 or b floats. */
  lstmCell(xw: number, hu: number, hPrev: number, cPrev: number, mask: number, gates: number, h: number, c: number,
    b: number, units: number, act: number, recurrentAct: number): void;
  /** LSTM step backward: dGates, and the carries to step t-1 updated in place. */
  lstmCellGrad(gates: number, c: number, cPrev: number, mask: number, dOutH: number, dOutC: number, dhRec: number,
    dhCarry: number, dcCarry: number, dGates: number, b: number, units: number, act: number, recurrentAct: number): void;
  /** SimpleRNN step: h = act(xw + hu). */
  rnnCell(xw: number, hu: number, hPrev: number, mask: number, h: number, b: number, units: number, act: number): void;
  rnnCellGrad(h: number, mask: number, dOutH: number, dhRec: number, dhCarry: number, dPre: number, b: number, units: number, act: number): void;
  /** GRU step, first half: z, r (zr rows [2u]) and rh = r * hPrev. */
  gruGates(xw: number, huZr: number, hPrev: number, zr: number, rh: number, b: number, units: number, recurrentAct: number): void;
  /** GRU step, second half: hh and h from xw's h block and huH = rh · U_h. */
  gruOut(xw: number, huH: number, hPrev: number, zr: number, mask: number, hh: number, h: number, b: number, units: number, act: number): void;
  gruGradOut(zr: number, hh: number, hPrev: number, mask: number, dOutH: number, dhRec: number, dhCarry: number, dGzr: number, dGh: number,
    b: number, units: number, act: number, recurrentAct: number): void;
  gruGradReset(zr: number, hPrev: number, mask: number, dRh: number, dGzr: number, dhCarry: number, b: number, units: number, recurrentAct: number): void;
  /** GRU step with reset_after (Keras 3): z, r, hh (gates rows [3u]) and h from xw and hu = hPrev · U + b_rec. */
  gruResetAfterCell(xw: number, hu: number, hPrev: number, mask: number, gates: number, h: number, b: number, units: number, act: number, recurrentAct: number): void;
  /** Its backward: dX (xw's gradient), dG (hu's gradient), dhCarry to step t-1. */
  gruResetAfterCellGrad(gates: number, hu: number, hPrev: number, mask: number, dOutH: number, dhRec: number, dhCarry: number, dX: number, dG: number,
    b: number, units: number, act: number, recurrentAct: number): void;
}

/**
 * The fused optimizer updates (Keras 3 formulas, see assembly/kernels/optim.ts).
 * Pointers are byte addresses of contiguous float32 buffers; scalars already
 * include any per-step factor (Adam's alpha, Adamax's lr / (1 - beta1^t)).
 */
export type OptimizerStep =
  | { kind: 'sgd'; w: number; g: number; n: number; lr: number }
  | { kind: 'momentum'; w: number; g: number; v: number; n: number; lr: number; momentum: number; nesterov: boolean }
  | {
      kind: 'rmsprop'; w: number; g: number; ms: number; mg: number; mom: number; n: number;
      lr: number; rho: number; momentum: number; epsilon: number; centered: boolean;
    }
  | { kind: 'adam'; w: number; g: number; m: number; v: number; n: number; alpha: number; beta1: number; beta2: number; epsilon: number }
  | { kind: 'adamax'; w: number; g: number; m: number; u: number; n: number; stepSize: number; beta1: number; beta2: number; epsilon: number }
  | { kind: 'adagrad'; w: number; g: number; acc: number; n: number; lr: number; epsilon: number }
  | { kind: 'adadelta'; w: number; g: number; accGrad: number; accUpdate: number; n: number; lr: number; rho: number; epsilon: number };

/** C[b] = act(op(A[b]) · op(B[b]) + bias); A, B, C contiguous per batch matrix (A/B possibly stored transposed). */
export interface MatMulArgs {
  a: number;
  b: number;
  c: number;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  batch: number;
  /** Elements between batch matrices; 0 repeats one matrix for every batch. */
  strideA: number;
  strideB: number;
  bias: number;
  activation: number;
}
