// ZeroPadding2D and UpSampling2D: change an image batch's height and width.
// ZeroPadding2D is one pad op on the two spatial axes. UpSampling2D
// ('nearest') repeats every pixel sh x sw times, which is a broadcast of a
// size-1 axis after each spatial axis: reshape -> broadcastTo -> reshape, all
// with gradients (the broadcast's gradient sums each block back).
// 'bilinear' is Keras's: tf.image.resize's bilinear with half-pixel centres
// (wt.image.resizeBilinear(x, size, false, true)). tfjs-layers samples at
// pixel corners instead (halfPixelCenters false), so a model converted from
// Keras gives Keras's values here and not in TF.js. Keras defaults: padding
// 1, size 2, channels last.
import { describe, fail } from '../errors';
import { pair } from '../ops/conv_geometry';
import { pad } from '../ops/pad';
import { resizeBilinear } from '../ops/image';
import { broadcastTo, reshape, transpose } from '../ops/shape';
import type { Tensor } from '../tensor';
import { readDataFormat, spatial, type DataFormatArg } from './image_args';
import { fmtBatchShape, Layer, type LayerArgs, type Shape } from './layer';

type Pair = [number, number];

export interface ZeroPadding2DArgs extends LayerArgs {
  /** n (all four sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]. */
  padding?: number | Pair | [Pair, Pair];
  dataFormat?: DataFormatArg;
}

const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Keras' normalisation of ZeroPadding2D's padding to [[top, bottom], [left, right]]. */
export function readPadding2D(fn: string, v: unknown): [Pair, Pair] {
  const p = v ?? 1;
  if (isCount(p)) return [[p, p], [p, p]];
  if (Array.isArray(p) && p.length === 2) {
    if (p.every(isCount)) return [[p[0], p[0]], [p[1], p[1]]];
    if (p.every((q) => Array.isArray(q) && q.length === 2 && q.every(isCount))) return [[p[0][0], p[0][1]], [p[1][0], p[1][1]]];
  }
  return fail(fn, `padding must be a non-negative integer, a pair [rows, cols] or [[top, bottom], [left, right]], got ${Array.isArray(v) ? JSON.stringify(v) : describe(v)}`);
}

const grow = (d: number | null, [a, b]: Pair) => (d === null ? null : d + a + b);

function checkRank4(layer: string, x: Tensor): void {
  if (x.rank !== 4) fail(layer, `expects inputs of rank 4 (batch, height, width, channels), got shape ${fmtBatchShape(x.shape)}`);
}

export class ZeroPadding2D extends Layer {
  readonly className = 'ZeroPadding2D';
  readonly padding: [Pair, Pair];
  readonly dataFormat: DataFormatArg;

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 'ZeroPadding2D', ['padding', 'dataFormat']);
    this.padding = readPadding2D('zeroPadding2d', args.padding);
    this.dataFormat = readDataFormat('zeroPadding2d', args.dataFormat);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { h, w, c } = spatial(this.name, this.name, inputShape, this.dataFormat);
    const [rows, cols] = this.padding;
    return this.dataFormat === 'channelsLast'
      ? [inputShape[0], grow(h, rows), grow(w, cols), c]
      : [inputShape[0], c, grow(h, rows), grow(w, cols)];
  }

  call(x: Tensor): Tensor {
    checkRank4(this.name, x);
    const [rows, cols] = this.padding;
    const none: Pair = [0, 0];
    return pad(x, this.dataFormat === 'channelsLast' ? [none, rows, cols, none] : [none, none, rows, cols]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), padding: this.padding.map((p) => p.slice()), dataFormat: this.dataFormat };
  }
}

export interface UpSampling2DArgs extends LayerArgs {
  /** Repeats of each row and column: n or [rows, cols]. */
  size?: number | Pair;
  dataFormat?: DataFormatArg;
  /** 'nearest' (the default) or 'bilinear' (Keras's: half-pixel centres). */
  interpolation?: 'nearest' | 'bilinear';
}

export class UpSampling2D extends Layer {
  readonly className = 'UpSampling2D';
  readonly size: Pair;
  readonly dataFormat: DataFormatArg;
  readonly interpolation: 'nearest' | 'bilinear';

  constructor(args: UpSampling2DArgs = {}) {
    super(args, 'UpSampling2D', ['size', 'dataFormat', 'interpolation']);
    const fn = 'upSampling2d';
    this.size = pair(fn, 'size', args.size ?? 2);
    this.dataFormat = readDataFormat(fn, args.dataFormat);
    const interp = args.interpolation ?? 'nearest';
    if (interp !== 'nearest' && interp !== 'bilinear') fail(fn, `interpolation must be 'nearest' or 'bilinear', got ${describe(args.interpolation)}`);
    this.interpolation = interp;
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { h, w, c } = spatial(this.name, this.name, inputShape, this.dataFormat);
    const [sh, sw] = this.size;
    const oh = h === null ? null : h * sh;
    const ow = w === null ? null : w * sw;
    return this.dataFormat === 'channelsLast' ? [inputShape[0], oh, ow, c] : [inputShape[0], c, oh, ow];
  }

  call(x: Tensor): Tensor {
    checkRank4(this.name, x);
    return this.interpolation === 'bilinear' ? this.bilinear(x) : this.nearest(x);
  }

  private bilinear(x: Tensor): Tensor {
    const [sh, sw] = this.size;
    if (this.dataFormat === 'channelsLast') return resizeBilinear(x, [x.shape[1] * sh, x.shape[2] * sw], false, true);
    const nhwc = transpose(x, [0, 2, 3, 1]);
    const resized = resizeBilinear(nhwc, [x.shape[2] * sh, x.shape[3] * sw], false, true);
    const y = transpose(resized, [0, 3, 1, 2]);
    nhwc.dispose();
    resized.dispose();
    return y;
  }

  private nearest(x: Tensor): Tensor {
    const [sh, sw] = this.size;
    const [n, a, b, c] = x.shape;
    // channelsLast [n, h, w, c] -> [n, h, 1, w, 1, c]; channelsFirst [n, c, h, w] -> [n, c, h, 1, w, 1].
    const split = this.dataFormat === 'channelsLast' ? [n, a, 1, b, 1, c] : [n, a, b, 1, c, 1];
    const repeated = this.dataFormat === 'channelsLast' ? [n, a, sh, b, sw, c] : [n, a, b, sh, c, sw];
    const final = this.dataFormat === 'channelsLast' ? [n, a * sh, b * sw, c] : [n, a, b * sh, c * sw];
    const s = reshape(x, split);
    const r = broadcastTo(s, repeated);
    const y = reshape(r, final);
    s.dispose();
    r.dispose();
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), size: this.size.slice(), dataFormat: this.dataFormat, interpolation: this.interpolation };
  }
}
