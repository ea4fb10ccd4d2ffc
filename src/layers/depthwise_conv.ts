// DepthwiseConv2D and SeparableConv2D (Keras names and defaults).
//
// DepthwiseConv2D: activation(depthwiseConv2d(x, depthwise_kernel) + bias),
// the kernel [kh, kw, inChannels, depthMultiplier], the bias added inside the
// SIMD kernel. SeparableConv2D: the same depthwise step without bias, then a
// 1x1 pointwise_kernel [1, 1, inChannels * depthMultiplier, filters] as one
// matMul whose epilogue adds the bias and applies the activation (as Conv2D).
// Keras defaults: strides 1, padding 'valid', depthMultiplier 1, glorot_uniform
// kernels, zeros bias, channels last.
import type { Variable } from '../autograd/variable';
import { describe, fail, fmtShape } from '../errors';
import { pair, type Padding } from '../ops/conv_geometry';
import { depthwiseConv2dWith, separableConv2dWith } from '../ops/depthwise_conv';
import type { Tensor } from '../tensor';
import { getActivation, type ActivationFn } from './activations';
import { readDataFormat, readPadding, outputLength, spatial, type DataFormatArg } from './image_args';
import { getInitializer, type Initializer } from './initializers';
import { fmtBatchShape, Layer, type LayerArgs, type Shape } from './layer';
import { getRegularizer, type Regularizer } from './regularizers';
import { withBiasActivation } from './fused_activation';

export interface DepthwiseConv2DArgs extends LayerArgs {
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: Padding;
  depthMultiplier?: number;
  dataFormat?: DataFormatArg;
  dilationRate?: number | [number, number];
  activation?: string | ActivationFn | null;
  useBias?: boolean;
  depthwiseInitializer?: string | Initializer;
  biasInitializer?: string | Initializer;
  depthwiseRegularizer?: string | Regularizer | null;
  biasRegularizer?: string | Regularizer | null;
}

export interface SeparableConv2DArgs extends DepthwiseConv2DArgs {
  filters: number;
  pointwiseInitializer?: string | Initializer;
  pointwiseRegularizer?: string | Regularizer | null;
}

const DEPTHWISE_OPTIONS = ['kernelSize', 'strides', 'padding', 'depthMultiplier', 'dataFormat', 'dilationRate', 'activation', 'useBias',
  'depthwiseInitializer', 'biasInitializer', 'depthwiseRegularizer', 'biasRegularizer'];

const serialized = (x: Initializer | Regularizer | null) => (x ? { className: x.className, config: x.getConfig() } : null);

/** What both layers share: the depthwise step's geometry, its kernel, the bias and the activation. */
abstract class DepthwiseBase extends Layer {
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly depthMultiplier: number;
  readonly dataFormat: DataFormatArg;
  readonly dilationRate: [number, number];
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  depthwiseKernel?: Variable;
  bias?: Variable;

