// STUB — to be implemented (see ../README.md for the ABI).
export function fill32(out: usize, n: i32, bits: i32): void {}
export function fill8(out: usize, n: i32, value: i32): void {}
export function range_f32(out: usize, n: i32, start: f32, step: f32): void {}
export function range_i32(out: usize, n: i32, start: i32, step: i32): void {}
export function eye_f32(out: usize, rows: i32, cols: i32, k: i32): void {}
export function one_hot_f32(indices: usize, out: usize, n: i32, depth: i32, on: f32, off: f32): void {}
