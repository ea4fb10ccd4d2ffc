// The one place ops look for the GPU: null unless wt.setBackend chose a
// WebGPU mode with a usable device, so with WebGPU unused an op pays one
// null check. Each entry runs its kernel on the GPU and returns true, or
// returns false and the op runs its CPU kernel (policy, or a fallback).
import type { Tensor } from '../../tensor';

/** One GEMM call of a matMul: element offsets into a, b, out and the per-matrix strides (0 repeats). */
export interface GemmCall {
  aOffset: number;
  bOffset: number;
  cOffset: number;
  count: number;
  strideA: number;
  strideB: number;
}

/** out = act(op(a) · op(b) + bias) as matMul computed it: a, b dense matrices (possibly stored transposed). */
export interface GpuMatMul {
  a: Tensor;
  b: Tensor;
  out: Tensor;
  bias: Tensor | undefined;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  activation: number;
  calls: GemmCall[];
}

export interface GpuOps {
  matMul(spec: GpuMatMul): boolean;
  /** out = dy * act'(y), all contiguous float32 of one size. */
  activationGrad(act: number, dy: Tensor, y: Tensor, out: Tensor): boolean;
  /** out[c] = sum over rows of x[r, c], x contiguous [rows, cols]. */
  columnSum(x: Tensor, out: Tensor): boolean;
}

export const gpuOps: { current: GpuOps | null } = { current: null };
