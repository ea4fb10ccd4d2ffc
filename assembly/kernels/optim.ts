// Optimizer updates: one pass over a parameter buffer per step, reading the
// gradient and the optimizer's slots and writing the parameter and the slots
// in place. The formulas are Keras 3's (keras/src/optimizers/*.py); step-
// dependent scalars (Adam's bias corrections) are computed by the caller once
// per step and passed in.
//
// w, g and the slots are contiguous float32 arrays of n elements; w and the
// slots are written in place. Scalars arrive as f64 (JS numbers) and are
// rounded to f32 once, so `1 - rho` is rounded the way Keras rounds it (a
// Python float times a float32 tensor).

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

// Slots that decay geometrically (RMSprop's mean square where a gradient has
// gone to zero, a dead ReLU unit's Adam moments, momentum) pass through the
// subnormal range on their way to 0, and x86 computes on subnormal floats
// about 15x slower (an RMSprop step over 400K parameters: 0.45 ms -> 7.4 ms).
// Wasm has no flush-to-zero mode, so the stored slots are flushed here, as
// TensorFlow's CPU kernels run with FTZ/DAZ: a value below the smallest
// normal float (1.2e-38) changes no update (eps is 1e-7).
const MIN_NORMAL: f32 = 1.17549435e-38;

@inline function ftz(x: v128): v128 {
  return v128.and(x, f32x4.ge(f32x4.abs(x), f32x4.splat(MIN_NORMAL)));
}

@inline function ftz1(x: f32): f32 {
  return Mathf.abs(x) >= MIN_NORMAL ? x : 0;
}

/** Plain SGD: w -= lr g. */
export function sgd_step(w: usize, g: usize, n: i32, lr: f64): void {
  const l = <f32>lr;
  const vl = f32x4.splat(l);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(at(w, i), f32x4.sub(v128.load(at(w, i)), f32x4.mul(vl, v128.load(at(g, i)))));
  }
  for (; i < n; i++) store<f32>(at(w, i), load<f32>(at(w, i)) - l * load<f32>(at(g, i)));
}

/** SGD with momentum (Keras): v = mu v - lr g; w += nesterov ? mu v - lr g : v. */
export function momentum_step(w: usize, g: usize, v: usize, n: i32, lr: f64, momentum: f64, nesterov: i32): void {
  const l = <f32>lr, mu = <f32>momentum;
  const vl = f32x4.splat(l), vmu = f32x4.splat(mu);
  let i = 0;
  if (nesterov != 0) {
    for (; i + 4 <= n; i += 4) {
      const lg = f32x4.mul(vl, v128.load(at(g, i)));
      const vv = ftz(f32x4.sub(f32x4.mul(vmu, v128.load(at(v, i))), lg));
      v128.store(at(v, i), vv);
      v128.store(at(w, i), f32x4.add(v128.load(at(w, i)), f32x4.sub(f32x4.mul(vmu, vv), lg)));
    }
    for (; i < n; i++) {
      const lg = l * load<f32>(at(g, i));
      const vv = ftz1(mu * load<f32>(at(v, i)) - lg);
      store<f32>(at(v, i), vv);
      store<f32>(at(w, i), load<f32>(at(w, i)) + (mu * vv - lg));
    }
  } else {
    for (; i + 4 <= n; i += 4) {
      const vv = ftz(f32x4.sub(f32x4.mul(vmu, v128.load(at(v, i))), f32x4.mul(vl, v128.load(at(g, i)))));
      v128.store(at(v, i), vv);
      v128.store(at(w, i), f32x4.add(v128.load(at(w, i)), vv));
    }
    for (; i < n; i++) {
      const vv = ftz1(mu * load<f32>(at(v, i)) - l * load<f32>(at(g, i)));
      store<f32>(at(v, i), vv);
      store<f32>(at(w, i), load<f32>(at(w, i)) + vv);
    }
  }
}

/**
 * RMSprop (Keras): ms = rho ms + (1-rho) g^2; centered: mg = rho mg + (1-rho) g,
 * denom = ms - mg^2 + eps, else denom = ms + eps; inc = lr g / sqrt(denom);
 * with momentum: mom = momentum mom + inc, w -= mom; else w -= inc.
 * mg is read only when centered != 0, mom only when momentum != 0.
 */
