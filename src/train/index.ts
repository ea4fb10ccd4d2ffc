// The training toolbox the models layer compiles against, grouped the way
// the public API exposes it: optimizers, losses and metrics, each with a
// `get` resolver for the names users write in compile().
import * as lossFns from './losses';
import * as metricFns from './metrics';
import { Adadelta, Adagrad, Adam, Adamax, getOptimizer, Optimizer, RMSprop, SGD, train } from './optimizers/index';

export { train, getOptimizer, Optimizer, SGD, RMSprop, Adam, Adamax, Adagrad, Adadelta };
export type { NamedGradients, NamedTensor, OptimizerConfig } from './optimizers/index';
export { getLoss, lossName, markSoftmaxOutput } from './losses';
export type { LossFn, LossConfig } from './losses';
export { getMetric } from './metrics';
export type { MetricFn, MetricContext, ResolvedMetric } from './metrics';

export const optimizers = { SGD, RMSprop, Adam, Adamax, Adagrad, Adadelta, Optimizer, get: getOptimizer };

export const losses = {
  meanSquaredError: lossFns.meanSquaredError,
  meanAbsoluteError: lossFns.meanAbsoluteError,
  huber: lossFns.huber,
  binaryCrossentropy: lossFns.binaryCrossentropy,
  categoricalCrossentropy: lossFns.categoricalCrossentropy,
  sparseCategoricalCrossentropy: lossFns.sparseCategoricalCrossentropy,
  get: lossFns.getLoss,
};

export const metrics = {
  binaryAccuracy: metricFns.binaryAccuracy,
  categoricalAccuracy: metricFns.categoricalAccuracy,
  sparseCategoricalAccuracy: metricFns.sparseCategoricalAccuracy,
  topKCategoricalAccuracy: metricFns.topKCategoricalAccuracy,
  sparseTopKCategoricalAccuracy: metricFns.sparseTopKCategoricalAccuracy,
  meanSquaredError: metricFns.mse,
  meanAbsoluteError: metricFns.mae,
  mse: metricFns.mse,
  mae: metricFns.mae,
  get: metricFns.getMetric,
};
