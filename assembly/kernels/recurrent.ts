// One recurrent time step's elementwise math, fused (src/ops/recurrent.ts).
// The caller has done the GEMMs: xw = x_t · W + b (for all steps at once) and
// hu = h_{t-1} · U (all gates in one product), so a step here is one pass over
// [B, k*units] that adds the two, applies the gate activations, updates the
// state and writes what the backward pass needs.
//
// Row layout (as tfjs-layers / Keras): LSTM gates i, f, c, o side by side,
// each `units` wide: row b of xw, hu, gates is [4 * units] floats.
// mask: 0 (none) or B floats; a row whose mask is 0 keeps its previous state
// (h_t = h_{t-1}, c_t = c_{t-1}) and passes its gradient straight through.
// Tails (units % 4) run the same vector code on a splatted lane, so every
// element gets bit-identical math.
import { RA_HARD_SIGMOID, RA_RELU, RA_SIGMOID, RA_TANH } from '../rnn_opcodes';
import { F32x4 } from './simd_math';

// Not inlined: tanh and sigmoid are large and a cell applies act at up to five
// sites; one out-of-line copy keeps the module small, and a call per 4 lanes
// is cheap next to the math.
function act(code: i32, x: v128): v128 {
  if (code === RA_TANH) return F32x4.tanh(x);
  if (code === RA_SIGMOID) return F32x4.sigmoid(x);
  if (code === RA_HARD_SIGMOID) {
    const y = f32x4.add(f32x4.mul(x, f32x4.splat(0.2)), f32x4.splat(0.5));
    return f32x4.pmin(f32x4.pmax(y, f32x4.splat(0.0)), f32x4.splat(1.0));
  }
  if (code === RA_RELU) return f32x4.pmax(x, f32x4.splat(0.0));
  return x;
}

/** act'(x) written with y = act(x) (every supported activation allows it). */
@inline function actGrad(code: i32, y: v128): v128 {
  const one = f32x4.splat(1.0);
  const zero = f32x4.splat(0.0);
  if (code === RA_TANH) return f32x4.sub(one, f32x4.mul(y, y));
  if (code === RA_SIGMOID) return f32x4.mul(y, f32x4.sub(one, y));
  if (code === RA_HARD_SIGMOID) {
    // 0.2 strictly inside the linear segment, 0 where clipped (TF's choice).
    const inside = v128.and(f32x4.gt(y, zero), f32x4.lt(y, one));
    return v128.and(inside, f32x4.splat(0.2));
  }
  if (code === RA_RELU) return v128.and(f32x4.gt(y, zero), one);
  return one;
}

@inline function ld(p: usize, off: usize, lanes: i32): v128 {
  return lanes === 4 ? v128.load(p + off) : f32x4.splat(load<f32>(p + off));
}

@inline function st(p: usize, off: usize, v: v128, lanes: i32): void {
  if (lanes === 4) v128.store(p + off, v);
  else store<f32>(p + off, f32x4.extract_lane(v, 0));
}

@inline function keepsState(mask: usize, b: i32): bool {
  return mask !== 0 && load<f32>(mask + (<usize>b << 2)) === 0.0;
}

/**
 * LSTM step forward: z = xw + hu; i, f, o = ract(z_i, z_f, z_o), g = act(z_c);
 * c = f * cPrev + i * g; h = o * act(c). gates receives i, f, g, o.
 */
