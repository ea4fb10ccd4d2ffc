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
@final class Sin { @inline s(x: f32): f32 { return Mathf.sin(x); } }
@final class Cos { @inline s(x: f32): f32 { return Mathf.cos(x); } }
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

// ---- the rarer ops: one shared instantiation ------------------------------------
//
// Each runUnary instantiation costs code however cheap its op, so the ops that
// are neither on the training hot paths nor activations share one: RareF / RareI switch per 4 lanes on
// rareOp, which the export sets. rareOp is a wasm global, i.e. per instance
// like the stack (worker instances share memory, not globals).
let rareOp: i32 = 0;

@final class RareF {
  @inline v(x: v128, p: v128, q: v128): v128 {
    switch (rareOp) {
      case U_RECIPROCAL: return changetype<Reciprocal>(0).v(x, p, q);
      case U_SIGN: return changetype<Sign>(0).v(x, p, q);
      case U_FLOOR: return changetype<Floor>(0).v(x, p, q);
      case U_CEIL: return changetype<Ceil>(0).v(x, p, q);
      case U_ROUND: return changetype<Round>(0).v(x, p, q);
      case U_RSQRT: return changetype<Rsqrt>(0).v(x, p, q);
      case U_EXPM1: return changetype<Expm1>(0).v(x, p, q);
      case U_LOG1P: return changetype<Log1p>(0).v(x, p, q);
      case U_ERF: return changetype<Erf>(0).v(x, p, q);
      default: return changetype<GeluTanh>(0).v(x, p, q); // U_GELU_TANH
    }
  }
}

@final class RareI {
  @inline v(x: v128, p: v128, q: v128): v128 {
    switch (rareOp) {
      case U_NEG: return changetype<NegI>(0).v(x, p, q);
      case U_ABS: return changetype<AbsI>(0).v(x, p, q);
      case U_SQUARE: return changetype<SquareI>(0).v(x, p, q);
      case U_RELU: return changetype<ReluI>(0).v(x, p, q);
      case U_RELU6: return changetype<Relu6I>(0).v(x, p, q);
      case U_SIGN: return changetype<SignI>(0).v(x, p, q);
      default: return changetype<ClipI>(0).v(x, p, q); // U_CLIP
    }
  }
}

// ---- row loops ------------------------------------------------------------------
//
// As in binary.ts, code size decides the tiers: each copy of op.v in a row loop
// is inlined code. The training ops get a 2-vector contiguous loop (Fast), the
// activations whose math is an out-of-line call a 1-vector loop (Plain), sin
// and cos a scalar loop (Scalar); every row's strided part and tail go through
// one gather loop. op.v is lanewise, so the path never changes a value.

/** Elements i.. of a row of n, any stride (0, 1 or more): 4 lanes gathered per step, the last step only the lanes left. */
@inline function gatherRow<O>(x: usize, sx: i32, out: usize, i: i32, n: i32, p: v128, q: v128): void {
  const op = changetype<O>(0);
  const step = <usize>sx << 2;
  for (; i < n; i += 4) {
    const left = n - i;
    const src = x + <usize>i * step, dst = out + (<usize>i << 2);
    let v = v128.load32_zero(src);
    if (left > 1) v = v128.load32_lane(src + step, v, 1);
    if (left > 2) v = v128.load32_lane(src + 2 * step, v, 2);
    if (left > 3) v = v128.load32_lane(src + 3 * step, v, 3);
    const r = op.v(v, p, q);
    if (left > 3) {
      v128.store(dst, r);
    } else {
      v128.store32_lane(dst, r, 0);
      if (left > 1) v128.store32_lane(dst, r, 1, 4);
      if (left > 2) v128.store32_lane(dst, r, 2, 8);
    }
  }
}

/** One row of n elements, input stride sx (elements), output contiguous; U: vectors per contiguous step (1 or 2). */
@inline function vectorRow<O, U>(x: usize, sx: i32, out: usize, n: i32, p: v128, q: v128): void {
  const op = changetype<O>(0);
  let i = 0;
  if (sx == 1) {
    if (changetype<U>(0).unroll() == 2) {
      for (; i + 8 <= n; i += 8) {
        const o = <usize>i << 2;
        const a = v128.load(x + o);
        const b = v128.load(x + o, 16);
        v128.store(out + o, op.v(a, p, q));
        v128.store(out + o, op.v(b, p, q), 16);
      }
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, op.v(v128.load(x + o), p, q));
    }
  }
  gatherRow<O>(x, sx, out, i, n, p, q);
}

@final class Twice { @inline unroll(): i32 { return 2; } }
@final class Once { @inline unroll(): i32 { return 1; } }

