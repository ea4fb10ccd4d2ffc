// Elementwise ops with numpy broadcasting. Each op is one line naming its
// kernel code and dtype behaviour; runUnary/runBinary do the shared work
// (dtype promotion, broadcasting, strided views) and the kernel the math.
import * as op from '../../assembly/opcodes';
import { arithmeticType, type DType } from '../dtype';
import { backend } from '../engine';
import { describe, fail } from '../errors';
import { broadcastShapes, broadcastStrides } from '../shape';
import { Tensor, type TensorLike } from '../tensor';
import type { View } from '../backends/backend';
import { disposeIfCreated, empty, toTensor } from './alloc';
import { cast } from './convert';

/** How an op treats integer inputs: keep int32, or compute in float32 (exp, log, ...). */
type IntMode = 'int' | 'float';

function asDType(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : cast(t, dtype);
}

function runUnary(fn: string, code: number, x: TensorLike, ints: IntMode, p0 = 0, p1 = 0): Tensor {
  const t = toTensor(fn, 'x', x);
  if (t.dtype === 'bool') fail(fn, `dtype 'bool' is not supported; cast with .astype('float32') first`);
  const computeType: DType = t.dtype === 'float32' || ints === 'float' ? 'float32' : 'int32';
  const src = asDType(t, computeType);
  const out = empty(t.shape, computeType);
  if (out.size > 0) backend().unary(code, src.view(), out.storage.ptr, p0, p1);
  if (src !== t) src.dispose();
  disposeIfCreated(t, x);
  return out;
}

/** Converts both operands; a plain number takes the other operand's dtype when it can (numpy's weak scalars). */
function operands(fn: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const ta = toTensor(fn, 'a', a, b instanceof Tensor ? b.dtype : undefined);
  const tb = toTensor(fn, 'b', b, ta.dtype);
  return [ta, tb];
}

function broadcastView(t: Tensor, outShape: readonly number[]): View {
  const v = t.view();
  return { ...v, shape: outShape, strides: broadcastStrides(t.shape, t.strides, outShape) };
}

function runBinary(fn: string, code: number, a: TensorLike, b: TensorLike, ints: IntMode): Tensor {
  const [ta, tb] = operands(fn, a, b);
  const promoted = arithmeticType(fn, ta.dtype, tb.dtype);
  const computeType: DType = ints === 'float' ? 'float32' : promoted;
  const outShape = broadcastShapes(fn, ta.shape, tb.shape);
  const ca = asDType(ta, computeType);
  const cb = asDType(tb, computeType);
  const out = empty(outShape, computeType);
  if (out.size > 0) backend().binary(code, broadcastView(ca, outShape), broadcastView(cb, outShape), out.storage.ptr, outShape);
  for (const [t, original] of [[ca, ta], [cb, tb]] as const) if (t !== original) t.dispose();
  disposeIfCreated(ta, a);
  disposeIfCreated(tb, b);
  return out;
}

function runCompare(fn: string, code: number, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands(fn, a, b);
  const computeType: DType = ta.dtype === 'float32' || tb.dtype === 'float32' ? 'float32' : 'int32';
  const outShape = broadcastShapes(fn, ta.shape, tb.shape);
  const ca = asDType(ta, computeType);
  const cb = asDType(tb, computeType);
  const out = empty(outShape, 'bool');
  if (out.size > 0) backend().compare(code, broadcastView(ca, outShape), broadcastView(cb, outShape), out.storage.ptr, outShape);
  for (const [t, original] of [[ca, ta], [cb, tb]] as const) if (t !== original) t.dispose();
  disposeIfCreated(ta, a);
  disposeIfCreated(tb, b);
  return out;
}

function checkNumber(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, `${arg} must be a number, got ${describe(v)}`);
  return v;
}

// ---- binary arithmetic (int32 stays int32 unless noted) ----
export const add = (a: TensorLike, b: TensorLike): Tensor => runBinary('add', op.B_ADD, a, b, 'int');
export const sub = (a: TensorLike, b: TensorLike): Tensor => runBinary('sub', op.B_SUB, a, b, 'int');
export const mul = (a: TensorLike, b: TensorLike): Tensor => runBinary('mul', op.B_MUL, a, b, 'int');
/** True division (numpy's `/`): always float32. */
export const div = (a: TensorLike, b: TensorLike): Tensor => runBinary('div', op.B_DIV, a, b, 'float');
export const maximum = (a: TensorLike, b: TensorLike): Tensor => runBinary('maximum', op.B_MAX, a, b, 'int');
export const minimum = (a: TensorLike, b: TensorLike): Tensor => runBinary('minimum', op.B_MIN, a, b, 'int');
/** Always float32 (integer powers included). */
export const pow = (a: TensorLike, b: TensorLike): Tensor => runBinary('pow', op.B_POW, a, b, 'float');
export const squaredDifference = (a: TensorLike, b: TensorLike): Tensor => runBinary('squaredDifference', op.B_SQDIFF, a, b, 'int');
/** Floor modulo: the result has the sign of b (numpy %, TF floorMod). */
export const mod = (a: TensorLike, b: TensorLike): Tensor => runBinary('mod', op.B_MOD, a, b, 'int');
export const floorDiv = (a: TensorLike, b: TensorLike): Tensor => runBinary('floorDiv', op.B_FLOORDIV, a, b, 'int');