export function lstm_cell_f32(xw: usize, hu: usize, hPrev: usize, cPrev: usize, mask: usize,
  gates: usize, h: usize, c: usize, B: i32, units: i32, actCode: i32, ractCode: i32): void {
  const gw = <usize>units << 2; // bytes of one gate block
  for (let b = 0; b < B; b++) {
    const row = <usize>b * gw;
    const grow = row << 2;
    if (keepsState(mask, b)) {
      memory.copy(h + row, hPrev + row, gw);
      memory.copy(c + row, cPrev + row, gw);
      memory.fill(gates + grow, 0, gw << 2);
      continue;
    }
    for (let j = 0; j < units;) {
      // Four lanes while they fit, then one (splatted) lane at a time.
      const lanes = units - j >= 4 ? 4 : 1;
      const o = <usize>j << 2;
      const gi = act(ractCode, f32x4.add(ld(xw, grow + o, lanes), ld(hu, grow + o, lanes)));
      const gf = act(ractCode, f32x4.add(ld(xw, grow + gw + o, lanes), ld(hu, grow + gw + o, lanes)));
      const gg = act(actCode, f32x4.add(ld(xw, grow + 2 * gw + o, lanes), ld(hu, grow + 2 * gw + o, lanes)));
      const go = act(ractCode, f32x4.add(ld(xw, grow + 3 * gw + o, lanes), ld(hu, grow + 3 * gw + o, lanes)));
      const cn = f32x4.add(f32x4.mul(gf, ld(cPrev, row + o, lanes)), f32x4.mul(gi, gg));
      st(c, row + o, cn, lanes);
      st(h, row + o, f32x4.mul(go, act(actCode, cn)), lanes);
      st(gates, grow + o, gi, lanes);
      st(gates, grow + gw + o, gf, lanes);
      st(gates, grow + 2 * gw + o, gg, lanes);
      st(gates, grow + 3 * gw + o, go, lanes);
      j += lanes;
    }
  }
}

/**
 * LSTM step backward. The gradient reaching h_t is dOutH + dhRec (from step
 * t+1's dGates · U^T) + dhCarry (passed through a masked step t+1); into c_t,
 * dOutC + dcCarry. Writes dGates (pre-activation, i f c o) and replaces
 * dhCarry / dcCarry with what flows to step t-1 besides dGates · U^T.
 */
export function lstm_cell_grad_f32(gates: usize, c: usize, cPrev: usize, mask: usize,
  dOutH: usize, dOutC: usize, dhRec: usize, dhCarry: usize, dcCarry: usize, dGates: usize,
  B: i32, units: i32, actCode: i32, ractCode: i32): void {
  const gw = <usize>units << 2;
  for (let b = 0; b < B; b++) {
    const row = <usize>b * gw;
    const grow = row << 2;
    const masked = keepsState(mask, b);
    for (let j = 0; j < units;) {
      // Four lanes while they fit, then one (splatted) lane at a time.
      const lanes = units - j >= 4 ? 4 : 1;
      const o = <usize>j << 2;
      const dh = f32x4.add(f32x4.add(ld(dOutH, row + o, lanes), ld(dhRec, row + o, lanes)), ld(dhCarry, row + o, lanes));
      let dc = f32x4.add(ld(dOutC, row + o, lanes), ld(dcCarry, row + o, lanes));
      if (masked) {
        st(dhCarry, row + o, dh, lanes);
        st(dcCarry, row + o, dc, lanes);
        const z = f32x4.splat(0.0);
        st(dGates, grow + o, z, lanes);
        st(dGates, grow + gw + o, z, lanes);
        st(dGates, grow + 2 * gw + o, z, lanes);
        st(dGates, grow + 3 * gw + o, z, lanes);
      } else {
        const gi = ld(gates, grow + o, lanes);
        const gf = ld(gates, grow + gw + o, lanes);
        const gg = ld(gates, grow + 2 * gw + o, lanes);
        const go = ld(gates, grow + 3 * gw + o, lanes);
        const tc = act(actCode, ld(c, row + o, lanes));
        dc = f32x4.add(dc, f32x4.mul(f32x4.mul(dh, go), actGrad(actCode, tc)));
        st(dGates, grow + o, f32x4.mul(f32x4.mul(dc, gg), actGrad(ractCode, gi)), lanes);
        st(dGates, grow + gw + o, f32x4.mul(f32x4.mul(dc, ld(cPrev, row + o, lanes)), actGrad(ractCode, gf)), lanes);
        st(dGates, grow + 2 * gw + o, f32x4.mul(f32x4.mul(dc, gi), actGrad(actCode, gg)), lanes);
        st(dGates, grow + 3 * gw + o, f32x4.mul(f32x4.mul(dh, tc), actGrad(ractCode, go)), lanes);
        st(dhCarry, row + o, f32x4.splat(0.0), lanes);
        st(dcCarry, row + o, f32x4.mul(dc, gf), lanes);
      }
      j += lanes;
    }
  }
}

