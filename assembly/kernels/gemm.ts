// STUB — to be implemented (see ../README.md for the ABI).
/**
 * C[b] = act(op(A[b]) · op(B[b]) + bias) for b in 0..batch.
 * A is stored [M,K] row-major (transA=0) or [K,M] (transA=1); B is [K,N] or [N,K] (transB=1).
 * strideA/strideB: elements between consecutive batch matrices (0 = broadcast one matrix).
 * C is contiguous [batch, M, N]. bias: 0 or a pointer to N floats. act: ACT_NONE or a U_* code.
 */
export function matmul_f32(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32,
  batch: i32, strideA: i32, strideB: i32, bias: usize, act: i32): void {}
