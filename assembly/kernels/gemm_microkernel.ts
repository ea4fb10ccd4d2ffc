// The GEMM register tile: 4 rows x 8 columns of C in 8 v128 accumulators.
//
// Per k: two v128 loads of the packed B panel ([k][8]) and four
// v128.load32_splat of the packed A panel ([k][4]), 8 multiply-adds. That is
// 8 accumulators + 2 B vectors + 1 splat (+1 product temp) = 12 xmm registers,
// inside the 15 V8 gives wasm on x64 (larger tiles spill; see DESIGN.md).
// With --enable relaxed-simd the multiply-add is f32x4.relaxed_madd (an FMA).

// init: how the accumulators start.
export const INIT_ZERO: i32 = 0;
export const INIT_BIAS: i32 = 1; // from 8 bias floats at `bias`
export const INIT_C: i32 = 2; // from C (a later K block accumulates)

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
 * C[0:4, 0:8] (+)= Apanel (kc x 4) * Bpanel (kc x 8); `ldc` is C's row pitch in
 * bytes. relu != 0 clamps at 0 before the store. Always stores the full tile:
 * edge tiles go through a scratch tile (see gemm.ts).
 */
export function kernel_4x8(ap: usize, bp: usize, kc: i32, c: usize, ldc: usize, init: i32, bias: usize, relu: i32): void {
  let c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128;
  const c1 = c + ldc;
  const c2 = c1 + ldc;
  const c3 = c2 + ldc;
  if (init == INIT_C) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c1); c11 = v128.load(c1, 16);
    c20 = v128.load(c2); c21 = v128.load(c2, 16);
    c30 = v128.load(c3); c31 = v128.load(c3, 16);
  } else if (init == INIT_BIAS) {
    c00 = v128.load(bias); c01 = v128.load(bias, 16);
    c10 = c00; c11 = c01; c20 = c00; c21 = c01; c30 = c00; c31 = c01;
  } else {
    c00 = f32x4.splat(0); c01 = c00;
    c10 = c00; c11 = c00; c20 = c00; c21 = c00; c30 = c00; c31 = c00;
  }
  let a = ap;
  let b = bp;
  const aEnd = ap + (<usize>kc << 4);
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
    a += 16;
    b += 32;
  }
  if (relu) {
    const z = f32x4.splat(0);
    c00 = f32x4.max(c00, z); c01 = f32x4.max(c01, z);
    c10 = f32x4.max(c10, z); c11 = f32x4.max(c11, z);
    c20 = f32x4.max(c20, z); c21 = f32x4.max(c21, z);
    c30 = f32x4.max(c30, z); c31 = f32x4.max(c31, z);
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c1, c10); v128.store(c1, c11, 16);
  v128.store(c2, c20); v128.store(c2, c21, 16);
  v128.store(c3, c30); v128.store(c3, c31, 16);
}
