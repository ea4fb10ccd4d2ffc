// The `wt.layers` namespace (`export * as layers` in index.ts): TF.js-style
// factories, layers.dense({...}), and the classes behind them. One named
// export each, never an object literal, so that a bundler (rollup, Vite,
// webpack 5) keeps only the layers an app calls: the seed's MLP must not
// download the convnet and sequence layers.
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
import { LSTM, SimpleRNN, type LSTMArgs, type RNNArgs } from './recurrent';
import { GRU, type GRUArgs } from './gru';
import { Bidirectional, type BidirectionalArgs } from './bidirectional';
import { TimeDistributed, type TimeDistributedArgs } from './time_distributed';
import type { KerasObject } from './keras_config';
import type { Layer } from './layer';
import { deserializeLayer, serializeLayer } from './serialization';
import { fail } from '../errors';

export const dense = (args: DenseArgs) => new Dense(args);
export const activation = (args: ActivationArgs) => new Activation(args);
export const flatten = (args?: FlattenArgs) => new Flatten(args);
export const dropout = (args: DropoutArgs) => new Dropout(args);
export const conv2d = (args: Conv2DArgs) => new Conv2D(args);
export const depthwiseConv2d = (args: DepthwiseConv2DArgs) => new DepthwiseConv2D(args);
export const separableConv2d = (args: SeparableConv2DArgs) => new SeparableConv2D(args);
export const maxPooling2d = (args?: Pooling2DArgs) => new MaxPooling2D(args);
export const averagePooling2d = (args?: Pooling2DArgs) => new AveragePooling2D(args);
export const batchNormalization = (args?: BatchNormalizationArgs) => new BatchNormalization(args);
export const globalAveragePooling2d = (args?: GlobalPooling2DArgs) => new GlobalAveragePooling2D(args);
export const globalMaxPooling2d = (args?: GlobalPooling2DArgs) => new GlobalMaxPooling2D(args);
export const zeroPadding2d = (args?: ZeroPadding2DArgs) => new ZeroPadding2D(args);
export const upSampling2d = (args?: UpSampling2DArgs) => new UpSampling2D(args);
export const reshape = (args: ReshapeArgs) => new Reshape(args);
export const permute = (args: PermuteArgs) => new Permute(args);
export const embedding = (args: EmbeddingArgs) => new Embedding(args);
export const conv1d = (args: Conv1DArgs) => new Conv1D(args);
export const globalAveragePooling1d = (args?: GlobalPooling1DArgs) => new GlobalAveragePooling1D(args);
export const globalMaxPooling1d = (args?: GlobalPooling1DArgs) => new GlobalMaxPooling1D(args);
export const maxPooling1d = (args?: Pooling1DArgs) => new MaxPooling1D(args);
export const averagePooling1d = (args?: Pooling1DArgs) => new AveragePooling1D(args);
export const layerNormalization = (args?: LayerNormalizationArgs) => new LayerNormalization(args);
export const simpleRNN = (args: RNNArgs) => new SimpleRNN(args);
export const lstm = (args: LSTMArgs) => new LSTM(args);
export const gru = (args: GRUArgs) => new GRU(args);
export const bidirectional = (args: BidirectionalArgs) => new Bidirectional(args);
export const timeDistributed = (args: TimeDistributedArgs) => new TimeDistributed(args);
export { concatenate, add, subtract, multiply, average, maximum } from './merge_factories';

/** Keras' layers.serialize: { class_name, config } with snake_case keys, as model.json stores a layer. */
export function serialize(layer: Layer): KerasObject {
  return serializeLayer('layers.serialize', layer);
}

/** Keras' layers.deserialize: a new layer from { class_name, config } (any class in SUPPORTED_LAYER_CLASSES but InputLayer). */
export function deserialize(obj: KerasObject): Layer {
  const spec = deserializeLayer('layers.deserialize', obj, -1);
  if (spec.inputOnly) fail('layers.deserialize', 'an InputLayer only describes a model input; it has no layer of its own here');
  return spec.create(spec.name);
}

export { Layer } from './layer';
export { InputLayer } from './input_layer';
export { Concatenate, Add, Subtract, Multiply, Average, Maximum } from './merge';
export {
  Dense, Activation, Flatten, Dropout, Conv2D, DepthwiseConv2D, SeparableConv2D, MaxPooling2D, AveragePooling2D,
  BatchNormalization, GlobalAveragePooling2D, GlobalMaxPooling2D, ZeroPadding2D, UpSampling2D, Reshape, Permute,
  Embedding, Conv1D, GlobalAveragePooling1D, GlobalMaxPooling1D, MaxPooling1D, AveragePooling1D, LayerNormalization,
  SimpleRNN, LSTM, GRU, Bidirectional, TimeDistributed,
};
