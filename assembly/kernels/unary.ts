// Elementwise unary ops over a strided input, contiguous output.
//
// Each op is a tiny @final class with one inlined method v(x, p, q) acting on
// 4 lanes (p, q: the op's parameters, splatted). The row loops are generic
// over the op class and instantiated once per op by the switch in the export,
// so the switch runs once per call and every loop is straight SIMD code.
// Scalar tails and strided gathers reuse the same 4-lane code, so an element
// gets the same value whatever its position.
import {
  U_NEG, U_ABS, U_EXP, U_LOG, U_SQRT, U_SQUARE, U_RELU, U_SIGMOID, U_TANH, U_RECIPROCAL, U_SIGN,
  U_FLOOR, U_CEIL, U_ROUND, U_RSQRT, U_SIN, U_COS, U_ELU, U_SELU, U_SOFTPLUS, U_GELU, U_LEAKY_RELU,
  U_EXPM1, U_LOG1P, U_CLIP, U_ERF, U_GELU_TANH, U_RELU6,
} from '../opcodes';
import { F32x4 } from './simd_math';
import { dim, strideOf, rowCount, rowOffset, runLength, runStep } from './strided';

// ---- float32 ops ------------------------------------------------------------

@final class Neg { @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.neg(x); } }
@final class Abs { @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.abs(x); } }
@final class Exp { @inline v(x: v128, p: v128, q: v128): v128 { return F32x4.exp(x); } }
@final class Log { @inline v(x: v128, p: v128, q: v128): v128 { return F32x4.log(x); } }
@final class Sqrt { @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.sqrt(x); } }
@final class Square { @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.mul(x, x); } }
// pmax(x, 0) = x < 0 ? 0 : x keeps NaN (numpy), and is one instruction (maxps).
@final class Relu { @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.pmax(x, f32x4.splat(0)); } }
@final class Relu6 {
  @inline v(x: v128, p: v128, q: v128): v128 {
    return f32x4.pmin(f32x4.pmax(x, f32x4.splat(0)), f32x4.splat(6));
  }
}
@final class Sigmoid { @inline v(x: v128, p: v128, q: v128): v128 { return F32x4.sigmoid(x); } }
@final class Tanh { @inline v(x: v128, p: v128, q: v128): v128 { return F32x4.tanh(x); } }
@final class Reciprocal { @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.div(f32x4.splat(1), x); } }
@final class Rsqrt {
  @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.div(f32x4.splat(1), f32x4.sqrt(x)); }
}
// sign: 1, -1, or x itself for ±0 and NaN (numpy: sign(nan) = nan).
@final class Sign {
  @inline v(x: v128, p: v128, q: v128): v128 {
    const r = v128.bitselect(f32x4.splat(-1), x, f32x4.lt(x, f32x4.splat(0)));
    return v128.bitselect(f32x4.splat(1), r, f32x4.gt(x, f32x4.splat(0)));
  }
}
@final class Floor { @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.floor(x); } }
@final class Ceil { @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.ceil(x); } }
@final class Round { @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.nearest(x); } } // half to even
@final class Sin { @inline v(x: v128, p: v128, q: v128): v128 { return lanewise<Sin>(x); } @inline s(x: f32): f32 { return Mathf.sin(x); } }
@final class Cos { @inline v(x: v128, p: v128, q: v128): v128 { return lanewise<Cos>(x); } @inline s(x: f32): f32 { return Mathf.cos(x); } }
// elu: x > 0 ? x : alpha (e^x - 1)
@final class Elu {
  @inline v(x: v128, p: v128, q: v128): v128 {
    return v128.bitselect(x, f32x4.mul(p, F32x4.expm1(x)), f32x4.gt(x, f32x4.splat(0)));
  }
}
// selu with the Keras constants: scale * (x > 0 ? x : alpha (e^x - 1))
@final class Selu {
  @inline v(x: v128, p: v128, q: v128): v128 {
    const scale: f32 = 1.0507009873554805;
    const scaleAlpha: f32 = <f32>(1.0507009873554805 * 1.6732632423543772);
    const neg = f32x4.mul(f32x4.splat(scaleAlpha), F32x4.expm1(x));
    return v128.bitselect(f32x4.mul(f32x4.splat(scale), x), neg, f32x4.gt(x, f32x4.splat(0)));
  }
}
@final class Softplus { @inline v(x: v128, p: v128, q: v128): v128 { return F32x4.softplus(x); } }
@final class Gelu { @inline v(x: v128, p: v128, q: v128): v128 { return F32x4.gelu(x); } }
@final class GeluTanh { @inline v(x: v128, p: v128, q: v128): v128 { return F32x4.geluTanh(x); } }
@final class LeakyRelu {
  @inline v(x: v128, p: v128, q: v128): v128 {
    return v128.bitselect(f32x4.mul(p, x), x, f32x4.lt(x, f32x4.splat(0)));
  }
}
@final class Expm1 { @inline v(x: v128, p: v128, q: v128): v128 { return F32x4.expm1(x); } }
@final class Log1p { @inline v(x: v128, p: v128, q: v128): v128 { return F32x4.log1p(x); } }
// clip to [p, q]; a NaN x stays NaN (pmax/pmin return their first operand then).
@final class Clip { @inline v(x: v128, p: v128, q: v128): v128 { return f32x4.pmin(f32x4.pmax(x, p), q); } }
@final class Erf { @inline v(x: v128, p: v128, q: v128): v128 { return F32x4.erf(x); } }

