// The GRU recurrences as single differentiable ops, like lstmRecurrence
// (src/ops/recurrent.ts). reset_after = false (tfjs-layers' only form, Keras
// 2's default) first; reset_after = true (Keras 3) at the end of the file:
//   z, r = ract(xw_zr + h_{t-1} · U_zr)        GEMM 1 + gru_gates_f32
//   hh   = act(xw_h + (r * h_{t-1}) · U_h)     GEMM 2 + gru_out_f32
//   h    = z * h_{t-1} + (1 - z) * hh
// U [u, 3u] is split once per call into contiguous U_zr [u, 2u] and U_h [u, u]
// so that both products run on raw pointers. The backward per step is
// gru_grad_out_f32, dRh = dGh · U_h^T, gru_grad_reset_f32, dhRec = dGzr · U_zr^T;
// dU_zr = sum h_{t-1}^T dGzr and dU_h = sum (r * h_{t-1})^T dGh are one GEMM each.
import { ACT_NONE } from '../../assembly/opcodes';
import { isRecording, record } from '../autograd/tape';
import { backend } from '../engine';
import { fail, fmtShape } from '../errors';
import type { Tensor } from '../tensor';
import { contiguous, empty, ptrOf } from './alloc';
import { fill } from './create';
import { add } from './elementwise';
import { slice } from './indexing';
import { checkShapes, gemm, recurrentKernelGrad, stateOrZeros, type RecurrenceOptions } from './recurrent';
import { sum } from './reduce';
import { concat, reshape } from './shape';
import { wantFullKernels } from '../backends/wasm/kernel_sets';

// Its kernels are in the full set only: a bundle that holds this module loads it.
wantFullKernels();

/** A contiguous copy of columns [start, start + n) of a matrix. */
function columns(m: Tensor, start: number, n: number): Tensor {
  const view = slice(m, [0, start], [m.shape[0], n]);
  const out = contiguous(view);
  if (out !== view) view.dispose();
  return out;
}

/** xw [T, B, 3u] (z r h, bias included), U [u, 3u], h0 [B, u] or null. Returns every step's h, [T, B, u]. */
export function gruRecurrence(xw: Tensor, U: Tensor, h0: Tensor | null, opts: RecurrenceOptions): Tensor {
  const fn = 'gru';
  const [T, B, units] = checkShapes(fn, xw, U, 3, [h0], opts.mask);
  const be = backend();
  const x = contiguous(xw);
  const uzr = columns(U, 0, 2 * units);
  const uh = columns(U, 2 * units, units);
  const h0c = stateOrZeros(h0, B, units);
  const mask = opts.mask ? contiguous(opts.mask) : null;
  const recording = isRecording();
  const out = empty([T, B, units], 'float32');
  // Kept for every step only when a backward pass will read them.
  const steps = recording ? T : 1;
  const zr = empty([steps, B, 2 * units], 'float32');
  const hh = empty([steps, B, units], 'float32');
  const rh = empty([steps, B, units], 'float32');
  const huZr = empty([B, 2 * units], 'float32');
  const huH = empty([B, units], 'float32');
  const row = B * units * 4;
  const H = ptrOf(out);
  const at = (t: number) => (recording ? t * row : 0);
  const maskAt = (t: number) => (mask ? ptrOf(mask) + t * B * 4 : 0);
  for (let t = 0; t < T; t++) {
    const hPrev = t === 0 ? ptrOf(h0c) : H + (t - 1) * row;
    const xt = ptrOf(x) + t * 3 * row;
    gemm(hPrev, ptrOf(uzr), ptrOf(huZr), B, 2 * units, units, false, false);
    be.gruGates(xt, ptrOf(huZr), hPrev, ptrOf(zr) + 2 * at(t), ptrOf(rh) + at(t), B, units, opts.recurrentActivation);
    gemm(ptrOf(rh) + at(t), ptrOf(uh), ptrOf(huH), B, units, units, false, false);
    be.gruOut(xt, ptrOf(huH), hPrev, ptrOf(zr) + 2 * at(t), maskAt(t), ptrOf(hh) + at(t), H + t * row, B, units, opts.activation);
  }
  huZr.dispose();
  huH.dispose();
  const temps = [x, uzr, uh, h0c, zr, hh, rh, ...(mask ? [mask] : [])];
  if (recording) {
    record(fn, [xw, U, ...(h0 ? [h0] : [])], out, (dy, needs) => {
      const dOut = contiguous(dy);
      const dGzr = empty([T, B, 2 * units], 'float32');
      const dGh = empty([T, B, units], 'float32');
      const dRh = empty([B, units], 'float32');
      const dhRec = fill([B, units], 0, 'float32');
      const dhCarry = fill([B, units], 0, 'float32');
      for (let t = T - 1; t >= 0; t--) {
        const hPrev = t === 0 ? ptrOf(h0c) : H + (t - 1) * row;
        const zrT = ptrOf(zr) + 2 * t * row;
        const dGzrT = ptrOf(dGzr) + 2 * t * row;
        be.gruGradOut(zrT, ptrOf(hh) + t * row, hPrev, maskAt(t), ptrOf(dOut) + t * row, ptrOf(dhRec), ptrOf(dhCarry), dGzrT,
          ptrOf(dGh) + t * row, B, units, opts.activation, opts.recurrentActivation);
        gemm(ptrOf(dGh) + t * row, ptrOf(uh), ptrOf(dRh), B, units, units, false, true);
        be.gruGradReset(zrT, hPrev, maskAt(t), ptrOf(dRh), dGzrT, ptrOf(dhCarry), B, units, opts.recurrentActivation);
        gemm(dGzrT, ptrOf(uzr), ptrOf(dhRec), B, units, 2 * units, false, true);
      }
      if (dOut !== dy) dOut.dispose();
      let dU: Tensor | null = null;
      if (needs[1]) {
        const dUzr = recurrentKernelGrad(H, row, h0c, dGzr, T, B, units, 2);
        const dUh = empty([units, units], 'float32');
        gemm(ptrOf(rh), ptrOf(dGh), ptrOf(dUh), units, units, T * B, true, false);
        dU = concat([dUzr, dUh], 1);
        dUzr.dispose();
        dUh.dispose();
      }
      const dXW = concat([dGzr, dGh], 2);
      const grads: (Tensor | null)[] = [reshape(dXW, xw.shape.slice()), dU];
      if (h0) grads.push(add(dhRec, dhCarry));
      for (const t of [dGzr, dGh, dRh, dhRec, dhCarry, dXW]) t.dispose();
      return grads;
    }, temps);
  }
  for (const t of temps) if (t !== xw && t !== h0 && t !== opts.mask) t.dispose();
  return out;
}