export function rmsprop_step(
  w: usize, g: usize, ms: usize, mg: usize, mom: usize, n: i32,
  lr: f64, rho: f64, momentum: f64, eps: f64, centered: i32,
): void {
  const r = <f32>rho, r1 = <f32>(1.0 - rho), l = <f32>lr, mu = <f32>momentum, e = <f32>eps;
  const vr = f32x4.splat(r), vr1 = f32x4.splat(r1), vl = f32x4.splat(l), vmu = f32x4.splat(mu), ve = f32x4.splat(e);
  const useMom = momentum != 0.0, isCentered = centered != 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(at(g, i));
    const s = ftz(f32x4.add(f32x4.mul(vr, v128.load(at(ms, i))), f32x4.mul(vr1, f32x4.mul(gi, gi))));
    v128.store(at(ms, i), s);
    let denom = f32x4.add(s, ve);
    if (isCentered) {
      const a = ftz(f32x4.add(f32x4.mul(vr, v128.load(at(mg, i))), f32x4.mul(vr1, gi)));
      v128.store(at(mg, i), a);
      denom = f32x4.add(f32x4.sub(s, f32x4.mul(a, a)), ve);
    }
    let inc = f32x4.div(f32x4.mul(vl, gi), f32x4.sqrt(denom));
    if (useMom) {
      inc = ftz(f32x4.add(f32x4.mul(vmu, v128.load(at(mom, i))), inc));
      v128.store(at(mom, i), inc);
    }
    v128.store(at(w, i), f32x4.sub(v128.load(at(w, i)), inc));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    const s = ftz1(r * load<f32>(at(ms, i)) + r1 * (gi * gi));
    store<f32>(at(ms, i), s);
    let denom = s + e;
    if (isCentered) {
      const a = ftz1(r * load<f32>(at(mg, i)) + r1 * gi);
      store<f32>(at(mg, i), a);
      denom = (s - a * a) + e;
    }
    let inc = (l * gi) / Mathf.sqrt(denom);
    if (useMom) {
      inc = ftz1(mu * load<f32>(at(mom, i)) + inc);
      store<f32>(at(mom, i), inc);
    }
    store<f32>(at(w, i), load<f32>(at(w, i)) - inc);
  }
}

/**
 * Adam (Keras): m += (g - m)(1-b1); v += (g^2 - v)(1-b2);
 * w -= m alpha / (sqrt(v) + eps), alpha = lr sqrt(1-b2^t) / (1-b1^t) from the caller.
 */
export function adam_step(w: usize, g: usize, m: usize, v: usize, n: i32, alpha: f64, beta1: f64, beta2: f64, eps: f64): void {
  const a = <f32>alpha, c1 = <f32>(1.0 - beta1), c2 = <f32>(1.0 - beta2), e = <f32>eps;
  const va = f32x4.splat(a), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2), ve = f32x4.splat(e);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(at(g, i));
    let mi = v128.load(at(m, i)), vi = v128.load(at(v, i));
    mi = ftz(f32x4.add(mi, f32x4.mul(f32x4.sub(gi, mi), vc1)));
    vi = ftz(f32x4.add(vi, f32x4.mul(f32x4.sub(f32x4.mul(gi, gi), vi), vc2)));
    v128.store(at(m, i), mi);
    v128.store(at(v, i), vi);
    const step = f32x4.div(f32x4.mul(mi, va), f32x4.add(f32x4.sqrt(vi), ve));
    v128.store(at(w, i), f32x4.sub(v128.load(at(w, i)), step));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    let mi = load<f32>(at(m, i)), vi = load<f32>(at(v, i));
    mi = ftz1(mi + (gi - mi) * c1);
    vi = ftz1(vi + (gi * gi - vi) * c2);
    store<f32>(at(m, i), mi);
    store<f32>(at(v, i), vi);
    store<f32>(at(w, i), load<f32>(at(w, i)) - (mi * a) / (Mathf.sqrt(vi) + e));
  }
}

/**
 * Adamax (Keras): m += (g - m)(1-b1); u = max(b2 u, |g|);
 * w -= stepSize m / (u + eps), stepSize = lr / (1-b1^t) from the caller.
 */
