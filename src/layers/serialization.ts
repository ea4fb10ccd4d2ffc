// Layers to and from the Keras config format that model.json carries:
// { class_name: 'Dense', config: { name, units, use_bias, ... } } with
// snake_case keys, as tfjs-layers and tensorflowjs_converter (from Keras 2
// and 3) write them. The registry is explicit, one entry per class, so an
// unknown class fails with the list of the supported ones rather than
// loading something half-understood.
import { fail } from '../errors';
import { describe } from './describe';
import { getActivation, type ActivationFn } from './activations';
import { Activation, Dropout, Flatten } from './core';
import { Conv2D } from './conv';
import { type DataFormatArg } from './image_args';
import { Dense } from './dense';
import { DepthwiseConv2D, SeparableConv2D, type SeparableConv2DArgs } from './depthwise_conv';
import { readDepthwiseConv, serializeDepthwiseConv } from './depthwise_conv_config';
import { AveragePooling2D, MaxPooling2D } from './pooling';
import { BatchNormalization } from './normalization';
import { readBatchNormalization, serializeBatchNormalization } from './normalization_config';
import { readReshaping, RESHAPING_CLASSES, serializeReshaping } from './reshaping_config';
import { readSequence, SEQUENCE_CLASSES, serializeSequence } from './sequence_config';
import { readRecurrent, RECURRENT_CLASSES, serializeRecurrent } from './recurrent_config';
import { readBidirectional, serializeBidirectional } from './bidirectional_config';
import { TimeDistributed } from './time_distributed';
import { MERGE_CLASSES } from './merge';
import { readMerge, serializeMerge } from './merge_config';
import { deserializeInitializer, deserializeRegularizer, isKerasObject, serializeInitializer, serializeRegularizer, type KerasObject } from './keras_config';
import type { Layer, LayerArgs, Shape } from './layer';
import { readActivation, readEnum, readPair } from './config_readers';

export const SUPPORTED_LAYER_CLASSES = ['Dense', 'Activation', 'Dropout', 'Flatten', 'Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'MaxPooling2D', 'AveragePooling2D',
  ...RESHAPING_CLASSES, 'BatchNormalization', ...SEQUENCE_CLASSES, ...RECURRENT_CLASSES, 'Bidirectional', 'TimeDistributed', ...MERGE_CLASSES, 'InputLayer'] as const;

/** What a Keras layer config describes, before any weight is allocated. */
export interface LayerSpec {
  className: string;
  /** The name in the file (weights in the manifest are keyed by it). */
  name: string;
  /** InputLayer only: it carries the model's batch input shape and has no layer of its own. */
  inputOnly: boolean;
  batchInputShape?: Shape;
  /** InputLayer only: the input's dtype (int32 for token ids, as Keras and tfjs write it). */
  inputDtype?: 'float32' | 'int32';
  /** Names of the weights the layer will create, in creation order ('kernel', 'bias'). */
  weightNames: string[];
  /** Creates the layer under `name` (the file's name, or a fresh one if that is taken). */
  create(name: string, batchInputShape?: Shape): Layer;
}

// ---- writing ----

function activationName(fn: string, layer: Layer, act: ActivationFn): string {
  let known: ActivationFn | undefined;
  try {
    known = getActivation(act.name);
  } catch {
    known = undefined;
  }
  if (known !== act) fail(fn, `layer '${layer.name}' has a custom activation function '${act.name}', which the Keras format cannot store; use a named activation such as 'relu'`);
  return act.name;
}

