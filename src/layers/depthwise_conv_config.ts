// DepthwiseConv2D and SeparableConv2D in the Keras config format
// (src/layers/serialization.ts calls these): the snake_case keys tfjs-layers
// and Keras write (depth_multiplier, depthwise_initializer, pointwise_kernel's
// pointwise_initializer, ...), read back from tfjs-layers, Keras 2 and Keras 3.
import { fail } from '../errors';
import type { Padding } from '../ops/conv_geometry';
import type { DataFormatArg } from './image_args';
import { DepthwiseConv2D, SeparableConv2D, type DepthwiseConv2DArgs, type SeparableConv2DArgs } from './depthwise_conv';
import { describe } from './describe';
import { deserializeInitializer, deserializeRegularizer, serializeInitializer, serializeRegularizer, type KerasObject } from './keras_config';
import { readActivation, readEnum, readPair } from './config_readers';

type Config = Record<string, unknown>;

const FORMAT_TO_KERAS: Record<DataFormatArg, string> = { channelsLast: 'channels_last', channelsFirst: 'channels_first' };
const FORMATS: Record<string, DataFormatArg> = {
  channels_last: 'channelsLast', channels_first: 'channelsFirst', channelsLast: 'channelsLast', channelsFirst: 'channelsFirst',
};

/**
 * The config of either layer; `base` holds name, trainable, dtype (and
 * batch_input_shape), `activation` the checked activation name.
 */
export function serializeDepthwiseConv(layer: DepthwiseConv2D | SeparableConv2D, base: Config, activation: string): KerasObject {
  const config: Config = {
    ...base,
    ...(layer instanceof SeparableConv2D ? { filters: layer.filters } : {}),
    kernel_size: layer.kernelSize.slice(), strides: layer.strides.slice(), padding: layer.padding,
    data_format: FORMAT_TO_KERAS[layer.dataFormat], dilation_rate: layer.dilationRate.slice(), depth_multiplier: layer.depthMultiplier,
    activation, use_bias: layer.useBias,
    depthwise_initializer: serializeInitializer(layer.depthwiseInitializer),
    ...(layer instanceof SeparableConv2D ? { pointwise_initializer: serializeInitializer(layer.pointwiseInitializer) } : {}),
    bias_initializer: serializeInitializer(layer.biasInitializer),
    depthwise_regularizer: serializeRegularizer(layer.depthwiseRegularizer),
    ...(layer instanceof SeparableConv2D ? { pointwise_regularizer: serializeRegularizer(layer.pointwiseRegularizer) } : {}),
    bias_regularizer: serializeRegularizer(layer.biasRegularizer),
    activity_regularizer: null, depthwise_constraint: null,
    ...(layer instanceof SeparableConv2D ? { pointwise_constraint: null } : {}),
    bias_constraint: null,
  };
  return { class_name: layer.className, config };
}

function readPositiveInt(fn: string, where: string, c: Config, k: string, dflt?: number): number {
  const v = c[k] ?? dflt;
  if (!Number.isInteger(v) || (v as number) <= 0) fail(fn, `${where} ${k} must be a positive integer, got ${describe(v)}`);
  return v as number;
}

/**
 * Constraints are not implemented, so they must be off (null). tfjs-layers'
 * DepthwiseConv2D.getConfig writes its depthwise *regularizer* under
 * depthwise_constraint (a known slip), so that copy is recognised and ignored.
 */
function checkConstraints(fn: string, where: string, c: Config, keys: string[]): void {
  for (const k of keys) {
    const v = c[k];
    if (v === undefined || v === null) continue;
    if (k === 'depthwise_constraint' && JSON.stringify(v) === JSON.stringify(c.depthwise_regularizer)) continue;
    fail(fn, `${where} sets ${k} = ${JSON.stringify(v)}, which is not supported; only null is`);
  }
}

/** The layer's arguments (beyond LayerArgs) from a Keras config, the weights it will create, and its constructor. */
export function readDepthwiseConv(fn: string, where: string, c: Config, className: 'DepthwiseConv2D' | 'SeparableConv2D'):
  { args: DepthwiseConv2DArgs | SeparableConv2DArgs; weightNames: string[]; separable: boolean } {
  const separable = className === 'SeparableConv2D';
  checkConstraints(fn, where, c, ['activity_regularizer', 'depthwise_constraint', 'pointwise_constraint', 'bias_constraint', 'kernel_constraint']);
  if (c.use_bias !== undefined && typeof c.use_bias !== 'boolean') fail(fn, `${where} use_bias must be a boolean, got ${describe(c.use_bias)}`);
  const useBias = (c.use_bias as boolean | undefined) ?? true;
  const init = (key: string) => (c[key] == null ? undefined : deserializeInitializer(fn, `${where} ${key}`, c[key]));
  const args: DepthwiseConv2DArgs = {
    kernelSize: readPair(fn, where, c, 'kernel_size'),
    strides: readPair(fn, where, c, 'strides', [1, 1]),
    dilationRate: readPair(fn, where, c, 'dilation_rate', [1, 1]),
    padding: readEnum<Padding>(fn, where, c, 'padding', { valid: 'valid', same: 'same' }, 'valid'),
    dataFormat: readEnum(fn, where, c, 'data_format', FORMATS, 'channels_last'),
    depthMultiplier: readPositiveInt(fn, where, c, 'depth_multiplier', 1),
    activation: readActivation(fn, where, c.activation),
    useBias,
    depthwiseInitializer: init('depthwise_initializer'),
    biasInitializer: init('bias_initializer'),
    depthwiseRegularizer: deserializeRegularizer(fn, `${where} depthwise_regularizer`, c.depthwise_regularizer),
    biasRegularizer: deserializeRegularizer(fn, `${where} bias_regularizer`, c.bias_regularizer),
  };
  const kernels = separable ? ['depthwise_kernel', 'pointwise_kernel'] : ['depthwise_kernel'];
  const weightNames = useBias ? [...kernels, 'bias'] : kernels;
  if (!separable) return { args, weightNames, separable };
  const sep: SeparableConv2DArgs = {
    ...args,
    filters: readPositiveInt(fn, where, c, 'filters'),
    pointwiseInitializer: init('pointwise_initializer'),
    pointwiseRegularizer: deserializeRegularizer(fn, `${where} pointwise_regularizer`, c.pointwise_regularizer),
  };
  return { args: sep, weightNames, separable };
}
