// Matrix products: TF.js matMul (batched, broadcast batch dims, transposes
// handled by the GEMM kernel without copying) and numpy/Keras dot.
import * as op from '../../assembly/opcodes';
import { ACT_NONE } from '../../assembly/opcodes';
import { isRecording, record } from '../autograd/tape';
import { unbroadcast } from '../autograd/unbroadcast';
import { backend } from '../engine';
import { gpuOps, type GemmCall } from '../backends/webgpu/hook';
import { fail, fmtShape } from '../errors';
import { broadcastShapes, broadcastStrides, contiguousStrides, sizeOf } from '../shape';
import { Tensor } from '../tensor';
import { contiguous, empty, ptrOf, requireFloat } from './alloc';
import { activationGrad, GRAD_FROM_OUTPUT } from './activation_grad';
import * as ew from './elementwise';
import { sum } from './reduce';
import { reshape, transpose } from './shape';
import { checked } from './numerics';

/** A batch of matrices the kernel can read: rows dense in memory, possibly stored transposed. */
interface MatrixOperand {
  t: Tensor;
  rows: number;
  cols: number;
  /** Stored as [cols, rows] (a transposed view of a dense matrix). */
  storedTransposed: boolean;
}

/** Uses x's storage directly when its last two axes are dense (either order), else a contiguous copy. */
function matrixOperand(x: Tensor): MatrixOperand {
  const r = x.rank;
  const rows = x.shape[r - 2];
  const cols = x.shape[r - 1];
  const [sr, sc] = [x.strides[r - 2], x.strides[r - 1]];
  const dense = (sc === 1 || cols === 1) && (sr === cols || rows === 1);
  const denseT = (sr === 1 || rows === 1) && (sc === rows || cols === 1);
  if (dense) return { t: x, rows, cols, storedTransposed: false };
  if (denseT) return { t: x, rows, cols, storedTransposed: true };
  return { t: contiguous(x), rows, cols, storedTransposed: false };
}

export interface Epilogue {
  /** A float32 vector of length N added to every output row. */
  bias?: Tensor;
  /** A unary op code (assembly/opcodes.ts U_*) applied after the bias. */
  activation?: number;
}

/** TF.js matMul: rank >= 2, batch dims broadcast, optional transposes of the last two axes. */
export function matMul(a: Tensor, b: Tensor, transposeA = false, transposeB = false, epilogue: Epilogue = {}): Tensor {
  const fn = 'matMul';
  requireFloat(fn, 'a', a);
  requireFloat(fn, 'b', b);
  for (const [arg, t] of [['a', a], ['b', b]] as const) {
    if (t.rank < 2) fail(fn, `${arg} must have rank >= 2, got shape ${fmtShape(t.shape)} (use dot for vectors)`);
  }
  const m = transposeA ? a.shape[a.rank - 1] : a.shape[a.rank - 2];
  const ka = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1];
  const kb = transposeB ? b.shape[b.rank - 1] : b.shape[b.rank - 2];
  const n = transposeB ? b.shape[b.rank - 2] : b.shape[b.rank - 1];
  if (ka !== kb) {
    fail(fn, `inner dimensions must match: a ${fmtShape(a.shape)}${transposeA ? ' (transposed)' : ''} has ${ka}, b ${fmtShape(b.shape)}${transposeB ? ' (transposed)' : ''} has ${kb}`);
  }
  const batchShape = broadcastShapes(fn, a.shape.slice(0, -2), b.shape.slice(0, -2));
  const bias = epilogue.bias;
  if (bias !== undefined) {
    requireFloat(fn, 'bias', bias);
    if (bias.size !== n || !bias.isContiguous) fail(fn, `bias must be a contiguous vector of ${n} values, got shape ${fmtShape(bias.shape)}`);
  }
  const activation = epilogue.activation ?? ACT_NONE;
  if (activation !== ACT_NONE && !(activation in ACTIVATIONS)) fail(fn, `unsupported fused activation code ${activation}`);
  // An empty product keeps the separate ops too: they give the bias its zero gradient.
  const fusedBackward = (activation === ACT_NONE || GRAD_FROM_OUTPUT.has(activation)) && m * n * sizeOf(batchShape) > 0;
  if ((bias !== undefined || activation !== ACT_NONE) && !fusedBackward && isRecording()) {
    // An activation whose gradient needs its input (gelu, elu, ...): under a
    // gradient tape, run the epilogue as separate ops so each records its gradient.
    let y = matMul(a, b, transposeA, transposeB);
    if (bias !== undefined) y = ew.add(y, bias);
    return activation === ACT_NONE ? y : ACTIVATIONS[activation](y);
  }
  const out = empty([...batchShape, m, n], 'float32');
  // An empty product has nothing to compute but still records its gradient
  // (zeros for the operands), as TF.js does.
  if (out.size > 0) gemmInto(out, a, b, transposeA, transposeB, batchShape, bias, activation);
  if (!isRecording()) return checked(fn, out);
  if (bias === undefined && activation === ACT_NONE) {
    record(fn, [a, b], out, (dy, needs) => {
      const [da, db] = matMulGrad(dy, a, b, transposeA, transposeB, needs);
      return [da && unbroadcast(da, a.shape), db && unbroadcast(db, b.shape)];
    });
  } else {
    // The fused Dense backward: one node instead of matMul -> add -> activation.
    // dz = dy * act'(out) in one kernel pass; the GEMMs for a and b as above;
    // the bias gradient is dz summed over every row (one SIMD column reduction).
    const inputs = bias === undefined ? [a, b] : [a, b, bias];
    record(fn, inputs, out, (dy, needs) => {
      const dz = activation === ACT_NONE ? dy : activationGrad(activation, dy, out);
      const [da, db] = matMulGrad(dz, a, b, transposeA, transposeB, needs);
      const grads = [da && unbroadcast(da, a.shape), db && unbroadcast(db, b.shape)];
      if (bias !== undefined) grads.push(needs[2] ? biasGrad(dz, bias) : null);
      return grads;
    });
  }
  return checked(fn, out);
}

