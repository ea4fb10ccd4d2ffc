// STUB — to be implemented (see ../README.md for the ABI).
/** Contiguous conversion of n elements between dtype codes (DT_*). */
export function cast(x: usize, src: i32, out: usize, dst: i32, n: i32): void {}
