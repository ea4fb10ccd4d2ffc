// Vectorised float32 math on 4 lanes (f32x4), used by unary.ts and softmax.ts.
// Accuracy goal: a couple of ulp against a float64 reference over the normal
// range, with IEEE special values right (NaN propagates, ±Inf saturate).
// Polynomials and range reductions are the classic Cephes single-precision
// ones (also used by Eigen / XLA); constants are written in decimal.

// ---- small helpers --------------------------------------------------------

@inline function splat(c: f32): v128 { return f32x4.splat(c); }
@inline function fma(a: v128, b: v128, c: v128): v128 { return f32x4.add(f32x4.mul(a, b), c); }

const SIGN_MASK: i32 = 0x80000000;

/** |x| with the sign of s (s's sign bit ORed into |x|). */
@inline function withSignOf(absValue: v128, s: v128): v128 {
  return v128.or(absValue, v128.and(s, i32x4.splat(SIGN_MASK)));
}

/** 2^n for integer lanes n in [-126, 127], built directly in the exponent bits. */
@inline function pow2i(n: v128): v128 {
  return i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23);
}

// ---- exp --------------------------------------------------------------------

/** x - n ln2 for integer-valued n, ln2 split in two (Cody-Waite) so the product's rounding does not show. */
@inline function ln2Remainder(x: v128, n: v128): v128 {
  const r = f32x4.sub(x, f32x4.mul(n, splat(0.693359375)));
  return f32x4.sub(r, f32x4.mul(n, splat(-2.12194440e-4)));
}

/**
 * e^x. Range reduction x = n ln2 + r, |r| <= ln2/2 (Cody-Waite split of ln2),
 * degree-7 Cephes polynomial for e^r, then scaling by 2^n in two halves so
 * that results in the subnormal range and right up to FLT_MAX come out right.
 * x > 88.7228 gives +Inf, x < -103.97 gives 0, NaN stays NaN.
 */
@inline function exp_f32x4(x: v128): v128 {
  // pmax/pmin keep a NaN x (comparisons with NaN are false). Beyond the clamp
  // the result is already 0 or Inf, and n then stays in [-159, 130].
  x = f32x4.pmin(f32x4.pmax(x, splat(-110.0)), splat(90.0));
  // n = round(x / ln2) with the 1.5*2^23 trick: after adding it, the low
  // mantissa bits of `biased` hold n as an integer (cheaper than nearest +
  // trunc_sat, which V8 expands to several instructions on x64).
  const biased = fma(x, splat(1.44269504088896341), splat(12582912.0));
  const n = f32x4.sub(biased, splat(12582912.0));
  const ni = i32x4.sub(biased, i32x4.splat(0x4b400000));
  const r = ln2Remainder(x, n);
  let p = splat(1.9875691500e-4);
  p = fma(p, r, splat(1.3981999507e-3));
  p = fma(p, r, splat(8.3334519073e-3));
  p = fma(p, r, splat(4.1665795894e-2));
  p = fma(p, r, splat(1.6666665459e-1));
  p = fma(p, r, splat(5.0000001201e-1));
  const y = f32x4.add(fma(p, f32x4.mul(r, r), r), splat(1.0));
  // 2^n = 2^n1 * 2^n2 with both halves normal floats (n in [-159, 130]).
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  return f32x4.mul(f32x4.mul(y, pow2i(n1)), pow2i(n2));
}

/**
 * e^x for x <= 0: softmax's and log-sum-exp's x - max. No overflow to guard
 * against, so 2^n is built in one step and the degree-6 polynomial (a
 * minimax fit for the relative error of e^r on |r| <= ln2/2, coefficients
 * rounded to float32) replaces the clamps and two-step scaling of
 * exp_f32x4: about a quarter fewer instructions on softmax's hot loop. Max
 * error 1.32 ulp over [-87.3, 0] (5M points against float64 exp). Results
 * below 2^-126 (x < -87.34, -Inf included) are 0; NaN stays NaN.
 */
@inline function exp_nonpositive_f32x4(x: v128): v128 {
  // 1.5 * 2^23 + 127: after adding it, the low mantissa bits of `t` hold
  // n + 127, so shifting t left by 23 puts 2^n's exponent in place.
  const MAGIC: f32 = 12582912.0 + 127.0;
  const CUTOFF: f32 = -87.33654; // ln(2^-126)
  const xc = f32x4.pmax(x, splat(CUTOFF)); // pmax keeps a NaN x
  const t = fma(xc, splat(1.44269504088896341), splat(MAGIC));
  const n = f32x4.sub(t, splat(MAGIC));
  const r = ln2Remainder(xc, n);
  let p = splat(1.3842711924e-3);
  p = fma(p, r, splat(8.3749648184e-3));
  p = fma(p, r, splat(4.1668057442e-2));
  p = fma(p, r, splat(1.6666421294e-1));
  p = fma(p, r, splat(4.9999994040e-1));
  p = fma(p, r, splat(1.0));
  p = fma(p, r, splat(1.0));
  return v128.andnot(f32x4.mul(p, i32x4.shl(t, 23)), f32x4.lt(x, splat(CUTOFF)));
}

