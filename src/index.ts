// wasmtensor's public API. Everything a user imports is re-exported here and
// nowhere else; the layers below (ops, engine, backends) stay internal.
import { backend } from './engine';
import { toCategorical } from './ops/create';
import { activeBackend } from './backends/webgpu/index';

export { Tensor } from './tensor';
export type { TensorLike, NestedArray } from './tensor';
export type { DType, TypedArray } from './dtype';
export { ready, tidy, keep, dispose, memory } from './engine';
export { setFlags, getFlags } from './flags';
export { setThreads, getThreads } from './backends/wasm/threads';
export type { Flags } from './flags';
export type { MemoryInfo } from './engine';
export type { LoadOptions } from './backends/wasm/load';

export {
  tensor, scalar, zeros, ones, fill, zerosLike, onesLike, range, eye, oneHot,
  randomNormal, randomUniform, truncatedNormal, setRandomSeed,
} from './ops/create';
export { cast, clone } from './ops/convert';
export { reshape, transpose, expandDims, squeeze, broadcastTo, concat, stack } from './ops/shape';
export { index, slice } from './ops/indexing';
export { pad } from './ops/pad';
export type { Paddings } from './ops/pad';
export type { IndexSpec } from './ops/indexing';
export {
  add, sub, mul, div, maximum, minimum, pow, squaredDifference, mod, floorDiv,
  equal, notEqual, less, lessEqual, greater, greaterEqual,
  neg, abs, square, sign, relu, exp, log, sqrt, rsqrt, reciprocal, floor, ceil, round,
  sin, cos, expm1, log1p, erf, sigmoid, tanh, relu6, elu, selu, softplus, gelu, leakyRelu, clipByValue,
} from './ops/elementwise';
export { sum, mean, max, min, prod, argMax, argMin } from './ops/reduce';
export { softmax, logSoftmax } from './ops/softmax';
export { matMul, dot } from './ops/matmul';
// ---- conv (src/ops/conv.ts) ----
// conv2d (im2col + GEMM) and the NHWC pooling ops beside it (src/ops/pool.ts).
export { conv2d } from './ops/conv';
export { conv1d } from './ops/conv1d';
export type { Padding1D, DataFormat1D } from './ops/conv1d';
export { depthwiseConv2d, separableConv2d } from './ops/depthwise_conv';
export type { DataFormat } from './ops/conv';
export type { Padding } from './ops/conv_geometry';
export { maxPool, avgPool } from './ops/pool';
/** tf.image.*: resizeBilinear. */
export * as image from './ops/image';
export { batchNorm } from './ops/batchnorm';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads } from './autograd/gradients';
export { variable, Variable } from './autograd/variable';

/** Keras-style utilities. */
export const utils = { toCategorical };

/** 'wasm', or 'webgpu' after wt.setBackend('webgpu') found a device ('auto' with a hardware GPU: 'auto'). */
export function getBackend(): string {
  const gpu = activeBackend();
  return gpu === 'wasm' ? backend().name : gpu;
}

/** Which wasm build ready() chose ('simd'; later 'relaxed-simd', 'threads'). */
export function getBuild(): string {
  return backend().build;
}

/**
 * Which kernel set ready() loaded: 'full', or 'core' (no convolution, pooling,
 * batch-normalization or recurrent kernels), which browsers load when the
 * app's bundle holds none of those ops.
 */
export function getKernelSet(): 'full' | 'core' {
  return backend().kernelSet;
}

export const version = '0.1.0';

// ---- train: optimizers, losses, metrics (src/train/) ----
export { train, optimizers, losses, metrics, Optimizer, SGD, RMSprop, Adam, Adamax, Adagrad, Adadelta } from './train/index';
export type { LossFn, MetricFn, ResolvedMetric, NamedGradients, NamedTensor } from './train/index';
export { softmaxCrossEntropyWithLogits, sparseSoftmaxCrossEntropyWithLogits } from './ops/crossentropy';

// ---- layers and models (src/layers/, src/models/) ----
export { layers, Layer, Dense, Activation, Flatten, Dropout } from './layers/index';
export type { DenseArgs, ActivationArgs, DropoutArgs, LayerArgs, Shape, CallOptions, Conv2DArgs, Pooling2DArgs } from './layers/index';
export type { FlattenArgs, GlobalPooling2DArgs, ZeroPadding2DArgs, UpSampling2DArgs, ReshapeArgs, PermuteArgs } from './layers/index';
export type { BatchNormalizationArgs } from './layers/index';
export type { DepthwiseConv2DArgs, SeparableConv2DArgs } from './layers/index';
export type { ConcatenateArgs } from './layers/index';
export type { EmbeddingArgs, Conv1DArgs, GlobalPooling1DArgs, Pooling1DArgs, LayerNormalizationArgs } from './layers/index';
export type { RNNArgs, LSTMArgs, GRUArgs, RNNCallOptions, BidirectionalArgs, TimeDistributedArgs } from './layers/index';
export { initializers, Initializer } from './layers/initializers';
export { regularizers, Regularizer } from './layers/regularizers';
import * as activationFns from './layers/activations';
/** Keras activations by name: wt.activations.relu(x), wt.activations.get('leaky_relu'). */
export const activations = {
  linear: activationFns.linear, relu: activationFns.relu, sigmoid: activationFns.sigmoid, tanh: activationFns.tanh,
  softmax: activationFns.softmax, elu: activationFns.elu, selu: activationFns.selu, softplus: activationFns.softplus,
  gelu: activationFns.gelu, relu6: activationFns.relu6, leakyRelu: activationFns.leakyRelu, get: activationFns.getActivation,
};
export type { ActivationFn } from './layers/activations';
export { Sequential, sequential, History, EarlyStopping, TerminateOnNaN, callbacks, ProgressBar } from './models/index';
// The functional API: wt.input() -> layer.apply(symbolic) -> wt.model({ inputs, outputs }).
export { LayersModel, model } from './models/index';
export type { ModelArgs, ModelData, FunctionalCompileArgs } from './models/index';
export { input, InputLayer } from './layers/input_layer';
export type { InputArgs } from './layers/input_layer';
export { SymbolicTensor } from './layers/symbolic';
export type { SequentialArgs, Callback, Logs, EarlyStoppingArgs, TrainingParams, FitArgs, CompileArgs, ProgressStream, ProgressOptions } from './models/index';
export { gather } from './ops/gather';

// ---- datasets (src/datasets/) ----
export { parseIdx } from './datasets/idx';
export type { IdxTensor, IdxDType, IdxData } from './datasets/idx';
export type { MnistOptions, MnistData } from './datasets/mnist';
import { mnist } from './datasets/mnist';
/** Keras-style datasets: `await wt.datasets.mnist.loadData()`. */
export const datasets = { mnist };

// ---- io (src/io/) ----
export { io, loadLayersModel } from './io/index';
export type { IOHandler, ModelArtifacts, ModelJSON, SaveResult, SaveConfig, WeightSpec, WeightsManifestGroup, TrainingConfig, ModelArtifactsInfo, HttpOptions } from './io/index';

// ---- webgpu (src/backends/webgpu/) ----
export { webgpu, setBackend } from './backends/webgpu/index';
export type { GpuInfo, Location, Calibration, BackendChoice } from './backends/webgpu/index';
