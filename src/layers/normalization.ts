// BatchNormalization (Keras / tfjs-layers): normalizes each channel along
// `axis` with the batch's statistics while training and with moving averages
// of them at inference, then scales by gamma and shifts by beta.
//
// Weights, created in tfjs-layers' (and Keras') order: gamma (scale = true),
// beta (center = true), then the non-trainable moving_mean and
// moving_variance, each of shape [C].
//
// Training: the batch mean and the biased variance (the mean of squared
// deviations, as tf.moments gives it) over every axis but `axis`; gradients
// flow through them, as in Keras. The moving statistics are then updated as
// tfjs-layers does, moving -= (moving - batch) * (1 - momentum), i.e.
// moving * momentum + batch * (1 - momentum), with the biased batch variance
// (tfjs-layers and TF2 Keras both use it; interop is checked against
// tfjs-layers). That update is not a recorded op: it reads the statistics
// through aliases that are not on the tape.
import type { Variable } from '../autograd/variable';
import { describe, fail } from '../errors';
import { batchNorm } from '../ops/batchnorm';
import { mean } from '../ops/reduce';
import { mul, square, sub } from '../ops/elementwise';
import { reshape } from '../ops/shape';
import { Tensor } from '../tensor';
import { getInitializer, type Initializer } from './initializers';
import { fmtBatchShape, Layer, type CallOptions, type LayerArgs, type Shape } from './layer';
import { getRegularizer, type Regularizer } from './regularizers';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The channel axis (default -1, the last; 1 for channelsFirst images). */
  axis?: number;
  /** Moving-average decay (default 0.99). */
  momentum?: number;
  /** Added to the variance (default 0.001). */
  epsilon?: number;
  /** Learn beta (default true). */
  center?: boolean;
  /** Learn gamma (default true). */
  scale?: boolean;
  betaInitializer?: string | Initializer;
  gammaInitializer?: string | Initializer;
  movingMeanInitializer?: string | Initializer;
  movingVarianceInitializer?: string | Initializer;
  betaRegularizer?: string | Regularizer | null;
  gammaRegularizer?: string | Regularizer | null;
}

const OPTIONS = ['axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer',
  'movingMeanInitializer', 'movingVarianceInitializer', 'betaRegularizer', 'gammaRegularizer'];
const FN = 'batchNormalization';

function readFlag(name: string, v: unknown): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'boolean') fail(FN, `${name} must be true or false, got ${describe(v)}`);
  return v;
}

