// The `wt.layers` namespace: TF.js-style factories (layers.dense({...})) and
// the classes behind them.
import { Activation, Dropout, Flatten, type ActivationArgs, type DropoutArgs } from './core';
import { Conv2D, type Conv2DArgs } from './conv';
import { Dense, type DenseArgs } from './dense';
import { AveragePooling2D, MaxPooling2D, type Pooling2DArgs } from './pooling';
import type { KerasObject } from './keras_config';
import { Layer, type LayerArgs } from './layer';
import { deserializeLayer, serializeLayer } from './serialization';
import { fail } from '../errors';

/** Keras' layers.serialize: { class_name, config } with snake_case keys, as model.json stores a layer. */
function serialize(layer: Layer): KerasObject {
  return serializeLayer('layers.serialize', layer);
}

/** Keras' layers.deserialize: a new layer from { class_name, config } (Dense, Activation, Dropout, Flatten, Conv2D, MaxPooling2D, AveragePooling2D). */
function deserialize(obj: KerasObject): Layer {
  const spec = deserializeLayer('layers.deserialize', obj, -1);
  if (spec.inputOnly) fail('layers.deserialize', 'an InputLayer only describes a model input; it has no layer of its own here');
  return spec.create(spec.name);
}

export { Layer, Dense, Activation, Flatten, Dropout, Conv2D, MaxPooling2D, AveragePooling2D };
export type { DenseArgs, ActivationArgs, DropoutArgs, LayerArgs, Conv2DArgs, Pooling2DArgs };
export type { Shape, CallOptions } from './layer';
export type { KerasObject } from './keras_config';

export const layers = {
  dense: (args: DenseArgs) => new Dense(args),
  activation: (args: ActivationArgs) => new Activation(args),
  flatten: (args?: LayerArgs) => new Flatten(args),
  dropout: (args: DropoutArgs) => new Dropout(args),
  conv2d: (args: Conv2DArgs) => new Conv2D(args),
  maxPooling2d: (args?: Pooling2DArgs) => new MaxPooling2D(args),
  averagePooling2d: (args?: Pooling2DArgs) => new AveragePooling2D(args),
  serialize,
  deserialize,
  Layer,
  Dense,
  Activation,
  Flatten,
  Dropout,
  Conv2D,
  MaxPooling2D,
  AveragePooling2D,
};
