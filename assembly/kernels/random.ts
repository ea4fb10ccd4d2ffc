// STUB — to be implemented (see ../README.md for the ABI).
export function random_uniform_f32(out: usize, n: i32, lo: f32, hi: f32, seedLo: i32, seedHi: i32): void {}
export function random_normal_f32(out: usize, n: i32, mean: f32, std: f32, seedLo: i32, seedHi: i32): void {}
export function random_truncated_normal_f32(out: usize, n: i32, mean: f32, std: f32, seedLo: i32, seedHi: i32): void {}
