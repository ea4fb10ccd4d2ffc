// The recurrences of LSTM and SimpleRNN, as single differentiable ops.
//
// The layers (src/layers/recurrent.ts) compute the input projection for all
// time steps as ONE matMul before calling these: xw = x · W + b, time-major
// [T, B, k*units]. What remains is inherently sequential: per step one GEMM
// h_{t-1} · U over all k gates at once, then one fused kernel pass for the
// gate math (assembly/kernels/recurrent.ts). The GEMMs and kernels run on raw
// pointers into buffers allocated once per call, so a step allocates nothing.
//
// The whole loop is one tape node: its backward runs backprop through time
// with the matching backward kernel, one dGates · U^T GEMM per step, and dU as
// a single GEMM over all steps at the end (sum_t h_{t-1}^T · dGates_t).
// (Gradients of these gradients are not supported: the backward is raw kernels.)
import { ACT_NONE, B_MUL } from '../../assembly/opcodes';
import type { View } from '../backends/backend';
import { isRecording, record } from '../autograd/tape';
import { backend } from '../engine';
import { fail, fmtShape } from '../errors';
import type { Tensor } from '../tensor';
import { contiguous, empty, ptrOf } from './alloc';
import { fill } from './create';
import { add } from './elementwise';
import { reshape } from './shape';
import { wantFullKernels } from '../backends/wasm/kernel_sets';

// Its kernels are in the full set only: a bundle that holds this module loads it.
wantFullKernels();

export interface RecurrenceOptions {
  /** RA_* codes (assembly/rnn_opcodes.ts). */
  activation: number;
  recurrentActivation: number;
  /** float32 [T, B], contiguous: 0 where a step keeps the previous state. */
  mask?: Tensor | null;
  /**
   * Recurrent dropout (LSTM, SimpleRNN): float32 [B, u], already scaled by
   * 1 / (1 - rate); the GEMM reads h_{t-1} * recurrentMask, the same mask at every step.
   */
  recurrentMask?: Tensor | null;
}

/**
 * h_{t-1} * mask for the recurrent GEMM, and the same factor on the gradient
 * that GEMM returns: one elementwise pass on raw pointers (the views are made
 * once per call, not per step).
 */
class RecurrentDrop {
  private readonly a: View;
  private readonly m: View;
  constructor(private readonly mask: Tensor, B: number, units: number) {
    const shape = [B, units];
    const strides = [units, 1];
    this.a = { ptr: 0, shape, strides, dtype: 'float32' };
    this.m = { ptr: ptrOf(mask), shape, strides, dtype: 'float32' };
  }
  /** out = x * mask over [B, u] floats (out may be x). */
  apply(x: number, out: number): void {
    this.a.ptr = x;
    backend().binary(B_MUL, this.a, this.m, out, this.a.shape);
  }
}

/** C = op(A) · op(B) on raw pointers, one matrix (the per-step GEMM). */
export function gemm(a: number, b: number, c: number, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean): void {
  backend().matMul({ a, b, c, m, n, k, transposeA, transposeB, batch: 1, strideA: 0, strideB: 0, bias: 0, activation: ACT_NONE });
}

export function checkShapes(fn: string, xw: Tensor, u: Tensor, gates: number, states: (Tensor | null)[], mask: Tensor | null | undefined): [number, number, number] {
  if (u.rank !== 2 || u.shape[1] !== gates * u.shape[0]) fail(fn, `recurrent kernel must be [units, ${gates} * units], got ${fmtShape(u.shape)}`);
  const units = u.shape[0];
  if (xw.rank !== 3 || xw.shape[2] !== gates * units) fail(fn, `xw must be [T, batch, ${gates * units}], got ${fmtShape(xw.shape)}`);
  const [T, B] = xw.shape;
  for (const s of states) if (s && (s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== units)) fail(fn, `an initial state must be [${B}, ${units}], got ${fmtShape(s.shape)}`);
  if (mask && (mask.rank !== 2 || mask.shape[0] !== T || mask.shape[1] !== B || mask.dtype !== 'float32')) {
    fail(fn, `mask must be float32 [${T}, ${B}] (time-major), got ${mask.dtype} ${fmtShape(mask.shape)}`);
  }
  return [T, B, units];
}

/** A contiguous state, or zeros when none is given (then not an input of the node). */
export function stateOrZeros(s: Tensor | null, B: number, units: number): Tensor {
  return s ? contiguous(s) : fill([B, units], 0, 'float32');
}

/**
 * The LSTM recurrence. xw [T, B, 4u] (gates i f c o, bias included), U [u, 4u],
 * initial states h0, c0 [B, u] or null (zeros). Returns [2, T, B, u]: every
 * step's h (plane 0) and c (plane 1).
 */
