// The wasm backend: storage in linear memory, kernels from assembly/.
import { ACT_NONE } from '../../../assembly/opcodes';
import { arrayFor, dtypeCode, type DType, type TypedArray } from '../../dtype';
import { collapseDims } from '../../shape';
import type { Backend, MatMulArgs, OptimizerStep, View } from '../backend';
import { Heap } from './heap';
import type { KernelExports } from './load';
import type { KernelSet } from './kernel_sets';
import type { ParallelKernels } from './parallel';
import type { OptimizerKernel } from './pool';
import { attachParallel } from './threads';

const MAX_KERNEL_RANK = 8;
const FOUR_GIB = 4 * 1024 * 1024 * 1024;

type Fn = (...args: number[]) => number;

export class WasmBackend implements Backend {
  readonly name = 'wasm';
  readonly heap: Heap;
  private readonly k: Record<string, Fn>;
  /** Scratch for kernel metadata: shape + up to two stride vectors. */
  private readonly meta: number;
  /** Splits large kernel calls across the worker pool (threaded builds that started one). */
  private parallel: ParallelKernels | null = null;

  constructor(exports: KernelExports, readonly build: string, readonly kernelSet: KernelSet = 'full') {
    this.k = exports as unknown as Record<string, Fn>;
    this.heap = new Heap(exports.memory);
    this.meta = this.alloc(3 * MAX_KERNEL_RANK * 4);
    attachParallel(this.k, this, (p) => {
      this.parallel = p;
    });
  }

  alloc(bytes: number): number {
    if (bytes >= FOUR_GIB) {
      throw new Error(`alloc: out of memory: ${bytes} bytes requested; wasm memory is limited to 4 GiB`);
    }
    try {
      return this.k.alloc(bytes) >>> 0;
    } catch (error) {
      throw new Error(
        `alloc: out of memory: could not allocate ${bytes} bytes (wasm memory is ${this.heap.byteLength} bytes, limit 4 GiB): ${String(error)}`,
      );
    }
  }

  free(ptr: number): void {
    this.k.free(ptr);
  }

  write(ptr: number, data: TypedArray): void {
    this.heap.view(dtypeOfArray(data), ptr, data.length).set(data);
  }

  read(dtype: DType, ptr: number, n: number): TypedArray {
    const out = arrayFor(dtype, n);
    out.set(this.heap.view(dtype, ptr, n));
    return out;
  }

  /** Index of the first NaN or ±Infinity among n floats at ptr, or -1. */
  firstNonFinite(ptr: number, n: number): number {
    return this.k.first_nonfinite_f32(ptr, n);
  }

  memoryBytes(): number {
    return this.heap.byteLength;
  }

  /** Writes collapsed shape and stride vectors into the meta scratch; returns the rank. */
  private writeMeta(shape: readonly number[], stridesList: readonly (readonly number[])[]): number {
    const c = collapseDims(shape, stridesList);
    const rank = c.shape.length;
    if (rank > MAX_KERNEL_RANK) {
      throw new Error(`wasm: a view that collapses to ${rank} strided dimensions is not supported (max ${MAX_KERNEL_RANK}); call .clone() first`);
    }
    const i32 = this.heap.i32;
    const base = this.meta >>> 2;
    i32.set(c.shape, base);
    c.strides.forEach((s, k) => i32.set(s, base + (k + 1) * rank));
    return rank;
  }

  unary(op: number, x: View, out: number, p0 = 0, p1 = 0): void {
    const name = x.dtype === 'float32' ? 'unary_f32' : 'unary_i32';
    if (x.dtype !== 'uint8' && x.dtype !== 'bool' && this.parallel?.elementwise(name, op, [x.ptr], out, 4, x.shape, [x.strides], [p0, p1])) return;
    const rank = this.writeMeta(x.shape, [x.strides]);
    const kernel = x.dtype === 'float32' ? this.k.unary_f32 : this.k.unary_i32;
    kernel(op, x.ptr, out, rank, this.meta, p0, p1);
  }

  binary(op: number, a: View, b: View, out: number, outShape: readonly number[]): void {
    const name = a.dtype === 'float32' ? 'binary_f32' : 'binary_i32';
    if (a.dtype !== 'uint8' && a.dtype !== 'bool' && this.parallel?.elementwise(name, op, [a.ptr, b.ptr], out, 4, outShape, [a.strides, b.strides])) return;
    const rank = this.writeMeta(outShape, [a.strides, b.strides]);
    const kernel = a.dtype === 'float32' ? this.k.binary_f32 : this.k.binary_i32;
    kernel(op, a.ptr, b.ptr, out, rank, this.meta);
  }

