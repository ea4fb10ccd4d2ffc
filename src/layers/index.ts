// The `wt.layers` namespace: TF.js-style factories (layers.dense({...})) and
// the classes behind them.
import { Activation, Dropout, Flatten, type ActivationArgs, type DropoutArgs, type FlattenArgs } from './core';
import { Conv2D, type Conv2DArgs } from './conv';
import { DepthwiseConv2D, SeparableConv2D, type DepthwiseConv2DArgs, type SeparableConv2DArgs } from './depthwise_conv';
import { Dense, type DenseArgs } from './dense';
import { AveragePooling2D, MaxPooling2D, type Pooling2DArgs } from './pooling';
import { BatchNormalization, type BatchNormalizationArgs } from './normalization';
import { GlobalAveragePooling2D, GlobalMaxPooling2D, type GlobalPooling2DArgs } from './global_pooling';
import { UpSampling2D, ZeroPadding2D, type UpSampling2DArgs, type ZeroPadding2DArgs } from './image_reshaping';
import { Permute, Reshape, type PermuteArgs, type ReshapeArgs } from './reshaping';
import { Embedding, type EmbeddingArgs } from './embedding';
import { Conv1D, type Conv1DArgs } from './conv1d';
import { AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, type GlobalPooling1DArgs, type Pooling1DArgs } from './pooling1d';
import { LayerNormalization, type LayerNormalizationArgs } from './layer_normalization';
import { Add, Average, Concatenate, Maximum, Merge, Multiply, Subtract, type ConcatenateArgs } from './merge';
import { mergeFactories } from './merge_factories';
import { InputLayer } from './input_layer';
import { LSTM, SimpleRNN, type LSTMArgs, type RNNArgs, type RNNCallOptions } from './recurrent';
import { GRU, type GRUArgs } from './gru';
import { Bidirectional, type BidirectionalArgs } from './bidirectional';
import { TimeDistributed, type TimeDistributedArgs } from './time_distributed';
import type { KerasObject } from './keras_config';
import { Layer, type LayerArgs } from './layer';
import { deserializeLayer, serializeLayer } from './serialization';
import { fail } from '../errors';

/** Keras' layers.serialize: { class_name, config } with snake_case keys, as model.json stores a layer. */
function serialize(layer: Layer): KerasObject {
  return serializeLayer('layers.serialize', layer);
}

/** Keras' layers.deserialize: a new layer from { class_name, config } (any class in SUPPORTED_LAYER_CLASSES but InputLayer). */
function deserialize(obj: KerasObject): Layer {
  const spec = deserializeLayer('layers.deserialize', obj, -1);
  if (spec.inputOnly) fail('layers.deserialize', 'an InputLayer only describes a model input; it has no layer of its own here');
  return spec.create(spec.name);
}

export { Layer, Dense, Activation, Flatten, Dropout, Conv2D, MaxPooling2D, AveragePooling2D };
export { BatchNormalization };
export { DepthwiseConv2D, SeparableConv2D };
export type { DepthwiseConv2DArgs, SeparableConv2DArgs };
export type { BatchNormalizationArgs };
export { GlobalAveragePooling2D, GlobalMaxPooling2D, ZeroPadding2D, UpSampling2D, Reshape, Permute };
export type { FlattenArgs, GlobalPooling2DArgs, ZeroPadding2DArgs, UpSampling2DArgs, ReshapeArgs, PermuteArgs };
export type { DenseArgs, ActivationArgs, DropoutArgs, LayerArgs, Conv2DArgs, Pooling2DArgs };
export { Embedding, Conv1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, AveragePooling1D, LayerNormalization };
export type { EmbeddingArgs, Conv1DArgs, GlobalPooling1DArgs, Pooling1DArgs, LayerNormalizationArgs };
export { Merge, Concatenate, Add, Subtract, Multiply, Average, Maximum, InputLayer };
export type { ConcatenateArgs };
export { SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed };
export type { RNNArgs, LSTMArgs, GRUArgs, RNNCallOptions, BidirectionalArgs, TimeDistributedArgs };
export type { Shape, CallOptions } from './layer';
export type { KerasObject } from './keras_config';

export const layers = {
  dense: (args: DenseArgs) => new Dense(args),
  activation: (args: ActivationArgs) => new Activation(args),
  flatten: (args?: FlattenArgs) => new Flatten(args),
  dropout: (args: DropoutArgs) => new Dropout(args),
  conv2d: (args: Conv2DArgs) => new Conv2D(args),
  depthwiseConv2d: (args: DepthwiseConv2DArgs) => new DepthwiseConv2D(args),
  separableConv2d: (args: SeparableConv2DArgs) => new SeparableConv2D(args),
  maxPooling2d: (args?: Pooling2DArgs) => new MaxPooling2D(args),
  averagePooling2d: (args?: Pooling2DArgs) => new AveragePooling2D(args),
  batchNormalization: (args?: BatchNormalizationArgs) => new BatchNormalization(args),
  globalAveragePooling2d: (args?: GlobalPooling2DArgs) => new GlobalAveragePooling2D(args),
  globalMaxPooling2d: (args?: GlobalPooling2DArgs) => new GlobalMaxPooling2D(args),
  zeroPadding2d: (args?: ZeroPadding2DArgs) => new ZeroPadding2D(args),
  upSampling2d: (args?: UpSampling2DArgs) => new UpSampling2D(args),
  reshape: (args: ReshapeArgs) => new Reshape(args),
  permute: (args: PermuteArgs) => new Permute(args),
  embedding: (args: EmbeddingArgs) => new Embedding(args),
  conv1d: (args: Conv1DArgs) => new Conv1D(args),
  globalAveragePooling1d: (args?: GlobalPooling1DArgs) => new GlobalAveragePooling1D(args),
  globalMaxPooling1d: (args?: GlobalPooling1DArgs) => new GlobalMaxPooling1D(args),
  maxPooling1d: (args?: Pooling1DArgs) => new MaxPooling1D(args),
  averagePooling1d: (args?: Pooling1DArgs) => new AveragePooling1D(args),
  layerNormalization: (args?: LayerNormalizationArgs) => new LayerNormalization(args),
  simpleRNN: (args: RNNArgs) => new SimpleRNN(args),
  lstm: (args: LSTMArgs) => new LSTM(args),
  gru: (args: GRUArgs) => new GRU(args),
  bidirectional: (args: BidirectionalArgs) => new Bidirectional(args),
  timeDistributed: (args: TimeDistributedArgs) => new TimeDistributed(args),
  ...mergeFactories,
  serialize,
  deserialize,
  Layer,
  Dense,
  Activation,
  Flatten,
  Dropout,
  Conv2D,
  DepthwiseConv2D,
  SeparableConv2D,
  MaxPooling2D,
  AveragePooling2D,
  BatchNormalization,
  GlobalAveragePooling2D,
  GlobalMaxPooling2D,
  ZeroPadding2D,
  UpSampling2D,
  Reshape,
  Permute,
  Concatenate,
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  InputLayer,
  Embedding,
  Conv1D,
  GlobalAveragePooling1D,
  GlobalMaxPooling1D,
  MaxPooling1D,
  AveragePooling1D,
  LayerNormalization,
  SimpleRNN,
  LSTM,
  GRU,
  Bidirectional,
  TimeDistributed,
};
