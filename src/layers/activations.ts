// Keras activations by name (camelCase or Keras snake_case). Each knows the
// op that computes it and, where the GEMM epilogue can fuse it, its U_* code:
// Dense passes that code to matMul so bias + activation happen in the same
// pass that writes the product.
import * as op from '../../assembly/opcodes';
import { describe, fail } from '../errors';
import * as ew from '../ops/elementwise';
import { softmax as softmaxOp } from '../ops/softmax';
import { Tensor } from '../tensor';

export interface ActivationFn {
  /** Keras' serialized name ('relu', 'leaky_relu', ...). */
  readonly name: string;
  (x: Tensor): Tensor;
  /** The matMul epilogue code computing the same function, if there is one. */
  readonly fusedCode?: number;
}

function define(name: string, fn: (x: Tensor) => Tensor, fusedCode?: number): ActivationFn {
  const f = (x: Tensor) => fn(x);
  Object.defineProperty(f, 'name', { value: name }); // a function's own name is read-only
  return Object.assign(f, { fusedCode }) as ActivationFn;
}

// linear returns its input: check it is a live tensor, as every other activation's op does.
export const linear = define('linear', (x) => {
  if (!(x instanceof Tensor)) fail('linear', `x must be a Tensor, got ${describe(x)}`);
  x.assertAlive('linear', 'x');
  return x;
}, op.ACT_NONE);
export const relu = define('relu', ew.relu, op.U_RELU);
export const sigmoid = define('sigmoid', ew.sigmoid, op.U_SIGMOID);
export const tanh = define('tanh', ew.tanh, op.U_TANH);
/** Over the last axis, like Keras. */
export const softmax = define('softmax', (x) => softmaxOp(x, -1));
export const elu = define('elu', (x) => ew.elu(x), op.U_ELU);
export const selu = define('selu', ew.selu, op.U_SELU);
export const softplus = define('softplus', ew.softplus, op.U_SOFTPLUS);
/** Keras 3's default is the exact erf form (approximate=False). */
export const gelu = define('gelu', (x) => ew.gelu(x), op.U_GELU);
export const relu6 = define('relu6', ew.relu6, op.U_RELU6);
/** Keras' leaky_relu default negative_slope is 0.2. */
export const leakyRelu = define('leaky_relu', (x) => ew.leakyRelu(x, 0.2));

const ALL: ActivationFn[] = [linear, relu, sigmoid, tanh, softmax, elu, selu, softplus, gelu, relu6, leakyRelu];
const BY_KEY = new Map(ALL.map((a) => [a.name.replace(/_/g, ''), a]));
const VALID = ALL.map((a) => `'${a.name}'`).join(', ') + " (camelCase such as 'leakyRelu' also accepted)";

/** An activation from a name (any case, snake_case or camelCase), an ActivationFn, or undefined / null (linear). */
export function getActivation(identifier: string | ActivationFn | null | undefined, fn = 'getActivation'): ActivationFn {
  if (identifier === undefined || identifier === null) return linear;
  if (typeof identifier === 'function') {
    return 'name' in identifier && ALL.includes(identifier) ? identifier : define(identifier.name || 'custom', identifier);
  }
  if (typeof identifier !== 'string') return fail(fn, `activation must be a name (${VALID}) or a function, got ${describe(identifier)}`);
  const found = BY_KEY.get(identifier.toLowerCase().replace(/_/g, ''));
  if (found === undefined) fail(fn, `unknown activation '${identifier}'; valid: ${VALID}`);
  return found;
}
