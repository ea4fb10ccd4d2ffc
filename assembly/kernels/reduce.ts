// Reductions over the middle axis of a contiguous [outer, red, inner] array.
//
//   inner == 1: each output reduces one contiguous run of `red` elements,
//               pairwise (numpy style) over SIMD blocks with 8 accumulators.
//   inner > 1:  columns: for 16 (then 4, then 1) adjacent columns, walk the
//               red rows with vertical SIMD accumulators (e.g. the bias
//               gradient: sum over the batch), blocked in 3 levels so a float
//               sum of many rows adds numbers of similar magnitude.
//
// An op class gives the identity (id), the combine (v) and a final step (fin),
// all on 4 lanes, so one code path serves every float op; MEAN is SUM and a
// division pass, int32 has its own shorter loops (runReduceI).
import { R_SUM, R_MEAN, R_MAX, R_MIN, R_PROD, A_ARGMAX, A_ARGMIN } from '../opcodes';

@final class SumF {
  @inline id(): v128 { return f32x4.splat(0); }
  @inline v(a: v128, b: v128): v128 { return f32x4.add(a, b); }
  @inline fin(a: v128, red: i32): v128 { return a; }
}
// f32x4.max/min propagate NaN like numpy's max/min
@final class MaxF {
  @inline id(): v128 { return f32x4.splat(-Infinity); }
  @inline v(a: v128, b: v128): v128 { return f32x4.max(a, b); }
  @inline fin(a: v128, red: i32): v128 { return a; }
}
@final class MinF {
  @inline id(): v128 { return f32x4.splat(Infinity); }
  @inline v(a: v128, b: v128): v128 { return f32x4.min(a, b); }
  @inline fin(a: v128, red: i32): v128 { return a; }
}
@final class ProdF {
  @inline id(): v128 { return f32x4.splat(1); }
  @inline v(a: v128, b: v128): v128 { return f32x4.mul(a, b); }
  @inline fin(a: v128, red: i32): v128 { return a; }
}
// int32: wrapping sum and product
@final class SumI {
  @inline id(): v128 { return i32x4.splat(0); }
  @inline v(a: v128, b: v128): v128 { return i32x4.add(a, b); }
  @inline fin(a: v128, red: i32): v128 { return a; }
}
@final class MaxI {
  @inline id(): v128 { return i32x4.splat(i32.MIN_VALUE); }
  @inline v(a: v128, b: v128): v128 { return i32x4.max_s(a, b); }
  @inline fin(a: v128, red: i32): v128 { return a; }
}
@final class MinI {
  @inline id(): v128 { return i32x4.splat(i32.MAX_VALUE); }
  @inline v(a: v128, b: v128): v128 { return i32x4.min_s(a, b); }
  @inline fin(a: v128, red: i32): v128 { return a; }
}
@final class ProdI {
  @inline id(): v128 { return i32x4.splat(1); }
  @inline v(a: v128, b: v128): v128 { return i32x4.mul(a, b); }
  @inline fin(a: v128, red: i32): v128 { return a; }
}

