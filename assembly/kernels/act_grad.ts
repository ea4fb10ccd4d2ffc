// Activation backward passes computed from the activation's output y, one
// SIMD pass each: dx = dy * f'(y). Used by the activation ops' gradients and
// by the fused Dense (matMul + bias + activation) backward, where y is the only
// tensor the forward kept. Each formula does the float32 operations of the
// unfused op chain it replaces, in the same order, so results are identical:
//   relu:    dy * (y > 0 ? 1 : 0)           (a multiply, not a select: dy NaN/inf * 0 stays NaN)
//   relu6:   dy * ((y > 0) * (y < 6))
//   sigmoid: dy * (y * (1 - y))
//   tanh:    dy * (1 - y * y)
// dy, y and out are contiguous float32 arrays of n elements; out may alias dy.
import { U_RELU, U_RELU6, U_SIGMOID, U_TANH } from '../opcodes';

@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

/** 1 for activation codes act_grad_f32 implements, else 0. */
export function act_grad_supported(act: i32): i32 {
  return act == U_RELU || act == U_RELU6 || act == U_SIGMOID || act == U_TANH ? 1 : 0;
}

function reluGrad(dy: usize, y: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const m = v128.and(f32x4.gt(v128.load(at(y, i)), zero), one);
    v128.store(at(out, i), f32x4.mul(v128.load(at(dy, i)), m));
  }
  for (; i < n; i++) store<f32>(at(out, i), load<f32>(at(dy, i)) * (load<f32>(at(y, i)) > 0 ? <f32>1 : <f32>0));
}

function relu6Grad(dy: usize, y: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0), six = f32x4.splat(6), one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const yv = v128.load(at(y, i));
    const m = f32x4.mul(v128.and(f32x4.gt(yv, zero), one), v128.and(f32x4.lt(yv, six), one));
    v128.store(at(out, i), f32x4.mul(v128.load(at(dy, i)), m));
  }
  for (; i < n; i++) {
    const v = load<f32>(at(y, i));
    store<f32>(at(out, i), load<f32>(at(dy, i)) * ((v > 0 ? <f32>1 : <f32>0) * (v < 6 ? <f32>1 : <f32>0)));
  }
}

function sigmoidGrad(dy: usize, y: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const yv = v128.load(at(y, i));
    v128.store(at(out, i), f32x4.mul(v128.load(at(dy, i)), f32x4.mul(yv, f32x4.sub(one, yv))));
  }
  for (; i < n; i++) {
    const v = load<f32>(at(y, i));
    store<f32>(at(out, i), load<f32>(at(dy, i)) * (v * (<f32>1 - v)));
  }
}

function tanhGrad(dy: usize, y: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const yv = v128.load(at(y, i));
    v128.store(at(out, i), f32x4.mul(v128.load(at(dy, i)), f32x4.sub(one, f32x4.mul(yv, yv))));
  }
  for (; i < n; i++) {
    const v = load<f32>(at(y, i));
    store<f32>(at(out, i), load<f32>(at(dy, i)) * (<f32>1 - v * v));
  }
}

/** out = dy * act'(y) for act in {U_RELU, U_RELU6, U_SIGMOID, U_TANH}; other codes leave out untouched. */
export function act_grad_f32(act: i32, dy: usize, y: usize, out: usize, n: i32): void {
  switch (act) {
    case U_RELU: reluGrad(dy, y, out, n); break;
    case U_RELU6: relu6Grad(dy, y, out, n); break;
    case U_SIGMOID: sigmoidGrad(dy, y, out, n); break;
    case U_TANH: tanhGrad(dy, y, out, n); break;
  }
}
