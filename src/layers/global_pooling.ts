// GlobalAveragePooling2D and GlobalMaxPooling2D: the mean or max over both
// spatial axes, [b, h, w, c] -> [b, c] (keepDims: [b, 1, 1, c]). They are the
// mean/max reductions, whose gradients already exist, over axes chosen by
// the data format. Keras defaults: channels last, keepdims false.
import { describe, fail } from '../errors';
import { max, mean } from '../ops/reduce';
import type { Tensor } from '../tensor';
import { readDataFormat, spatial, type DataFormatArg } from './image_args';
import { Layer, type LayerArgs, type Shape } from './layer';

export interface GlobalPooling2DArgs extends LayerArgs {
  dataFormat?: DataFormatArg;
  /** Keep the spatial axes as size 1 (Keras' keepdims). */
  keepDims?: boolean;
}

type Reduce = (x: Tensor, axis: number[], keepDims: boolean) => Tensor;

abstract class GlobalPooling2D extends Layer {
  readonly dataFormat: DataFormatArg;
  readonly keepDims: boolean;

  constructor(args: GlobalPooling2DArgs, className: string, fn: string, private readonly reduce: Reduce) {
    super(args, className, ['dataFormat', 'keepDims']);
    this.dataFormat = readDataFormat(fn, args.dataFormat);
    if (args.keepDims !== undefined && typeof args.keepDims !== 'boolean') fail(fn, `keepDims must be true or false, got ${describe(args.keepDims)}`);
    this.keepDims = args.keepDims ?? false;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { c } = spatial(this.name, this.name, inputShape, this.dataFormat);
    if (!this.keepDims) return [inputShape[0], c];
    return this.dataFormat === 'channelsLast' ? [inputShape[0], 1, 1, c] : [inputShape[0], c, 1, 1];
  }

  call(x: Tensor): Tensor {
    if (x.rank !== 4) fail(this.name, `expects inputs of rank 4 (batch, height, width, channels), got rank ${x.rank}`);
    return this.reduce(x, this.dataFormat === 'channelsLast' ? [1, 2] : [2, 3], this.keepDims);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dataFormat: this.dataFormat, keepDims: this.keepDims };
  }
}

export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className = 'GlobalAveragePooling2D';
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'GlobalAveragePooling2D', 'globalAveragePooling2d', mean);
  }
}

export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className = 'GlobalMaxPooling2D';
  constructor(args: GlobalPooling2DArgs = {}) {
    super(args, 'GlobalMaxPooling2D', 'globalMaxPooling2d', max);
  }
}