/** Combines the 4 lanes of v; the result is in every lane. */
@inline function horizontal<O>(v: v128): v128 {
  const op = changetype<O>(0);
  v = op.v(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return op.v(v, i32x4.shuffle(v, v, 1, 0, 3, 2));
}

// ---- inner == 1: contiguous runs ---------------------------------------------------

const BLOCK = 256; // elements reduced linearly (8 per accumulator lane) before pairing

/** Reduces n contiguous elements at p to 4 partial lanes: pairwise over blocks. */
function reduceRun<O>(p: usize, n: i32): v128 {
  const op = changetype<O>(0);
  if (n > BLOCK) {
    const half = (n >> 1) & ~31; // keep the left half a multiple of 8 vectors
    return op.v(reduceRun<O>(p, half), reduceRun<O>(p + (<usize>half << 2), n - half));
  }
  let a0 = op.id(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    const q = p + (<usize>i << 2);
    a0 = op.v(a0, v128.load(q));
    a1 = op.v(a1, v128.load(q, 16));
    a2 = op.v(a2, v128.load(q, 32));
    a3 = op.v(a3, v128.load(q, 48));
    a4 = op.v(a4, v128.load(q, 64));
    a5 = op.v(a5, v128.load(q, 80));
    a6 = op.v(a6, v128.load(q, 96));
    a7 = op.v(a7, v128.load(q, 112));
  }
  for (; i + 4 <= n; i += 4) a0 = op.v(a0, v128.load(p + (<usize>i << 2)));
  for (; i < n; i++) a1 = op.v(a1, v128.load32_lane(p + (<usize>i << 2), op.id(), 0)); // other lanes: identity
  return op.v(op.v(op.v(a0, a1), op.v(a2, a3)), op.v(op.v(a4, a5), op.v(a6, a7)));
}

/**
 * The largest of n contiguous floats at p (NaN if one is NaN), for other
 * kernels (softmax's row maximum). A class of statics, as in simd_math.ts,
 * so that it never becomes a wasm export.
 */
@final export class Runs {
  @inline static max(p: usize, n: i32): f32 {
    return f32x4.extract_lane(horizontal<MaxF>(reduceRun<MaxF>(p, n)), 0);
  }
}

// ---- inner > 1: columns -----------------------------------------------------------

const LEVEL = 64; // rows per block at each of the 3 accumulation levels

/** 16 adjacent columns starting at p (row pitch `pitch` bytes), red rows; writes 16 results. */
function reduceCols16<O>(p: usize, pitch: usize, red: i32, out: usize): void {
  const op = changetype<O>(0);
  let s0 = op.id(), s1 = s0, s2 = s0, s3 = s0;
  let r = 0;
  while (r < red) {
    let m0 = op.id(), m1 = m0, m2 = m0, m3 = m0;
    const groupEnd = min(r + LEVEL * LEVEL, red);
    while (r < groupEnd) {
      let a0 = op.id(), a1 = a0, a2 = a0, a3 = a0;
      const blockEnd = min(r + LEVEL, groupEnd);
      for (; r < blockEnd; r++) {
        const q = p + <usize>r * pitch;
        a0 = op.v(a0, v128.load(q));
        a1 = op.v(a1, v128.load(q, 16));
        a2 = op.v(a2, v128.load(q, 32));
        a3 = op.v(a3, v128.load(q, 48));
      }
      m0 = op.v(m0, a0); m1 = op.v(m1, a1); m2 = op.v(m2, a2); m3 = op.v(m3, a3);
    }
    s0 = op.v(s0, m0); s1 = op.v(s1, m1); s2 = op.v(s2, m2); s3 = op.v(s3, m3);
  }
  v128.store(out, op.fin(s0, red));
  v128.store(out, op.fin(s1, red), 16);
  v128.store(out, op.fin(s2, red), 32);
  v128.store(out, op.fin(s3, red), 48);
}

/** `width` (4 or 1) adjacent columns: same blocking with one vector; width 1 uses lane 0 only. */
function reduceCols4<O>(p: usize, pitch: usize, red: i32, out: usize, width: i32): void {
  const op = changetype<O>(0);
  let s = op.id();
  let r = 0;
  while (r < red) {
    let m = op.id();
    const groupEnd = min(r + LEVEL * LEVEL, red);
    while (r < groupEnd) {
      let a = op.id();
      const blockEnd = min(r + LEVEL, groupEnd);
      if (width == 4) {
        for (; r < blockEnd; r++) a = op.v(a, v128.load(p + <usize>r * pitch));
      } else {
        for (; r < blockEnd; r++) a = op.v(a, v128.load32_lane(p + <usize>r * pitch, op.id(), 0));
      }
      m = op.v(m, a);
    }
    s = op.v(s, m);
  }
  if (width == 4) v128.store(out, op.fin(s, red));
  else v128.store32_lane(out, op.fin(s, red), 0);
}

function runReduce<O>(x: usize, out: usize, outer: i32, red: i32, inner: i32): void {
  const op = changetype<O>(0);
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const v = horizontal<O>(reduceRun<O>(x + ((<usize>o * <usize>red) << 2), red));
      v128.store32_lane(out + (<usize>o << 2), op.fin(v, red), 0);
    }
    return;
  }
  const pitch = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const src = x + <usize>o * <usize>red * pitch;
    const dst = out + <usize>o * pitch;
    let c = 0;
    for (; c + 16 <= inner; c += 16) reduceCols16<O>(src + (<usize>c << 2), pitch, red, dst + (<usize>c << 2));
    for (; c + 4 <= inner; c += 4) reduceCols4<O>(src + (<usize>c << 2), pitch, red, dst + (<usize>c << 2), 4);
    for (; c < inner; c++) reduceCols4<O>(src + (<usize>c << 2), pitch, red, dst + (<usize>c << 2), 1);
  }
}

/**
 * x contiguous viewed as [outer, red, inner]; out contiguous [outer, inner].
 * red == 0 gives SUM 0, MEAN NaN, PROD 1, MAX -Inf, MIN +Inf.
 */
export function reduce_f32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {
  switch (op) {
    case R_SUM: runReduce<SumF>(x, out, outer, red, inner); break;
    case R_MEAN: {
      // SUM, then each sum / red (f32 division; red == 0 gives NaN): one copy of the loops less
      runReduce<SumF>(x, out, outer, red, inner);
      const n = outer * inner;
      const d = f32x4.splat(<f32>red);
      for (let i = 0; i < n; i++) {
        const p = out + (<usize>i << 2);
        v128.store32_lane(p, f32x4.div(v128.load32_zero(p), d), 0);
      }
      break;
    }
    case R_MAX: runReduce<MaxF>(x, out, outer, red, inner); break;
    case R_MIN: runReduce<MinF>(x, out, outer, red, inner); break;
    case R_PROD: runReduce<ProdF>(x, out, outer, red, inner); break;
    default: unreachable(); // unknown op code: the caller's bug, trap loudly
  }
}

/**
 * int32 reductions are exact in any order (wrapping SUM and PROD, MAX, MIN), so
 * they skip the blocked float paths: shorter loops, less code.
 */
