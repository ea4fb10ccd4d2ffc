// Elementwise binary ops and comparisons with numpy broadcasting over strided
// views (broadcast dims have stride 0), contiguous output.
//
// Same scheme as unary.ts: an op is a @final class with an inlined 4-lane
// method v(a, b) (or a scalar s(a, b) where there is no SIMD form); a store
// policy class (float/int results vs bool bytes) says how 4 results are
// written; a row policy (Fast, Plain, Scalar: see "row loops") says
// which loops the op gets. Fast picks a SIMD path from the inner strides
// (1,1) (1,0) (0,1) or gathers 4 lanes for anything else.
import {
  B_ADD, B_SUB, B_MUL, B_DIV, B_MAX, B_MIN, B_POW, B_SQDIFF, B_MOD, B_FLOORDIV,
  C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE,
} from '../opcodes';
import { dim, strideOf, rowCount, rowOffset, runLength, runStep } from './strided';

// ---- float32 ops --------------------------------------------------------------

@final class Add { @inline v(a: v128, b: v128): v128 { return f32x4.add(a, b); } }
@final class Sub { @inline v(a: v128, b: v128): v128 { return f32x4.sub(a, b); } }
@final class Mul { @inline v(a: v128, b: v128): v128 { return f32x4.mul(a, b); } }
@final class Div { @inline v(a: v128, b: v128): v128 { return f32x4.div(a, b); } }
// f32x4.max/min propagate NaN, like numpy maximum/minimum and TF.js
@final class Max { @inline v(a: v128, b: v128): v128 { return f32x4.max(a, b); } }
@final class Min { @inline v(a: v128, b: v128): v128 { return f32x4.min(a, b); } }
@final class SqDiff { @inline v(a: v128, b: v128): v128 { const d = f32x4.sub(a, b); return f32x4.mul(d, d); } }
// floor(a / b), as TF.js floorDiv
@final class FloorDiv { @inline v(a: v128, b: v128): v128 { return f32x4.floor(f32x4.div(a, b)); } }
// C pow in float64 (musl): pow(x, 0) = 1 for any x, negative base with an
// integer exponent is finite and signed, non-integer exponent gives NaN.
@final class Pow {
  @inline s(a: f32, b: f32): f32 { return <f32>Math.pow(<f64>a, <f64>b); }
}
// floor modulo: the result has the sign of the divisor (numpy mod, TF floorMod)
@final class Mod {
  @inline s(a: f32, b: f32): f32 {
    let r = a % b; // fmod: sign of a
    if (r != 0) {
      if ((r < 0) != (b < 0)) r += b;
    } else {
      r = copysign<f32>(0, b);
    }
    return r;
  }
}

// ---- int32 ops (wrapping arithmetic, like numpy int32) ---------------------------

@final class AddI { @inline v(a: v128, b: v128): v128 { return i32x4.add(a, b); } }
@final class SubI { @inline v(a: v128, b: v128): v128 { return i32x4.sub(a, b); } }
@final class MulI { @inline v(a: v128, b: v128): v128 { return i32x4.mul(a, b); } }
@final class MaxI { @inline v(a: v128, b: v128): v128 { return i32x4.max_s(a, b); } }
@final class MinI { @inline v(a: v128, b: v128): v128 { return i32x4.min_s(a, b); } }
@final class SqDiffI { @inline v(a: v128, b: v128): v128 { const d = i32x4.sub(a, b); return i32x4.mul(d, d); } }
// Integer division has no SIMD form. b == 0 gives 0 (numpy warns and gives 0;
// TF.js gives 0 too after its float result is stored in an Int32Array).
@final class FloorDivI {
  @inline s(a: i32, b: i32): i32 {
    if (b == 0) return 0;
    if (b == -1) return -a; // wraps for INT_MIN instead of trapping
    const q = a / b;
    return (q * b != a && (a ^ b) < 0) ? q - 1 : q;
  }
}
@final class ModI {
  @inline s(a: i32, b: i32): i32 {
    if (b == 0) return 0;
    const r = a % b; // i32.rem_s: INT_MIN % -1 = 0, no trap
    return (r != 0 && (r ^ b) < 0) ? r + b : r;
  }
}
// integer power by squaring, wrapping; negative exponents give trunc(1 / a^-b)
@final class PowI {
  @inline s(a: i32, b: i32): i32 {
    if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
    let r = 1;
    while (b) {
      if (b & 1) r *= a;
      a *= a;
      b >>>= 1;
    }
    return r;
  }
}

// ---- comparisons: lane masks (-1 / 0); NaN compares false except NE ----------------

