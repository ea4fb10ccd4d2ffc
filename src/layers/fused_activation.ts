// activation(op(x) + bias) for the layers whose op ends in a GEMM (Dense,
// Conv1D, Conv2D, SeparableConv2D): the bias, and the activation too when it
// has an epilogue code, are fused into the GEMM's store; any other activation
// runs as its own op on the product, which is then freed.
import type { Epilogue } from '../ops/matmul';
import type { Tensor } from '../tensor';
import type { ActivationFn } from './activations';

export function withBiasActivation(activation: ActivationFn, bias: Tensor | undefined, product: (epilogue: Epilogue) => Tensor): Tensor {
  const fused = activation.fusedCode;
  const y = product({ bias, activation: fused });
  if (fused !== undefined) return y;
  const out = activation(y);
  if (out !== y) y.dispose();
  return out;
}