/** The Keras serialization of a layer; `batchInputShape` is written when given (the first layer of a model). */
export function serializeLayer(fn: string, layer: Layer, batchInputShape?: Shape): KerasObject {
  const base: Record<string, unknown> = { name: layer.name, trainable: layer.trainable, dtype: 'float32' };
  const shape = batchInputShape ?? layer.batchInputShape;
  if (shape !== undefined) base.batch_input_shape = shape.slice();
  if (layer instanceof Dense) {
    return {
      class_name: 'Dense',
      config: {
        ...base, units: layer.units, activation: activationName(fn, layer, layer.activation), use_bias: layer.useBias,
        kernel_initializer: serializeInitializer(layer.kernelInitializer), bias_initializer: serializeInitializer(layer.biasInitializer),
        kernel_regularizer: serializeRegularizer(layer.kernelRegularizer), bias_regularizer: serializeRegularizer(layer.biasRegularizer),
        activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
      },
    };
  }
  if (layer instanceof Conv2D) {
    return {
      class_name: 'Conv2D',
      config: {
        ...base, filters: layer.filters, kernel_size: layer.kernelSize.slice(), strides: layer.strides.slice(), padding: layer.padding,
        data_format: FORMAT_TO_KERAS[layer.dataFormat], dilation_rate: layer.dilationRate.slice(),
        activation: activationName(fn, layer, layer.activation), use_bias: layer.useBias,
        kernel_initializer: serializeInitializer(layer.kernelInitializer), bias_initializer: serializeInitializer(layer.biasInitializer),
        kernel_regularizer: serializeRegularizer(layer.kernelRegularizer), bias_regularizer: serializeRegularizer(layer.biasRegularizer),
        activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
      },
    };
  }
  if (layer instanceof DepthwiseConv2D || layer instanceof SeparableConv2D) {
    return serializeDepthwiseConv(layer, base, activationName(fn, layer, layer.activation));
  }
  if (layer instanceof MaxPooling2D || layer instanceof AveragePooling2D) {
    return {
      class_name: layer.className,
      config: { ...base, pool_size: layer.poolSize.slice(), padding: layer.padding, strides: layer.strides.slice(), data_format: FORMAT_TO_KERAS[layer.dataFormat] },
    };
  }
  if (layer instanceof BatchNormalization) return serializeBatchNormalization(layer, base);
  if (layer instanceof Activation) return { class_name: 'Activation', config: { ...base, activation: activationName(fn, layer, layer.activation) } };
  if (layer instanceof Dropout) return { class_name: 'Dropout', config: { ...base, rate: layer.rate, noise_shape: null, seed: layer.seed ?? null } };
  if (layer instanceof Flatten) return { class_name: 'Flatten', config: { ...base, data_format: FORMAT_TO_KERAS[layer.dataFormat] } };
  const reshaping = serializeReshaping(layer, base);
  if (reshaping !== undefined) return reshaping;
  const sequence = serializeSequence(layer, base, (act) => activationName(fn, layer, act));
  if (sequence !== undefined) return sequence;
  const recurrent = serializeRecurrent(layer, base);
  if (recurrent !== undefined) return recurrent;
  const bidirectional = serializeBidirectional(layer, base);
  if (bidirectional !== undefined) return bidirectional;
  if (layer instanceof TimeDistributed) return { class_name: 'TimeDistributed', config: { ...base, layer: layer.layerConfig } };
  const merge = serializeMerge(layer, base);
  if (merge !== undefined) return merge;
  return fail(fn, `layer '${layer.name}' is a ${layer.className}, which cannot be saved; supported: ${SUPPORTED_LAYER_CLASSES.join(', ')}`);
}

const FORMAT_TO_KERAS: Record<DataFormatArg, string> = { channelsLast: 'channels_last', channelsFirst: 'channels_first' };

// ---- reading ----

type Config = Record<string, unknown>;

/** Keras' dims: null or positive integers. */
function readShape(fn: string, where: string, v: unknown): Shape {
  if (!Array.isArray(v) || v.some((d) => d !== null && !(Number.isInteger(d) && d > 0))) {
    fail(fn, `${where} must be an array of positive integers or null, got ${Array.isArray(v) ? JSON.stringify(v) : describe(v)}`);
  }
  return v.slice();
}

