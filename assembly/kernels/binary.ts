// STUB — to be implemented (see ../README.md for the ABI).
/** out[i] = op(a[sa i], b[sb i]); meta = [shape(rank), aStrides(rank), bStrides(rank)]; out contiguous f32. */
export function binary_f32(op: i32, a: usize, b: usize, out: usize, rank: i32, meta: usize): void {}
export function binary_i32(op: i32, a: usize, b: usize, out: usize, rank: i32, meta: usize): void {}
/** Comparisons; out is bool (u8 0/1). */
export function compare_f32(op: i32, a: usize, b: usize, out: usize, rank: i32, meta: usize): void {}
export function compare_i32(op: i32, a: usize, b: usize, out: usize, rank: i32, meta: usize): void {}
