// Activations that matmul_f32 applies after a C tile is stored (ACT_NONE and
// U_RELU never come here: bias and relu are fused into the micro-kernel's
// store). Simple scalar code: these run once per output element, next to
// 2*K flops of GEMM work, on data that is still in L1.
//
// Supported act codes: U_RELU, U_RELU6, U_SIGMOID, U_TANH, U_ELU (alpha = 1),
// U_SELU, U_SOFTPLUS, U_GELU (exact, erf), U_GELU_TANH. Any other code aborts
// (the caller should then run matmul with ACT_NONE and unary_f32 after it).
import {
  U_RELU, U_RELU6, U_SIGMOID, U_TANH, U_ELU, U_SELU, U_SOFTPLUS, U_GELU, U_GELU_TANH, ACT_NONE,
} from '../opcodes';

/** True if matmul_f32 can fuse this activation code. */
export function act_supported(act: i32): bool {
  return act == ACT_NONE || act == U_RELU || act == U_RELU6 || act == U_SIGMOID || act == U_TANH ||
    act == U_ELU || act == U_SELU || act == U_SOFTPLUS || act == U_GELU || act == U_GELU_TANH;
}

// erf for f64, Abramowitz & Stegun 7.1.26 refined: |error| < 1.2e-7, enough for f32.
// (Numerical Recipes erfc Chebyshev fit.)
// @ts-ignore: decorator
@inline
function erf64(x: f64): f64 {
  const z = Math.abs(x);
  const t = 1.0 / (1.0 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 +
    t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1.0 - r : r - 1.0;
}

// @ts-ignore: decorator
@inline
function act1(x: f32, act: i32): f32 {
  switch (act) {
    case U_RELU: return x > 0 ? x : (x != x ? x : 0);
    case U_RELU6: return x != x ? x : min(max(x, <f32>0), <f32>6);
    case U_SIGMOID: return <f32>(1.0 / (1.0 + Math.exp(-<f64>x)));
    case U_TANH: return <f32>Math.tanh(<f64>x);
    case U_ELU: return x > 0 ? x : <f32>Math.expm1(<f64>x);
    case U_SELU: {
      const scale: f64 = 1.0507009873554805;
      const alpha: f64 = 1.6732632423543772;
      return x > 0 ? <f32>(scale * <f64>x) : <f32>(scale * alpha * Math.expm1(<f64>x));
    }
    case U_SOFTPLUS: {
      const d = <f64>x;
      return <f32>(d > 0 ? d + Math.log1p(Math.exp(-d)) : Math.log1p(Math.exp(d)));
    }
    case U_GELU: {
      const d = <f64>x;
      return <f32>(0.5 * d * (1.0 + erf64(d * 0.7071067811865476)));
    }
    case U_GELU_TANH: {
      const d = <f64>x;
      return <f32>(0.5 * d * (1.0 + Math.tanh(0.7978845608028654 * (d + 0.044715 * d * d * d))));
    }
    default: return x;
  }
}

/** Applies `act` in place to rows x cols floats at p (row pitch ldc bytes). */
export function act_tile(p: usize, ldc: usize, rows: i32, cols: i32, act: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = p + <usize>r * ldc;
    for (let j = 0; j < cols; j++) {
      const q = row + (<usize>j << 2);
      store<f32>(q, act1(load<f32>(q), act));
    }
  }
}
