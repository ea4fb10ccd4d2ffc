// What Dense and Conv2D share: a kernel, an optional bias and a fused
// activation, configured by the same six Keras arguments with the same
// defaults (glorot_uniform kernel, zeros bias, linear) and serialized alike.
import type { Variable } from '../autograd/variable';
import { getActivation, type ActivationFn } from './activations';
import { getInitializer, type Initializer } from './initializers';
import { Layer, type LayerArgs } from './layer';
import { getRegularizer, type Regularizer } from './regularizers';

export interface KernelArgs extends LayerArgs {
  activation?: string | ActivationFn | null;
  useBias?: boolean;
  kernelInitializer?: string | Initializer;
  biasInitializer?: string | Initializer;
  kernelRegularizer?: string | Regularizer | null;
  biasRegularizer?: string | Regularizer | null;
}

const KERNEL_OPTIONS = ['activation', 'useBias', 'kernelInitializer', 'biasInitializer', 'kernelRegularizer', 'biasRegularizer'];

export abstract class KernelLayer extends Layer {
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  kernel?: Variable;
  bias?: Variable;

  /** `fn` names the layer factory in errors ('dense'); `options` are the subclass's own argument names. */
  constructor(args: KernelArgs, className: string, fn: string, options: readonly string[]) {
    super(args, className, [...options, ...KERNEL_OPTIONS]);
    this.activation = getActivation(args.activation, fn);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorotUniform', fn);
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', fn);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, fn);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, fn);
  }

  /** The six arguments as getConfig() writes them. */
  protected kernelConfig(): Record<string, unknown> {
    const serialized = (x: Initializer | Regularizer) => ({ className: x.className, config: x.getConfig() });
    return {
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serialized(this.kernelInitializer),
      biasInitializer: serialized(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer ? serialized(this.kernelRegularizer) : null,
      biasRegularizer: this.biasRegularizer ? serialized(this.biasRegularizer) : null,
    };
  }
}