export function lstmRecurrence(xw: Tensor, U: Tensor, h0: Tensor | null, c0: Tensor | null, opts: RecurrenceOptions): Tensor {
  const fn = 'lstm';
  const [T, B, units] = checkShapes(fn, xw, U, 4, [h0, c0], opts.mask);
  const be = backend();
  const x = contiguous(xw);
  const u = contiguous(U);
  const h0c = stateOrZeros(h0, B, units);
  const c0c = stateOrZeros(c0, B, units);
  const mask = opts.mask ? contiguous(opts.mask) : null;
  const recording = isRecording();
  const out = empty([2, T, B, units], 'float32');
  // The gates are kept for every step only when a backward pass will read them.
  const gates = empty(recording ? [T, B, 4 * units] : [B, 4 * units], 'float32');
  const hu = empty([B, 4 * units], 'float32');
  const row = B * units * 4; // bytes of one step's state
  const H = ptrOf(out);
  const C = H + T * row;
  const rm = opts.recurrentMask ? contiguous(opts.recurrentMask) : null;
  const drop = rm ? new RecurrentDrop(rm, B, units) : null;
  // Every step's dropped h_{t-1} (the GEMM's operand), kept for dU when recording.
  const hd = drop ? empty([recording ? T : 1, B, units], 'float32') : null;
  const operand = (t: number, hPrev: number): number => {
    if (!drop || !hd) return hPrev;
    const p = ptrOf(hd) + (recording ? t * row : 0);
    drop.apply(hPrev, p);
    return p;
  };
  for (let t = 0; t < T; t++) {
    const hPrev = t === 0 ? ptrOf(h0c) : H + (t - 1) * row;
    const cPrev = t === 0 ? ptrOf(c0c) : C + (t - 1) * row;
    gemm(operand(t, hPrev), ptrOf(u), ptrOf(hu), B, 4 * units, units, false, false);
    be.lstmCell(ptrOf(x) + t * 4 * row, ptrOf(hu), hPrev, cPrev, mask ? ptrOf(mask) + t * B * 4 : 0,
      ptrOf(gates) + (recording ? t * 4 * row : 0), H + t * row, C + t * row, B, units, opts.activation, opts.recurrentActivation);
  }
  hu.dispose();
  const inputs = [xw, U, ...(h0 ? [h0] : []), ...(c0 ? [c0] : [])];
  const temps = [x, u, h0c, c0c, gates, ...(mask ? [mask] : []), ...(rm && hd ? [rm, hd] : [])];
  if (recording) {
    record(fn, inputs, out, (dy, needs) => {
      const dOut = contiguous(dy);
      const dG = empty([T, B, 4 * units], 'float32');
      const dhRec = fill([B, units], 0, 'float32');
      const dhCarry = fill([B, units], 0, 'float32');
      const dcCarry = fill([B, units], 0, 'float32');
      const D = ptrOf(dOut);
      for (let t = T - 1; t >= 0; t--) {
        const cPrev = t === 0 ? ptrOf(c0c) : C + (t - 1) * row;
        be.lstmCellGrad(ptrOf(gates) + t * 4 * row, C + t * row, cPrev, mask ? ptrOf(mask) + t * B * 4 : 0,
          D + t * row, D + (T + t) * row, ptrOf(dhRec), ptrOf(dhCarry), ptrOf(dcCarry), ptrOf(dG) + t * 4 * row,
          B, units, opts.activation, opts.recurrentActivation);
        gemm(ptrOf(dG) + t * 4 * row, ptrOf(u), ptrOf(dhRec), B, units, 4 * units, false, true);
        drop?.apply(ptrOf(dhRec), ptrOf(dhRec));
      }
      if (dOut !== dy) dOut.dispose();
      const dU = needs[1] ? (hd ? droppedKernelGrad(hd, dG, T, B, units, 4) : recurrentKernelGrad(H, row, h0c, dG, T, B, units, 4)) : null;
      const grads: (Tensor | null)[] = [reshape(dG, xw.shape.slice()), dU];
      if (h0) grads.push(add(dhRec, dhCarry));
      if (c0) grads.push(dcCarry.clone());
      for (const t of [dG, dhRec, dhCarry, dcCarry]) t.dispose();
      return grads;
    }, temps);
  }
  // Under a tape these wait for the backward pass (tape.held).
  for (const t of temps) if (t !== xw && t !== U && t !== h0 && t !== c0 && t !== opts.mask && t !== opts.recurrentMask) t.dispose();
  return out;
}