/**
 * e^x - 1 without cancellation near 0: expm1(x) = 2^n expm1(r) + (2^n - 1),
 * expm1(r) by its Taylor series to r^9 (|r| <= 0.7, truncation < 2e-8 rel).
 */
function expm1_f32x4(x: v128): v128 {
  const xc = f32x4.pmin(f32x4.pmax(x, splat(-30.0)), splat(89.0));
  // n <= 127 so that 2^n is a float; r may then reach ~0.7 (covered above).
  const n = f32x4.pmin(f32x4.nearest(f32x4.mul(xc, splat(1.44269504088896341))), splat(127.0));
  const r = ln2Remainder(xc, n);
  let p = splat(2.7557319224e-6); // 1/9!
  p = fma(p, r, splat(2.4801587302e-5)); // 1/8!
  p = fma(p, r, splat(1.9841269841e-4));
  p = fma(p, r, splat(1.3888888889e-3));
  p = fma(p, r, splat(8.3333333333e-3));
  p = fma(p, r, splat(4.1666666667e-2));
  p = fma(p, r, splat(1.6666666667e-1));
  p = fma(p, r, splat(0.5));
  const em1r = fma(p, f32x4.mul(r, r), r); // expm1(r)
  const s = pow2i(i32x4.trunc_sat_f32x4_s(n));
  let y = fma(s, em1r, f32x4.sub(s, splat(1.0)));
  y = v128.bitselect(splat(Infinity), y, f32x4.gt(x, splat(88.72283935546875)));
  return y; // a NaN x gives NaN through r
}

// ---- log --------------------------------------------------------------------

/**
 * ln x (Cephes logf): x = 2^e m with m in [sqrt(1/2), sqrt 2), degree-9
 * polynomial in f = m - 1. Subnormals are rescaled first. 0 -> -Inf,
 * negative -> NaN, +Inf -> +Inf, NaN -> NaN.
 */
function log_f32x4(x: v128): v128 {
  const tiny = f32x4.lt(x, splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, splat(8388608.0)), x, tiny); // * 2^23
  let e = i32x4.sub(i32x4.shr_u(xs, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(tiny, i32x4.splat(23)));
  const m = v128.or(v128.and(xs, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000)); // [0.5, 1)
  const small = f32x4.lt(m, splat(0.707106781186547524));
  e = i32x4.add(e, small); // e - 1 where m was doubled
  const f = f32x4.add(f32x4.sub(m, splat(1.0)), v128.and(m, small)); // m-1 or 2m-1
  const z = f32x4.mul(f, f);
  let p = splat(7.0376836292e-2);
  p = fma(p, f, splat(-1.1514610310e-1));
  p = fma(p, f, splat(1.1676998740e-1));
  p = fma(p, f, splat(-1.2420140846e-1));
  p = fma(p, f, splat(1.4249322787e-1));
  p = fma(p, f, splat(-1.6668057665e-1));
  p = fma(p, f, splat(2.0000714765e-1));
  p = fma(p, f, splat(-2.4999993993e-1));
  p = fma(p, f, splat(3.3333331174e-1));
  const ef = f32x4.convert_i32x4_s(e);
  let y = f32x4.mul(f32x4.mul(p, f), z);
  y = fma(ef, splat(-2.12194440e-4), y);
  y = fma(z, splat(-0.5), y);
  let r = f32x4.add(f, y);
  r = fma(ef, splat(0.693359375), r);
  // special values
  r = v128.bitselect(splat(-Infinity), r, f32x4.eq(x, splat(0.0)));
  r = v128.bitselect(splat(NaN), r, v128.or(f32x4.lt(x, splat(0.0)), f32x4.ne(x, x)));
  r = v128.bitselect(x, r, f32x4.eq(x, splat(Infinity)));
  return r;
}

/** ln(1 + x), accurate near 0 (Goldberg: log(u) * x / (u - 1) with u = 1 + x). */
function log1p_f32x4(x: v128): v128 {
  const u = f32x4.add(x, splat(1.0));
  const d = f32x4.sub(u, splat(1.0));
  let r = f32x4.mul(log_f32x4(u), f32x4.div(x, d));
  r = v128.bitselect(x, r, f32x4.eq(d, splat(0.0))); // tiny x: log1p(x) = x
  r = v128.bitselect(u, r, f32x4.eq(u, splat(Infinity))); // +Inf (x/d would be NaN)
  return r;
}

// ---- logistic family --------------------------------------------------------