// Row policies.
@final class Fast<O> {
  @inline row(x: usize, sx: i32, out: usize, n: i32, p: v128, q: v128): void { vectorRow<O, Twice>(x, sx, out, n, p, q); }
}
@final class Plain<O> {
  @inline row(x: usize, sx: i32, out: usize, n: i32, p: v128, q: v128): void { vectorRow<O, Once>(x, sx, out, n, p, q); }
}
/** float32 ops with no SIMD form: op.s on one element at a time. */
@final class Scalar<O> {
  @inline row(x: usize, sx: i32, out: usize, n: i32, p: v128, q: v128): void {
    const op = changetype<O>(0);
    const step = <usize>sx << 2;
    for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), op.s(load<f32>(x + <usize>i * step)));
  }
}

/** Walks the rows of the strided view (see strided.ts) and runs the row policy R on each. */
function runUnary<R>(x: usize, out: usize, rank: i32, meta: usize, p: v128, q: v128): void {
  const n = dim(meta, rank - 1);
  const sx = strideOf(meta, rank, 0, rank - 1);
  const rows = rowCount(rank, meta);
  const len = runLength(rank, meta), step = runStep(rank, meta, 0);
  let off = 0, j = 0;
  for (let r = 0; r < rows; r++) {
    changetype<R>(0).row(x + (<usize>off << 2), sx, out + ((<usize>r * <usize>n) << 2), n, p, q);
    if (++j < len) off += step;
    else { j = 0; off = rowOffset(r + 1, rank, meta, 0); }
  }
}

/** out[i] = op(x[strided i]); meta = [shape(rank), xStrides(rank)]; out contiguous float32. */
export function unary_f32(op: i32, x: usize, out: usize, rank: i32, meta: usize, p0: f32, p1: f32): void {
  const p = f32x4.splat(p0), q = f32x4.splat(p1);
  switch (op) {
    case U_NEG: runUnary<Fast<Neg>>(x, out, rank, meta, p, q); break;
    case U_ABS: runUnary<Fast<Abs>>(x, out, rank, meta, p, q); break;
    case U_EXP: runUnary<Fast<Exp>>(x, out, rank, meta, p, q); break;
    case U_LOG: runUnary<Plain<Log>>(x, out, rank, meta, p, q); break;
    case U_SQRT: runUnary<Fast<Sqrt>>(x, out, rank, meta, p, q); break;
    case U_SQUARE: runUnary<Fast<Square>>(x, out, rank, meta, p, q); break;
    case U_RELU: runUnary<Fast<Relu>>(x, out, rank, meta, p, q); break;
    case U_SIGMOID: runUnary<Fast<Sigmoid>>(x, out, rank, meta, p, q); break;
    case U_TANH: runUnary<Fast<Tanh>>(x, out, rank, meta, p, q); break;
    case U_SIN: runUnary<Scalar<Sin>>(x, out, rank, meta, p, q); break;
    case U_COS: runUnary<Scalar<Cos>>(x, out, rank, meta, p, q); break;
    case U_ELU: runUnary<Plain<Elu>>(x, out, rank, meta, p, q); break;
    case U_SELU: runUnary<Plain<Selu>>(x, out, rank, meta, p, q); break;
    case U_SOFTPLUS: runUnary<Plain<Softplus>>(x, out, rank, meta, p, q); break;
    case U_GELU: runUnary<Plain<Gelu>>(x, out, rank, meta, p, q); break;
    case U_LEAKY_RELU: runUnary<Fast<LeakyRelu>>(x, out, rank, meta, p, q); break;
    case U_CLIP: runUnary<Fast<Clip>>(x, out, rank, meta, p, q); break; // losses clip probabilities
    case U_RELU6: runUnary<Fast<Relu6>>(x, out, rank, meta, p, q); break;
    case U_RECIPROCAL: case U_SIGN: case U_FLOOR: case U_CEIL: case U_ROUND: case U_RSQRT: case U_EXPM1:
    case U_LOG1P: case U_ERF: case U_GELU_TANH:
      rareOp = op;
      runUnary<Plain<RareF>>(x, out, rank, meta, p, q);
      break;
    default: unreachable(); // unknown op code: the caller's bug, trap loudly
  }
}

/** Same for int32 data (NEG, ABS, SQUARE, RELU, RELU6, SIGN, CLIP with p0/p1 truncated to i32, saturating). */
export function unary_i32(op: i32, x: usize, out: usize, rank: i32, meta: usize, p0: f32, p1: f32): void {
  const p = i32x4.splat(<i32>p0), q = i32x4.splat(<i32>p1); // trunc_sat: NaN -> 0
  switch (op) {
    case U_NEG: case U_ABS: case U_SQUARE: case U_RELU: case U_RELU6: case U_SIGN: case U_CLIP:
      rareOp = op;
      runUnary<Plain<RareI>>(x, out, rank, meta, p, q);
      break;
    default: unreachable();
  }
}
