// The weightless core layers: Activation, Flatten, Dropout.
import { isRecording } from '../autograd/tape';
import { describe, fail } from '../errors';
import { sizeOf } from '../shape';
import { cast } from '../ops/convert';
import { randomUniform } from '../ops/create';
import { greaterEqual, mul } from '../ops/elementwise';
import { reshape, transpose } from '../ops/shape';
import type { Tensor } from '../tensor';
import { getActivation, softmax, type ActivationFn } from './activations';
import { readDataFormat, type DataFormatArg } from './image_args';
import { Layer, type CallOptions, type LayerArgs, type Shape } from './layer';

export interface ActivationArgs extends LayerArgs {
  activation: string | ActivationFn;
}

export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ActivationFn;

  constructor(args: ActivationArgs) {
    super(args, 'Activation', ['activation']);
    if (args?.activation === undefined) fail('activation', "args.activation is required (a name such as 'relu')");
    this.activation = getActivation(args.activation, 'activation');
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    return options.logits && this.activation === softmax ? x : this.activation(x);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), activation: this.activation.name };
  }
}

export interface FlattenArgs extends LayerArgs {
  dataFormat?: DataFormatArg;
}

/**
 * Flattens every axis but the batch axis: [b, 28, 28] -> [b, 784]. With
 * channelsFirst the channel axis is moved last first (as Keras does), so a
 * Dense after it keeps its weight order when a model switches data format.
 */
export class Flatten extends Layer {
  readonly className = 'Flatten';
  readonly dataFormat: DataFormatArg;

  constructor(args: FlattenArgs = {}) {
    super(args, 'Flatten', ['dataFormat']);
    this.dataFormat = readDataFormat('flatten', args.dataFormat);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const rest = inputShape.slice(1);
    return [inputShape[0] ?? null, rest.some((d) => d === null) ? null : rest.reduce<number>((a, d) => a * (d as number), 1)];
  }

  call(x: Tensor): Tensor {
    if (x.rank < 1) fail(this.name, 'Flatten needs a batch axis, got a 0-d tensor');
    if (x.rank === 2) return x;
    if (this.dataFormat === 'channelsLast' || x.rank < 3) return reshape(x, [x.shape[0], sizeOf(x.shape.slice(1))]);
    const last = transpose(x, [0, ...x.shape.map((_, i) => i).slice(2), 1]);
    const y = reshape(last, [x.shape[0], sizeOf(x.shape.slice(1))]);
    last.dispose();
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat };
  }
}

export interface DropoutArgs extends LayerArgs {
  rate: number;
  /** Makes the masks reproducible: call i uses seed + i. */
  seed?: number;
}

/**
 * Zeroes a fraction `rate` of the inputs during training and scales the rest
 * by 1 / (1 - rate) (inverted dropout), so inference is the identity.
 */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;
  readonly seed?: number;
  private calls = 0;

  constructor(args: DropoutArgs) {
    super(args, 'Dropout', ['rate', 'seed']);
    const rate = args?.rate;
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) fail('dropout', `rate must be a number in [0, 1), got ${describe(rate)}`);
    if (args.seed !== undefined && !(Number.isInteger(args.seed) && args.seed >= 0)) fail('dropout', `seed must be a non-negative integer, got ${describe(args.seed)}`);
    this.rate = rate;
    this.seed = args.seed;
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    if (!options.training || this.rate === 0) return x;
    const seed = this.seed === undefined ? undefined : this.seed + this.calls++;
    const u = randomUniform(x.shape.slice(), 0, 1, seed);
    const kept = greaterEqual(u, this.rate);
    const keep = cast(kept, 'float32');
    const mask = mul(keep, 1 / (1 - this.rate));
    const out = mul(x, mask);
    [u, kept, keep].forEach((t) => t.dispose());
    // The recorded mul's backward still reads the mask.
    if (!isRecording()) mask.dispose();
    return out;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed ?? null };
  }
}
