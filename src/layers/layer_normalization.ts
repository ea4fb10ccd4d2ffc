// LayerNormalization (Keras / tfjs-layers): each sample is normalized over
// `axis` (default -1, the features) with its own mean and biased variance,
// y = (x - mean) * rsqrt(variance + epsilon) * gamma + beta, where gamma and
// beta have the shape of the normalized axes. Unlike BatchNormalization
// there are no moving statistics: training and inference compute the same.
// Written with mean, sub, square, rsqrt, mul, add, so the gradients (through
// the statistics too) and every backend come from those ops.
import type { Variable } from '../autograd/variable';
import { describe, fail } from '../errors';
import { add, mul, rsqrt, square, sub } from '../ops/elementwise';
import { mean } from '../ops/reduce';
import { reshape } from '../ops/shape';
import type { Tensor } from '../tensor';
import { getInitializer, type Initializer } from './initializers';
import { fmtBatchShape, Layer, type LayerArgs, type Shape } from './layer';
import { getRegularizer, type Regularizer } from './regularizers';

export interface LayerNormalizationArgs extends LayerArgs {
  /** The axis (or axes) to normalize over; default -1. */
  axis?: number | number[];
  /** Added to the variance (default 0.001). */
  epsilon?: number;
  /** Learn beta (default true). */
  center?: boolean;
  /** Learn gamma (default true). */
  scale?: boolean;
  betaInitializer?: string | Initializer;
  gammaInitializer?: string | Initializer;
  betaRegularizer?: string | Regularizer | null;
  gammaRegularizer?: string | Regularizer | null;
}

const OPTIONS = ['axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'betaRegularizer', 'gammaRegularizer'];
const FN = 'layerNormalization';

function flag(name: string, v: unknown): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'boolean') fail(FN, `${name} must be true or false, got ${describe(v)}`);
  return v;
}

export class LayerNormalization extends Layer {
  readonly className = 'LayerNormalization';
  /** As given (an int or a list); the resolved, non-negative axes are in `axes` once built. */
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  axes: number[] = [];
  gamma?: Variable;
  beta?: Variable;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args, 'LayerNormalization', OPTIONS);
    const axis = args.axis ?? -1;
    const list = Array.isArray(axis) ? axis : [axis];
    if (list.length === 0 || !list.every((a) => Number.isInteger(a))) {
      fail(FN, `axis must be an integer or a non-empty list of integers, got ${Array.isArray(axis) ? JSON.stringify(axis) : describe(axis)}`);
    }
    this.axis = Array.isArray(axis) ? axis.slice() : axis;
    const eps = args.epsilon ?? 1e-3;
    if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) fail(FN, `epsilon must be a finite number >= 0, got ${describe(eps)}`);
    this.epsilon = eps;
    this.center = flag('center', args.center);
    this.scale = flag('scale', args.scale);
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros', FN);
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones', FN);
    this.betaRegularizer = getRegularizer(args.betaRegularizer, FN);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, FN);
  }

  /** The non-negative axes for inputs of this rank (the batch axis is not allowed). */
  private resolve(shape: Shape): number[] {
    const rank = shape.length;
    const axes = (Array.isArray(this.axis) ? this.axis : [this.axis]).map((a) => (a < 0 ? a + rank : a));
    if (axes.some((a) => a < 1 || a >= rank) || new Set(axes).size !== axes.length) {
      fail(this.name, `axis ${JSON.stringify(this.axis)} does not name distinct non-batch axes of inputs of shape ${fmtBatchShape(shape)}`);
    }
    return axes.sort((a, b) => a - b);
  }

  override build(inputShape: Shape): void {
    const axes = this.resolve(inputShape);
    const paramShape = axes.map((a) => inputShape[a]);
    if (paramShape.some((d) => d === null)) fail(this.name, `the normalized axes must have known sizes, got input shape ${fmtBatchShape(inputShape)}`);
    const shape = paramShape as number[];
    if (this.scale) this.gamma = this.addWeight('gamma', shape, { initializer: this.gammaInitializer, regularizer: this.gammaRegularizer });
    if (this.center) this.beta = this.addWeight('beta', shape, { initializer: this.betaInitializer, regularizer: this.betaRegularizer });
    this.axes = axes;
    super.build(inputShape);
  }

  call(x: Tensor): Tensor {
    if (!this.built) fail(this.name, 'the layer is not built; call build(inputShape) or apply(x) first');
    const axes = this.axes;
    if (x.rank !== (this.buildInputShape as Shape).length) fail(this.name, `expects inputs of rank ${(this.buildInputShape as Shape).length}, got rank ${x.rank}`);
    // gamma / beta broadcast as x's shape with 1 on every axis not normalized
    // (for axis -1 alone that is their own shape, and the reshape is a no-op view).
    const bshape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const temps: Tensor[] = [];
    const step = (t: Tensor): Tensor => (temps.push(t), t);
    const mu = step(mean(x, axes, true));
    const centered = step(sub(x, mu));
    const variance = step(mean(step(square(centered)), axes, true));
    let y = mul(centered, step(rsqrt(step(add(variance, this.epsilon)))));
    if (this.gamma) y = mul(step(y), step(reshape(this.gamma, bshape)));
    if (this.beta) y = add(step(y), step(reshape(this.beta, bshape)));
    // Under a tape dispose waits for the backward, which still reads these.
    for (const t of temps) t.dispose();
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? this.axis.slice() : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: { className: this.betaInitializer.className, config: this.betaInitializer.getConfig() },
      gammaInitializer: { className: this.gammaInitializer.className, config: this.gammaInitializer.getConfig() },
      betaRegularizer: this.betaRegularizer ? { className: this.betaRegularizer.className, config: this.betaRegularizer.getConfig() } : null,
      gammaRegularizer: this.gammaRegularizer ? { className: this.gammaRegularizer.className, config: this.gammaRegularizer.getConfig() } : null,
    };
  }
}
