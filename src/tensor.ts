// Tensor: a shape, a dtype and a strided view into reference-counted storage.
// No math lives here: methods are the op functions (src/ops) called with
// `this` as the first argument, so each op is defined once.
import { bytesPerElement, type DType, type TypedArray } from './dtype';
import { disposeTracked, track, type Storage, type Tracked } from './engine';
import { fail } from './errors';
import { contiguousStrides, isContiguous, sizeOf } from './shape';
import type { View } from './backends/backend';
import * as ew from './ops/elementwise';
import * as red from './ops/reduce';
import * as sm from './ops/softmax';
import * as mm from './ops/matmul';
import * as sh from './ops/shape';
import * as ix from './ops/indexing';
import * as cv from './ops/convert';
import { formatTensor } from './format';

/** Anything an op accepts where a tensor is expected. */
export type TensorLike = Tensor | number | boolean | TypedArray | NestedArray;
export type NestedArray = number | boolean | NestedArray[];

let nextId = 0;

export class Tensor implements Tracked {
  readonly id = nextId++;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  /** Offset of element [0,...,0] in the storage, in elements. */
  readonly offset: number;
  readonly dtype: DType;
  readonly size: number;
  readonly storage: Storage;
  /** @internal */
  isDisposedInternal = false;

  /** @internal Use wt.tensor() and the ops; this wraps storage that already exists. */
  constructor(storage: Storage, shape: readonly number[], dtype: DType, strides?: readonly number[], offset = 0) {
    // storage.address, not .ptr: reading ptr brings GPU-resident data back to wasm memory.
    if (typeof storage?.address !== 'number' || !Array.isArray(shape)) {
      fail('Tensor', 'the constructor is internal: create tensors with wt.tensor(values, shape?, dtype?), wt.zeros(shape), wt.fill(...)');
    }
    this.storage = storage;
    this.shape = Object.freeze(shape.slice());
    this.strides = Object.freeze((strides ?? contiguousStrides(shape)).slice());
    this.offset = offset;
    this.dtype = dtype;
    this.size = sizeOf(shape);
    track(this);
  }

  get rank(): number { return this.shape.length; }
  get ndim(): number { return this.shape.length; }
  get isDisposed(): boolean { return this.isDisposedInternal; }
  /** True when the elements are laid out row-major without gaps from `offset`. */
  get isContiguous(): boolean { return isContiguous(this.shape, this.strides); }

  /** @internal Throws the message every op gives for a disposed input. */
  assertAlive(fn: string, arg = 'x'): void {
    if (this.isDisposedInternal) fail(fn, `${arg} is a disposed tensor (id ${this.id}, shape [${this.shape}]); it was freed by dispose() or tidy()`);
  }

  /** @internal The strided view kernels read. */
  view(): View {
    return {
      ptr: this.storage.ptr + this.offset * bytesPerElement(this.dtype),
      shape: this.shape,
      strides: this.strides,
      dtype: this.dtype,
    };
  }

  // ---- data out ----
  /** A copy of the elements in row-major order (bool as 0/1 bytes). */
  dataSync(): TypedArray { this.assertAlive('dataSync'); return cv.readData(this); }
  async data(): Promise<TypedArray> { await this.readDeviceCopy('data'); return this.dataSync(); }
  /** Nested arrays (a number for a 0-d tensor); bool as true/false. */
  arraySync(): NestedArray { this.assertAlive('arraySync'); return cv.toNested(this); }
  async array(): Promise<NestedArray> { await this.readDeviceCopy('array'); return this.arraySync(); }
  /** Data that lives only on a device (WebGPU) is read back without blocking the thread. */
  private async readDeviceCopy(fn: string): Promise<void> {
    this.assertAlive(fn);
    await this.storage.device?.readAsync?.(this.storage);
  }
  toString(): string { return this.isDisposedInternal ? `Tensor(disposed, shape=[${this.shape}])` : formatTensor(this); }
  print(): void { console.log(this.toString()); }

  dispose(): void { disposeTracked(this); }

  // ---- conversion and copies ----
  astype(dtype: DType): Tensor { return cv.cast(this, dtype, 'astype'); }
  cast(dtype: DType): Tensor { return cv.cast(this, dtype); }
  clone(): Tensor { return cv.clone(this); }

