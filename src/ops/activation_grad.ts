// The backward of relu, relu6, sigmoid and tanh as one kernel pass computed
// from the activation's output y (assembly/kernels/act_grad.ts), instead of a
// chain such as greater -> cast -> mul that allocates two temporaries. The
// activation ops' gradients and the fused Dense backward (src/ops/matmul.ts)
// call it; it records its own gradient, so gradients of gradients still work.
import * as op from '../../assembly/opcodes';
import { record } from '../autograd/tape';
import { backend } from '../engine';
import { gpuOps } from '../backends/webgpu/hook';
import { fail, fmtShape } from '../errors';
import type { Tensor } from '../tensor';
import { contiguous, empty, ptrOf } from './alloc';
import { mul, sub } from './elementwise';
import { checked } from './numerics';

/** Activation codes (assembly/opcodes.ts U_*) whose gradient follows from y alone. */
export const GRAD_FROM_OUTPUT: ReadonlySet<number> = new Set([op.U_RELU, op.U_RELU6, op.U_SIGMOID, op.U_TANH]);

/** dx = dy * act'(y) for y = act(x); float32 dy and y of one shape. */
export function activationGrad(act: number, dy: Tensor, y: Tensor): Tensor {
  const fn = 'activationGrad';
  if (!GRAD_FROM_OUTPUT.has(act)) fail(fn, `activation code ${act} has no gradient from its output (supported: relu, relu6, sigmoid, tanh)`);
  if (dy.dtype !== 'float32' || y.dtype !== 'float32') fail(fn, `dy and y must be float32, got '${dy.dtype}' and '${y.dtype}'`);
  if (dy.rank !== y.rank || dy.shape.some((d, i) => d !== y.shape[i])) {
    fail(fn, `dy shape ${fmtShape(dy.shape)} must equal y shape ${fmtShape(y.shape)}`);
  }
  const cdy = contiguous(dy);
  const cy = contiguous(y);
  const out = empty(y.shape, 'float32');
  const gpu = gpuOps.current;
  if (out.size > 0 && (gpu === null || !gpu.activationGrad(act, cdy, cy, out))) {
    backend().activationGrad(act, ptrOf(cdy), ptrOf(cy), out.storage.ptr, out.size);
  }
  if (cdy !== dy) cdy.dispose();
  if (cy !== y) cy.dispose();
  record(fn, [dy, y], out, (g, needs) => [
    needs[0] ? activationGrad(act, g, y) : null,
    needs[1] ? gradWrtOutput(act, g, dy, y) : null,
  ]);
  return checked(fn, out);
}

/** d/dy of dy * act'(y): zero for the piecewise-linear relu and relu6. */
function gradWrtOutput(act: number, g: Tensor, dy: Tensor, y: Tensor): Tensor | null {
  if (act === op.U_SIGMOID) return mul(mul(g, dy), sub(1, mul(y, 2))); // d(y - y^2)/dy = 1 - 2y
  if (act === op.U_TANH) return mul(mul(g, dy), mul(y, -2)); // d(1 - y^2)/dy = -2y
  return null;
}