  /** `fn` names the layer factory in errors ('depthwiseConv2d'). */
  constructor(args: DepthwiseConv2DArgs, className: string, fn: string, options: readonly string[]) {
    super(args, className, [...DEPTHWISE_OPTIONS, ...options]);
    this.kernelSize = pair(fn, 'kernelSize', args.kernelSize);
    this.strides = pair(fn, 'strides', args.strides ?? 1);
    this.dilationRate = pair(fn, 'dilationRate', args.dilationRate ?? 1);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      fail(fn, `strides ${fmtShape(this.strides)} and dilationRate ${fmtShape(this.dilationRate)} cannot both be greater than 1`);
    }
    const m = args.depthMultiplier ?? 1;
    if (!Number.isInteger(m) || m <= 0) fail(fn, `depthMultiplier must be a positive integer, got ${describe(args.depthMultiplier)}`);
    this.depthMultiplier = m;
    this.padding = readPadding(fn, args.padding);
    this.dataFormat = readDataFormat(fn, args.dataFormat);
    this.activation = getActivation(args.activation, fn);
    if (args.useBias !== undefined && typeof args.useBias !== 'boolean') fail(fn, `useBias must be true or false, got ${describe(args.useBias)}`);
    this.useBias = args.useBias ?? true;
    this.depthwiseInitializer = getInitializer(args.depthwiseInitializer ?? 'glorotUniform', fn);
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', fn);
    this.depthwiseRegularizer = getRegularizer(args.depthwiseRegularizer, fn);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, fn);
  }

  /** Creates depthwise_kernel [kh, kw, inChannels, depthMultiplier]; returns inChannels. */
  protected buildDepthwise(inputShape: Shape): number {
    const { c } = spatial(this.name, this.name, inputShape, this.dataFormat);
    if (c === null) fail(this.name, `${this.className} needs a known channel dimension, got input shape ${fmtBatchShape(inputShape)}`);
    const [kh, kw] = this.kernelSize;
    this.depthwiseKernel = this.addWeight('depthwise_kernel', [kh, kw, c, this.depthMultiplier],
      { initializer: this.depthwiseInitializer, regularizer: this.depthwiseRegularizer });
    return c;
  }

  protected addBias(size: number): void {
    if (this.useBias) this.bias = this.addWeight('bias', [size], { initializer: this.biasInitializer, regularizer: this.biasRegularizer });
  }

  /** The output shape with `channels` output channels (null when unknown). */
  protected outputShapeWith(inputShape: Shape, channels: number | null): Shape {
    const { h, w } = spatial(this.name, this.name, inputShape, this.dataFormat);
    const oh = outputLength(h, this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding);
    const ow = outputLength(w, this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding);
    return this.dataFormat === 'channelsLast' ? [inputShape[0], oh, ow, channels] : [inputShape[0], channels, oh, ow];
  }

  protected get format(): 'NHWC' | 'NCHW' {
    return this.dataFormat === 'channelsLast' ? 'NHWC' : 'NCHW';
  }

  protected kernelOrFail(): Variable {
    const k = this.depthwiseKernel;
    if (k === undefined) return fail(this.name, 'the layer is not built; call build(inputShape) or apply(x) first');
    return k;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      kernelSize: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate.slice(),
      depthMultiplier: this.depthMultiplier,
      activation: this.activation.name,
      useBias: this.useBias,
      depthwiseInitializer: serialized(this.depthwiseInitializer),
      biasInitializer: serialized(this.biasInitializer),
      depthwiseRegularizer: serialized(this.depthwiseRegularizer),
      biasRegularizer: serialized(this.biasRegularizer),
    };
  }
}

export class DepthwiseConv2D extends DepthwiseBase {
  readonly className = 'DepthwiseConv2D';

  constructor(args: DepthwiseConv2DArgs) {
    super(args, 'DepthwiseConv2D', 'depthwiseConv2d', []);
  }

  override build(inputShape: Shape): void {
    const c = this.buildDepthwise(inputShape);
    this.addBias(c * this.depthMultiplier);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { c } = spatial(this.name, this.name, inputShape, this.dataFormat);
    return this.outputShapeWith(inputShape, c === null ? null : c * this.depthMultiplier);
  }

  call(x: Tensor): Tensor {
    const y = depthwiseConv2dWith(this.name, x, this.kernelOrFail(), this.strides, this.padding, this.format, this.dilationRate, this.bias);
    const out = this.activation(y);
    if (out !== y) y.dispose();
    return out;
  }
}

export class SeparableConv2D extends DepthwiseBase {
  readonly className = 'SeparableConv2D';
  readonly filters: number;
  readonly pointwiseInitializer: Initializer;
  readonly pointwiseRegularizer: Regularizer | null;
  pointwiseKernel?: Variable;

  constructor(args: SeparableConv2DArgs) {
    super(args, 'SeparableConv2D', 'separableConv2d', ['filters', 'pointwiseInitializer', 'pointwiseRegularizer']);
    const fn = 'separableConv2d';
    if (!Number.isInteger(args.filters) || args.filters <= 0) fail(fn, `filters must be a positive integer, got ${describe(args.filters)}`);
    this.filters = args.filters;
    this.pointwiseInitializer = getInitializer(args.pointwiseInitializer ?? 'glorotUniform', fn);
    this.pointwiseRegularizer = getRegularizer(args.pointwiseRegularizer, fn);
  }

  override build(inputShape: Shape): void {
    const c = this.buildDepthwise(inputShape);
    this.pointwiseKernel = this.addWeight('pointwise_kernel', [1, 1, c * this.depthMultiplier, this.filters],
      { initializer: this.pointwiseInitializer, regularizer: this.pointwiseRegularizer });
    this.addBias(this.filters);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return this.outputShapeWith(inputShape, this.filters);
  }

  call(x: Tensor): Tensor {
    const depthwise = this.kernelOrFail();
    const pointwise = this.pointwiseKernel as Variable;
    return withBiasActivation(this.activation, this.bias,
      (epilogue) => separableConv2dWith(this.name, x, depthwise, pointwise, this.strides, this.padding, this.dilationRate, this.format, epilogue));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      pointwiseInitializer: serialized(this.pointwiseInitializer),
      pointwiseRegularizer: serialized(this.pointwiseRegularizer),
    };
  }
}
