// The GEMM register tile: 5 rows x 8 columns of C in 10 v128 accumulators.
//
// Per k: two v128 loads of the packed B panel ([k][8]) and five
// v128.load32_splat of the packed A panel ([k][5]), 10 multiply-adds. That is
// 10 accumulators + 2 B vectors + 1 splat (+1 product temp) = 14 xmm
// registers, just inside the 15 V8 gives wasm on x64; 6x8 spills.
// Measured here (Node 20, mul+add, AMD EPYC, 1 thread): kernel alone on L1
// panels (kc 256) 3x8 42, 4x8 45-46, 5x8 54-56, 6x8 29.5 GFLOP/s; whole GEMM
// 512^3 4x8 43-44, 5x8 50-52 GFLOP/s. 4x8 unrolled 2x over k (33) and 4x8 with
// one v128 A load + lane shuffles instead of load32_splat (42-43) were slower.
// relaxed_madd (Node 20 with --experimental-wasm-relaxed-simd): 5x8 ~51-52.
// With --enable relaxed-simd the multiply-add is f32x4.relaxed_madd (an FMA).

// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(c, f32x4.mul(a, b));
  }
}

/**
 * C[0:5, 0:8] += Apanel (kc x 5) * Bpanel (kc x 8); `ldc` is C's row pitch in
 * bytes, `bpitch` the B panel's (32 when packed; B's own row pitch when a
 * small-M product reads 8 columns of a row-major B in place). Deliberately branch-free around the loop (load C, accumulate, store):
 * with init/activation branches in this function V8 hoisted all five splats
 * above the multiplies and spilled accumulators (half the speed). The caller
 * pre-fills C with the bias (or 0) for the first K block and applies relu
 * after the last (tile_init / tile_relu).
 */
export function kernel_5x8(ap: usize, bp: usize, bpitch: usize, kc: i32, c: usize, ldc: usize): void {
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  const c4 = c3 + ldc;
  let c00 = v128.load(c);
  let c01 = v128.load(c, 16);
  let c10 = v128.load(c1);
  let c11 = v128.load(c1, 16);
  let c20 = v128.load(c2);
  let c21 = v128.load(c2, 16);
  let c30 = v128.load(c3);
  let c31 = v128.load(c3, 16);
  let c40 = v128.load(c4);
  let c41 = v128.load(c4, 16);
  let a = ap;
  let b = bp;
  const aEnd = ap + <usize>kc * 20;
  while (a < aEnd) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let s = v128.load32_splat(a);
    c00 = madd(s, b0, c00);
    c01 = madd(s, b1, c01);
    s = v128.load32_splat(a, 4);
    c10 = madd(s, b0, c10);
    c11 = madd(s, b1, c11);
    s = v128.load32_splat(a, 8);
    c20 = madd(s, b0, c20);
    c21 = madd(s, b1, c21);
    s = v128.load32_splat(a, 12);
    c30 = madd(s, b0, c30);
    c31 = madd(s, b1, c31);
    s = v128.load32_splat(a, 16);
    c40 = madd(s, b0, c40);
    c41 = madd(s, b1, c41);
    a += 20;
    b += bpitch;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c1, c10); v128.store(c1, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16);
  v128.store(c3, c30); v128.store(c3, c31, 16);
  v128.store(c4, c40); v128.store(c4, c41, 16);
}

/** Sets rows x 8 floats at c (pitch ldc bytes) to the 8 bias floats, or 0 when bias is 0. */
export function tile_init(c: usize, ldc: usize, rows: i32, bias: usize): void {
  let v0 = f32x4.splat(0);
  let v1 = v0;
  if (bias != 0) {
    v0 = v128.load(bias);
    v1 = v128.load(bias, 16);
  }
  for (let r = 0; r < rows; r++) {
    v128.store(c, v0);
    v128.store(c, v1, 16);
    c += ldc;
  }
}

/** max(x, 0) on rows x 8 floats at c (NaN stays NaN). */
export function tile_relu(c: usize, ldc: usize, rows: i32): void {
  const z = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    v128.store(c, f32x4.max(v128.load(c), z));
    v128.store(c, f32x4.max(v128.load(c, 16), z), 16);
    c += ldc;
  }
}