/**
 * dU = sum_t h_{t-1}^T · dG_t: one GEMM over steps 1..T-1 (their previous
 * states are H[0..T-2], contiguous) plus h0^T · dG_0.
 */
export function recurrentKernelGrad(H: number, row: number, h0: Tensor, dG: Tensor, T: number, B: number, units: number, k: number): Tensor {
  const first = empty([units, k * units], 'float32');
  gemm(ptrOf(h0), ptrOf(dG), ptrOf(first), units, k * units, B, true, false);
  if (T === 1) return first;
  const rest = empty([units, k * units], 'float32');
  gemm(H, ptrOf(dG) + B * k * units * 4, ptrOf(rest), units, k * units, (T - 1) * B, true, false);
  const dU = add(first, rest);
  first.dispose();
  rest.dispose();
  return dU;
}

/** dU = HD^T · dG with HD the dropped h_{t-1} of every step ([T * B, u]): one GEMM. */
function droppedKernelGrad(hd: Tensor, dG: Tensor, T: number, B: number, units: number, k: number): Tensor {
  const dU = empty([units, k * units], 'float32');
  gemm(ptrOf(hd), ptrOf(dG), ptrOf(dU), units, k * units, T * B, true, false);
  return dU;
}

/**
 * The SimpleRNN recurrence: h_t = act(xw_t + h_{t-1} · U). xw [T, B, u],
 * U [u, u], h0 [B, u] or null. Returns every step's h, [T, B, u].
 */
export function rnnRecurrence(xw: Tensor, U: Tensor, h0: Tensor | null, opts: RecurrenceOptions): Tensor {
  const fn = 'simpleRNN';
  const [T, B, units] = checkShapes(fn, xw, U, 1, [h0], opts.mask);
  const be = backend();
  const x = contiguous(xw);
  const u = contiguous(U);
  const h0c = stateOrZeros(h0, B, units);
  const mask = opts.mask ? contiguous(opts.mask) : null;
  const out = empty([T, B, units], 'float32');
  const hu = empty([B, units], 'float32');
  const row = B * units * 4;
  const H = ptrOf(out);
  const recording = isRecording();
  const rm = opts.recurrentMask ? contiguous(opts.recurrentMask) : null;
  const drop = rm ? new RecurrentDrop(rm, B, units) : null;
  const hd = drop ? empty([recording ? T : 1, B, units], 'float32') : null;
  for (let t = 0; t < T; t++) {
    const hPrev = t === 0 ? ptrOf(h0c) : H + (t - 1) * row;
    let operand = hPrev;
    if (drop && hd) {
      operand = ptrOf(hd) + (recording ? t * row : 0);
      drop.apply(hPrev, operand);
    }
    gemm(operand, ptrOf(u), ptrOf(hu), B, units, units, false, false);
    be.rnnCell(ptrOf(x) + t * row, ptrOf(hu), hPrev, mask ? ptrOf(mask) + t * B * 4 : 0, H + t * row, B, units, opts.activation);
  }
  hu.dispose();
  const temps = [x, u, h0c, ...(mask ? [mask] : []), ...(rm && hd ? [rm, hd] : [])];
  if (recording) {
    record(fn, [xw, U, ...(h0 ? [h0] : [])], out, (dy, needs) => {
      const dOut = contiguous(dy);
      const dG = empty([T, B, units], 'float32');
      const dhRec = fill([B, units], 0, 'float32');
      const dhCarry = fill([B, units], 0, 'float32');
      for (let t = T - 1; t >= 0; t--) {
        be.rnnCellGrad(H + t * row, mask ? ptrOf(mask) + t * B * 4 : 0, ptrOf(dOut) + t * row, ptrOf(dhRec), ptrOf(dhCarry),
          ptrOf(dG) + t * row, B, units, opts.activation);
        gemm(ptrOf(dG) + t * row, ptrOf(u), ptrOf(dhRec), B, units, units, false, true);
        drop?.apply(ptrOf(dhRec), ptrOf(dhRec));
      }
      if (dOut !== dy) dOut.dispose();
      const dU = needs[1] ? (hd ? droppedKernelGrad(hd, dG, T, B, units, 1) : recurrentKernelGrad(H, row, h0c, dG, T, B, units, 1)) : null;
      const grads: (Tensor | null)[] = [reshape(dG, xw.shape.slice()), dU];
      if (h0) grads.push(add(dhRec, dhCarry));
      for (const t of [dG, dhRec, dhCarry]) t.dispose();
      return grads;
    }, temps);
  }
  for (const t of temps) if (t !== xw && t !== U && t !== h0 && t !== opts.mask && t !== opts.recurrentMask) t.dispose();
  return out;
}