/** Applies op.s (scalar float32) to each lane: for ops with no SIMD form. */
@inline function lanewise<O>(x: v128): v128 {
  const op = changetype<O>(0);
  let r = f32x4.splat(op.s(f32x4.extract_lane(x, 0)));
  r = f32x4.replace_lane(r, 1, op.s(f32x4.extract_lane(x, 1)));
  r = f32x4.replace_lane(r, 2, op.s(f32x4.extract_lane(x, 2)));
  return f32x4.replace_lane(r, 3, op.s(f32x4.extract_lane(x, 3)));
}

// ---- int32 ops ----------------------------------------------------------------

@final class NegI { @inline v(x: v128, p: v128, q: v128): v128 { return i32x4.neg(x); } }
@final class AbsI { @inline v(x: v128, p: v128, q: v128): v128 { return i32x4.abs(x); } } // abs(INT_MIN) wraps
@final class SquareI { @inline v(x: v128, p: v128, q: v128): v128 { return i32x4.mul(x, x); } } // wraps
@final class ReluI { @inline v(x: v128, p: v128, q: v128): v128 { return i32x4.max_s(x, i32x4.splat(0)); } }
@final class Relu6I {
  @inline v(x: v128, p: v128, q: v128): v128 { return i32x4.min_s(i32x4.max_s(x, i32x4.splat(0)), i32x4.splat(6)); }
}
@final class SignI {
  @inline v(x: v128, p: v128, q: v128): v128 {
    // (x > 0) - (x < 0), with masks being -1 / 0
    return i32x4.sub(i32x4.lt_s(x, i32x4.splat(0)), i32x4.gt_s(x, i32x4.splat(0)));
  }
}
@final class ClipI { @inline v(x: v128, p: v128, q: v128): v128 { return i32x4.min_s(i32x4.max_s(x, p), q); } }

// ---- row loops ------------------------------------------------------------------

/** One row of n elements: input stride sx (elements), output contiguous. */
@inline function unaryRow<O>(x: usize, sx: i32, out: usize, n: i32, p: v128, q: v128): void {
  const op = changetype<O>(0);
  let i = 0;
  if (sx == 1) {
    // contiguous: 2 vectors per iteration
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = v128.load(x + o);
      const b = v128.load(x + o, 16);
      v128.store(out + o, op.v(a, p, q));
      v128.store(out + o, op.v(b, p, q), 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, op.v(v128.load(x + o), p, q));
    }
  } else if (sx == 0) {
    // broadcast row: compute once, splat-store
    const v = op.v(v128.load32_splat(x), p, q);
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
    for (; i < n; i++) v128.store32_lane(out + (<usize>i << 2), v, 0);
    return;
  } else {
    // strided: gather 4 elements into one vector
    const step = <usize>sx << 2;
    for (; i + 4 <= n; i += 4) {
      const src = x + <usize>i * step;
      let v = v128.load32_zero(src);
      v = v128.load32_lane(src + step, v, 1);
      v = v128.load32_lane(src + 2 * step, v, 2);
      v = v128.load32_lane(src + 3 * step, v, 3);
      v128.store(out + (<usize>i << 2), op.v(v, p, q));
    }
  }
  for (; i < n; i++) {
    v128.store32_lane(out + (<usize>i << 2), op.v(v128.load32_splat(x + <usize>i * (<usize>sx << 2)), p, q), 0);
  }
}