  compare(op: number, a: View, b: View, out: number, outShape: readonly number[]): void {
    const name = a.dtype === 'float32' ? 'compare_f32' : 'compare_i32';
    if (a.dtype !== 'uint8' && a.dtype !== 'bool' && this.parallel?.elementwise(name, op, [a.ptr, b.ptr], out, 1, outShape, [a.strides, b.strides])) return;
    const rank = this.writeMeta(outShape, [a.strides, b.strides]);
    const kernel = a.dtype === 'float32' ? this.k.compare_f32 : this.k.compare_i32;
    kernel(op, a.ptr, b.ptr, out, rank, this.meta);
  }

  reduce(op: number, dtype: DType, x: number, out: number, outer: number, red: number, inner: number): void {
    if (dtype !== 'uint8' && dtype !== 'bool' && this.parallel?.reduce(dtype === 'float32' ? 'reduce_f32' : 'reduce_i32', op, x, out, outer, red, inner)) return;
    (dtype === 'float32' ? this.k.reduce_f32 : this.k.reduce_i32)(op, x, out, outer, red, inner);
  }

  argReduce(op: number, dtype: DType, x: number, out: number, outer: number, red: number, inner: number): void {
    (dtype === 'float32' ? this.k.argreduce_f32 : this.k.argreduce_i32)(op, x, out, outer, red, inner);
  }

  softmax(x: number, out: number, outer: number, n: number, inner: number, log: boolean): void {
    this.k.softmax_f32(x, out, outer, n, inner, log ? 1 : 0);
  }

  cast(x: number, from: DType, out: number, to: DType, n: number): void {
    this.k.cast(x, dtypeCode(from), out, dtypeCode(to), n);
  }

  copy(x: View, out: number): void {
    const rank = this.writeMeta(x.shape, [x.strides]);
    this.k.copy_strided(x.ptr, out, x.dtype === 'float32' || x.dtype === 'int32' ? 4 : 1, rank, this.meta);
  }

  scatter(x: number, out: View): void {
    const rank = this.writeMeta(out.shape, [out.strides]);
    this.k.scatter_strided(x, out.ptr, out.dtype === 'float32' || out.dtype === 'int32' ? 4 : 1, rank, this.meta);
  }

  fill(dtype: DType, out: number, n: number, value: number): void {
    if (dtype === 'uint8' || dtype === 'bool') {
      this.k.fill8(out, n, value);
    } else {
      const bits = dtype === 'float32' ? new Int32Array(new Float32Array([value]).buffer)[0] : value | 0;
      this.k.fill32(out, n, bits);
    }
  }

  range(dtype: DType, out: number, n: number, start: number, step: number): void {
    (dtype === 'float32' ? this.k.range_f32 : this.k.range_i32)(out, n, start, step);
  }

  eye(out: number, rows: number, cols: number, k: number): void {
    this.k.eye_f32(out, rows, cols, k);
  }

  oneHot(indices: number, out: number, n: number, depth: number, on: number, off: number): void {
    this.k.one_hot_f32(indices, out, n, depth, on, off);
  }

  random(kind: 'uniform' | 'normal' | 'truncatedNormal', out: number, n: number, a: number, b: number, seed: number): void {
    const lo = seed | 0;
    const hi = Math.floor(seed / 2 ** 32) | 0;
    const kernel =
      kind === 'uniform' ? this.k.random_uniform_f32 : kind === 'normal' ? this.k.random_normal_f32 : this.k.random_truncated_normal_f32;
    kernel(out, n, a, b, lo, hi);
  }

  matMul(p: MatMulArgs): void {
    if (this.parallel?.matMul(p)) return;
    this.k.matmul_f32(
      p.a, p.b, p.c, p.m, p.n, p.k, p.transposeA ? 1 : 0, p.transposeB ? 1 : 0,
      p.batch, p.strideA, p.strideB, p.bias, p.activation ?? ACT_NONE,
    );
  }

  // ---- training kernels (assembly/kernels/optim.ts, crossentropy.ts) ----

  optimizerStep(s: OptimizerStep): void {
    const [kernel, buffers, scalars] = optimizerCall(s);
    if (this.parallel?.optimizerStep(kernel, buffers, s.n, scalars)) return;
    (this.k[kernel] as (...args: number[]) => void)(...buffers, s.n, ...scalars);
  }