/** 1 / (1 + e^-x), as z/(1+z) or 1/(1+z) with z = e^-|x| <= 1 (no overflow). */
@inline function sigmoid_f32x4(x: v128): v128 {
  const z = exp_f32x4(f32x4.neg(f32x4.abs(x)));
  const num = v128.bitselect(z, splat(1.0), f32x4.lt(x, splat(0.0)));
  return f32x4.div(num, f32x4.add(z, splat(1.0)));
}

/**
 * tanh (Cephes tanhf): odd polynomial for |x| < 0.625, else
 * 1 - 2/(e^2|x| + 1), which saturates to exactly 1. Sign copied from x.
 */
@inline function tanh_f32x4(x: v128): v128 {
  const a = f32x4.abs(x);
  const s = f32x4.mul(a, a);
  let p = splat(-5.70498872745e-3);
  p = fma(p, s, splat(2.06390887954e-2));
  p = fma(p, s, splat(-5.37397155531e-2));
  p = fma(p, s, splat(1.33314422036e-1));
  p = fma(p, s, splat(-3.33332819422e-1));
  const small = fma(f32x4.mul(p, s), a, a);
  const e = exp_f32x4(f32x4.add(a, a));
  const large = f32x4.sub(splat(1.0), f32x4.div(splat(2.0), f32x4.add(e, splat(1.0))));
  return withSignOf(v128.bitselect(small, large, f32x4.lt(a, splat(0.625))), x);
}

/** log(1 + e^x) = max(x, 0) + log1p(e^-|x|): never overflows. */
function softplus_f32x4(x: v128): v128 {
  const t = log1p_f32x4(exp_f32x4(f32x4.neg(f32x4.abs(x))));
  return f32x4.add(f32x4.pmax(x, splat(0.0)), t); // pmax keeps a NaN x
}

// ---- erf family -------------------------------------------------------------

/** erf(x) for |x| <= 1 (Cephes erff): x * P(x^2). */
@inline function erfSmall(x: v128): v128 {
  const z = f32x4.mul(x, x);
  let p = splat(7.853861353153693e-5);
  p = fma(p, z, splat(-8.010193625184903e-4));
  p = fma(p, z, splat(5.188327685732524e-3));
  p = fma(p, z, splat(-2.685381193529856e-2));
  p = fma(p, z, splat(1.128358514861418e-1));
  p = fma(p, z, splat(-3.761262582423300e-1));
  p = fma(p, z, splat(1.128379165726710));
  return f32x4.mul(x, p);
}

/**
 * e^(-c a^2) for c = 1 or 0.5, without the argument's rounding error (which
 * e^ would amplify by a^2): a = hi + lo with hi's low 12 mantissa bits clear,
 * so hi*hi is exact and a^2 = hi^2 + lo (a + hi).
 */
@inline function expNegSq(a: v128, c: f32): v128 {
  const hi = v128.and(a, i32x4.splat(0xfffff000));
  const lo = f32x4.sub(a, hi);
  const big = f32x4.mul(f32x4.mul(hi, hi), splat(-c));
  const rest = f32x4.mul(f32x4.mul(lo, f32x4.add(a, hi)), splat(-c));
  return f32x4.mul(exp_f32x4(big), exp_f32x4(rest));
}

/**
 * erfc(u) for u >= 1 (Cephes erfcf), given e = e^(-u^2) and q = 1/u:
 * erfc(u) = e q P(q^2), two polynomials split at u = 2.
 */
@inline function erfcTail(u: v128, e: v128, q: v128): v128 {
  const y = f32x4.mul(q, q);
  let p = splat(2.326819970068386e-2);
  p = fma(p, y, splat(-1.387039388740657e-1));
  p = fma(p, y, splat(3.687424674597105e-1));
  p = fma(p, y, splat(-5.824733027278666e-1));
  p = fma(p, y, splat(6.210004621745983e-1));
  p = fma(p, y, splat(-4.944515323274145e-1));
  p = fma(p, y, splat(3.404879937665872e-1));
  p = fma(p, y, splat(-2.741127028184656e-1));
  p = fma(p, y, splat(5.638259427386472e-1));
  let r = splat(-1.047766399936249e+1);
  r = fma(r, y, splat(1.297719955372516e+1));
  r = fma(r, y, splat(-7.495518717768503));
  r = fma(r, y, splat(2.921019019210786));
  r = fma(r, y, splat(-1.015265279202700));
  r = fma(r, y, splat(4.218463358204948e-1));
  r = fma(r, y, splat(-2.820767439740514e-1));
  r = fma(r, y, splat(5.641895067754075e-1));
  const poly = v128.bitselect(p, r, f32x4.lt(u, splat(2.0)));
  return f32x4.mul(f32x4.mul(e, q), poly);
}

