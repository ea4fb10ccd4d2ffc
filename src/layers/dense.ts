// Dense: activation(x · kernel + bias) over the last axis. The forward is ONE
// matMul whose epilogue adds the bias and applies the activation while the
// product is written (matMul splits the epilogue into separate ops by itself
// when a gradient tape is recording). Keras defaults: glorot_uniform kernel,
// zeros bias.
import { describe, fail, fmtShape } from '../errors';
import { matMul } from '../ops/matmul';
import { reshape } from '../ops/shape';
import type { Tensor } from '../tensor';
import { linear, softmax } from './activations';
import { KernelLayer, type KernelArgs } from './kernel_layer';
import { fmtBatchShape, type CallOptions, type Shape } from './layer';

export interface DenseArgs extends KernelArgs {
  units: number;
}

export class Dense extends KernelLayer {
  readonly className = 'Dense';
  readonly units: number;

  constructor(args: DenseArgs) {
    super(args, 'Dense', 'dense', ['units']);
    if (!Number.isInteger(args.units) || args.units <= 0) fail('dense', `units must be a positive integer, got ${describe(args.units)}`);
    this.units = args.units;
  }

  private inputDim(inputShape: Shape): number {
    const d = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || d === null || d === undefined) {
      fail(this.name, `Dense needs inputs with a known last dimension and a batch axis, got shape ${fmtBatchShape(inputShape)}`);
    }
    return d;
  }

  override build(inputShape: Shape): void {
    const inDim = this.inputDim(inputShape);
    this.kernel = this.addWeight('kernel', [inDim, this.units], { initializer: this.kernelInitializer, regularizer: this.kernelRegularizer });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], { initializer: this.biasInitializer, regularizer: this.biasRegularizer });
    }
    super.build(inputShape);
  }

  /** Dense applies to the last axis only: any leading shape works once built. */
  override checkInputShape(fn: string, inputShape: Shape): void {
    const kernel = this.kernel;
    if (kernel === undefined) return;
    const d = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || d !== kernel.shape[0]) {
      fail(fn, `layer '${this.name}' expects inputs whose last dimension is ${kernel.shape[0]} (shape ${fmtBatchShape(this.buildInputShape ?? [null, kernel.shape[0]])}), got ${fmtBatchShape(inputShape)}`);
    }
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return [...inputShape.slice(0, -1), this.units];
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    const kernel = this.kernel;
    if (kernel === undefined) return fail(this.name, 'the layer is not built; call build(inputShape) or apply(x) first');
    const inDim = kernel.shape[0];
    if (x.rank < 2 || x.shape[x.rank - 1] !== inDim) {
      fail(this.name, `expected input with last dimension ${inDim} (and a batch axis), got shape ${fmtShape(x.shape)}`);
    }
    const act = options.logits && this.activation === softmax ? linear : this.activation;
    const x2 = x.rank === 2 ? x : reshape(x, [-1, inDim]);
    let y: Tensor;
    if (act.fusedCode !== undefined) {
      y = matMul(x2, kernel, false, false, { bias: this.bias, activation: act.fusedCode });
    } else {
      const z = matMul(x2, kernel, false, false, { bias: this.bias });
      y = act(z);
    }
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.units]);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      ...this.kernelConfig(),
    };
  }
}