/** SimpleRNN step forward: h = act(xw + hu); rows [units]. */
export function rnn_cell_f32(xw: usize, hu: usize, hPrev: usize, mask: usize, h: usize, B: i32, units: i32, actCode: i32): void {
  const gw = <usize>units << 2;
  for (let b = 0; b < B; b++) {
    const row = <usize>b * gw;
    if (keepsState(mask, b)) {
      memory.copy(h + row, hPrev + row, gw);
      continue;
    }
    let j = 0;
    for (; j + 4 <= units; j += 4) {
      const o = <usize>j << 2;
      v128.store(h + row + o, act(actCode, f32x4.add(v128.load(xw + row + o), v128.load(hu + row + o))));
    }
    for (; j < units; j++) {
      const o = <usize>j << 2;
      st(h, row + o, act(actCode, f32x4.add(ld(xw, row + o, 1), ld(hu, row + o, 1))), 1);
    }
  }
}

/** SimpleRNN step backward: dPre = (dOutH + dhRec + dhCarry) * act'(h); masked rows carry instead. */
export function rnn_cell_grad_f32(h: usize, mask: usize, dOutH: usize, dhRec: usize, dhCarry: usize, dPre: usize,
  B: i32, units: i32, actCode: i32): void {
  const gw = <usize>units << 2;
  for (let b = 0; b < B; b++) {
    const row = <usize>b * gw;
    const masked = keepsState(mask, b);
    for (let j = 0; j < units;) {
      // Four lanes while they fit, then one (splatted) lane at a time.
      const lanes = units - j >= 4 ? 4 : 1;
      const o = <usize>j << 2;
      const dh = f32x4.add(f32x4.add(ld(dOutH, row + o, lanes), ld(dhRec, row + o, lanes)), ld(dhCarry, row + o, lanes));
      if (masked) {
        st(dhCarry, row + o, dh, lanes);
        st(dPre, row + o, f32x4.splat(0.0), lanes);
      } else {
        st(dPre, row + o, f32x4.mul(dh, actGrad(actCode, ld(h, row + o, lanes))), lanes);
        st(dhCarry, row + o, f32x4.splat(0.0), lanes);
      }
      j += lanes;
    }
  }
}

// ---- GRU (reset_after = false, as tfjs-layers and Keras 2: gates z, r, h) ----
// z, r = ract(xw_zr + h_{t-1} · U_zr); hh = act(xw_h + (r * h_{t-1}) · U_h);
// h = z * h_{t-1} + (1 - z) * hh. The second product depends on r, so a step is
// GEMM, gru_gates_f32, GEMM, gru_out_f32; backward mirrors it.

/** z, r into zr ([B, 2u] rows), and rh = r * hPrev for the second GEMM. */
export function gru_gates_f32(xw: usize, huZr: usize, hPrev: usize, zr: usize, rh: usize, B: i32, units: i32, ractCode: i32): void {
  const gw = <usize>units << 2;
  for (let b = 0; b < B; b++) {
    const row = <usize>b * gw;
    const xrow = row * 3;
    const zrow = row << 1;
    for (let j = 0; j < units;) {
      const lanes = units - j >= 4 ? 4 : 1;
      const o = <usize>j << 2;
      const z = act(ractCode, f32x4.add(ld(xw, xrow + o, lanes), ld(huZr, zrow + o, lanes)));
      const r = act(ractCode, f32x4.add(ld(xw, xrow + gw + o, lanes), ld(huZr, zrow + gw + o, lanes)));
      st(zr, zrow + o, z, lanes);
      st(zr, zrow + gw + o, r, lanes);
      st(rh, row + o, f32x4.mul(r, ld(hPrev, row + o, lanes)), lanes);
      j += lanes;
    }
  }
}

