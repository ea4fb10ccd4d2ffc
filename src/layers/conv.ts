// Conv2D: activation(conv2d(x, kernel) + bias). The forward is one conv2d
// whose GEMM epilogue adds the bias and applies the activation (as Dense
// does; matMul splits it into separate ops itself when a tape needs that).
// Keras defaults: strides 1, padding 'valid', glorot_uniform kernel
// [kh, kw, inChannels, filters], zeros bias, channels last.
import { describe, fail, fmtShape } from '../errors';
import { conv2dWith } from '../ops/conv';
import { pair, type Padding } from '../ops/conv_geometry';
import type { Tensor } from '../tensor';
import { KernelLayer, type KernelArgs } from './kernel_layer';
import { fmtBatchShape, type Shape } from './layer';
import { withBiasActivation } from './fused_activation';
import { outputLength, readDataFormat, readPadding, spatial, type DataFormatArg } from './image_args';

export interface Conv2DArgs extends KernelArgs {
  filters: number;
  kernelSize: number | [number, number];
  strides?: number | [number, number];
  padding?: Padding;
  dataFormat?: DataFormatArg;
  dilationRate?: number | [number, number];
}

export class Conv2D extends KernelLayer {
  readonly className = 'Conv2D';
  readonly filters: number;
  readonly kernelSize: [number, number];
  readonly strides: [number, number];
  readonly padding: Padding;
  readonly dataFormat: DataFormatArg;
  readonly dilationRate: [number, number];

  constructor(args: Conv2DArgs) {
    super(args, 'Conv2D', 'conv2d', ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate']);
    const fn = 'conv2d';
    if (!Number.isInteger(args.filters) || args.filters <= 0) fail(fn, `filters must be a positive integer, got ${describe(args.filters)}`);
    this.filters = args.filters;
    this.kernelSize = pair(fn, 'kernelSize', args.kernelSize);
    this.strides = pair(fn, 'strides', args.strides ?? 1);
    this.dilationRate = pair(fn, 'dilationRate', args.dilationRate ?? 1);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      fail(fn, `strides ${fmtShape(this.strides)} and dilationRate ${fmtShape(this.dilationRate)} cannot both be greater than 1`);
    }
    this.padding = readPadding(fn, args.padding);
    this.dataFormat = readDataFormat(fn, args.dataFormat);
  }

  override build(inputShape: Shape): void {
    const { c } = spatial(this.name, this.name, inputShape, this.dataFormat);
    if (c === null) fail(this.name, `Conv2D needs a known channel dimension, got input shape ${fmtBatchShape(inputShape)}`);
    const [kh, kw] = this.kernelSize;
    this.kernel = this.addWeight('kernel', [kh, kw, c, this.filters], { initializer: this.kernelInitializer, regularizer: this.kernelRegularizer });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.filters], { initializer: this.biasInitializer, regularizer: this.biasRegularizer });
    }
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { h, w } = spatial(this.name, this.name, inputShape, this.dataFormat);
    const oh = outputLength(h, this.kernelSize[0], this.strides[0], this.dilationRate[0], this.padding);
    const ow = outputLength(w, this.kernelSize[1], this.strides[1], this.dilationRate[1], this.padding);
    return this.dataFormat === 'channelsLast' ? [inputShape[0], oh, ow, this.filters] : [inputShape[0], this.filters, oh, ow];
  }

  call(x: Tensor): Tensor {
    const kernel = this.kernel;
    if (kernel === undefined) return fail(this.name, 'the layer is not built; call build(inputShape) or apply(x) first');
    const format = this.dataFormat === 'channelsLast' ? 'NHWC' : 'NCHW';
    return withBiasActivation(this.activation, this.bias,
      (epilogue) => conv2dWith(this.name, x, kernel, this.strides, this.padding, format, this.dilationRate, epilogue));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize.slice(),
      strides: this.strides.slice(),
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: this.dilationRate.slice(),
      ...this.kernelConfig(),
    };
  }
}