  softmaxCrossEntropy(logits: number, labels: number, labelDType: DType | null, out: number, rows: number, n: number): number {
    if (labelDType === null) {
      this.k.softmax_xent_f32(logits, labels, out, rows, n);
      return -1;
    }
    return this.k.sparse_softmax_xent_f32(logits, labels, dtypeCode(labelDType), out, rows, n);
  }

  softmaxCrossEntropyGrad(logits: number, labels: number, labelDType: DType | null, dy: number, out: number, rows: number, n: number): number {
    if (labelDType === null) {
      this.k.softmax_xent_grad_f32(logits, labels, dy, out, rows, n);
      return -1;
    }
    return this.k.sparse_softmax_xent_grad_f32(logits, labels, dtypeCode(labelDType), dy, out, rows, n);
  }

  // ---- gather (assembly/kernels/gather.ts) ----

  gather(x: number, indices: number, out: number, outer: number, axisSize: number, n: number, rowBytes: number): number {
    return this.k.gather_rows(x, indices, out, outer, axisSize, n, rowBytes);
  }

  gatherGrad(dy: number, indices: number, dx: number, outer: number, axisSize: number, n: number, inner: number): void {
    this.k.gather_grad_f32(dy, indices, dx, outer, axisSize, n, inner);
  }

  // ---- convolution and pooling (assembly/kernels/im2col.ts, pool.ts) ----

  /** Writes a conv/pool geometry vector into the meta scratch (at most 3 * MAX_KERNEL_RANK values). */
  private geom(values: readonly number[]): number {
    this.heap.i32.set(values, this.meta >>> 2);
    return this.meta;
  }

  im2col(x: number, cols: number, geom: readonly number[]): void {
    this.k.im2col_f32(x, cols, this.geom(geom));
  }

  col2im(cols: number, dx: number, geom: readonly number[]): void {
    this.k.col2im_f32(cols, dx, this.geom(geom));
  }

  maxPool(x: number, out: number, indices: number, geom: readonly number[]): void {
    this.k.maxpool_f32(x, out, indices, this.geom(geom));
  }

  maxPoolGrad(dy: number, indices: number, dx: number, n: number, xSize: number): void {
    this.k.maxpool_grad_f32(dy, indices, dx, n, xSize);
  }

  avgPool(x: number, out: number, geom: readonly number[]): void {
    this.k.avgpool_f32(x, out, this.geom(geom));
  }

  avgPoolGrad(dy: number, dx: number, geom: readonly number[]): void {
    this.k.avgpool_grad_f32(dy, dx, this.geom(geom));
  }

  resizeBilinear(x: number, out: number, geom: readonly number[]): void {
    this.k.resize_bilinear_f32(x, out, this.geom(geom));
  }

  resizeBilinearGrad(dy: number, dx: number, geom: readonly number[]): void {
    this.k.resize_bilinear_grad_f32(dy, dx, this.geom(geom));
  }

  // ---- depthwise convolution (assembly/kernels/depthwise.ts) ----

  depthwiseConv2d(x: number, filter: number, bias: number, out: number, geom: readonly number[]): void {
    const g = this.geom(geom);
    const [n, , , c, fh, fw, , , , , , , oh, ow] = geom;
    // The core set has no depthwise kernel for the workers either: its stand-in below says so.
    if (this.kernelSet === 'full' && this.parallel?.depthwise(x, filter, bias, out, g, n * oh, n * oh * ow * c * fh * fw)) return;
    this.k.depthwise_f32(x, filter, bias, out, g);
  }

  depthwiseConv2dBackpropInput(dy: number, filter: number, dx: number, geom: readonly number[]): void {
    this.k.depthwise_grad_input_f32(dy, filter, dx, this.geom(geom));
  }

  depthwiseConv2dBackpropFilter(x: number, dy: number, df: number, geom: readonly number[]): void {
    this.k.depthwise_grad_filter_f32(x, dy, df, this.geom(geom));
  }

  // ---- batch normalization (assembly/kernels/batchnorm.ts) ----

  batchNorm(x: number, a: number, b: number, out: number, outer: number, c: number, inner: number): void {
    this.k.batchnorm_f32(x, a, b, out, outer, c, inner);
  }

  // ---- activation gradients (assembly/kernels/act_grad.ts) ----

  activationGrad(act: number, dy: number, y: number, out: number, n: number): boolean {
    if (this.k.act_grad_supported(act) === 0) return false;
    this.k.act_grad_f32(act, dy, y, out, n);
    return true;
  }

  // ---- recurrent cells (assembly/kernels/recurrent.ts) ----