/** Keras 2 writes batch_input_shape, Keras 3 batch_shape, hand-written configs input_shape (+ batch_size). */
function readBatchInputShape(fn: string, where: string, c: Config): Shape | undefined {
  if (c.batch_input_shape != null) return readShape(fn, `${where} batch_input_shape`, c.batch_input_shape);
  if (c.batch_shape != null) return readShape(fn, `${where} batch_shape`, c.batch_shape);
  if (c.input_shape != null) {
    const b = c.batch_size;
    if (b != null && !(Number.isInteger(b) && (b as number) > 0)) fail(fn, `${where} batch_size must be a positive integer or null, got ${describe(b)}`);
    return [(b as number | undefined) ?? null, ...readShape(fn, `${where} input_shape`, c.input_shape)];
  }
  return undefined;
}

/** float32 only: as a string (Keras 2, tfjs) or a Keras 3 DTypePolicy object. */
function checkDtype(fn: string, where: string, dtype: unknown): void {
  if (dtype === undefined || dtype === null) return;
  const name = isKerasObject(dtype) ? (dtype.config as Config)?.name : dtype;
  if (name !== 'float32') fail(fn, `${where} has dtype ${typeof name === 'string' ? `'${name}'` : describe(dtype)}; only float32 layers are supported`);
}

/** Keras features we do not implement must be off (null); silently dropping them would change the model. */
function checkOff(fn: string, where: string, c: Config, keys: string[]): void {
  for (const k of keys) {
    const v = c[k];
    if (v !== undefined && v !== null) fail(fn, `${where} sets ${k} = ${JSON.stringify(v)}, which is not supported; only null is`);
  }
}

function readNumber(fn: string, where: string, c: Config, k: string, dflt?: number): number {
  const v = c[k] ?? dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, `${where} ${k} must be a number, got ${describe(v)}`);
  return v;
}

const PADDINGS: Record<string, 'valid' | 'same'> = { valid: 'valid', same: 'same' };
const FORMATS: Record<string, DataFormatArg> = {
  channels_last: 'channelsLast', channels_first: 'channelsFirst', channelsLast: 'channelsLast', channelsFirst: 'channelsFirst',
};

/**
 * The spec of the layer at `index` of a Sequential config. Nothing is
 * allocated until create() is called, so a bad config fails before any
 * weight exists.
 */
