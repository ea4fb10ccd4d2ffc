// Softmax / logSoftmax along the middle axis of a contiguous [outer, n, inner].
// Stable: e^(x - max). Three passes per slice: max, exp + sum, normalise.
//   inner == 1: rows, SIMD along the row with horizontal max/sum.
//   inner > 1:  columns, SIMD across 4 adjacent columns (each lane its own
//               softmax), stepping down the n rows; leftover columns run the
//               same code on splatted lanes.
import { F32x4 } from './simd_math';
import { Runs } from './reduce';

// ---- rows (inner == 1) ----------------------------------------------------------

@inline function hsum(v: v128): f32 {
  v = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(f32x4.add(v, i32x4.shuffle(v, v, 1, 0, 3, 2)), 0);
}

function softmaxRow(x: usize, out: usize, n: i32, log: bool): void {
  // pass 1: max (NaN if the row holds one, so a NaN row comes out NaN)
  const m = f32x4.splat(Runs.max(x, n));
  // pass 2: e = e^(x - max); softmax keeps e in out for pass 3. Two
  // independent exps per step (x - max <= 0, so the cheaper expNonPositive),
  // each with its own running sum.
  let s0 = f32x4.splat(0), s1 = s0;
  let tail: f32 = 0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2;
    const e0 = F32x4.expNonPositive(f32x4.sub(v128.load(x + o), m));
    const e1 = F32x4.expNonPositive(f32x4.sub(v128.load(x + o, 16), m));
    s0 = f32x4.add(s0, e0);
    s1 = f32x4.add(s1, e1);
    if (!log) { v128.store(out + o, e0); v128.store(out + o, e1, 16); }
  }
  s0 = f32x4.add(s0, s1);
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const e0 = F32x4.expNonPositive(f32x4.sub(v128.load(x + o), m));
    s0 = f32x4.add(s0, e0);
    if (!log) v128.store(out + o, e0);
  }
  for (; i < n; i++) {
    const e = F32x4.expNonPositiveTail(f32x4.sub(v128.load32_splat(x + (<usize>i << 2)), m));
    tail += f32x4.extract_lane(e, 0);
    if (!log) v128.store32_lane(out + (<usize>i << 2), e, 0);
  }
  const sum = hsum(s0) + tail;
  // pass 3
  i = 0;
  if (log) {
    const ls = f32x4.splat(Mathf.log(sum));
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.sub(f32x4.sub(v128.load(x + o), m), ls));
    }
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, (load<f32>(x + o) - f32x4.extract_lane(m, 0)) - f32x4.extract_lane(ls, 0));
    }
  } else {
    // One division, then multiplies: a SIMD divide costs several times a
    // multiply, and x * (1/s) is within an ulp of x / s.
    const inv: f32 = 1 / sum;
    const vinv = f32x4.splat(inv);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.mul(v128.load(out + o), vinv));
    }
    for (; i < n; i++) store<f32>(out + (<usize>i << 2), load<f32>(out + (<usize>i << 2)) * inv);
  }
}

// ---- columns (inner > 1) ----------------------------------------------------------

/** 4 adjacent columns, full vectors. */
@final class Lanes4 {
  @inline ld(p: usize): v128 { return v128.load(p); }
  @inline st(p: usize, v: v128): void { v128.store(p, v); }
}
/** 1 column: the value splatted to all lanes, lane 0 stored. */
@final class Lanes1 {
  @inline ld(p: usize): v128 { return v128.load32_splat(p); }
  @inline st(p: usize, v: v128): void { v128.store32_lane(p, v, 0); }
}

function softmaxCols<L>(x: usize, out: usize, n: i32, pitch: usize, log: bool): void {
  const L = changetype<L>(0);
  let m = f32x4.splat(-Infinity);
  for (let r = 0; r < n; r++) m = f32x4.max(m, L.ld(x + <usize>r * pitch));
  let s = f32x4.splat(0);
  for (let r = 0; r < n; r++) {
    const o = <usize>r * pitch;
    const e = F32x4.expNonPositive(f32x4.sub(L.ld(x + o), m));
    s = f32x4.add(s, e);
    if (!log) L.st(out + o, e);
  }
  if (log) {
    const ls = F32x4.log(s);
    for (let r = 0; r < n; r++) {
      const o = <usize>r * pitch;
      L.st(out + o, f32x4.sub(f32x4.sub(L.ld(x + o), m), ls));
    }
  } else {
    const inv = f32x4.div(f32x4.splat(1), s);
    for (let r = 0; r < n; r++) {
      const o = <usize>r * pitch;
      L.st(out + o, f32x4.mul(L.ld(out + o), inv));
    }
  }
}

/** x, out contiguous [outer, n, inner]; softmax (log=0) or logSoftmax (log=1) along n. out may alias x. */
export function softmax_f32(x: usize, out: usize, outer: i32, n: i32, inner: i32, log: i32): void {
  const slice = <usize>n * <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const xs = x + <usize>o * slice, os = out + <usize>o * slice;
    if (inner == 1) {
      softmaxRow(xs, os, n, log != 0);
      continue;
    }
    const pitch = <usize>inner << 2;
    let c = 0;
    for (; c + 4 <= inner; c += 4) softmaxCols<Lanes4>(xs + (<usize>c << 2), os + (<usize>c << 2), n, pitch, log != 0);
    for (; c < inner; c++) softmaxCols<Lanes1>(xs + (<usize>c << 2), os + (<usize>c << 2), n, pitch, log != 0);
  }
}