/** Runs the product of matMul's checked operands into `out` (non-empty). */
function gemmInto(out: Tensor, a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean,
  batchShape: number[], bias: Tensor | undefined, activation: number): void {
  const m = out.shape[out.rank - 2];
  const n = out.shape[out.rank - 1];
  const ka = transposeA ? a.shape[a.rank - 2] : a.shape[a.rank - 1];
  const A = matrixOperand(a);
  const B = matrixOperand(b);
  const batch = sizeOf(batchShape);
  const strideOf = (op: MatrixOperand): number[] =>
    broadcastStrides(op.t.shape.slice(0, -2), op.t.strides.slice(0, -2), batchShape);
  const sA = strideOf(A);
  const sB = strideOf(B);
  const run = (aPtr: number, bPtr: number, cPtr: number, count: number, strideA: number, strideB: number) =>
    backend().matMul({
      a: aPtr, b: bPtr, c: cPtr, m, n, k: ka,
      transposeA: tA,
      transposeB: tB,
      batch: count, strideA, strideB,
      bias: bias ? ptrOf(bias) : 0,
      activation,
    });
  const uniform = (strides: number[], matrixSize: number): number | null => {
    if (strides.every((s) => s === 0)) return 0;
    const expected = contiguousStrides(batchShape).map((s) => s * matrixSize);
    return strides.every((s, i) => batchShape[i] === 1 || s === expected[i]) ? matrixSize : null;
  };
  const strideA = uniform(sA, A.rows * A.cols);
  const strideB = uniform(sB, B.rows * B.cols);
  const tA = transposeA !== A.storedTransposed;
  const tB = transposeB !== B.storedTransposed;
  const gpu = gpuOps.current;
  if (gpu !== null && gpu.matMul({
    a: A.t, b: B.t, out, bias, m, n, k: ka, transposeA: tA, transposeB: tB, activation,
    calls: gemmCalls(batchShape, sA, sB, strideA, strideB, m * n),
  })) {
    // Computed on the GPU; out's data lives there until something reads it.
  } else if (strideA !== null && strideB !== null) {
    run(ptrOf(A.t), ptrOf(B.t), out.storage.ptr, batch, strideA, strideB);
  } else {
    // Mixed broadcasting (e.g. [2,1,m,k] x [1,3,k,n]): one GEMM call per batch matrix.
    const index = new Array<number>(batchShape.length).fill(0);
    for (let i = 0; i < batch; i++) {
      const offA = index.reduce((s, v, d) => s + v * sA[d], 0);
      const offB = index.reduce((s, v, d) => s + v * sB[d], 0);
      run(ptrOf(A.t) + 4 * offA, ptrOf(B.t) + 4 * offB, out.storage.ptr + 4 * i * m * n, 1, 0, 0);
      for (let d = batchShape.length - 1; d >= 0 && ++index[d] === batchShape[d]; d--) index[d] = 0;
    }
  }
  if (A.t !== a) A.t.dispose();
  if (B.t !== b) B.t.dispose();
}

/**
 * The same GEMM calls as element offsets, for the GPU: one for the whole batch,
 * or one per batch matrix under mixed broadcasting. (Built only when the GPU
 * is in use, so the CPU path above allocates nothing extra.)
 */
function gemmCalls(batchShape: number[], sA: number[], sB: number[], strideA: number | null, strideB: number | null, matrixSize: number): GemmCall[] {
  const batch = sizeOf(batchShape);
  if (strideA !== null && strideB !== null) return [{ aOffset: 0, bOffset: 0, cOffset: 0, count: batch, strideA, strideB }];
  const calls: GemmCall[] = [];
  const index = new Array<number>(batchShape.length).fill(0);
  for (let i = 0; i < batch; i++) {
    const aOffset = index.reduce((s, v, d) => s + v * sA[d], 0);
    const bOffset = index.reduce((s, v, d) => s + v * sB[d], 0);
    calls.push({ aOffset, bOffset, cOffset: i * matrixSize, count: 1, strideA: 0, strideB: 0 });
    for (let d = batchShape.length - 1; d >= 0 && ++index[d] === batchShape[d]; d--) index[d] = 0;
  }
  return calls;
}

