// dtype conversion of n contiguous elements between float32, int32, uint8, bool.
//
//   f32 -> i32     truncate toward 0, saturating; NaN -> 0 (trunc_sat)
//   f32/i32 -> u8  truncate, then SATURATE to [0, 255]. numpy wraps (astype),
//                  we clamp: uint8 here means pixels, and 256 -> 0 is never
//                  what an image pipeline wants.
//   any -> bool    x != 0 (NaN -> 1)
//   u8/bool -> any the value; same dtype -> memory.copy
// 16 elements per SIMD step where the widths differ (16 bytes <-> 4 vectors).
import { DT_F32, DT_I32, DT_U8, DT_BOOL } from '../opcodes';

/** 4 vectors of i32 lanes -> 16 bytes, each clamped to [0, 255]. */
@inline function packU8(a: v128, b: v128, c: v128, d: v128): v128 {
  return i8x16.narrow_i16x8_u(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
}

/** 4 vectors of lane masks (-1 / 0) -> 16 bytes 1 / 0. */
@inline function packBool(a: v128, b: v128, c: v128, d: v128): v128 {
  const m = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(a, b), i16x8.narrow_i32x4_s(c, d));
  return v128.and(m, i8x16.splat(1));
}

// Converters from 4 loaded 32-bit lanes; the same code runs for the scalar tail.
@final class F32ToI32 { @inline cvt(v: v128): v128 { return i32x4.trunc_sat_f32x4_s(v); } }
@final class I32ToF32 { @inline cvt(v: v128): v128 { return f32x4.convert_i32x4_s(v); } }
@final class F32ToU8 { @inline cvt(v: v128): v128 { return i32x4.trunc_sat_f32x4_s(v); } }
@final class I32ToU8 { @inline cvt(v: v128): v128 { return v; } }
@final class F32ToBool { @inline cvt(v: v128): v128 { return f32x4.ne(v, f32x4.splat(0)); } } // NaN != 0
@final class I32ToBool { @inline cvt(v: v128): v128 { return i32x4.ne(v, i32x4.splat(0)); } }

/** 32-bit -> 32-bit. */
function cvt32to32<C>(x: usize, out: usize, n: i32): void {
  const c = changetype<C>(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    v128.store(out + o, c.cvt(v128.load(x + o)));
    v128.store(out + o, c.cvt(v128.load(x + o, 16)), 16);
  }
  for (; i < n; i++) v128.store32_lane(out + (<usize>i << 2), c.cvt(v128.load32_zero(x + (<usize>i << 2))), 0);
}

/** 32-bit -> 8-bit: C gives i32 lanes (u8) or masks (bool), packed by `bool`. */
function cvt32to8<C>(x: usize, out: usize, n: i32, bool: bool): void {
  const c = changetype<C>(0);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const p = x + (<usize>i << 2);
    const a = c.cvt(v128.load(p)), b = c.cvt(v128.load(p, 16));
    const d = c.cvt(v128.load(p, 32)), e = c.cvt(v128.load(p, 48));
    v128.store(out + <usize>i, bool ? packBool(a, b, d, e) : packU8(a, b, d, e));
  }
  for (; i < n; i++) {
    const a = c.cvt(v128.load32_zero(x + (<usize>i << 2)));
    v128.store8_lane(out + <usize>i, bool ? packBool(a, a, a, a) : packU8(a, a, a, a), 0);
  }
}

/** 8-bit (u8 or bool) -> f32 or i32: zero-extend 16 bytes to 4 vectors (the MNIST pixel path). */
function cvt8to32(x: usize, out: usize, n: i32, toFloat: bool): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(x + <usize>i);
    const lo = i16x8.extend_low_i8x16_u(v), hi = i16x8.extend_high_i8x16_u(v);
    let a = i32x4.extend_low_i16x8_u(lo), b = i32x4.extend_high_i16x8_u(lo);
    let c = i32x4.extend_low_i16x8_u(hi), d = i32x4.extend_high_i16x8_u(hi);
    if (toFloat) {
      a = f32x4.convert_i32x4_s(a); b = f32x4.convert_i32x4_s(b);
      c = f32x4.convert_i32x4_s(c); d = f32x4.convert_i32x4_s(d);
    }
    const o = out + (<usize>i << 2);
    v128.store(o, a); v128.store(o, b, 16); v128.store(o, c, 32); v128.store(o, d, 48);
  }
  for (; i < n; i++) {
    const v = <i32>load<u8>(x + <usize>i);
    if (toFloat) store<f32>(out + (<usize>i << 2), <f32>v);
    else store<i32>(out + (<usize>i << 2), v);
  }
}

/** u8 -> bool: x != 0. */
function u8ToBool(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const v = v128.load(x + <usize>i);
    v128.store(out + <usize>i, v128.and(i8x16.ne(v, i8x16.splat(0)), i8x16.splat(1)));
  }
  for (; i < n; i++) store<u8>(out + <usize>i, load<u8>(x + <usize>i) != 0 ? 1 : 0);
}

@inline function elemBytes(dt: i32): i32 { return dt == DT_F32 || dt == DT_I32 ? 4 : 1; }

/** Contiguous conversion of n elements between dtype codes (DT_*). Out must not alias x unless src == dst. */
export function cast(x: usize, src: i32, out: usize, dst: i32, n: i32): void {
  if (src == dst || (src == DT_BOOL && dst == DT_U8)) { // bool bytes are already 0/1
    if (out != x) memory.copy(out, x, <usize>n * <usize>elemBytes(src));
    return;
  }
  if (src == DT_F32) {
    if (dst == DT_I32) cvt32to32<F32ToI32>(x, out, n);
    else if (dst == DT_U8) cvt32to8<F32ToU8>(x, out, n, false);
    else if (dst == DT_BOOL) cvt32to8<F32ToBool>(x, out, n, true);
    else unreachable();
  } else if (src == DT_I32) {
    if (dst == DT_F32) cvt32to32<I32ToF32>(x, out, n);
    else if (dst == DT_U8) cvt32to8<I32ToU8>(x, out, n, false);
    else if (dst == DT_BOOL) cvt32to8<I32ToBool>(x, out, n, true);
    else unreachable();
  } else if (src == DT_U8 || src == DT_BOOL) {
    if (dst == DT_F32) cvt8to32(x, out, n, true);
    else if (dst == DT_I32) cvt8to32(x, out, n, false);
    else if (dst == DT_BOOL) u8ToBool(x, out, n);
    else unreachable();
  } else {
    unreachable(); // unknown dtype code
  }
}
