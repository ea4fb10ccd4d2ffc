// Counter-based random numbers: element i's value depends only on
// (seed, i), never on how the work is chunked or on earlier calls, so a seeded
// initialiser gives the same tensor on every run, instance and thread count.
//
//   key      = mix(seed ^ C)                      (decorrelates nearby seeds)
//   bits(c)  = mix(key + (c + 1) * 0x9E3779B97F4A7C15)   (splitmix64 output)
//   uniform  = top 24 bits * 2^-24 in [0, 1)
//   normal   = Box-Muller on counters 2k, 2k+1 (cos for even i, sin for odd i)
//   truncated normal: values with |z| >= 2 are redrawn from the next stream
//              (key + attempt * C2), like TF's truncated_normal

const GOLDEN: u64 = 0x9E3779B97F4A7C15;
const STREAM: u64 = 0xD1B54A32D192ED03;

/** splitmix64 finaliser (Stafford's Mix13). */
@inline function mix(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return z ^ (z >> 31);
}

@inline function keyOf(seedLo: i32, seedHi: i32): u64 {
  return mix(((<u64>seedHi << 32) | <u64><u32>seedLo) ^ 0x5851F42D4C957F2D);
}

@inline function bits(key: u64, c: u64): u64 {
  return mix(key + (c + 1) * GOLDEN);
}

/** Uniform in [0, 1) with 24 bits: exactly representable as a float32. */
@inline function unit24(key: u64, c: u64): f32 {
  return <f32>(bits(key, c) >> 40) * (1.0 / 16777216.0);
}

/** Largest float32 below h (for keeping lo + u (hi - lo) < hi after rounding). */
@inline function below(h: f32): f32 {
  if (h == 0) return -reinterpret<f32>(1); // -smallest subnormal
  const b = reinterpret<i32>(h);
  return reinterpret<f32>(h > 0 ? b - 1 : b + 1);
}

/** Uniform float32 in [lo, hi). */
export function random_uniform_f32(out: usize, n: i32, lo: f32, hi: f32, seedLo: i32, seedHi: i32): void {
  const key = keyOf(seedLo, seedHi);
  const width = <f64>hi - <f64>lo;
  const top = below(hi);
  for (let i = 0; i < n; i++) {
    let v = <f32>(<f64>lo + <f64>unit24(key, <u64>i) * width);
    if (v >= hi && hi > lo) v = top; // rounding up to hi
    store<f32>(out + (<usize>i << 2), v);
  }
}

/**
 * Standard normal for element i from stream `key`: Box-Muller on the 53-bit
 * uniforms of counters 2k and 2k+1 (k = i / 2), even i takes the cos branch,
 * odd i the sin branch. Computed in float64.
 */
@inline function gaussian(key: u64, i: i32): f64 {
  const k = <u64>(i >> 1) << 1;
  const u1 = <f64>((bits(key, k) >> 11) + 1) * (1.0 / 9007199254740992.0); // (0, 1]
  const u2 = <f64>(bits(key, k + 1) >> 11) * (1.0 / 9007199254740992.0); // [0, 1)
  const r = Math.sqrt(-2.0 * Math.log(u1));
  const t = 2.0 * Math.PI * u2;
  return (i & 1) ? r * Math.sin(t) : r * Math.cos(t);
}

/** Normal(mean, std) float32. */
export function random_normal_f32(out: usize, n: i32, mean: f32, std: f32, seedLo: i32, seedHi: i32): void {
  const key = keyOf(seedLo, seedHi);
  let i = 0;
  // pairs: one log/sqrt for two outputs
  for (; i + 2 <= n; i += 2) {
    const k = <u64>i;
    const u1 = <f64>((bits(key, k) >> 11) + 1) * (1.0 / 9007199254740992.0);
    const u2 = <f64>(bits(key, k + 1) >> 11) * (1.0 / 9007199254740992.0);
    const r = Math.sqrt(-2.0 * Math.log(u1));
    const t = 2.0 * Math.PI * u2;
    store<f32>(out + (<usize>i << 2), <f32>(<f64>mean + <f64>std * r * Math.cos(t)));
    store<f32>(out + (<usize>i << 2), <f32>(<f64>mean + <f64>std * r * Math.sin(t)), 4);
  }
  if (i < n) store<f32>(out + (<usize>i << 2), <f32>(<f64>mean + <f64>std * gaussian(key, i)));
}

/**
 * Normal(mean, std) truncated to (mean - 2 std, mean + 2 std): a draw outside
 * is replaced by element i of the next stream (at most 64 tries, ~1e-86 odds
 * of running out; then mean).
 */
export function random_truncated_normal_f32(out: usize, n: i32, mean: f32, std: f32, seedLo: i32, seedHi: i32): void {
  const key = keyOf(seedLo, seedHi);
  const m = <f64>mean, s = <f64>std;
  const lo = <f32>(m - 2.0 * s), hi = <f32>(m + 2.0 * s);
  for (let i = 0; i < n; i++) {
    let v = mean;
    for (let attempt: u64 = 0; attempt < 64; attempt++) {
      const z = gaussian(key + attempt * STREAM, i);
      const w = <f32>(m + s * z);
      if (Math.abs(z) < 2.0 && (std == 0 || (w > lo && w < hi))) { v = w; break; }
    }
    store<f32>(out + (<usize>i << 2), v);
  }
}