export function adamax_step(w: usize, g: usize, m: usize, u: usize, n: i32, stepSize: f64, beta1: f64, beta2: f64, eps: f64): void {
  const s = <f32>stepSize, c1 = <f32>(1.0 - beta1), b2 = <f32>beta2, e = <f32>eps;
  const vs = f32x4.splat(s), vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), ve = f32x4.splat(e);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(at(g, i));
    let mi = v128.load(at(m, i));
    mi = ftz(f32x4.add(mi, f32x4.mul(f32x4.sub(gi, mi), vc1)));
    const ui = ftz(f32x4.max(f32x4.mul(vb2, v128.load(at(u, i))), f32x4.abs(gi)));
    v128.store(at(m, i), mi);
    v128.store(at(u, i), ui);
    v128.store(at(w, i), f32x4.sub(v128.load(at(w, i)), f32x4.div(f32x4.mul(vs, mi), f32x4.add(ui, ve))));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    let mi = load<f32>(at(m, i));
    mi = ftz1(mi + (gi - mi) * c1);
    const ui = ftz1(Mathf.max(b2 * load<f32>(at(u, i)), Mathf.abs(gi)));
    store<f32>(at(m, i), mi);
    store<f32>(at(u, i), ui);
    store<f32>(at(w, i), load<f32>(at(w, i)) - (s * mi) / (ui + e));
  }
}

/** Adagrad (Keras): acc += g^2; w -= lr g / sqrt(acc + eps). */
export function adagrad_step(w: usize, g: usize, acc: usize, n: i32, lr: f64, eps: f64): void {
  const l = <f32>lr, e = <f32>eps;
  const vl = f32x4.splat(l), ve = f32x4.splat(e);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(at(g, i));
    const a = f32x4.add(v128.load(at(acc, i)), f32x4.mul(gi, gi));
    v128.store(at(acc, i), a);
    v128.store(at(w, i), f32x4.sub(v128.load(at(w, i)), f32x4.div(f32x4.mul(vl, gi), f32x4.sqrt(f32x4.add(a, ve)))));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    const a = load<f32>(at(acc, i)) + gi * gi;
    store<f32>(at(acc, i), a);
    store<f32>(at(w, i), load<f32>(at(w, i)) - (l * gi) / Mathf.sqrt(a + e));
  }
}

/**
 * Adadelta (Keras): accG = rho accG + (1-rho) g^2;
 * d = -sqrt(accU + eps) g / sqrt(accG + eps); accU = rho accU + (1-rho) d^2; w += lr d.
 */
export function adadelta_step(w: usize, g: usize, accG: usize, accU: usize, n: i32, lr: f64, rho: f64, eps: f64): void {
  const l = <f32>lr, r = <f32>rho, r1 = <f32>(1.0 - rho), e = <f32>eps;
  const vl = f32x4.splat(l), vr = f32x4.splat(r), vr1 = f32x4.splat(r1), ve = f32x4.splat(e);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(at(g, i));
    const ag = ftz(f32x4.add(f32x4.mul(vr, v128.load(at(accG, i))), f32x4.mul(vr1, f32x4.mul(gi, gi))));
    const au = v128.load(at(accU, i));
    const d = f32x4.neg(f32x4.div(f32x4.mul(f32x4.sqrt(f32x4.add(au, ve)), gi), f32x4.sqrt(f32x4.add(ag, ve))));
    v128.store(at(accG, i), ag);
    v128.store(at(accU, i), ftz(f32x4.add(f32x4.mul(vr, au), f32x4.mul(vr1, f32x4.mul(d, d)))));
    v128.store(at(w, i), f32x4.add(v128.load(at(w, i)), f32x4.mul(vl, d)));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    const ag = ftz1(r * load<f32>(at(accG, i)) + r1 * (gi * gi));
    const au = load<f32>(at(accU, i));
    const d = -((Mathf.sqrt(au + e) * gi) / Mathf.sqrt(ag + e));
    store<f32>(at(accG, i), ag);
    store<f32>(at(accU, i), ftz1(r * au + r1 * (d * d)));
    store<f32>(at(w, i), load<f32>(at(w, i)) + l * d);
  }
}