// ---- comparisons (bool results) ----
export const equal = (a: TensorLike, b: TensorLike): Tensor => runCompare('equal', op.C_EQ, a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => runCompare('notEqual', op.C_NE, a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => runCompare('less', op.C_LT, a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => runCompare('lessEqual', op.C_LE, a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => runCompare('greater', op.C_GT, a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => runCompare('greaterEqual', op.C_GE, a, b);

// ---- unary: sign-preserving ops keep int32 ----
export const neg = (x: TensorLike): Tensor => runUnary('neg', op.U_NEG, x, 'int');
export const abs = (x: TensorLike): Tensor => runUnary('abs', op.U_ABS, x, 'int');
export const square = (x: TensorLike): Tensor => runUnary('square', op.U_SQUARE, x, 'int');
export const sign = (x: TensorLike): Tensor => runUnary('sign', op.U_SIGN, x, 'int');
export const relu = (x: TensorLike): Tensor => runUnary('relu', op.U_RELU, x, 'int');

// ---- unary: float results ----
export const exp = (x: TensorLike): Tensor => runUnary('exp', op.U_EXP, x, 'float');
export const log = (x: TensorLike): Tensor => runUnary('log', op.U_LOG, x, 'float');
export const sqrt = (x: TensorLike): Tensor => runUnary('sqrt', op.U_SQRT, x, 'float');
export const rsqrt = (x: TensorLike): Tensor => runUnary('rsqrt', op.U_RSQRT, x, 'float');
export const reciprocal = (x: TensorLike): Tensor => runUnary('reciprocal', op.U_RECIPROCAL, x, 'float');
export const floor = (x: TensorLike): Tensor => runUnary('floor', op.U_FLOOR, x, 'float');
export const ceil = (x: TensorLike): Tensor => runUnary('ceil', op.U_CEIL, x, 'float');
/** Rounds half to even, like numpy and TF. */
export const round = (x: TensorLike): Tensor => runUnary('round', op.U_ROUND, x, 'float');
export const sin = (x: TensorLike): Tensor => runUnary('sin', op.U_SIN, x, 'float');
export const cos = (x: TensorLike): Tensor => runUnary('cos', op.U_COS, x, 'float');
export const expm1 = (x: TensorLike): Tensor => runUnary('expm1', op.U_EXPM1, x, 'float');
export const log1p = (x: TensorLike): Tensor => runUnary('log1p', op.U_LOG1P, x, 'float');
export const erf = (x: TensorLike): Tensor => runUnary('erf', op.U_ERF, x, 'float');
export const sigmoid = (x: TensorLike): Tensor => runUnary('sigmoid', op.U_SIGMOID, x, 'float');
export const tanh = (x: TensorLike): Tensor => runUnary('tanh', op.U_TANH, x, 'float');
export const relu6 = (x: TensorLike): Tensor => runUnary('relu6', op.U_RELU6, x, 'float');
export const elu = (x: TensorLike, alpha = 1): Tensor => runUnary('elu', op.U_ELU, x, 'float', checkNumber('elu', 'alpha', alpha));
/** SELU with Keras' constants (alpha 1.67326..., scale 1.05070...). */
export const selu = (x: TensorLike): Tensor => runUnary('selu', op.U_SELU, x, 'float');
export const softplus = (x: TensorLike): Tensor => runUnary('softplus', op.U_SOFTPLUS, x, 'float');
/** GELU; exact erf form by default (Keras' default), tanh approximation with approximate = true. */
export const gelu = (x: TensorLike, approximate = false): Tensor =>
  runUnary('gelu', approximate ? op.U_GELU_TANH : op.U_GELU, x, 'float');
export const leakyRelu = (x: TensorLike, alpha = 0.2): Tensor =>
  runUnary('leakyRelu', op.U_LEAKY_RELU, x, 'float', checkNumber('leakyRelu', 'alpha', alpha));

export function clipByValue(x: TensorLike, clipValueMin: number, clipValueMax: number): Tensor {
  const lo = checkNumber('clipByValue', 'clipValueMin', clipValueMin);
  const hi = checkNumber('clipByValue', 'clipValueMax', clipValueMax);
  if (lo > hi) fail('clipByValue', `clipValueMin (${lo}) must be <= clipValueMax (${hi})`);
  return runUnary('clipByValue', op.U_CLIP, x, 'int', lo, hi);
}
