// STUB — to be implemented (see ../README.md for the ABI).
/** x, out contiguous [outer, n, inner]; softmax (log=0) or logSoftmax (log=1) along n. */
export function softmax_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32, log: i32): void {}