/** hh = act(xw_h + huH), h = z * hPrev + (1 - z) * hh; masked rows keep hPrev. */
export function gru_out_f32(xw: usize, huH: usize, hPrev: usize, zr: usize, mask: usize, hh: usize, h: usize, B: i32, units: i32, actCode: i32): void {
  const gw = <usize>units << 2;
  for (let b = 0; b < B; b++) {
    const row = <usize>b * gw;
    if (keepsState(mask, b)) {
      memory.copy(h + row, hPrev + row, gw);
      memory.fill(hh + row, 0, gw);
      continue;
    }
    const xrow = row * 3;
    const zrow = row << 1;
    for (let j = 0; j < units;) {
      const lanes = units - j >= 4 ? 4 : 1;
      const o = <usize>j << 2;
      const c = act(actCode, f32x4.add(ld(xw, xrow + 2 * gw + o, lanes), ld(huH, row + o, lanes)));
      const z = ld(zr, zrow + o, lanes);
      const hp = ld(hPrev, row + o, lanes);
      st(hh, row + o, c, lanes);
      st(h, row + o, f32x4.add(c, f32x4.mul(z, f32x4.sub(hp, c))), lanes);
      j += lanes;
    }
  }
}

/**
 * GRU backward, first half: dh = dOutH + dhRec + dhCarry. Writes dGzr's z
 * part, dGh (pre-activation of hh) and dhCarry = dh * z (the direct path);
 * masked rows: zeros and dhCarry = dh. The r part needs dGh · U_h^T first.
 */
export function gru_grad_out_f32(zr: usize, hh: usize, hPrev: usize, mask: usize, dOutH: usize, dhRec: usize, dhCarry: usize,
  dGzr: usize, dGh: usize, B: i32, units: i32, actCode: i32, ractCode: i32): void {
  const gw = <usize>units << 2;
  for (let b = 0; b < B; b++) {
    const row = <usize>b * gw;
    const zrow = row << 1;
    const masked = keepsState(mask, b);
    for (let j = 0; j < units;) {
      const lanes = units - j >= 4 ? 4 : 1;
      const o = <usize>j << 2;
      const dh = f32x4.add(f32x4.add(ld(dOutH, row + o, lanes), ld(dhRec, row + o, lanes)), ld(dhCarry, row + o, lanes));
      if (masked) {
        const zero = f32x4.splat(0.0);
        st(dGzr, zrow + o, zero, lanes);
        st(dGzr, zrow + gw + o, zero, lanes);
        st(dGh, row + o, zero, lanes);
        st(dhCarry, row + o, dh, lanes);
      } else {
        const z = ld(zr, zrow + o, lanes);
        const c = ld(hh, row + o, lanes);
        const dz = f32x4.mul(dh, f32x4.sub(ld(hPrev, row + o, lanes), c));
        st(dGzr, zrow + o, f32x4.mul(dz, actGrad(ractCode, z)), lanes);
        st(dGh, row + o, f32x4.mul(f32x4.mul(dh, f32x4.sub(f32x4.splat(1.0), z)), actGrad(actCode, c)), lanes);
        st(dhCarry, row + o, f32x4.mul(dh, z), lanes);
      }
      j += lanes;
    }
  }
}

/** GRU backward, second half, from dRh = dGh · U_h^T: dGzr's r part, and dhCarry += dRh * r. Masked rows untouched. */
export function gru_grad_reset_f32(zr: usize, hPrev: usize, mask: usize, dRh: usize, dGzr: usize, dhCarry: usize, B: i32, units: i32, ractCode: i32): void {
  const gw = <usize>units << 2;
  for (let b = 0; b < B; b++) {
    if (keepsState(mask, b)) continue;
    const row = <usize>b * gw;
    const zrow = row << 1;
    for (let j = 0; j < units;) {
      const lanes = units - j >= 4 ? 4 : 1;
      const o = <usize>j << 2;
      const r = ld(zr, zrow + gw + o, lanes);
      const drh = ld(dRh, row + o, lanes);
      st(dGzr, zrow + gw + o, f32x4.mul(f32x4.mul(drh, ld(hPrev, row + o, lanes)), actGrad(ractCode, r)), lanes);
      st(dhCarry, row + o, f32x4.add(ld(dhCarry, row + o, lanes), f32x4.mul(drh, r)), lanes);
      j += lanes;
    }
  }
}

// ---- GRU with reset_after = true (Keras 3's default; cuDNN's form) ----
// hu = h_{t-1} · U + b_rec for all three gates in ONE product (the caller's
// GEMM with a bias epilogue); then z, r = ract(xw_zr + hu_zr),
// hh = act(xw_h + r * hu_h), h = z * h_{t-1} + (1 - z) * hh, in one pass.

