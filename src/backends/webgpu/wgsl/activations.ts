// The GEMM epilogue's activations in WGSL, the same functions as the CPU
// epilogue (assembly/kernels/gemm_epilogue.ts). f32 only (WGSL has no f64),
// so erf and the exp/log forms are written to avoid overflow and cancellation.
// WGSL lets implementations assume there are no NaNs or infinities, so unlike
// the CPU kernels these make no promise about how a NaN input propagates.
import * as op from '../../../../assembly/opcodes';

const ERF = `
fn erfc_nr(z: f32) -> f32 {
  // Numerical Recipes' erfc Chebyshev fit (|error| < 1.2e-7), z >= 0.
  let t = 1.0 / (1.0 + 0.5 * z);
  return t * exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
}`;

// tanh through exp(-2|x|), which cannot overflow (some drivers' tanh returns NaN for large |x|).
const TANH = `fn tanh_safe(x: f32) -> f32 { let e = exp(-2.0 * abs(x)); return sign(x) * (1.0 - e) / (1.0 + e); }`;

/**
 * WGSL `fn act(x: f32, code: i32) -> f32` covering every fused activation.
 * One function with the code as a uniform, rather than one shader per
 * activation: each pipeline costs a compile (seconds on software adapters,
 * the "long warm-up" TF.js users report), and a uniform branch costs little.
 */
export function activationWGSL(): string {
  return `${ERF}
${TANH}
fn act(x: f32, code: i32) -> f32 {
  switch code {
    case ${op.U_RELU}: { return select(0.0, x, x > 0.0); }
    case ${op.U_RELU6}: { return clamp(x, 0.0, 6.0); }
    case ${op.U_SIGMOID}: { return 1.0 / (1.0 + exp(-x)); }
    case ${op.U_TANH}: { return tanh_safe(x); }
    case ${op.U_ELU}: { return select(exp(x) - 1.0, x, x > 0.0); }
    case ${op.U_SELU}: { return select(1.0507009873554805 * 1.6732632423543772 * (exp(x) - 1.0), 1.0507009873554805 * x, x > 0.0); }
    case ${op.U_SOFTPLUS}: { return max(x, 0.0) + log(1.0 + exp(-abs(x))); }
    // x < 0: x/2 erfc(|x|/sqrt2) keeps the negative tail's relative precision.
    case ${op.U_GELU}: { let e = erfc_nr(abs(x) * 0.70710678118654752); return select(x * (1.0 - 0.5 * e), 0.5 * x * e, x < 0.0); }
    case ${op.U_GELU_TANH}: { return 0.5 * x * (1.0 + tanh_safe(0.7978845608028654 * (x + 0.044715 * x * x * x))); }
    default: { return x; }
  }
}`;
}

/** Activation codes the GPU epilogue fuses: the same set as the CPU GEMM. */
export const GPU_ACTIVATIONS: ReadonlySet<number> = new Set([
  op.ACT_NONE, op.U_RELU, op.U_RELU6, op.U_SIGMOID, op.U_TANH, op.U_ELU, op.U_SELU, op.U_SOFTPLUS, op.U_GELU, op.U_GELU_TANH,
]);

/** WGSL `fn dact(dy: f32, y: f32, code: i32) -> f32`: the gradient from the activation's output (src/ops/activation_grad.ts). */
export function activationGradWGSL(): string {
  // relu and relu6 multiply rather than select, as the CPU does: dy NaN or inf times 0 stays NaN where the GPU keeps NaNs.
  return `
fn dact(dy: f32, y: f32, code: i32) -> f32 {
  switch code {
    case ${op.U_RELU}: { return dy * select(0.0, 1.0, y > 0.0); }
    case ${op.U_RELU6}: { return dy * select(0.0, 1.0, y > 0.0 && y < 6.0); }
    case ${op.U_SIGMOID}: { return dy * y * (1.0 - y); }
    default: { return dy * (1.0 - y * y); } // ${op.U_TANH}
  }
}`;
}