/** A second handle on t's storage that no tape knows: ops on it are never recorded. */
function detached(t: Tensor): Tensor {
  return new Tensor(t.storage, t.shape, t.dtype, t.strides, t.offset);
}

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  /** As given (-1 by default); the built layer resolves it against the input rank. */
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  gamma?: Variable;
  beta?: Variable;
  movingMean?: Variable;
  movingVariance?: Variable;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, 'BatchNormalization', OPTIONS);
    const a = args ?? {};
    if (a.axis !== undefined && !Number.isInteger(a.axis)) fail(FN, `axis must be an integer, got ${describe(a.axis)}`);
    this.axis = a.axis ?? -1;
    const momentum = a.momentum ?? 0.99;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) fail(FN, `momentum must be a number in [0, 1], got ${describe(a.momentum)}`);
    this.momentum = momentum;
    const epsilon = a.epsilon ?? 1e-3;
    if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) fail(FN, `epsilon must be a finite number >= 0, got ${describe(a.epsilon)}`);
    this.epsilon = epsilon;
    this.center = readFlag('center', a.center);
    this.scale = readFlag('scale', a.scale);
    this.betaInitializer = getInitializer(a.betaInitializer ?? 'zeros', FN);
    this.gammaInitializer = getInitializer(a.gammaInitializer ?? 'ones', FN);
    this.movingMeanInitializer = getInitializer(a.movingMeanInitializer ?? 'zeros', FN);
    this.movingVarianceInitializer = getInitializer(a.movingVarianceInitializer ?? 'ones', FN);
    this.betaRegularizer = getRegularizer(a.betaRegularizer, FN);
    this.gammaRegularizer = getRegularizer(a.gammaRegularizer, FN);
  }

  /** `axis` as a non-negative index into a batch shape of this rank. */
  private resolvedAxis(rank: number): number {
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    if (axis < 0 || axis >= rank) fail(this.name, `axis ${this.axis} is out of range for inputs of rank ${rank}`);
    return axis;
  }

  override build(inputShape: Shape): void {
    const axis = this.resolvedAxis(inputShape.length);
    if (axis === 0) fail(this.name, 'axis 0 is the batch axis; BatchNormalization normalizes per channel (axis -1, or 1 for channelsFirst)');
    const dim = inputShape[axis];
    if (dim === null) fail(this.name, `axis ${this.axis} of the input must have a known size, got input shape ${fmtBatchShape(inputShape)}`);
    const shape = [dim];
    if (this.scale) this.gamma = this.addWeight('gamma', shape, { initializer: this.gammaInitializer, regularizer: this.gammaRegularizer });
    if (this.center) this.beta = this.addWeight('beta', shape, { initializer: this.betaInitializer, regularizer: this.betaRegularizer });
    this.movingMean = this.addWeight('moving_mean', shape, { initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight('moving_variance', shape, { initializer: this.movingVarianceInitializer, trainable: false });
    super.build(inputShape);
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    const { movingMean, movingVariance } = this;
    if (movingMean === undefined || movingVariance === undefined) return fail(this.name, 'the layer is not built; call build(inputShape) or apply(x) first');
    const axis = this.resolvedAxis(x.rank);
    const built = this.buildInputShape as Shape;
    if (x.rank !== built.length || x.shape[axis] !== movingMean.size) {
      fail(this.name, `layer '${this.name}' expects inputs of shape ${fmtBatchShape(built)} (${movingMean.size} channels on axis ${this.axis}), got [${x.shape.join(',')}]`);
    }
    // [C] statistics broadcast against the last axis as they are; any other axis needs [1, C, 1, ...].
    const temps: Tensor[] = [];
    const step = (t: Tensor): Tensor => (temps.push(t), t);
    const statShape = x.shape.map((d, i) => (i === axis ? d : 1));
    const asStat = (t: Tensor): Tensor => (axis === x.rank - 1 ? t : step(reshape(t, statShape)));
    const gamma = this.gamma ? asStat(this.gamma) : null;
    const beta = this.beta ? asStat(this.beta) : null;
    let y: Tensor;
    if (options.training) {
      const axes = x.shape.map((_, i) => i).filter((i) => i !== axis);
      const batchMean = step(mean(x, axes, true));
      const batchVariance = step(mean(step(square(step(sub(x, batchMean)))), axes, true));
      y = batchNorm(x, batchMean, batchVariance, beta, gamma, this.epsilon);
      this.updateMoving(movingMean, batchMean);
      this.updateMoving(movingVariance, batchVariance);
    } else {
      y = batchNorm(x, asStat(movingMean), asStat(movingVariance), beta, gamma, this.epsilon);
    }
    // Under a tape these disposals wait for the backward pass.
    for (const t of temps) t.dispose();
    return y;
  }

  /** moving -= (moving - batch) * (1 - momentum), tfjs-layers' doMovingAverage, off the tape. */
  private updateMoving(moving: Variable, batch: Tensor): void {
    const value = detached(batch);
    const flat = reshape(value, [moving.size]);
    const delta = sub(moving, flat);
    const scaled = mul(delta, 1 - this.momentum);
    const next = sub(moving, scaled);
    moving.assign(next);
    for (const t of [value, flat, delta, scaled, next]) t.dispose();
  }

  override getConfig(): Record<string, unknown> {
    const serialized = (x: Initializer | Regularizer) => ({ className: x.className, config: x.getConfig() });
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serialized(this.betaInitializer),
      gammaInitializer: serialized(this.gammaInitializer),
      movingMeanInitializer: serialized(this.movingMeanInitializer),
      movingVarianceInitializer: serialized(this.movingVarianceInitializer),
      betaRegularizer: this.betaRegularizer ? serialized(this.betaRegularizer) : null,
      gammaRegularizer: this.gammaRegularizer ? serialized(this.gammaRegularizer) : null,
    };
  }
}