/** gates receives z, r, hh ([B, 3u] rows). */
export function gru_ra_cell_f32(xw: usize, hu: usize, hPrev: usize, mask: usize, gates: usize, h: usize,
  B: i32, units: i32, actCode: i32, ractCode: i32): void {
  const gw = <usize>units << 2;
  for (let b = 0; b < B; b++) {
    const row = <usize>b * gw;
    const grow = row * 3;
    if (keepsState(mask, b)) {
      memory.copy(h + row, hPrev + row, gw);
      memory.fill(gates + grow, 0, gw * 3);
      continue;
    }
    for (let j = 0; j < units;) {
      const lanes = units - j >= 4 ? 4 : 1;
      const o = <usize>j << 2;
      const z = act(ractCode, f32x4.add(ld(xw, grow + o, lanes), ld(hu, grow + o, lanes)));
      const r = act(ractCode, f32x4.add(ld(xw, grow + gw + o, lanes), ld(hu, grow + gw + o, lanes)));
      const c = act(actCode, f32x4.add(ld(xw, grow + 2 * gw + o, lanes), f32x4.mul(r, ld(hu, grow + 2 * gw + o, lanes))));
      st(gates, grow + o, z, lanes);
      st(gates, grow + gw + o, r, lanes);
      st(gates, grow + 2 * gw + o, c, lanes);
      st(h, row + o, f32x4.add(c, f32x4.mul(z, f32x4.sub(ld(hPrev, row + o, lanes), c))), lanes);
      j += lanes;
    }
  }
}

/**
 * Backward of gru_ra_cell_f32: dh = dOutH + dhRec + dhCarry; dX (xw's
 * gradient) = [dz', dr', dhh'], dG (hu's gradient) = [dz', dr', dhh' * r];
 * dhCarry = dh * z (masked rows: zeros, dhCarry = dh).
 */
export function gru_ra_cell_grad_f32(gates: usize, hu: usize, hPrev: usize, mask: usize, dOutH: usize, dhRec: usize, dhCarry: usize,
  dX: usize, dG: usize, B: i32, units: i32, actCode: i32, ractCode: i32): void {
  const gw = <usize>units << 2;
  for (let b = 0; b < B; b++) {
    const row = <usize>b * gw;
    const grow = row * 3;
    const masked = keepsState(mask, b);
    for (let j = 0; j < units;) {
      const lanes = units - j >= 4 ? 4 : 1;
      const o = <usize>j << 2;
      const dh = f32x4.add(f32x4.add(ld(dOutH, row + o, lanes), ld(dhRec, row + o, lanes)), ld(dhCarry, row + o, lanes));
      if (masked) {
        const zero = f32x4.splat(0.0);
        for (let g: usize = 0; g < 3; g++) {
          st(dX, grow + g * gw + o, zero, lanes);
          st(dG, grow + g * gw + o, zero, lanes);
        }
        st(dhCarry, row + o, dh, lanes);
      } else {
        const z = ld(gates, grow + o, lanes);
        const r = ld(gates, grow + gw + o, lanes);
        const c = ld(gates, grow + 2 * gw + o, lanes);
        const dzp = f32x4.mul(f32x4.mul(dh, f32x4.sub(ld(hPrev, row + o, lanes), c)), actGrad(ractCode, z));
        const dah = f32x4.mul(f32x4.mul(dh, f32x4.sub(f32x4.splat(1.0), z)), actGrad(actCode, c));
        const drp = f32x4.mul(f32x4.mul(dah, ld(hu, grow + 2 * gw + o, lanes)), actGrad(ractCode, r));
        st(dX, grow + o, dzp, lanes);
        st(dX, grow + gw + o, drp, lanes);
        st(dX, grow + 2 * gw + o, dah, lanes);
        st(dG, grow + o, dzp, lanes);
        st(dG, grow + gw + o, drp, lanes);
        st(dG, grow + 2 * gw + o, f32x4.mul(dah, r), lanes);
        st(dhCarry, row + o, f32x4.mul(dh, z), lanes);
      }
      j += lanes;
    }
  }
}
