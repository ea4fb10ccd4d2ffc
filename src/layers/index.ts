// The layer classes and their argument types, and the `wt.layers` namespace
// (factories.ts): TF.js-style factories (layers.dense({...})) and the classes.
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
import { InputLayer } from './input_layer';
import { LSTM, SimpleRNN, type LSTMArgs, type RNNArgs, type RNNCallOptions } from './recurrent';
import { GRU, type GRUArgs } from './gru';
import { Bidirectional, type BidirectionalArgs } from './bidirectional';
import { TimeDistributed, type TimeDistributedArgs } from './time_distributed';
import { Layer, type LayerArgs } from './layer';

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

/** The `wt.layers` namespace: factories and classes, one named export each so bundlers keep only what an app calls. */
export * as layers from './factories';