function runReduceI<O>(x: usize, out: usize, outer: i32, red: i32, inner: i32): void {
  const op = changetype<O>(0);
  const pitch = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const src = x + <usize>o * <usize>red * pitch;
    const dst = out + <usize>o * pitch;
    if (inner == 1) {
      let a = op.id(), a1 = a, a2 = a, a3 = a;
      let i = 0;
      for (; i + 16 <= red; i += 16) {
        const q = src + (<usize>i << 2);
        a = op.v(a, v128.load(q));
        a1 = op.v(a1, v128.load(q, 16));
        a2 = op.v(a2, v128.load(q, 32));
        a3 = op.v(a3, v128.load(q, 48));
      }
      for (; i + 4 <= red; i += 4) a = op.v(a, v128.load(src + (<usize>i << 2)));
      a = horizontal<O>(op.v(op.v(a, a1), op.v(a2, a3)));
      for (; i < red; i++) a = op.v(a, v128.load32_lane(src + (<usize>i << 2), op.id(), 0));
      v128.store32_lane(dst, a, 0);
      continue;
    }
    let c = 0;
    for (; c + 4 <= inner; c += 4) {
      const p = src + (<usize>c << 2);
      let a = op.id();
      for (let r = 0; r < red; r++) a = op.v(a, v128.load(p + <usize>r * pitch));
      v128.store(dst + (<usize>c << 2), a);
    }
    for (; c < inner; c++) {
      const p = src + (<usize>c << 2);
      let a = op.id();
      for (let r = 0; r < red; r++) a = op.v(a, v128.load32_lane(p + <usize>r * pitch, op.id(), 0));
      v128.store32_lane(dst + (<usize>c << 2), a, 0);
    }
  }
}

/** int32: SUM and PROD wrap; red == 0 gives 0, 1, INT_MIN (MAX), INT_MAX (MIN). */
export function reduce_i32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {
  switch (op) {
    case R_SUM: runReduceI<SumI>(x, out, outer, red, inner); break;
    case R_MAX: runReduceI<MaxI>(x, out, outer, red, inner); break;
    case R_MIN: runReduceI<MinI>(x, out, outer, red, inner); break;
    case R_PROD: runReduceI<ProdI>(x, out, outer, red, inner); break;
    default: unreachable();
  }
}

// ---- argmax / argmin ----------------------------------------------------------------

/** x better than best? NaN beats any number (numpy: the first NaN is the extreme). */
@inline function better<T>(x: T, best: T, isMax: bool): bool {
  if (isFloat<T>()) {
    if (x != x) return best == best;
  }
  return isMax ? x > best : x < best;
}

/** Lane version of better() for 4 adjacent columns. */
@inline function betterLanes<T>(x: v128, best: v128, isMax: bool): v128 {
  if (isFloat<T>()) {
    const m = isMax ? f32x4.gt(x, best) : f32x4.lt(x, best);
    return v128.or(m, v128.and(f32x4.ne(x, x), f32x4.eq(best, best)));
  }
  return isMax ? i32x4.gt_s(x, best) : i32x4.lt_s(x, best);
}

function runArg<T>(isMax: bool, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {
  const pitch = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const src = x + <usize>o * <usize>red * pitch;
    const dst = out + <usize>o * pitch;
    if (red == 0) { // numpy raises; we give index 0
      memory.fill(dst, 0, pitch);
      continue;
    }
    let c = 0;
    if (inner >= 4) {
      for (; c + 4 <= inner; c += 4) {
        const p = src + (<usize>c << 2);
        let best = v128.load(p);
        let idx = i32x4.splat(0);
        for (let r = 1; r < red; r++) {
          const v = v128.load(p + <usize>r * pitch);
          const m = betterLanes<T>(v, best, isMax);
          best = v128.bitselect(v, best, m);
          idx = v128.bitselect(i32x4.splat(r), idx, m);
        }
        v128.store(dst + (<usize>c << 2), idx);
      }
    }
    for (; c < inner; c++) {
      const p = src + (<usize>c << 2);
      let best = load<T>(p);
      let bi = 0;
      for (let r = 1; r < red; r++) {
        const v = load<T>(p + <usize>r * pitch);
        if (better<T>(v, best, isMax)) { best = v; bi = r; }
      }
      store<i32>(dst + (<usize>c << 2), bi);
    }
  }
}

/** Index (int32, 0..red-1) of the first max/min along the middle axis; NaN counts as the extreme. */
export function argreduce_f32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {
  if (op == A_ARGMAX) runArg<f32>(true, x, out, outer, red, inner);
  else if (op == A_ARGMIN) runArg<f32>(false, x, out, outer, red, inner);
  else unreachable();
}

export function argreduce_i32(op: i32, x: usize, out: usize, outer: i32, red: i32, inner: i32): void {
  if (op == A_ARGMAX) runArg<i32>(true, x, out, outer, red, inner);
  else if (op == A_ARGMIN) runArg<i32>(false, x, out, outer, red, inner);
  else unreachable();
}