@final class Eq { @inline v(a: v128, b: v128): v128 { return f32x4.eq(a, b); } }
@final class Ne { @inline v(a: v128, b: v128): v128 { return f32x4.ne(a, b); } }
@final class Lt { @inline v(a: v128, b: v128): v128 { return f32x4.lt(a, b); } }
@final class Le { @inline v(a: v128, b: v128): v128 { return f32x4.le(a, b); } }
@final class Gt { @inline v(a: v128, b: v128): v128 { return f32x4.gt(a, b); } }
@final class Ge { @inline v(a: v128, b: v128): v128 { return f32x4.ge(a, b); } }
@final class EqI { @inline v(a: v128, b: v128): v128 { return i32x4.eq(a, b); } }
@final class NeI { @inline v(a: v128, b: v128): v128 { return i32x4.ne(a, b); } }
@final class LtI { @inline v(a: v128, b: v128): v128 { return i32x4.lt_s(a, b); } }
@final class LeI { @inline v(a: v128, b: v128): v128 { return i32x4.le_s(a, b); } }
@final class GtI { @inline v(a: v128, b: v128): v128 { return i32x4.gt_s(a, b); } }
@final class GeI { @inline v(a: v128, b: v128): v128 { return i32x4.ge_s(a, b); } }

// ---- store policies ------------------------------------------------------------

/** 32-bit results: 4 lanes to out[i..i+4). */
@final class Store32 {
  @inline bytes(): i32 { return 4; }
  @inline st4(out: usize, i: i32, v: v128): void { v128.store(out + (<usize>i << 2), v); }
  /** The first k (1..3) lanes to out[i..i+k). */
  @inline stPart(out: usize, i: i32, v: v128, k: i32): void {
    const p = out + (<usize>i << 2);
    v128.store32_lane(p, v, 0);
    if (k > 1) v128.store32_lane(p, v, 1, 4);
    if (k > 2) v128.store32_lane(p, v, 2, 8);
  }
}

/** Bool results: lane masks narrowed to bytes 0/1 at out[i..i+4). */
@final class StoreBool {
  @inline bytes(): i32 { return 1; }
  @inline st4(out: usize, i: i32, v: v128): void {
    v128.store32_lane(out + <usize>i, StoreBool.bytes4(v), 0);
  }
  @inline stPart(out: usize, i: i32, v: v128, k: i32): void {
    const b = StoreBool.bytes4(v), p = out + <usize>i;
    v128.store8_lane(p, b, 0);
    if (k > 1) v128.store8_lane(p, b, 1, 1);
    if (k > 2) v128.store8_lane(p, b, 2, 2);
  }
  /** The 4 masks as bytes 0/1 in lanes 0..3. */
  @inline static bytes4(v: v128): v128 {
    const w = i16x8.narrow_i32x4_s(v, v);
    return v128.and(i8x16.narrow_i16x8_s(w, w), i8x16.splat(1));
  }
}

// ---- row loops -------------------------------------------------------------------
//
// Code size is what the tiers are about: every op instantiates its row loop,
// and each copy of op.v in it is inlined code. Float ops on the training
// paths get unrolled SIMD loops (fastRow); comparisons, int32 ops and
// floorDiv the same strides without unrolling (plainRow); ops with no SIMD
// form a scalar loop (scalarRow, one copy of op.s). Anything else (general
// strides, both operands broadcast, every tail) goes through one gather loop
// (gatherRow, one copy of op.v). Every path computes each element the same
// way (op.v is lanewise), so the tier changes speed only, never a value.

/**
 * Elements i.. of a row of n: any strides (0, 1 or more), 4 lanes gathered per
 * step; the last step loads and stores only the lanes left, so the tail runs
 * through the same single op.v.
 */
@inline function gatherRow<O, S>(a: usize, sa: i32, b: usize, sb: i32, out: usize, i: i32, n: i32): void {
  const op = changetype<O>(0);
  const st = changetype<S>(0);
  const stepA = <usize>sa << 2, stepB = <usize>sb << 2;
  for (; i < n; i += 4) {
    const left = n - i;
    const pa = a + <usize>i * stepA, pb = b + <usize>i * stepB;
    let va = v128.load32_zero(pa), vb = v128.load32_zero(pb);
    if (left > 1) {
      va = v128.load32_lane(pa + stepA, va, 1);
      vb = v128.load32_lane(pb + stepB, vb, 1);
    }
    if (left > 2) {
      va = v128.load32_lane(pa + 2 * stepA, va, 2);
      vb = v128.load32_lane(pb + 2 * stepB, vb, 2);
    }
    if (left > 3) {
      va = v128.load32_lane(pa + 3 * stepA, va, 3);
      vb = v128.load32_lane(pb + 3 * stepB, vb, 3);
    }
    const v = op.v(va, vb);
    if (left > 3) st.st4(out, i, v);
    else st.stPart(out, i, v, left);
  }
}