  // ---- shape and views ----
  reshape(shape: number[]): Tensor { return sh.reshape(this, shape); }
  flatten(): Tensor { return sh.reshape(this, [-1], 'flatten'); }
  transpose(perm?: number[]): Tensor { return sh.transpose(this, perm); }
  get T(): Tensor { return sh.transpose(this); }
  expandDims(axis = 0): Tensor { return sh.expandDims(this, axis); }
  squeeze(axis?: number | number[]): Tensor { return sh.squeeze(this, axis); }
  broadcastTo(shape: number[]): Tensor { return sh.broadcastTo(this, shape); }
  /** numpy basic indexing: `x.index('10:100, :, ::2')`, `x.index(3)`, `x.index('..., 0')`. */
  index(...spec: ix.IndexSpec[]): Tensor { return ix.index(this, ...spec); }
  /** TF.js slice: begin and size per axis (size -1 = to the end). */
  slice(begin: number | number[], size?: number | number[]): Tensor { return ix.slice(this, begin, size); }

  // ---- elementwise ----
  add(b: TensorLike): Tensor { return ew.add(this, b); }
  sub(b: TensorLike): Tensor { return ew.sub(this, b); }
  mul(b: TensorLike): Tensor { return ew.mul(this, b); }
  div(b: TensorLike): Tensor { return ew.div(this, b); }
  maximum(b: TensorLike): Tensor { return ew.maximum(this, b); }
  minimum(b: TensorLike): Tensor { return ew.minimum(this, b); }
  pow(b: TensorLike): Tensor { return ew.pow(this, b); }
  squaredDifference(b: TensorLike): Tensor { return ew.squaredDifference(this, b); }
  mod(b: TensorLike): Tensor { return ew.mod(this, b); }
  floorDiv(b: TensorLike): Tensor { return ew.floorDiv(this, b); }
  equal(b: TensorLike): Tensor { return ew.equal(this, b); }
  notEqual(b: TensorLike): Tensor { return ew.notEqual(this, b); }
  less(b: TensorLike): Tensor { return ew.less(this, b); }
  lessEqual(b: TensorLike): Tensor { return ew.lessEqual(this, b); }
  greater(b: TensorLike): Tensor { return ew.greater(this, b); }
  greaterEqual(b: TensorLike): Tensor { return ew.greaterEqual(this, b); }
  neg(): Tensor { return ew.neg(this); }
  abs(): Tensor { return ew.abs(this); }
  exp(): Tensor { return ew.exp(this); }
  log(): Tensor { return ew.log(this); }
  sqrt(): Tensor { return ew.sqrt(this); }
  rsqrt(): Tensor { return ew.rsqrt(this); }
  square(): Tensor { return ew.square(this); }
  reciprocal(): Tensor { return ew.reciprocal(this); }
  sign(): Tensor { return ew.sign(this); }
  floor(): Tensor { return ew.floor(this); }
  ceil(): Tensor { return ew.ceil(this); }
  round(): Tensor { return ew.round(this); }
  sin(): Tensor { return ew.sin(this); }
  cos(): Tensor { return ew.cos(this); }
  expm1(): Tensor { return ew.expm1(this); }
  log1p(): Tensor { return ew.log1p(this); }
  erf(): Tensor { return ew.erf(this); }
  relu(): Tensor { return ew.relu(this); }
  relu6(): Tensor { return ew.relu6(this); }
  leakyRelu(alpha = 0.2): Tensor { return ew.leakyRelu(this, alpha); }
  elu(alpha = 1): Tensor { return ew.elu(this, alpha); }
  selu(): Tensor { return ew.selu(this); }
  softplus(): Tensor { return ew.softplus(this); }
  gelu(approximate = false): Tensor { return ew.gelu(this, approximate); }
  sigmoid(): Tensor { return ew.sigmoid(this); }
  tanh(): Tensor { return ew.tanh(this); }
  clipByValue(lo: number, hi: number): Tensor { return ew.clipByValue(this, lo, hi); }

  // ---- reductions ----
  sum(axis?: number | number[], keepDims = false): Tensor { return red.sum(this, axis, keepDims); }
  mean(axis?: number | number[], keepDims = false): Tensor { return red.mean(this, axis, keepDims); }
  max(axis?: number | number[], keepDims = false): Tensor { return red.max(this, axis, keepDims); }
  min(axis?: number | number[], keepDims = false): Tensor { return red.min(this, axis, keepDims); }
  prod(axis?: number | number[], keepDims = false): Tensor { return red.prod(this, axis, keepDims); }
  argMax(axis = 0): Tensor { return red.argMax(this, axis); }
  argMin(axis = 0): Tensor { return red.argMin(this, axis); }
  softmax(axis = -1): Tensor { return sm.softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return sm.logSoftmax(this, axis); }

  // ---- products ----
  matMul(b: Tensor, transposeA = false, transposeB = false): Tensor { return mm.matMul(this, b, transposeA, transposeB); }
  dot(b: Tensor): Tensor { return mm.dot(this, b); }
}