/**
 * erfc(u) for 0.5 <= u < 1 given e = e^(-u^2): e R(u - 0.75), R a degree-7
 * least-squares fit of erfc(u) e^(u^2) on [0.5, 1] (max rel error 1.2e-7 in
 * float32). Used by gelu, where 1 + erf(u) for u in (-1, -0.5] would cancel.
 */
@inline function erfcMid(u: v128, e: v128): v128 {
  const d = f32x4.sub(u, splat(0.75));
  let p = splat(-0.006185182370245457);
  p = fma(p, d, splat(0.014597748406231403));
  p = fma(p, d, splat(-0.03189096972346306));
  p = fma(p, d, splat(0.06677843630313873));
  p = fma(p, d, splat(-0.12983617186546326));
  p = fma(p, d, splat(0.23095828294754028));
  p = fma(p, d, splat(-0.3679727017879486));
  p = fma(p, d, splat(0.5069376230239868));
  return f32x4.mul(e, p);
}

/** erf(x): polynomial for |x| < 1, else sign(x) (1 - erfc(|x|)). */
function erf_f32x4(x: v128): v128 {
  const a = f32x4.abs(x);
  const ec = erfcTail(a, expNegSq(a, 1.0), f32x4.div(splat(1.0), a));
  const large = withSignOf(f32x4.sub(splat(1.0), ec), x);
  return v128.bitselect(erfSmall(x), large, f32x4.lt(a, splat(1.0))); // NaN: large is NaN
}

/**
 * Exact GELU, x/2 (1 + erf(x/sqrt2)). Away from 0 it goes through erfc so the
 * negative tail (where 1 + erf cancels) keeps full relative precision:
 * x < 0: x/2 erfc(|x|/sqrt2); x > 0: x (1 - erfc(x/sqrt2)/2).
 */
function gelu_f32x4(x: v128): v128 {
  const a = f32x4.abs(x);
  const u = f32x4.mul(a, splat(0.70710678118654752)); // |x|/sqrt2
  const small = f32x4.mul(f32x4.mul(x, splat(0.5)), f32x4.add(splat(1.0), erfSmall(f32x4.mul(x, splat(0.70710678118654752)))));
  const e = expNegSq(a, 0.5); // e^(-x^2/2) = e^(-u^2)
  const tail = erfcTail(u, e, f32x4.div(splat(1.41421356237309505), a)); // q = 1/u = sqrt2/|x|
  const ec = v128.bitselect(erfcMid(u, e), tail, f32x4.lt(u, splat(1.0)));
  const halfEc = f32x4.mul(ec, splat(0.5));
  let neg = f32x4.mul(x, halfEc);
  neg = v128.bitselect(splat(-0.0), neg, f32x4.eq(ec, splat(0.0))); // -Inf * 0
  const pos = f32x4.mul(x, f32x4.sub(splat(1.0), halfEc));
  const large = v128.bitselect(neg, pos, f32x4.lt(x, splat(0.0)));
  return v128.bitselect(small, large, f32x4.lt(u, splat(0.5))); // NaN: large is NaN
}

/** GELU, tanh form: x/2 (1 + tanh(k (x + 0.044715 x^3))) = x sigmoid(2k(...)). */
function gelu_tanh_f32x4(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  const inner = fma(x3, splat(0.044715), x);
  return f32x4.mul(x, sigmoid_f32x4(f32x4.mul(inner, splat(1.5957691216057308)))); // 2 sqrt(2/pi)
}

/**
 * The public face of this file. A class of statics rather than exported
 * functions only because asc warns (AS112) about exported functions that take
 * v128, although these never become wasm exports.
 */
@final export class F32x4 {
  // exp, sigmoid and tanh are the hot ones (softmax, activations): inlined.
  @inline static exp(x: v128): v128 { return exp_f32x4(x); }
  /** e^x for x <= 0 (x - max); see exp_nonpositive_f32x4. */
  @inline static expNonPositive(x: v128): v128 { return exp_nonpositive_f32x4(x); }
  /** The same as a call, for scalar tails: one copy of the code rather than one per tail loop. */
  static expNonPositiveTail(x: v128): v128 { return exp_nonpositive_f32x4(x); }
  static expm1(x: v128): v128 { return expm1_f32x4(x); }
  static log(x: v128): v128 { return log_f32x4(x); }
  static log1p(x: v128): v128 { return log1p_f32x4(x); }
  @inline static sigmoid(x: v128): v128 { return sigmoid_f32x4(x); }
  @inline static tanh(x: v128): v128 { return tanh_f32x4(x); }
  static softplus(x: v128): v128 { return softplus_f32x4(x); }
  static erf(x: v128): v128 { return erf_f32x4(x); }
  static gelu(x: v128): v128 { return gelu_f32x4(x); }
  static geluTanh(x: v128): v128 { return gelu_tanh_f32x4(x); }
}
