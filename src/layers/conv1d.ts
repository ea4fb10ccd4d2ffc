// Conv1D: activation(conv1d(x, kernel) + bias) over [batch, steps, channels]
// (channelsFirst: [batch, channels, steps]). The forward is the conv1d op, a
// conv2d over a height-1 view whose GEMM epilogue adds the bias and applies
// the activation, as Conv2D's does. Keras defaults: strides 1, padding
// 'valid' ('causal' left-pads so step t sees inputs <= t), dilation 1,
// glorot_uniform kernel [kernelSize, inChannels, filters], zeros bias.
import { describe, fail } from '../errors';
import { conv1dWith, type Padding1D } from '../ops/conv1d';
import type { Tensor } from '../tensor';
import { outputLength, readDataFormat, type DataFormatArg } from './image_args';
import { KernelLayer, type KernelArgs } from './kernel_layer';
import { fmtBatchShape, type Shape } from './layer';
import { withBiasActivation } from './fused_activation';

export interface Conv1DArgs extends KernelArgs {
  filters: number;
  kernelSize: number | [number];
  strides?: number | [number];
  padding?: Padding1D;
  dataFormat?: DataFormatArg;
  dilationRate?: number | [number];
}

/** A positive integer, or a list of one (Keras writes [3]). */
export function single(fn: string, arg: string, v: unknown): number {
  const n = Array.isArray(v) && v.length === 1 ? v[0] : v;
  if (!Number.isInteger(n) || n < 1) fail(fn, `${arg} must be a positive integer (or a list of one), got ${Array.isArray(v) ? JSON.stringify(v) : describe(v)}`);
  return n as number;
}

export function readPadding1D(fn: string, v: unknown): Padding1D {
  const p = v ?? 'valid';
  if (p !== 'valid' && p !== 'same' && p !== 'causal') fail(fn, `padding must be 'valid', 'same' or 'causal', got ${describe(v)}`);
  return p;
}

/** [steps, channels] of a rank-3 batch shape in either data format. */
export function temporal(fn: string, layer: string, shape: Shape, format: DataFormatArg): { t: number | null; c: number | null } {
  if (shape.length !== 3) fail(fn, `layer '${layer}' expects inputs of rank 3 (batch, steps, channels), got shape ${fmtBatchShape(shape)}`);
  return format === 'channelsLast' ? { t: shape[1], c: shape[2] } : { t: shape[2], c: shape[1] };
}

export class Conv1D extends KernelLayer {
  readonly className = 'Conv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: Padding1D;
  readonly dataFormat: DataFormatArg;
  readonly dilationRate: number;

  constructor(args: Conv1DArgs) {
    super(args, 'Conv1D', 'conv1d', ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate']);
    const fn = 'conv1d';
    if (!Number.isInteger(args.filters) || args.filters <= 0) fail(fn, `filters must be a positive integer, got ${describe(args.filters)}`);
    this.filters = args.filters;
    this.kernelSize = single(fn, 'kernelSize', args.kernelSize);
    this.strides = single(fn, 'strides', args.strides ?? 1);
    this.dilationRate = single(fn, 'dilationRate', args.dilationRate ?? 1);
    if (this.strides > 1 && this.dilationRate > 1) fail(fn, `strides ${this.strides} and dilationRate ${this.dilationRate} cannot both be greater than 1`);
    this.padding = readPadding1D(fn, args.padding);
    this.dataFormat = readDataFormat(fn, args.dataFormat);
  }

  override build(inputShape: Shape): void {
    const { c } = temporal(this.name, this.name, inputShape, this.dataFormat);
    if (c === null) fail(this.name, `Conv1D needs a known channel dimension, got input shape ${fmtBatchShape(inputShape)}`);
    this.kernel = this.addWeight('kernel', [this.kernelSize, c, this.filters], { initializer: this.kernelInitializer, regularizer: this.kernelRegularizer });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.filters], { initializer: this.biasInitializer, regularizer: this.biasRegularizer });
    }
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const { t } = temporal(this.name, this.name, inputShape, this.dataFormat);
    // Causal output length equals 'same': the left padding is exactly the span - 1.
    const steps = outputLength(t, this.kernelSize, this.strides, this.dilationRate, this.padding === 'causal' ? 'same' : this.padding);
    return this.dataFormat === 'channelsLast' ? [inputShape[0], steps, this.filters] : [inputShape[0], this.filters, steps];
  }

  call(x: Tensor): Tensor {
    const kernel = this.kernel;
    if (kernel === undefined) return fail(this.name, 'the layer is not built; call build(inputShape) or apply(x) first');
    if (x.rank !== 3) fail(this.name, `expects inputs of rank 3 (batch, steps, channels), got rank ${x.rank}`);
    const format = this.dataFormat === 'channelsLast' ? 'NWC' : 'NCW';
    return withBiasActivation(this.activation, this.bias,
      (epilogue) => conv1dWith(this.name, x, kernel, this.strides, this.padding, format, this.dilationRate, epilogue));
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: [this.kernelSize],
      strides: [this.strides],
      padding: this.padding,
      dataFormat: this.dataFormat,
      dilationRate: [this.dilationRate],
      ...this.kernelConfig(),
    };
  }
}
