// STUB — to be implemented (see ../README.md for the ABI).
/** x contiguous viewed as [outer, red, inner]; out contiguous [outer, inner]. */
export function reduce_f32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {}
export function reduce_i32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {}
/** Index (int32, 0..red-1) of the first max/min along the middle axis. */
export function argreduce_f32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {}
export function argreduce_i32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {}