export function deserializeLayer(fn: string, obj: unknown, index: number): LayerSpec {
  // index < 0: a layer on its own (layers.deserialize), not one of a model's.
  const at = index < 0 ? 'config' : `layers[${index}]`;
  const top = index < 0 ? 'the layer' : `modelTopology ${at}`;
  if (!isKerasObject(obj)) fail(fn, `${top} must be { class_name, config }, got ${describe(obj)}`);
  const c = (obj.config ?? {}) as Config;
  if (c === null || typeof c !== 'object') fail(fn, `${top} config must be an object, got ${describe(c)}`);
  if (c.name !== undefined && (typeof c.name !== 'string' || c.name === '')) fail(fn, `${at} name must be a non-empty string, got ${describe(c.name)}`);
  const fileName = (c.name as string | undefined) ?? `${obj.class_name.toLowerCase()}_${Math.max(0, index)}`;
  const where = `layer '${fileName}' (${at}, ${obj.class_name})`;
  // An input may hold int32 token ids (Embedding); every layer computes in float32.
  const intInput = obj.class_name === 'InputLayer' && (c.dtype === 'int32' || (c.dtype as { config?: { name?: unknown } } | null)?.config?.name === 'int32');
  if (!intInput) checkDtype(fn, where, c.dtype);
  if (c.trainable !== undefined && typeof c.trainable !== 'boolean') fail(fn, `${where} trainable must be a boolean, got ${describe(c.trainable)}`);
  const batchInputShape = readBatchInputShape(fn, where, c);
  const common = (name: string, shape?: Shape): LayerArgs => ({ name, trainable: (c.trainable as boolean | undefined) ?? true, batchInputShape: shape });
  const spec = (weightNames: string[], create: LayerSpec['create'], inputOnly = false): LayerSpec =>
    ({ className: obj.class_name, name: fileName, inputOnly, batchInputShape, weightNames, create });

  switch (obj.class_name) {
    case 'InputLayer': {
      if (batchInputShape === undefined) fail(fn, `${where} needs batch_input_shape (or batch_shape)`);
      if (c.sparse === true || c.ragged === true) fail(fn, `${where} is sparse or ragged; only dense inputs are supported`);
      return { ...spec([], () => fail(fn, `${where}: an InputLayer has no layer of its own`), true), inputDtype: intInput ? 'int32' : 'float32' };
    }
    case 'Dense': {
      checkOff(fn, where, c, ['activity_regularizer', 'kernel_constraint', 'bias_constraint', 'lora_rank', 'quantization_config']);
      const units = c.units;
      if (!Number.isInteger(units) || (units as number) <= 0) fail(fn, `${where} units must be a positive integer, got ${describe(units)}`);
      if (c.use_bias !== undefined && typeof c.use_bias !== 'boolean') fail(fn, `${where} use_bias must be a boolean, got ${describe(c.use_bias)}`);
      const useBias = (c.use_bias as boolean | undefined) ?? true;
      const activation = readActivation(fn, where, c.activation);
      const kernelInitializer = c.kernel_initializer == null ? undefined : deserializeInitializer(fn, `${where} kernel_initializer`, c.kernel_initializer);
      const biasInitializer = c.bias_initializer == null ? undefined : deserializeInitializer(fn, `${where} bias_initializer`, c.bias_initializer);
      const kernelRegularizer = deserializeRegularizer(fn, `${where} kernel_regularizer`, c.kernel_regularizer);
      const biasRegularizer = deserializeRegularizer(fn, `${where} bias_regularizer`, c.bias_regularizer);
      return spec(useBias ? ['kernel', 'bias'] : ['kernel'], (name, shape) => new Dense({
        ...common(name, shape ?? batchInputShape), units: units as number, activation, useBias,
        kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer,
      }));
    }
    case 'Conv2D': {
      checkOff(fn, where, c, ['activity_regularizer', 'kernel_constraint', 'bias_constraint', 'lora_rank']);
      if (c.groups !== undefined && c.groups !== null && c.groups !== 1) fail(fn, `${where} sets groups = ${JSON.stringify(c.groups)}; only 1 is supported`);
      const filters = c.filters;
      if (!Number.isInteger(filters) || (filters as number) <= 0) fail(fn, `${where} filters must be a positive integer, got ${describe(filters)}`);
      if (c.use_bias !== undefined && typeof c.use_bias !== 'boolean') fail(fn, `${where} use_bias must be a boolean, got ${describe(c.use_bias)}`);
      const useBias = (c.use_bias as boolean | undefined) ?? true;
      const args = {
        filters: filters as number,
        kernelSize: readPair(fn, where, c, 'kernel_size'),
        strides: readPair(fn, where, c, 'strides', [1, 1]),
        dilationRate: readPair(fn, where, c, 'dilation_rate', [1, 1]),
        padding: readEnum(fn, where, c, 'padding', PADDINGS, 'valid'),
        dataFormat: readEnum(fn, where, c, 'data_format', FORMATS, 'channels_last'),
        activation: readActivation(fn, where, c.activation),
        useBias,
        kernelInitializer: c.kernel_initializer == null ? undefined : deserializeInitializer(fn, `${where} kernel_initializer`, c.kernel_initializer),
        biasInitializer: c.bias_initializer == null ? undefined : deserializeInitializer(fn, `${where} bias_initializer`, c.bias_initializer),
        kernelRegularizer: deserializeRegularizer(fn, `${where} kernel_regularizer`, c.kernel_regularizer),
        biasRegularizer: deserializeRegularizer(fn, `${where} bias_regularizer`, c.bias_regularizer),
      };
      return spec(useBias ? ['kernel', 'bias'] : ['kernel'], (name, shape) => new Conv2D({ ...common(name, shape ?? batchInputShape), ...args }));
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const { args, weightNames, separable } = readDepthwiseConv(fn, where, c, obj.class_name);
      return spec(weightNames, (name, shape) => {
        const all = { ...common(name, shape ?? batchInputShape), ...args };
        return separable ? new SeparableConv2D(all as SeparableConv2DArgs) : new DepthwiseConv2D(all);
      });
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const poolSize = readPair(fn, where, c, 'pool_size', [2, 2]);
      const args = {
        poolSize,
        strides: c.strides == null ? poolSize : readPair(fn, where, c, 'strides'),
        padding: readEnum(fn, where, c, 'padding', PADDINGS, 'valid'),
        dataFormat: readEnum(fn, where, c, 'data_format', FORMATS, 'channels_last'),
      };
      const Pool = obj.class_name === 'MaxPooling2D' ? MaxPooling2D : AveragePooling2D;
      return spec([], (name, shape) => new Pool({ ...common(name, shape ?? batchInputShape), ...args }));
    }
    case 'BatchNormalization': {
      const { args, weightNames } = readBatchNormalization(fn, where, c);
      return spec(weightNames, (name, shape) => new BatchNormalization({ ...common(name, shape ?? batchInputShape), ...args }));
    }
    case 'Activation': {
      const activation = readActivation(fn, where, c.activation);
      return spec([], (name, shape) => new Activation({ ...common(name, shape ?? batchInputShape), activation }));
    }
    case 'Dropout': {
      checkOff(fn, where, c, ['noise_shape']);
      const rate = readNumber(fn, where, c, 'rate');
      if (!(rate >= 0 && rate < 1)) fail(fn, `${where} rate must be in [0, 1), got ${rate}`);
      const seed = typeof c.seed === 'number' ? c.seed : undefined;
      return spec([], (name, shape) => new Dropout({ ...common(name, shape ?? batchInputShape), rate, seed }));
    }
    case 'Flatten': {
      const dataFormat = readEnum(fn, where, c, 'data_format', FORMATS, 'channels_last');
      return spec([], (name, shape) => new Flatten({ ...common(name, shape ?? batchInputShape), dataFormat }));
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
    case 'ZeroPadding2D':
    case 'UpSampling2D':
    case 'Reshape':
    case 'Permute': {
      const create = readReshaping(fn, where, obj.class_name, c);
      return spec([], (name, shape) => create(common(name, shape ?? batchInputShape)));
    }
    case 'Embedding':
    case 'Conv1D':
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling1D':
    case 'MaxPooling1D':
    case 'AveragePooling1D':
    case 'LayerNormalization': {
      const { weightNames, create } = readSequence(fn, where, obj.class_name, c);
      return spec(weightNames, (name, shape) => create(common(name, shape ?? batchInputShape)));
    }
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU': {
      const { weightNames, create } = readRecurrent(fn, where, obj.class_name, c);
      return spec(weightNames, (name, shape) => create(common(name, shape ?? batchInputShape)));
    }
    case 'Bidirectional': {
      const { weightNames, create } = readBidirectional(fn, where, c);
      return spec(weightNames, (name, shape) => create(common(name, shape ?? batchInputShape)));
    }
    case 'TimeDistributed': {
      // The wrapped layer is checked now; its weights sit directly under the wrapper's name.
      const inner = deserializeLayer(fn, c.layer, -1);
      if (inner.inputOnly) fail(fn, `${where} wraps an InputLayer`);
      return spec(inner.weightNames, (name, shape) => new TimeDistributed({ ...common(name, shape ?? batchInputShape), layer: inner.create(`${name}_template`) }));
    }
    case 'Add':
    case 'Subtract':
    case 'Multiply':
    case 'Average':
    case 'Maximum':
    case 'Concatenate': {
      const create = readMerge(fn, where, obj.class_name, c);
      return spec([], (name, shape) => create(common(name, shape ?? batchInputShape)));
    }
    default:
      return fail(fn, `${where}: unknown layer class '${obj.class_name}'; supported: ${SUPPORTED_LAYER_CLASSES.join(', ')}`);
  }
}
