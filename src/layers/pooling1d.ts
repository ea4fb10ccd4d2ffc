// Pooling over the time axis of [batch, steps, channels] (channelsFirst:
// [batch, channels, steps]). The global ones are the mean / max reductions
// over that axis (gradients exist); MaxPooling1D and AveragePooling1D run the
// NHWC 2-D pooling ops on a height-1 view [batch, 1, steps, channels].
// Keras defaults: channels last, keepdims false, poolSize 2, strides =
// poolSize, padding 'valid'. The global layers consume a mask (it does not
// survive the time axis); GlobalAveragePooling1D averages the unmasked steps
// only, as Keras does (tfjs-layers rejects a mask there), and
// GlobalMaxPooling1D, as in Keras, pools over every step.
import { describe, fail } from '../errors';
import type { Padding } from '../ops/conv_geometry';
import { avgPool, maxPool } from '../ops/pool';
import { cast } from '../ops/convert';
import { div, mul } from '../ops/elementwise';
import { max, mean, sum } from '../ops/reduce';
import { reshape, transpose } from '../ops/shape';
import type { Tensor } from '../tensor';
import { outputLength, readDataFormat, readPadding, type DataFormatArg } from './image_args';
import { single, temporal } from './conv1d';
import { Layer, type CallOptions, type LayerArgs, type Shape } from './layer';

export interface GlobalPooling1DArgs extends LayerArgs {
  dataFormat?: DataFormatArg;
  /** Keep the time axis as size 1 (Keras' keepdims). */
  keepDims?: boolean;
}

type Reduce = (x: Tensor, axis: number, keepDims: boolean) => Tensor;

abstract class GlobalPooling1D extends Layer {
  readonly dataFormat: DataFormatArg;
  readonly keepDims: boolean;

  constructor(args: GlobalPooling1DArgs, className: string, fn: string, private readonly reduce: Reduce) {
    super(args, className, ['dataFormat', 'keepDims']);
    this.dataFormat = readDataFormat(fn, args.dataFormat);
    if (args.keepDims !== undefined && typeof args.keepDims !== 'boolean') fail(fn, `keepDims must be true or false, got ${describe(args.keepDims)}`);
    this.keepDims = args.keepDims ?? false;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { c } = temporal(this.name, this.name, inputShape, this.dataFormat);
    if (!this.keepDims) return [inputShape[0], c];
    return this.dataFormat === 'channelsLast' ? [inputShape[0], 1, c] : [inputShape[0], c, 1];
  }

  override computeMask(): Tensor | null {
    return null;
  }

  call(x: Tensor): Tensor {
    if (x.rank !== 3) fail(this.name, `expects inputs of rank 3 (batch, steps, channels), got rank ${x.rank}`);
    return this.reduce(x, this.dataFormat === 'channelsLast' ? 1 : 2, this.keepDims);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepDims: this.keepDims };
  }
}

export class GlobalAveragePooling1D extends GlobalPooling1D {
  readonly className = 'GlobalAveragePooling1D';
  constructor(args: GlobalPooling1DArgs = {}) {
    super(args, 'GlobalAveragePooling1D', 'globalAveragePooling1d', mean);
  }

  /** With a mask [batch, steps] (Embedding maskZero): sum(x * mask) / sum(mask) over the steps, Keras' masked mean. */
  override call(x: Tensor, options: CallOptions = {}): Tensor {
    const mask = options.mask;
    if (mask === undefined || mask === null) return super.call(x);
    if (x.rank !== 3) fail(this.name, `expects inputs of rank 3 (batch, steps, channels), got rank ${x.rank}`);
    const last = this.dataFormat === 'channelsLast';
    const [n, t] = last ? [x.shape[0], x.shape[1]] : [x.shape[0], x.shape[2]];
    if (mask.rank !== 2 || mask.shape[0] !== n || mask.shape[1] !== t) {
      fail(this.name, `the mask must have shape [${n},${t}] (batch, steps), got [${mask.shape.join(',')}]`);
    }
    const axis = last ? 1 : 2;
    const floats = mask.dtype === 'float32' ? mask : cast(mask, 'float32');
    const weights = reshape(floats, last ? [n, t, 1] : [n, 1, t]);
    const masked = mul(x, weights);
    const total = sum(masked, axis, this.keepDims);
    const count = sum(weights, axis, this.keepDims);
    const y = div(total, count);
    // Under a tape dispose waits for the backward, which still reads these.
    for (const temp of [weights, masked, total, count, ...(floats === mask ? [] : [floats])]) temp.dispose();
    return y;
  }
}

export class GlobalMaxPooling1D extends GlobalPooling1D {
  readonly className = 'GlobalMaxPooling1D';
  constructor(args: GlobalPooling1DArgs = {}) {
    super(args, 'GlobalMaxPooling1D', 'globalMaxPooling1d', max);
  }
}

export interface Pooling1DArgs extends LayerArgs {
  poolSize?: number | [number];
  strides?: number | [number] | null;
  padding?: Padding;
  dataFormat?: DataFormatArg;
}

type PoolOp = (x: Tensor, size: [number, number], strides: [number, number], pad: Padding) => Tensor;

abstract class Pooling1D extends Layer {
  readonly poolSize: number;
  readonly strides: number;
  readonly padding: Padding;
  readonly dataFormat: DataFormatArg;

  constructor(args: Pooling1DArgs, className: string, fn: string, private readonly pool: PoolOp) {
    super(args, className, ['poolSize', 'strides', 'padding', 'dataFormat']);
    this.poolSize = single(fn, 'poolSize', args.poolSize ?? 2);
    this.strides = args.strides == null ? this.poolSize : single(fn, 'strides', args.strides);
    this.padding = readPadding(fn, args.padding);
    this.dataFormat = readDataFormat(fn, args.dataFormat);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { t, c } = temporal(this.name, this.name, inputShape, this.dataFormat);
    const steps = outputLength(t, this.poolSize, this.strides, 1, this.padding);
    return this.dataFormat === 'channelsLast' ? [inputShape[0], steps, c] : [inputShape[0], c, steps];
  }

  call(x: Tensor): Tensor {
    if (x.rank !== 3) fail(this.name, `expects inputs of rank 3 (batch, steps, channels), got rank ${x.rank}`);
    // The pooling ops are NHWC: channelsFirst goes through [batch, steps, channels] and back.
    const nwc = this.dataFormat === 'channelsLast' ? x : transpose(x, [0, 2, 1]);
    const [n, t, c] = nwc.shape;
    const image = reshape(nwc, [n, 1, t, c]);
    const pooled = this.pool(image, [1, this.poolSize], [1, this.strides], this.padding);
    const seq = reshape(pooled, [n, pooled.shape[2], c]);
    const y = this.dataFormat === 'channelsLast' ? seq : transpose(seq, [0, 2, 1]);
    for (const temp of [image, pooled, ...(nwc === x ? [] : [nwc]), ...(y === seq ? [] : [seq])]) temp.dispose();
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), poolSize: [this.poolSize], strides: [this.strides], padding: this.padding, dataFormat: this.dataFormat };
  }
}

export class MaxPooling1D extends Pooling1D {
  readonly className = 'MaxPooling1D';
  constructor(args: Pooling1DArgs = {}) {
    super(args, 'MaxPooling1D', 'maxPooling1d', maxPool);
  }
}

export class AveragePooling1D extends Pooling1D {
  readonly className = 'AveragePooling1D';
  constructor(args: Pooling1DArgs = {}) {
    super(args, 'AveragePooling1D', 'averagePooling1d', avgPool);
  }
}