/** One row of n results: a[i * sa] op b[i * sb] (strides in elements); the hot ops. */
@inline function fastRow<O, S>(a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  const op = changetype<O>(0);
  const st = changetype<S>(0);
  let i = 0;
  if (sa == 1 && sb == 1) {
    // both contiguous: the hot path, 4 vectors per iteration
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      const a0 = v128.load(a + o), a1 = v128.load(a + o, 16), a2 = v128.load(a + o, 32), a3 = v128.load(a + o, 48);
      const b0 = v128.load(b + o), b1 = v128.load(b + o, 16), b2 = v128.load(b + o, 32), b3 = v128.load(b + o, 48);
      st.st4(out, i, op.v(a0, b0));
      st.st4(out, i + 4, op.v(a1, b1));
      st.st4(out, i + 8, op.v(a2, b2));
      st.st4(out, i + 12, op.v(a3, b3));
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      st.st4(out, i, op.v(v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1 && sb == 0) {
    // b broadcast along the row (e.g. x + bias column, x * scalar)
    const vb = v128.load32_splat(b);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      st.st4(out, i, op.v(v128.load(a + o), vb));
      st.st4(out, i + 4, op.v(v128.load(a + o, 16), vb));
    }
    for (; i + 4 <= n; i += 4) st.st4(out, i, op.v(v128.load(a + (<usize>i << 2)), vb));
  } else if (sa == 0 && sb == 1) {
    const va = v128.load32_splat(a);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      st.st4(out, i, op.v(va, v128.load(b + o)));
      st.st4(out, i + 4, op.v(va, v128.load(b + o, 16)));
    }
    for (; i + 4 <= n; i += 4) st.st4(out, i, op.v(va, v128.load(b + (<usize>i << 2))));
  }
  // general strides, both broadcast, and every tail
  gatherRow<O, S>(a, sa, b, sb, out, i, n);
}

/** A rarer op: fastRow's three SIMD paths without the unrolling, then the gather loop. */
@inline function plainRow<O, S>(a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  const op = changetype<O>(0);
  const st = changetype<S>(0);
  let i = 0;
  if (sa == 1 && sb == 1) {
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      st.st4(out, i, op.v(v128.load(a + o), v128.load(b + o)));
    }
  } else if (sa == 1 && sb == 0) {
    const vb = v128.load32_splat(b);
    for (; i + 4 <= n; i += 4) st.st4(out, i, op.v(v128.load(a + (<usize>i << 2)), vb));
  } else if (sa == 0 && sb == 1) {
    const va = v128.load32_splat(a);
    for (; i + 4 <= n; i += 4) st.st4(out, i, op.v(va, v128.load(b + (<usize>i << 2))));
  }
  gatherRow<O, S>(a, sa, b, sb, out, i, n);
}

