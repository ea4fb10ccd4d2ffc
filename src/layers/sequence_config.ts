// Embedding, Conv1D, the 1-D pooling layers and LayerNormalization in the
// Keras config format (src/layers/serialization.ts calls these): the
// snake_case keys tfjs-layers writes (input_dim, output_dim,
// embeddings_initializer, mask_zero, input_length; kernel_size [3],
// dilation_rate [1]; pool_size [2]; axis, epsilon, center, scale, ...), and
// reading what tfjs-layers, tf.keras and Keras 3 write. Reading checks the
// whole config up front, so a bad one fails before any layer exists.
import { fail } from '../errors';
import type { ActivationFn } from './activations';
import { getActivation } from './activations';
import type { DataFormatArg } from './image_args';
import { Conv1D, readPadding1D, single } from './conv1d';
import { describe } from './describe';
import { Embedding } from './embedding';
import { deserializeInitializer, deserializeRegularizer, serializeInitializer, serializeRegularizer, type KerasObject } from './keras_config';
import type { Layer, LayerArgs } from './layer';
import { LayerNormalization } from './layer_normalization';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D } from './pooling1d';

type Config = Record<string, unknown>;

export const SEQUENCE_CLASSES = ['Embedding', 'Conv1D', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'MaxPooling1D', 'AveragePooling1D',
  'LayerNormalization'] as const;

const TO_KERAS: Record<DataFormatArg, string> = { channelsLast: 'channels_last', channelsFirst: 'channels_first' };
const FROM_KERAS: Record<string, DataFormatArg> = {
  channels_last: 'channelsLast', channels_first: 'channelsFirst', channelsLast: 'channelsLast', channelsFirst: 'channelsFirst',
};

/**
 * The config of one of these layers (`base`: name, trainable, dtype,
 * batch_input_shape), or undefined for any other layer. `activation` names
 * Conv1D's activation (it fails for a custom function).
 */
export function serializeSequence(layer: Layer, base: Config, activation: (a: ActivationFn) => string): KerasObject | undefined {
  if (layer instanceof Embedding) {
    return {
      class_name: 'Embedding',
      config: {
        ...base, input_dim: layer.inputDim, output_dim: layer.outputDim,
        embeddings_initializer: serializeInitializer(layer.embeddingsInitializer), embeddings_regularizer: serializeRegularizer(layer.embeddingsRegularizer),
        activity_regularizer: null, embeddings_constraint: null, mask_zero: layer.maskZero,
        input_length: layer.inputLength === null ? null : layer.inputLength.length === 1 ? layer.inputLength[0] : layer.inputLength.slice(),
      },
    };
  }
  if (layer instanceof Conv1D) {
    return {
      class_name: 'Conv1D',
      config: {
        ...base, filters: layer.filters, kernel_size: [layer.kernelSize], strides: [layer.strides], padding: layer.padding,
        data_format: TO_KERAS[layer.dataFormat], dilation_rate: [layer.dilationRate], activation: activation(layer.activation), use_bias: layer.useBias,
        kernel_initializer: serializeInitializer(layer.kernelInitializer), bias_initializer: serializeInitializer(layer.biasInitializer),
        kernel_regularizer: serializeRegularizer(layer.kernelRegularizer), bias_regularizer: serializeRegularizer(layer.biasRegularizer),
        activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
      },
    };
  }
  if (layer instanceof GlobalAveragePooling1D || layer instanceof GlobalMaxPooling1D) {
    return { class_name: layer.className, config: { ...base, data_format: TO_KERAS[layer.dataFormat], keepdims: layer.keepDims } };
  }
  if (layer instanceof MaxPooling1D || layer instanceof AveragePooling1D) {
    return {
      class_name: layer.className,
      config: { ...base, pool_size: [layer.poolSize], padding: layer.padding, strides: [layer.strides], data_format: TO_KERAS[layer.dataFormat] },
    };
  }
  if (layer instanceof LayerNormalization) {
    return {
      class_name: 'LayerNormalization',
      config: {
        // Once built, the resolved axes as tfjs-layers and tf.keras write them ([2]); before, as given.
        ...base, axis: layer.built ? layer.axes.slice() : Array.isArray(layer.axis) ? layer.axis.slice() : layer.axis, epsilon: layer.epsilon, center: layer.center, scale: layer.scale,
        beta_initializer: serializeInitializer(layer.betaInitializer), gamma_initializer: serializeInitializer(layer.gammaInitializer),
        beta_regularizer: serializeRegularizer(layer.betaRegularizer), gamma_regularizer: serializeRegularizer(layer.gammaRegularizer),
        beta_constraint: null, gamma_constraint: null,
      },
    };
  }
  return undefined;
}

