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
}

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
