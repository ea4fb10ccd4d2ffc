// checkNumerics support: find the first NaN or ±Infinity in a float32 array.
// x - x is 0 for every finite x and NaN for NaN and ±Inf, so one subtract and
// one compare classify four lanes; only a block that fails is scanned lane by
// lane. Runs at memory speed: it is only called with flag checkNumerics on.

/** Index of the first non-finite of n floats at ptr, or -1 when all are finite. */
export function first_nonfinite_f32(ptr: usize, n: i32): i32 {
  const zero = f32x4.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const v = v128.load(ptr + (<usize>i << 2));
    if (!i32x4.all_true(f32x4.eq(f32x4.sub(v, v), zero))) break;
  }
  for (; i < n; i++) {
    const x = load<f32>(ptr + (<usize>i << 2));
    if (x - x != 0) return i;
  }
  return -1;
}
