// Constant-pattern constructors: fill, range, eye, oneHot.

/** out[0..n) = the 32-bit pattern `bits` (a float32's bits or an int32). */
export function fill32(out: usize, n: i32, bits: i32): void {
  const v = i32x4.splat(bits);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = out + (<usize>i << 2);
    v128.store(p, v); v128.store(p, v, 16); v128.store(p, v, 32); v128.store(p, v, 48);
  }
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  for (; i < n; i++) store<i32>(out + (<usize>i << 2), bits);
}

/** out[0..n) = the byte `value` (uint8 / bool). */
export function fill8(out: usize, n: i32, value: i32): void {
  memory.fill(out, <u8>value, <usize>n);
}

/** out[i] = start + i * step, each computed (not accumulated) in float64, rounded once. */
export function range_f32(out: usize, n: i32, start: f32, step: f32): void {
  const s = <f64>start, d = <f64>step;
  for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>(s + <f64>i * d));
}

/** out[i] = start + i * step (wrapping int32). */
export function range_i32(out: usize, n: i32, start: i32, step: i32): void {
  for (let i = 0; i < n; i++) store<i32>(out + (<usize>i << 2), start + i * step);
}

/** rows x cols float32 identity-like matrix: ones at [i, i + k], zeros elsewhere. */
export function eye_f32(out: usize, rows: i32, cols: i32, k: i32): void {
  fill32(out, rows * cols, 0);
  for (let i = 0; i < rows; i++) {
    const j = i + k;
    if (j >= 0 && j < cols) store<f32>(out + ((<usize>i * <usize>cols + <usize>j) << 2), 1.0);
  }
}

/**
 * out [n, depth] float32: `on` at [i, indices[i]], `off` elsewhere. An index
 * outside [0, depth) gives an all-`off` row (TF.js oneHot).
 */
export function one_hot_f32(indices: usize, out: usize, n: i32, depth: i32, on: f32, off: f32): void {
  fill32(out, n * depth, reinterpret<i32>(off));
  for (let i = 0; i < n; i++) {
    const c = load<i32>(indices + (<usize>i << 2));
    if (c >= 0 && c < depth) store<f32>(out + ((<usize>i * <usize>depth + <usize>c) << 2), on);
  }
}