/** Ops with no SIMD form: op.s on one element at a time (T: f32 or i32). */
@inline function scalarRow<O, T>(a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void {
  const op = changetype<O>(0);
  const stepA = <usize>sa << 2, stepB = <usize>sb << 2;
  for (let i = 0; i < n; i++) {
    store<T>(out + (<usize>i << 2), op.s(load<T>(a + <usize>i * stepA), load<T>(b + <usize>i * stepB)));
  }
}

// Row policies: which row loop an op gets, and the output element size.
@final class Fast<O, S> {
  @inline bytes(): i32 { return changetype<S>(0).bytes(); }
  @inline row(a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void { fastRow<O, S>(a, sa, b, sb, out, n); }
}
@final class Plain<O, S> {
  @inline bytes(): i32 { return changetype<S>(0).bytes(); }
  @inline row(a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void { plainRow<O, S>(a, sa, b, sb, out, n); }
}
@final class Scalar<O, T> {
  @inline bytes(): i32 { return 4; }
  @inline row(a: usize, sa: i32, b: usize, sb: i32, out: usize, n: i32): void { scalarRow<O, T>(a, sa, b, sb, out, n); }
}

/** Walks the broadcast iteration space row by row (see strided.ts); R: a row policy. */
function runBinary<R>(a: usize, b: usize, out: usize, rank: i32, meta: usize): void {
  const rp = changetype<R>(0);
  const n = dim(meta, rank - 1);
  const sa = strideOf(meta, rank, 0, rank - 1), sb = strideOf(meta, rank, 1, rank - 1);
  const rows = rowCount(rank, meta);
  const len = runLength(rank, meta);
  const stepA = runStep(rank, meta, 0), stepB = runStep(rank, meta, 1);
  const rowBytes = <usize>n * <usize>rp.bytes();
  let offA = 0, offB = 0, j = 0;
  for (let r = 0; r < rows; r++) {
    rp.row(a + (<usize>offA << 2), sa, b + (<usize>offB << 2), sb, out + <usize>r * rowBytes, n);
    if (++j < len) {
      offA += stepA;
      offB += stepB;
    } else {
      j = 0;
      offA = rowOffset(r + 1, rank, meta, 0);
      offB = rowOffset(r + 1, rank, meta, 1);
    }
  }
}

/** out[i] = op(a[sa i], b[sb i]); meta = [shape(rank), aStrides(rank), bStrides(rank)]; out contiguous f32. */
export function binary_f32(op: i32, a: usize, b: usize, out: usize, rank: i32, meta: usize): void {
  switch (op) {
    case B_ADD: runBinary<Fast<Add, Store32>>(a, b, out, rank, meta); break;
    case B_SUB: runBinary<Fast<Sub, Store32>>(a, b, out, rank, meta); break;
    case B_MUL: runBinary<Fast<Mul, Store32>>(a, b, out, rank, meta); break;
    case B_DIV: runBinary<Fast<Div, Store32>>(a, b, out, rank, meta); break;
    case B_MAX: runBinary<Fast<Max, Store32>>(a, b, out, rank, meta); break;
    case B_MIN: runBinary<Fast<Min, Store32>>(a, b, out, rank, meta); break;
    case B_POW: runBinary<Scalar<Pow, f32>>(a, b, out, rank, meta); break;
    case B_SQDIFF: runBinary<Fast<SqDiff, Store32>>(a, b, out, rank, meta); break;
    case B_MOD: runBinary<Scalar<Mod, f32>>(a, b, out, rank, meta); break;
    case B_FLOORDIV: runBinary<Plain<FloorDiv, Store32>>(a, b, out, rank, meta); break;
    default: unreachable(); // unknown op code: the caller's bug, trap loudly
  }
}

/**
 * int32 version. Wrapping ADD/SUB/MUL/SQDIFF/POW; MOD and FLOORDIV floor
 * (sign of the divisor) and give 0 for a zero divisor; DIV is FLOORDIV (TF.js
 * divides int32 tensors with floorDiv).
 */
export function binary_i32(op: i32, a: usize, b: usize, out: usize, rank: i32, meta: usize): void {
  switch (op) {
    case B_ADD: runBinary<Plain<AddI, Store32>>(a, b, out, rank, meta); break;
    case B_SUB: runBinary<Plain<SubI, Store32>>(a, b, out, rank, meta); break;
    case B_MUL: runBinary<Plain<MulI, Store32>>(a, b, out, rank, meta); break;
    case B_MAX: runBinary<Plain<MaxI, Store32>>(a, b, out, rank, meta); break;
    case B_MIN: runBinary<Plain<MinI, Store32>>(a, b, out, rank, meta); break;
    case B_SQDIFF: runBinary<Plain<SqDiffI, Store32>>(a, b, out, rank, meta); break;
    case B_MOD: runBinary<Scalar<ModI, i32>>(a, b, out, rank, meta); break;
    case B_DIV:
    case B_FLOORDIV: runBinary<Scalar<FloorDivI, i32>>(a, b, out, rank, meta); break;
    case B_POW: runBinary<Scalar<PowI, i32>>(a, b, out, rank, meta); break;
    default: unreachable();
  }
}

/** Comparisons; out is bool (u8 0/1). NaN compares false except NE. */
export function compare_f32(op: i32, a: usize, b: usize, out: usize, rank: i32, meta: usize): void {
  switch (op) {
    case C_EQ: runBinary<Plain<Eq, StoreBool>>(a, b, out, rank, meta); break;
    case C_NE: runBinary<Plain<Ne, StoreBool>>(a, b, out, rank, meta); break;
    case C_LT: runBinary<Plain<Lt, StoreBool>>(a, b, out, rank, meta); break;
    case C_LE: runBinary<Plain<Le, StoreBool>>(a, b, out, rank, meta); break;
    case C_GT: runBinary<Plain<Gt, StoreBool>>(a, b, out, rank, meta); break;
    case C_GE: runBinary<Plain<Ge, StoreBool>>(a, b, out, rank, meta); break;
    default: unreachable();
  }
}

export function compare_i32(op: i32, a: usize, b: usize, out: usize, rank: i32, meta: usize): void {
  switch (op) {
    case C_EQ: runBinary<Plain<EqI, StoreBool>>(a, b, out, rank, meta); break;
    case C_NE: runBinary<Plain<NeI, StoreBool>>(a, b, out, rank, meta); break;
    case C_LT: runBinary<Plain<LtI, StoreBool>>(a, b, out, rank, meta); break;
    case C_LE: runBinary<Plain<LeI, StoreBool>>(a, b, out, rank, meta); break;
    case C_GT: runBinary<Plain<GtI, StoreBool>>(a, b, out, rank, meta); break;
    case C_GE: runBinary<Plain<GeI, StoreBool>>(a, b, out, rank, meta); break;
    default: unreachable();
  }
}
