// GlobalAveragePooling2D, GlobalMaxPooling2D, ZeroPadding2D, UpSampling2D,
// Reshape and Permute in the Keras config format (src/layers/serialization.ts
// calls these): the snake_case keys tfjs-layers writes (data_format, padding,
// size, interpolation, target_shape, dims), plus Keras' keepdims. Reading
// checks everything up front, so a bad config fails before any layer exists.
import { fail } from '../errors';
import { pair } from '../ops/conv_geometry';
import type { DataFormatArg } from './image_args';
import { describe } from './describe';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from './global_pooling';
import { readPadding2D, UpSampling2D, ZeroPadding2D } from './image_reshaping';
import type { KerasObject } from './keras_config';
import type { Layer, LayerArgs } from './layer';
import { Permute, readDims, readTargetShape, Reshape } from './reshaping';

type Config = Record<string, unknown>;

export const RESHAPING_CLASSES = ['GlobalAveragePooling2D', 'GlobalMaxPooling2D', 'ZeroPadding2D', 'UpSampling2D', 'Reshape', 'Permute'] as const;

const TO_KERAS: Record<DataFormatArg, string> = { channelsLast: 'channels_last', channelsFirst: 'channels_first' };
const FROM_KERAS: Record<string, DataFormatArg> = {
  channels_last: 'channelsLast', channels_first: 'channelsFirst', channelsLast: 'channelsLast', channelsFirst: 'channelsFirst',
};

/** The config of one of these layers (`base`: name, trainable, dtype, batch_input_shape), or undefined for any other layer. */
export function serializeReshaping(layer: Layer, base: Config): KerasObject | undefined {
  if (layer instanceof GlobalAveragePooling2D || layer instanceof GlobalMaxPooling2D) {
    return { class_name: layer.className, config: { ...base, data_format: TO_KERAS[layer.dataFormat], keepdims: layer.keepDims } };
  }
  if (layer instanceof ZeroPadding2D) {
    return { class_name: 'ZeroPadding2D', config: { ...base, padding: layer.padding.map((p) => p.slice()), data_format: TO_KERAS[layer.dataFormat] } };
  }
  if (layer instanceof UpSampling2D) {
    return { class_name: 'UpSampling2D', config: { ...base, size: layer.size.slice(), data_format: TO_KERAS[layer.dataFormat], interpolation: layer.interpolation } };
  }
  if (layer instanceof Reshape) return { class_name: 'Reshape', config: { ...base, target_shape: layer.targetShape.slice() } };
  if (layer instanceof Permute) return { class_name: 'Permute', config: { ...base, dims: layer.dims.slice() } };
  return undefined;
}

function dataFormat(fn: string, where: string, c: Config): DataFormatArg {
  const v = c.data_format ?? 'channels_last';
  const f = typeof v === 'string' ? FROM_KERAS[v] : undefined;
  if (f === undefined) fail(fn, `${where} data_format must be one of 'channels_last', 'channels_first', got ${describe(v)}`);
  return f;
}

/** Checks the config of `className` (one of RESHAPING_CLASSES) and returns what creates the layer. */
export function readReshaping(fn: string, where: string, className: string, c: Config): (common: LayerArgs) => Layer {
  const at = `${fn}: ${where}`;
  switch (className) {
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      if (c.keepdims != null && typeof c.keepdims !== 'boolean') fail(fn, `${where} keepdims must be a boolean, got ${describe(c.keepdims)}`);
      const args = { dataFormat: dataFormat(fn, where, c), keepDims: (c.keepdims as boolean | null | undefined) ?? false };
      const Pool = className === 'GlobalMaxPooling2D' ? GlobalMaxPooling2D : GlobalAveragePooling2D;
      return (common) => new Pool({ ...common, ...args });
    }
    case 'ZeroPadding2D': {
      const args = { padding: readPadding2D(at, c.padding), dataFormat: dataFormat(fn, where, c) };
      return (common) => new ZeroPadding2D({ ...common, ...args });
    }
    case 'UpSampling2D': {
      const interpolation = c.interpolation ?? 'nearest';
      if (interpolation !== 'nearest' && interpolation !== 'bilinear') fail(fn, `${where} interpolation must be 'nearest' or 'bilinear', got ${describe(interpolation)}`);
      const args = { size: pair(at, 'size', (c.size ?? 2) as number), dataFormat: dataFormat(fn, where, c), interpolation: interpolation as 'nearest' | 'bilinear' };
      return (common) => new UpSampling2D({ ...common, ...args });
    }
    case 'Reshape': {
      // tfjs-layers writes the inferred dimension as null, Keras as -1.
      const t = c.target_shape;
      const targetShape = readTargetShape(at, Array.isArray(t) ? t.map((d) => (d === null ? -1 : d)) : t);
      return (common) => new Reshape({ ...common, targetShape });
    }
    case 'Permute': {
      const dims = readDims(at, c.dims);
      return (common) => new Permute({ ...common, dims });
    }
    default:
      return fail(fn, `${where}: '${className}' is not one of ${RESHAPING_CLASSES.join(', ')}`);
  }
}