/** The column sum on the GPU when the WebGPU backend takes it (dz lives there); null: use sum. */
function gpuColumnSum(rows: Tensor): Tensor | null {
  const gpu = gpuOps.current;
  // Under a tape sum() must record its own gradient (gradients of gradients).
  if (gpu === null || isRecording() || !rows.isContiguous) return null;
  const out = empty([rows.shape[1]], 'float32');
  if (gpu.columnSum(rows, out)) return out;
  out.dispose();
  return null;
}

/** dz [..., n] summed over all leading axes, shaped like the bias. */
function biasGrad(dz: Tensor, bias: Tensor): Tensor {
  const n = dz.shape[dz.rank - 1];
  const rows = reshape(dz, [dz.size / Math.max(1, n), n]);
  const summed = gpuColumnSum(rows) ?? sum(rows, 0);
  rows.dispose();
  if (summed.rank === bias.rank && summed.shape[0] === bias.shape[0]) return summed;
  const shaped = reshape(summed, bias.shape.slice());
  summed.dispose();
  return shaped;
}

/** Activations the GEMM epilogue can fuse, and the op each one is. */
const ACTIVATIONS: Record<number, (x: Tensor) => Tensor> = {
  [op.U_RELU]: ew.relu,
  [op.U_SIGMOID]: ew.sigmoid,
  [op.U_TANH]: ew.tanh,
  [op.U_GELU]: (x) => ew.gelu(x),
  [op.U_GELU_TANH]: (x) => ew.gelu(x, true),
  [op.U_ELU]: (x) => ew.elu(x),
  [op.U_SELU]: ew.selu,
  [op.U_SOFTPLUS]: ew.softplus,
  [op.U_RELU6]: ew.relu6,
};

/**
 * For C = op(A)·op(B): each input's gradient as another matMul, transposes
 * folded into flags; skipped (null) for an input nothing needs, such as a
 * first layer's input data.
 */
function matMulGrad(dy: Tensor, a: Tensor, b: Tensor, tA: boolean, tB: boolean, needs: readonly boolean[]): [Tensor | null, Tensor | null] {
  const [needA, needB] = needs;
  if (!tA && !tB) return [needA ? matMul(dy, b, false, true) : null, needB ? matMul(a, dy, true, false) : null];
  if (!tA && tB) return [needA ? matMul(dy, b, false, false) : null, needB ? matMul(dy, a, true, false) : null];
  if (tA && !tB) return [needA ? matMul(b, dy, false, true) : null, needB ? matMul(a, dy, false, false) : null];
  return [needA ? matMul(b, dy, true, true) : null, needB ? matMul(dy, a, true, true) : null];
}

/**
 * numpy/Keras dot: vector·vector -> scalar; (..., k)·(k,) -> (...);
 * (k,)·(..., k, n) -> (..., n); (..., k)·(k, n) -> (..., n); and for a
 * rank >= 3 right operand, numpy's sum over a's last and b's second-to-last axis.
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  const fn = 'dot';
  requireFloat(fn, 'a', a);
  requireFloat(fn, 'b', b);
  if (a.rank === 0 || b.rank === 0) return ew.mul(a, b);
  const k = a.shape[a.rank - 1];
  const bAxis = b.rank === 1 ? 0 : b.rank - 2;
  if (b.shape[bAxis] !== k) {
    fail(fn, `shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} not aligned: ${k} (dim ${a.rank - 1}) != ${b.shape[bAxis]} (dim ${bAxis})`);
  }
  const lead = a.shape.slice(0, -1);
  const a2 = reshape(a, [sizeOf(lead), k]);
  let b2: Tensor;
  let tail: number[];
  if (b.rank === 1) {
    b2 = reshape(b, [k, 1]);
    tail = [];
  } else if (b.rank === 2) {
    b2 = b;
    tail = [b.shape[1]];
  } else {
    // Move b's contracted axis to the front: (k, ...b[:-2], n) flattened to (k, rest).
    const perm = [bAxis, ...b.shape.map((_, i) => i).filter((i) => i !== bAxis)];
    const moved = transpose(b, perm);
    tail = [...b.shape.slice(0, -2), b.shape[b.rank - 1]];
    b2 = reshape(moved, [k, sizeOf(tail)]);
    moved.dispose();
  }
  const product = matMul(a2, b2);
  const out = reshape(product, [...lead, ...tail]);
  for (const t of [a2, product]) t.dispose();
  if (b2 !== b) b2.dispose();
  return out;
}