// ---- reading ----

/** Keras features we do not implement must be off (null); silently dropping them would change the model. */
function checkOff(fn: string, where: string, c: Config, keys: string[]): void {
  for (const k of keys) {
    if (c[k] !== undefined && c[k] !== null) fail(fn, `${where} sets ${k} = ${JSON.stringify(c[k])}, which is not supported; only null is`);
  }
}

function flag(fn: string, where: string, c: Config, key: string, dflt: boolean): boolean {
  const v = c[key] ?? dflt;
  if (typeof v !== 'boolean') fail(fn, `${where} ${key} must be a boolean, got ${describe(v)}`);
  return v;
}

function positiveInt(fn: string, where: string, c: Config, key: string): number {
  const v = c[key];
  if (!Number.isInteger(v) || (v as number) <= 0) fail(fn, `${where} ${key} must be a positive integer, got ${describe(v)}`);
  return v as number;
}

function dataFormat(fn: string, where: string, c: Config): DataFormatArg {
  const v = c.data_format ?? 'channels_last';
  const f = typeof v === 'string' ? FROM_KERAS[v] : undefined;
  if (f === undefined) fail(fn, `${where} data_format must be one of 'channels_last', 'channels_first', got ${describe(v)}`);
  return f;
}

const init = (fn: string, where: string, c: Config, key: string) => (c[key] == null ? undefined : deserializeInitializer(fn, `${where} ${key}`, c[key]));

export interface SequenceSpec {
  weightNames: string[];
  create(common: LayerArgs): Layer;
}