  lstmCell(xw: number, hu: number, hPrev: number, cPrev: number, mask: number, gates: number, h: number, c: number,
    b: number, units: number, act: number, recurrentAct: number): void {
    this.k.lstm_cell_f32(xw, hu, hPrev, cPrev, mask, gates, h, c, b, units, act, recurrentAct);
  }

  lstmCellGrad(gates: number, c: number, cPrev: number, mask: number, dOutH: number, dOutC: number, dhRec: number,
    dhCarry: number, dcCarry: number, dGates: number, b: number, units: number, act: number, recurrentAct: number): void {
    this.k.lstm_cell_grad_f32(gates, c, cPrev, mask, dOutH, dOutC, dhRec, dhCarry, dcCarry, dGates, b, units, act, recurrentAct);
  }

  rnnCell(xw: number, hu: number, hPrev: number, mask: number, h: number, b: number, units: number, act: number): void {
    this.k.rnn_cell_f32(xw, hu, hPrev, mask, h, b, units, act);
  }

  rnnCellGrad(h: number, mask: number, dOutH: number, dhRec: number, dhCarry: number, dPre: number, b: number, units: number, act: number): void {
    this.k.rnn_cell_grad_f32(h, mask, dOutH, dhRec, dhCarry, dPre, b, units, act);
  }

  gruGates(xw: number, huZr: number, hPrev: number, zr: number, rh: number, b: number, units: number, recurrentAct: number): void {
    this.k.gru_gates_f32(xw, huZr, hPrev, zr, rh, b, units, recurrentAct);
  }

  gruOut(xw: number, huH: number, hPrev: number, zr: number, mask: number, hh: number, h: number, b: number, units: number, act: number): void {
    this.k.gru_out_f32(xw, huH, hPrev, zr, mask, hh, h, b, units, act);
  }

  gruGradOut(zr: number, hh: number, hPrev: number, mask: number, dOutH: number, dhRec: number, dhCarry: number, dGzr: number, dGh: number,
    b: number, units: number, act: number, recurrentAct: number): void {
    this.k.gru_grad_out_f32(zr, hh, hPrev, mask, dOutH, dhRec, dhCarry, dGzr, dGh, b, units, act, recurrentAct);
  }

  gruGradReset(zr: number, hPrev: number, mask: number, dRh: number, dGzr: number, dhCarry: number, b: number, units: number, recurrentAct: number): void {
    this.k.gru_grad_reset_f32(zr, hPrev, mask, dRh, dGzr, dhCarry, b, units, recurrentAct);
  }

  gruResetAfterCell(xw: number, hu: number, hPrev: number, mask: number, gates: number, h: number, b: number, units: number, act: number, recurrentAct: number): void {
    this.k.gru_ra_cell_f32(xw, hu, hPrev, mask, gates, h, b, units, act, recurrentAct);
  }

  gruResetAfterCellGrad(gates: number, hu: number, hPrev: number, mask: number, dOutH: number, dhRec: number, dhCarry: number, dX: number, dG: number,
    b: number, units: number, act: number, recurrentAct: number): void {
    this.k.gru_ra_cell_grad_f32(gates, hu, hPrev, mask, dOutH, dhRec, dhCarry, dX, dG, b, units, act, recurrentAct);
  }
}

function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  return 'uint8';
}

/**
 * An optimizer step as its kernel in assembly/kernels/optim.ts and that
 * kernel's arguments: the element buffers (0 for a slot the variant does
 * not use), then n, then the scalars.
 */
function optimizerCall(s: OptimizerStep): [OptimizerKernel, number[], number[]] {
  switch (s.kind) {
    case 'sgd': return ['sgd_step', [s.w, s.g], [s.lr]];
    case 'momentum': return ['momentum_step', [s.w, s.g, s.v], [s.lr, s.momentum, s.nesterov ? 1 : 0]];
    case 'rmsprop': return ['rmsprop_step', [s.w, s.g, s.ms, s.mg, s.mom], [s.lr, s.rho, s.momentum, s.epsilon, s.centered ? 1 : 0]];
    case 'adam': return ['adam_step', [s.w, s.g, s.m, s.v], [s.alpha, s.beta1, s.beta2, s.epsilon]];
    case 'adamax': return ['adamax_step', [s.w, s.g, s.m, s.u], [s.stepSize, s.beta1, s.beta2, s.epsilon]];
    case 'adagrad': return ['adagrad_step', [s.w, s.g, s.acc], [s.lr, s.epsilon]];
    case 'adadelta': return ['adadelta_step', [s.w, s.g, s.accGrad, s.accUpdate], [s.lr, s.rho, s.epsilon]];
  }
}