/** Walks the rows of the strided view (see strided.ts) and runs op on each. */
function runUnary<O>(x: usize, out: usize, rank: i32, meta: usize, p: v128, q: v128): void {
  const n = dim(meta, rank - 1);
  const sx = strideOf(meta, rank, 0, rank - 1);
  const rows = rowCount(rank, meta);
  const len = runLength(rank, meta), step = runStep(rank, meta, 0);
  let off = 0, j = 0;
  for (let r = 0; r < rows; r++) {
    unaryRow<O>(x + (<usize>off << 2), sx, out + ((<usize>r * <usize>n) << 2), n, p, q);
    if (++j < len) off += step;
    else { j = 0; off = rowOffset(r + 1, rank, meta, 0); }
  }
}

/** out[i] = op(x[strided i]); meta = [shape(rank), xStrides(rank)]; out contiguous float32. */
export function unary_f32(op: i32, x: usize, out: usize, rank: i32, meta: usize, p0: f32, p1: f32): void {
  const p = f32x4.splat(p0), q = f32x4.splat(p1);
  switch (op) {
    case U_NEG: runUnary<Neg>(x, out, rank, meta, p, q); break;
    case U_ABS: runUnary<Abs>(x, out, rank, meta, p, q); break;
    case U_EXP: runUnary<Exp>(x, out, rank, meta, p, q); break;
    case U_LOG: runUnary<Log>(x, out, rank, meta, p, q); break;
    case U_SQRT: runUnary<Sqrt>(x, out, rank, meta, p, q); break;
    case U_SQUARE: runUnary<Square>(x, out, rank, meta, p, q); break;
    case U_RELU: runUnary<Relu>(x, out, rank, meta, p, q); break;
    case U_SIGMOID: runUnary<Sigmoid>(x, out, rank, meta, p, q); break;
    case U_TANH: runUnary<Tanh>(x, out, rank, meta, p, q); break;
    case U_RECIPROCAL: runUnary<Reciprocal>(x, out, rank, meta, p, q); break;
    case U_SIGN: runUnary<Sign>(x, out, rank, meta, p, q); break;
    case U_FLOOR: runUnary<Floor>(x, out, rank, meta, p, q); break;
    case U_CEIL: runUnary<Ceil>(x, out, rank, meta, p, q); break;
    case U_ROUND: runUnary<Round>(x, out, rank, meta, p, q); break;
    case U_RSQRT: runUnary<Rsqrt>(x, out, rank, meta, p, q); break;
    case U_SIN: runUnary<Sin>(x, out, rank, meta, p, q); break;
    case U_COS: runUnary<Cos>(x, out, rank, meta, p, q); break;
    case U_ELU: runUnary<Elu>(x, out, rank, meta, p, q); break;
    case U_SELU: runUnary<Selu>(x, out, rank, meta, p, q); break;
    case U_SOFTPLUS: runUnary<Softplus>(x, out, rank, meta, p, q); break;
    case U_GELU: runUnary<Gelu>(x, out, rank, meta, p, q); break;
    case U_LEAKY_RELU: runUnary<LeakyRelu>(x, out, rank, meta, p, q); break;
    case U_EXPM1: runUnary<Expm1>(x, out, rank, meta, p, q); break;
    case U_LOG1P: runUnary<Log1p>(x, out, rank, meta, p, q); break;
    case U_CLIP: runUnary<Clip>(x, out, rank, meta, p, q); break;
    case U_ERF: runUnary<Erf>(x, out, rank, meta, p, q); break;
    case U_GELU_TANH: runUnary<GeluTanh>(x, out, rank, meta, p, q); break;
    case U_RELU6: runUnary<Relu6>(x, out, rank, meta, p, q); break;
    default: unreachable(); // unknown op code: the caller's bug, trap loudly
  }
}

/** Same for int32 data (NEG, ABS, SQUARE, RELU, RELU6, SIGN, CLIP with p0/p1 truncated to i32, saturating). */
export function unary_i32(op: i32, x: usize, out: usize, rank: i32, meta: usize, p0: f32, p1: f32): void {
  const p = i32x4.splat(<i32>p0), q = i32x4.splat(<i32>p1); // trunc_sat: NaN -> 0
  switch (op) {
    case U_NEG: runUnary<NegI>(x, out, rank, meta, p, q); break;
    case U_ABS: runUnary<AbsI>(x, out, rank, meta, p, q); break;
    case U_SQUARE: runUnary<SquareI>(x, out, rank, meta, p, q); break;
    case U_RELU: runUnary<ReluI>(x, out, rank, meta, p, q); break;
    case U_RELU6: runUnary<Relu6I>(x, out, rank, meta, p, q); break;
    case U_SIGN: runUnary<SignI>(x, out, rank, meta, p, q); break;
    case U_CLIP: runUnary<ClipI>(x, out, rank, meta, p, q); break;
    default: unreachable();
  }
}