/**
 * The GRU recurrence with reset_after (Keras 3's default): one GEMM per step,
 * hu = h_{t-1} · U + bRec over all three gates (bias in the GEMM's epilogue),
 * then one fused pass (gru_ra_cell_f32). xw [T, B, 3u], U [u, 3u], bRec [3u]
 * (the recurrent bias) or null, h0 [B, u] or null. Returns h for every step, [T, B, u].
 */
export function gruResetAfterRecurrence(xw: Tensor, U: Tensor, bRec: Tensor | null, h0: Tensor | null, opts: RecurrenceOptions): Tensor {
  const fn = 'gru';
  const [T, B, units] = checkShapes(fn, xw, U, 3, [h0], opts.mask);
  if (bRec && bRec.size !== 3 * units) fail(fn, `the recurrent bias must hold ${3 * units} values, got shape ${fmtShape(bRec.shape)}`);
  const be = backend();
  const x = contiguous(xw);
  const u = contiguous(U);
  const bias = bRec ? contiguous(bRec) : null;
  const h0c = stateOrZeros(h0, B, units);
  const mask = opts.mask ? contiguous(opts.mask) : null;
  const recording = isRecording();
  const out = empty([T, B, units], 'float32');
  const steps = recording ? T : 1;
  // hu and the gates are kept for every step only when a backward pass will read them.
  const hu = empty([steps, B, 3 * units], 'float32');
  const gates = empty([steps, B, 3 * units], 'float32');
  const row = B * units * 4;
  const H = ptrOf(out);
  const at = (t: number) => (recording ? 3 * t * row : 0);
  const maskAt = (t: number) => (mask ? ptrOf(mask) + t * B * 4 : 0);
  for (let t = 0; t < T; t++) {
    const hPrev = t === 0 ? ptrOf(h0c) : H + (t - 1) * row;
    be.matMul({ a: hPrev, b: ptrOf(u), c: ptrOf(hu) + at(t), m: B, n: 3 * units, k: units, transposeA: false, transposeB: false,
      batch: 1, strideA: 0, strideB: 0, bias: bias ? ptrOf(bias) : 0, activation: ACT_NONE });
    be.gruResetAfterCell(ptrOf(x) + 3 * t * row, ptrOf(hu) + at(t), hPrev, maskAt(t), ptrOf(gates) + at(t), H + t * row, B, units,
      opts.activation, opts.recurrentActivation);
  }
  const temps = [x, u, h0c, hu, gates, ...(bias ? [bias] : []), ...(mask ? [mask] : [])];
  if (recording) {
    record(fn, [xw, U, ...(bRec ? [bRec] : []), ...(h0 ? [h0] : [])], out, (dy, needs) => {
      const dOut = contiguous(dy);
      const dX = empty([T, B, 3 * units], 'float32');
      const dG = empty([T, B, 3 * units], 'float32');
      const dhRec = fill([B, units], 0, 'float32');
      const dhCarry = fill([B, units], 0, 'float32');
      for (let t = T - 1; t >= 0; t--) {
        const hPrev = t === 0 ? ptrOf(h0c) : H + (t - 1) * row;
        be.gruResetAfterCellGrad(ptrOf(gates) + 3 * t * row, ptrOf(hu) + 3 * t * row, hPrev, maskAt(t), ptrOf(dOut) + t * row,
          ptrOf(dhRec), ptrOf(dhCarry), ptrOf(dX) + 3 * t * row, ptrOf(dG) + 3 * t * row, B, units, opts.activation, opts.recurrentActivation);
        gemm(ptrOf(dG) + 3 * t * row, ptrOf(u), ptrOf(dhRec), B, units, 3 * units, false, true);
      }
      if (dOut !== dy) dOut.dispose();
      const grads: (Tensor | null)[] = [reshape(dX, xw.shape.slice()), needs[1] ? recurrentKernelGrad(H, row, h0c, dG, T, B, units, 3) : null];
      if (bRec) {
        const flat = reshape(dG, [T * B, 3 * units]);
        grads.push(needs[2] ? reshape(sum(flat, 0), bRec.shape.slice()) : null);
        flat.dispose();
      }
      if (h0) grads.push(add(dhRec, dhCarry));
      for (const t of [dX, dG, dhRec, dhCarry]) t.dispose();
      return grads;
    }, temps);
  }
  for (const t of temps) if (t !== xw && t !== U && t !== bRec && t !== h0 && t !== opts.mask) t.dispose();
  return out;
}