/** Checks the config of `className` (one of SEQUENCE_CLASSES) and returns what creates the layer. */
export function readSequence(fn: string, where: string, className: string, c: Config): SequenceSpec {
  const at = `${fn}: ${where}`;
  switch (className) {
    case 'Embedding': {
      checkOff(fn, where, c, ['activity_regularizer', 'embeddings_constraint', 'lora_rank', 'quantization_config']);
      if (c.sparse === true) fail(fn, `${where} is sparse; only dense embeddings are supported`);
      const len = c.input_length;
      if (len != null && !Number.isInteger(len) && !(Array.isArray(len) && len.every((d) => Number.isInteger(d) && d > 0))) {
        fail(fn, `${where} input_length must be a positive integer, a list of them, or null, got ${describe(len)}`);
      }
      const args = {
        inputDim: positiveInt(fn, where, c, 'input_dim'),
        outputDim: positiveInt(fn, where, c, 'output_dim'),
        embeddingsInitializer: init(fn, where, c, 'embeddings_initializer'),
        embeddingsRegularizer: deserializeRegularizer(fn, `${where} embeddings_regularizer`, c.embeddings_regularizer),
        maskZero: flag(fn, where, c, 'mask_zero', false),
        inputLength: (len ?? undefined) as number | number[] | undefined,
      };
      return { weightNames: ['embeddings'], create: (common) => new Embedding({ ...common, ...args }) };
    }
    case 'Conv1D': {
      checkOff(fn, where, c, ['activity_regularizer', 'kernel_constraint', 'bias_constraint', 'lora_rank']);
      if (c.groups != null && c.groups !== 1) fail(fn, `${where} sets groups = ${JSON.stringify(c.groups)}; only 1 is supported`);
      const useBias = flag(fn, where, c, 'use_bias', true);
      const act = c.activation ?? 'linear';
      if (typeof act !== 'string') fail(fn, `${where} activation must be a name such as 'relu', got ${describe(act)}`);
      const args = {
        filters: positiveInt(fn, where, c, 'filters'),
        kernelSize: single(at, 'kernel_size', c.kernel_size),
        strides: single(at, 'strides', c.strides ?? 1),
        dilationRate: single(at, 'dilation_rate', c.dilation_rate ?? 1),
        padding: readPadding1D(at, c.padding),
        dataFormat: dataFormat(fn, where, c),
        activation: getActivation(act, at),
        useBias,
        kernelInitializer: init(fn, where, c, 'kernel_initializer'),
        biasInitializer: init(fn, where, c, 'bias_initializer'),
        kernelRegularizer: deserializeRegularizer(fn, `${where} kernel_regularizer`, c.kernel_regularizer),
        biasRegularizer: deserializeRegularizer(fn, `${where} bias_regularizer`, c.bias_regularizer),
      };
      return { weightNames: useBias ? ['kernel', 'bias'] : ['kernel'], create: (common) => new Conv1D({ ...common, ...args }) };
    }
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling1D': {
      const args = { dataFormat: dataFormat(fn, where, c), keepDims: flag(fn, where, c, 'keepdims', false) };
      const Pool = className === 'GlobalMaxPooling1D' ? GlobalMaxPooling1D : GlobalAveragePooling1D;
      return { weightNames: [], create: (common) => new Pool({ ...common, ...args }) };
    }
    case 'MaxPooling1D':
    case 'AveragePooling1D': {
      const poolSize = single(at, 'pool_size', c.pool_size ?? 2);
      const pad = c.padding ?? 'valid';
      if (pad !== 'valid' && pad !== 'same') fail(fn, `${where} padding must be 'valid' or 'same', got ${describe(pad)}`);
      const args = { poolSize, strides: c.strides == null ? poolSize : single(at, 'strides', c.strides), padding: pad as 'valid' | 'same', dataFormat: dataFormat(fn, where, c) };
      const Pool = className === 'MaxPooling1D' ? MaxPooling1D : AveragePooling1D;
      return { weightNames: [], create: (common) => new Pool({ ...common, ...args }) };
    }
    case 'LayerNormalization': {
      checkOff(fn, where, c, ['beta_constraint', 'gamma_constraint']);
      if (c.rms_scaling === true) fail(fn, `${where} sets rms_scaling = true, which is not supported`);
      const axis = c.axis ?? -1;
      if (!Number.isInteger(axis) && !(Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a)))) {
        fail(fn, `${where} axis must be an integer or a list of integers, got ${Array.isArray(axis) ? JSON.stringify(axis) : describe(axis)}`);
      }
      const eps = c.epsilon ?? 1e-3;
      if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) fail(fn, `${where} epsilon must be a number >= 0, got ${describe(eps)}`);
      const args = {
        axis: axis as number | number[], epsilon: eps,
        center: flag(fn, where, c, 'center', true), scale: flag(fn, where, c, 'scale', true),
        betaInitializer: init(fn, where, c, 'beta_initializer'), gammaInitializer: init(fn, where, c, 'gamma_initializer'),
        betaRegularizer: deserializeRegularizer(fn, `${where} beta_regularizer`, c.beta_regularizer),
        gammaRegularizer: deserializeRegularizer(fn, `${where} gamma_regularizer`, c.gamma_regularizer),
      };
      const weightNames = [...(args.scale ? ['gamma'] : []), ...(args.center ? ['beta'] : [])];
      return { weightNames, create: (common) => new LayerNormalization({ ...common, ...args }) };
    }
    default:
      return fail(fn, `${where}: '${className}' is not one of ${SEQUENCE_CLASSES.join(', ')}`);
  }
}
