// MaxPooling2D and AveragePooling2D over the two spatial axes. Keras defaults:
// poolSize 2, strides = poolSize, padding 'valid', channels last. The pooling
// ops are NHWC only, so channelsFirst inputs are transposed around them.
import { fail } from '../errors';
import { pair, type Padding } from '../ops/conv_geometry';
import { avgPool, maxPool } from '../ops/pool';
import { transpose } from '../ops/shape';
import type { Tensor } from '../tensor';
import { outputLength, readDataFormat, readPadding, spatial, type DataFormatArg } from './image_args';
import { Layer, type LayerArgs, type Shape } from './layer';

export interface Pooling2DArgs extends LayerArgs {
  poolSize?: number | [number, number];
  strides?: number | [number, number] | null;
  padding?: Padding;
  dataFormat?: DataFormatArg;
}

type PoolOp = (x: Tensor, size: [number, number], strides: [number, number], pad: Padding) => Tensor;

abstract class Pooling2D extends Layer {
  readonly poolSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dataFormat: DataFormatArg;

  constructor(args: Pooling2DArgs, className: string, fn: string, private readonly pool: PoolOp) {
    super(args, className, ['poolSize', 'strides', 'padding', 'dataFormat']);
    if (args === undefined) fail(fn, 'args must be an object');
    this.poolSize = pair(fn, 'poolSize', args.poolSize ?? 2);
    this.strides = args.strides == null ? this.poolSize : pair(fn, 'strides', args.strides);
    this.padding = readPadding(fn, args.padding);
    this.dataFormat = readDataFormat(fn, args.dataFormat);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { h, w, c } = spatial(this.name, this.name, inputShape, this.dataFormat);
    const oh = outputLength(h, this.poolSize[0], this.strides[0], 1, this.padding);
    const ow = outputLength(w, this.poolSize[1], this.strides[1], 1, this.padding);
    return this.dataFormat === 'channelsLast' ? [inputShape[0], oh, ow, c] : [inputShape[0], c, oh, ow];
  }

  call(x: Tensor): Tensor {
    if (x.rank !== 4) fail(this.name, `expects inputs of rank 4 (batch, height, width, channels), got rank ${x.rank}`);
    if (this.dataFormat === 'channelsLast') return this.pool(x, this.poolSize, this.strides, this.padding);
    const nhwc = transpose(x, [0, 2, 3, 1]);
    const pooled = this.pool(nhwc, this.poolSize, this.strides, this.padding);
    const y = transpose(pooled, [0, 3, 1, 2]);
    nhwc.dispose();
    pooled.dispose();
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(), poolSize: this.poolSize.slice(), strides: this.strides.slice(), padding: this.padding, dataFormat: this.dataFormat,
    };
  }
}

export class MaxPooling2D extends Pooling2D {
  readonly className = 'MaxPooling2D';
  constructor(args: Pooling2DArgs = {}) {
    super(args, 'MaxPooling2D', 'maxPooling2d', maxPool);
  }
}

export class AveragePooling2D extends Pooling2D {
  readonly className = 'AveragePooling2D';
  constructor(args: Pooling2DArgs = {}) {
    super(args, 'AveragePooling2D', 'averagePooling2d', avgPool);
  }
}
