// Counter-based random numbers: element i's value depends only on
// (seed, i), never on how the work is chunked or on earlier calls, so a seeded
// initialiser gives the same tensor on every run, instance and thread count.
//
//   key      = mix(seed ^ C)                      (decorrelates nearby seeds)
//   bits(c)  = mix(key + (c + 1) * 0x9E3779B97F4A7C15)   (splitmix64 output)
//   uniform  = hash32(hash32(c ^ key.lo) ^ key.hi): top 24 bits * 2^-24 in [0, 1)
//              (32-bit lanes, so four counters per SIMD step: the uniform
//              kernel fills Glorot-initialised weights and dropout masks, the
//              bulk of all random numbers drawn, and a u64 multiply per value
//              made it the slowest step of building a model)
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

/**
 * Chris Wellons' lowbias32: a 32-bit bijection with near-ideal avalanche.
 * Applied twice with the key's two halves xored in between, it makes
 * different seeds' streams unrelated, not shifted copies of one another.
 */
@inline function hash32(x: u32): u32 {
  x ^= x >> 16; x *= 0x7FEB352D;
  x ^= x >> 15; x *= 0x846CA68B;
  return x ^ (x >> 16);
}

@inline function hash32x4(x: v128): v128 {
  x = v128.xor(x, i32x4.shr_u(x, 16)); x = i32x4.mul(x, i32x4.splat(0x7FEB352D));
  x = v128.xor(x, i32x4.shr_u(x, 15)); x = i32x4.mul(x, i32x4.splat(<i32>0x846CA68B));
  return v128.xor(x, i32x4.shr_u(x, 16));
}

/** Uniform float32 in [0, 1) for counter c: 24 bits, exactly representable. */
@inline function unit24(k0: u32, k1: u32, c: u32): f32 {
  return <f32>(hash32(hash32(c ^ k0) ^ k1) >> 8) * (1.0 / 16777216.0);
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
  const k0 = <u32>key, k1 = <u32>(key >> 32);
  const width = hi - lo;
  // lo + u * width < hi can round up to hi; then the value is hi's predecessor.
  const top = hi > lo ? below(hi) : lo;
  let i = 0;
  if (isFinite(width)) {
    const vk0 = i32x4.splat(<i32>k0), vk1 = i32x4.splat(<i32>k1);
    const vlo = f32x4.splat(lo), vw = f32x4.splat(width), vtop = f32x4.splat(top);
    const scale = f32x4.splat(1.0 / 16777216.0);
    let c = i32x4(0, 1, 2, 3);
    const four = i32x4.splat(4);
    for (; i + 4 <= n; i += 4) {
      const h = hash32x4(v128.xor(hash32x4(v128.xor(c, vk0)), vk1));
      const u = f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(h, 8)), scale);
      v128.store(out + (<usize>i << 2), f32x4.min(f32x4.add(vlo, f32x4.mul(u, vw)), vtop));
      c = i32x4.add(c, four);
    }
    // The tail: the same float32 operations, one lane at a time.
    for (; i < n; i++) {
      store<f32>(out + (<usize>i << 2), Mathf.min(lo + unit24(k0, k1, <u32>i) * width, top));
    }
  } else {
    // A range too wide for a float32 width (hi - lo overflows): float64.
    const wide = <f64>hi - <f64>lo;
    for (; i < n; i++) {
      const v = <f32>(<f64>lo + <f64>unit24(k0, k1, <u32>i) * wide);
      store<f32>(out + (<usize>i << 2), v > top ? top : v);
    }
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
