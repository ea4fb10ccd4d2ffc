// STUB — to be implemented (see ../README.md for the ABI).
/** out[i] = op(x[strided i]); meta = [shape(rank), xStrides(rank)]; out contiguous float32. */
export function unary_f32(op: i32, x: usize, out: usize, rank: i32, meta: usize, p0: f32, p1: f32): void {}
/** Same for int32 data (NEG, ABS, SQUARE, RELU, SIGN, CLIP with p0/p1 truncated to i32). */
export function unary_i32(op: i32, x: usize, out: usize, rank: i32, meta: usize, p0: f32, p1: f32): void {}
