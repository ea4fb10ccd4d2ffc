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
import { record, type Backward } from '../autograd/tape';
import { unbroadcast } from '../autograd/unbroadcast';
import { activationGrad } from './activation_grad';
import { disposeIfCreated, empty, toTensor } from './alloc';
import { cast } from './convert';
import { checked } from './numerics';

/** How an op treats integer inputs: keep int32, or compute in float32 (exp, log, ...). */
type IntMode = 'int' | 'float';

function asDType(t: Tensor, dtype: DType): Tensor {
  return t.dtype === dtype ? t : cast(t, dtype);
}

/** dx from dy, the (float32) input and the output. */
type UnaryGrad = (dy: Tensor, x: Tensor, y: Tensor) => Tensor;
/** [da, db] at the output's (broadcast) shape; unbroadcasting happens in runBinary. */
type BinaryGrad = (dy: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor, Tensor];

function runUnary(fn: string, code: number, x: TensorLike, ints: IntMode, grad: UnaryGrad | null, p0 = 0, p1 = 0): Tensor {
  const t = toTensor(fn, 'x', x);
  if (t.dtype === 'bool') fail(fn, `dtype 'bool' is not supported; cast with .astype('float32') first`);
  const computeType: DType = t.dtype === 'float32' || ints === 'float' ? 'float32' : 'int32';
  const src = asDType(t, computeType);
  const out = empty(t.shape, computeType);
  if (out.size > 0) backend().unary(code, src.view(), out.storage.ptr, p0, p1);
  if (t.dtype === 'float32') {
    const backward: Backward = grad ? (dy) => [grad(dy, t, out)] : (dy) => [zerosGrad(dy)];
    record(fn, [t], out, backward);
  }
  if (src !== t) src.dispose();
  disposeIfCreated(t, x);
  return checked(fn, out);
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

function runBinary(fn: string, code: number, a: TensorLike, b: TensorLike, ints: IntMode, grad: BinaryGrad | null): Tensor {
  const [ta, tb] = operands(fn, a, b);
  const promoted = arithmeticType(fn, ta.dtype, tb.dtype);
  const computeType: DType = ints === 'float' ? 'float32' : promoted;
  const outShape = broadcastShapes(fn, ta.shape, tb.shape);
  const ca = asDType(ta, computeType);
  const cb = asDType(tb, computeType);
  const out = empty(outShape, computeType);
  if (out.size > 0) backend().binary(code, broadcastView(ca, outShape), broadcastView(cb, outShape), out.storage.ptr, outShape);
  if (grad && computeType === 'float32') {
    // Integer operands get no gradient; float operands get theirs summed back to their own shape.
    record(fn, [ta, tb], out, (dy) => {
      const [ga, gb] = grad(dy, ca, cb, out);
      return [ta.dtype === 'float32' ? unbroadcast(ga, ta.shape) : null, tb.dtype === 'float32' ? unbroadcast(gb, tb.shape) : null];
    }, [ca, cb]);
  }
  for (const [t, original] of [[ca, ta], [cb, tb]] as const) if (t !== original) disposeIfCreated(t, original);
  disposeIfCreated(ta, a);
  disposeIfCreated(tb, b);
  return checked(fn, out);
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

/** 1 where cond holds, else 0, as float32 (for gradient masks). */
function mask(cond: Tensor): Tensor {
  return cast(cond, 'float32');
}

function zerosGrad(dy: Tensor): Tensor {
  return mul(dy, 0);
}

function checkNumber(fn: string, arg: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) fail(fn, `${arg} must be a number, got ${describe(v)}`);
  return v;
}

// ---- binary arithmetic (int32 stays int32 unless noted) ----
export const add = (a: TensorLike, b: TensorLike): Tensor => runBinary('add', op.B_ADD, a, b, 'int', (dy) => [dy, dy]);
export const sub = (a: TensorLike, b: TensorLike): Tensor => runBinary('sub', op.B_SUB, a, b, 'int', (dy) => [dy, neg(dy)]);
export const mul = (a: TensorLike, b: TensorLike): Tensor =>
  runBinary('mul', op.B_MUL, a, b, 'int', (dy, x, y) => [mul(dy, y), mul(dy, x)]);
/** True division (numpy's `/`): always float32. */
export const div = (a: TensorLike, b: TensorLike): Tensor =>
  runBinary('div', op.B_DIV, a, b, 'float', (dy, x, y) => [div(dy, y), neg(div(mul(dy, x), square(y)))]);
/** Ties send the gradient to a, like TF.js. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor =>
  runBinary('maximum', op.B_MAX, a, b, 'int', (dy, x, y) => [mul(dy, mask(greaterEqual(x, y))), mul(dy, mask(less(x, y)))]);
export const minimum = (a: TensorLike, b: TensorLike): Tensor =>
  runBinary('minimum', op.B_MIN, a, b, 'int', (dy, x, y) => [mul(dy, mask(lessEqual(x, y))), mul(dy, mask(greater(x, y)))]);
/** Always float32 (integer powers included). d/db uses log(a) where a > 0 and 0 elsewhere, like TF.js. */
export const pow = (a: TensorLike, b: TensorLike): Tensor =>
  runBinary('pow', op.B_POW, a, b, 'float', (dy, x, y, out) => {
    const dx = mul(dy, mul(y, pow(x, sub(y, 1))));
    const positive = mask(greater(x, 0));
    const safeLog = log(add(mul(x, positive), sub(1, positive)));
    return [dx, mul(dy, mul(out, mul(safeLog, positive)))];
  });
export const squaredDifference = (a: TensorLike, b: TensorLike): Tensor =>
  runBinary('squaredDifference', op.B_SQDIFF, a, b, 'int', (dy, x, y) => {
    const g = mul(dy, mul(sub(x, y), 2));
    return [g, neg(g)];
  });
/** Floor modulo: the result has the sign of b (numpy %, TF floorMod). */
export const mod = (a: TensorLike, b: TensorLike): Tensor =>
  runBinary('mod', op.B_MOD, a, b, 'int', (dy, x, y) => [dy, mul(dy, neg(floor(div(x, y))))]);
/** Piecewise constant: its gradient is zero. */
export const floorDiv = (a: TensorLike, b: TensorLike): Tensor =>
  runBinary('floorDiv', op.B_FLOORDIV, a, b, 'int', (dy) => [zerosGrad(dy), zerosGrad(dy)]);

// ---- comparisons (bool results, no gradient) ----
export const equal = (a: TensorLike, b: TensorLike): Tensor => runCompare('equal', op.C_EQ, a, b);
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => runCompare('notEqual', op.C_NE, a, b);
export const less = (a: TensorLike, b: TensorLike): Tensor => runCompare('less', op.C_LT, a, b);
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => runCompare('lessEqual', op.C_LE, a, b);
export const greater = (a: TensorLike, b: TensorLike): Tensor => runCompare('greater', op.C_GT, a, b);
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => runCompare('greaterEqual', op.C_GE, a, b);

// ---- unary: sign-preserving ops keep int32 ----
export const neg = (x: TensorLike): Tensor => runUnary('neg', op.U_NEG, x, 'int', (dy) => neg(dy));
export const abs = (x: TensorLike): Tensor => runUnary('abs', op.U_ABS, x, 'int', (dy, v) => mul(dy, sign(v)));
export const square = (x: TensorLike): Tensor => runUnary('square', op.U_SQUARE, x, 'int', (dy, v) => mul(dy, mul(v, 2)));
/** Piecewise constant (zero gradient), like floor, ceil and round. */
export const sign = (x: TensorLike): Tensor => runUnary('sign', op.U_SIGN, x, 'int', null);
export const relu = (x: TensorLike): Tensor => runUnary('relu', op.U_RELU, x, 'int', (dy, _, y) => activationGrad(op.U_RELU, dy, y));

// ---- unary: float results ----
export const exp = (x: TensorLike): Tensor => runUnary('exp', op.U_EXP, x, 'float', (dy, _, y) => mul(dy, y));
export const log = (x: TensorLike): Tensor => runUnary('log', op.U_LOG, x, 'float', (dy, v) => div(dy, v));
export const sqrt = (x: TensorLike): Tensor => runUnary('sqrt', op.U_SQRT, x, 'float', (dy, _, y) => div(dy, mul(y, 2)));
export const rsqrt = (x: TensorLike): Tensor =>
  runUnary('rsqrt', op.U_RSQRT, x, 'float', (dy, _, y) => mul(dy, mul(pow(y, 3), -0.5)));
export const reciprocal = (x: TensorLike): Tensor =>
  runUnary('reciprocal', op.U_RECIPROCAL, x, 'float', (dy, _, y) => neg(mul(dy, square(y))));
export const floor = (x: TensorLike): Tensor => runUnary('floor', op.U_FLOOR, x, 'float', null);
export const ceil = (x: TensorLike): Tensor => runUnary('ceil', op.U_CEIL, x, 'float', null);
/** Rounds half to even, like numpy and TF. */
export const round = (x: TensorLike): Tensor => runUnary('round', op.U_ROUND, x, 'float', null);
export const sin = (x: TensorLike): Tensor => runUnary('sin', op.U_SIN, x, 'float', (dy, v) => mul(dy, cos(v)));
export const cos = (x: TensorLike): Tensor => runUnary('cos', op.U_COS, x, 'float', (dy, v) => neg(mul(dy, sin(v))));
export const expm1 = (x: TensorLike): Tensor => runUnary('expm1', op.U_EXPM1, x, 'float', (dy, v) => mul(dy, exp(v)));
export const log1p = (x: TensorLike): Tensor => runUnary('log1p', op.U_LOG1P, x, 'float', (dy, v) => div(dy, add(v, 1)));
export const erf = (x: TensorLike): Tensor =>
  runUnary('erf', op.U_ERF, x, 'float', (dy, v) => mul(dy, mul(exp(neg(square(v))), 2 / Math.sqrt(Math.PI))));
export const sigmoid = (x: TensorLike): Tensor =>
  runUnary('sigmoid', op.U_SIGMOID, x, 'float', (dy, _, y) => activationGrad(op.U_SIGMOID, dy, y));
export const tanh = (x: TensorLike): Tensor => runUnary('tanh', op.U_TANH, x, 'float', (dy, _, y) => activationGrad(op.U_TANH, dy, y));
export const relu6 = (x: TensorLike): Tensor =>
  runUnary('relu6', op.U_RELU6, x, 'float', (dy, _, y) => activationGrad(op.U_RELU6, dy, y));
export const elu = (x: TensorLike, alpha = 1): Tensor => {
  const a = checkNumber('elu', 'alpha', alpha);
  return runUnary('elu', op.U_ELU, x, 'float', (dy, v, y) => {
    const pos = mask(greater(v, 0));
    return mul(dy, add(pos, mul(sub(1, pos), add(y, a))));
  }, a);
};
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
/** SELU with Keras' constants (alpha 1.67326..., scale 1.05070...). */
export const selu = (x: TensorLike): Tensor =>
  runUnary('selu', op.U_SELU, x, 'float', (dy, v, y) => {
    const pos = mask(greater(v, 0));
    return mul(dy, add(mul(pos, SELU_SCALE), mul(sub(1, pos), add(y, SELU_SCALE * SELU_ALPHA))));
  });
export const softplus = (x: TensorLike): Tensor => runUnary('softplus', op.U_SOFTPLUS, x, 'float', (dy, v) => mul(dy, sigmoid(v)));
/** GELU; exact erf form by default (Keras' default), tanh approximation with approximate = true. */
export const gelu = (x: TensorLike, approximate = false): Tensor =>
  approximate
    ? runUnary('gelu', op.U_GELU_TANH, x, 'float', (dy, v) => {
        // d/dx 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3)
        const c = Math.sqrt(2 / Math.PI);
        const t = tanh(mul(add(v, mul(pow(v, 3), 0.044715)), c));
        const du = mul(add(mul(square(v), 3 * 0.044715), 1), c);
        return mul(dy, add(mul(add(t, 1), 0.5), mul(mul(mul(v, 0.5), sub(1, square(t))), du)));
      })
    : runUnary('gelu', op.U_GELU, x, 'float', (dy, v) => {
        // d/dx x Phi(x) = Phi(x) + x phi(x)
        const cdf = mul(add(erf(mul(v, Math.SQRT1_2)), 1), 0.5);
        const pdf = mul(exp(mul(square(v), -0.5)), 1 / Math.sqrt(2 * Math.PI));
        return mul(dy, add(cdf, mul(v, pdf)));
      });
export const leakyRelu = (x: TensorLike, alpha = 0.2): Tensor => {
  const a = checkNumber('leakyRelu', 'alpha', alpha);
  return runUnary('leakyRelu', op.U_LEAKY_RELU, x, 'float', (dy, v) => {
    const pos = mask(greater(v, 0));
    return mul(dy, add(pos, mul(sub(1, pos), a)));
  }, a);
};

/** Gradient passes where clipValueMin <= x <= clipValueMax, like TF.js. */
export function clipByValue(x: TensorLike, clipValueMin: number, clipValueMax: number): Tensor {
  const lo = checkNumber('clipByValue', 'clipValueMin', clipValueMin);
  const hi = checkNumber('clipByValue', 'clipValueMax', clipValueMax);
  if (lo > hi) fail('clipByValue', `clipValueMin (${lo}) must be <= clipValueMax (${hi})`);
  return runUnary('clipByValue', op.U_CLIP, x, 'int', (dy, v) => mul(dy, mul(mask(greaterEqual(v, lo)), mask(lessEqual(v, hi)))), lo, hi);
}
