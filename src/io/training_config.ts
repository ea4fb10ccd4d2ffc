// The training config and optimizer state of a saved model. Written the way
// tfjs-layers writes them (TF.js optimizer class names and camelCase config,
// loss and metrics by name) so tf.loadLayersModel recompiles the model; read
// from tfjs-layers, Keras (snake_case, Keras class names, metric objects) and us.
import { fail } from '../errors';
import { describe } from '../layers/describe';
import type { CompileArgs, Compiled } from '../models/training';
import { mul } from '../ops/elementwise';
import { getLoss, lossName } from '../train/losses';
import { getMetric } from '../train/metrics';
import type { NamedTensor, Optimizer } from '../train/optimizers/index';
import { Adadelta, Adagrad, Adam, Adamax, getOptimizer, RMSprop, SGD } from '../train/optimizers/index';
import { snakeCase } from '../layers/layer';
import type { TrainingConfig } from './types';

/** TF.js' class name and config for an optimizer (what its fromConfig reads). */
function tfjsOptimizerConfig(o: Optimizer): TrainingConfig['optimizer_config'] {
  const lr = o.learningRate;
  if (o instanceof SGD) {
    return o.momentum > 0
      ? { class_name: 'Momentum', config: { learningRate: lr, momentum: o.momentum, useNesterov: o.nesterov } }
      : { class_name: 'SGD', config: { learningRate: lr } };
  }
  if (o instanceof RMSprop) return { class_name: 'RMSProp', config: { learningRate: lr, decay: o.rho, momentum: o.momentum, epsilon: o.epsilon, centered: o.centered } };
  if (o instanceof Adam) return { class_name: 'Adam', config: { learningRate: lr, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon } };
  if (o instanceof Adamax) return { class_name: 'Adamax', config: { learningRate: lr, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon, decay: 0 } };
  if (o instanceof Adagrad) return { class_name: 'Adagrad', config: { learningRate: lr, initialAccumulatorValue: o.initialAccumulatorValue, epsilon: o.epsilon } };
  if (o instanceof Adadelta) return { class_name: 'Adadelta', config: { learningRate: lr, rho: o.rho, epsilon: o.epsilon } };
  return { class_name: o.getClassName(), config: { ...o.getConfig() } };
}

/** The trainingConfig of a compiled model; fails for what cannot be named (custom loss or metric functions). */
export function toTrainingConfig(fn: string, compiled: Compiled, args: CompileArgs): TrainingConfig {
  const key = lossName(args.loss);
  if (key === undefined || (typeof args.loss !== 'string' && typeof args.loss !== 'function')) {
    fail(fn, `includeOptimizer needs a built-in loss given by name (e.g. 'categoricalCrossentropy') to write the training config; this model was compiled with ${describe(args.loss)}`);
  }
  const metrics = compiled.metrics.map((m, i) => {
    const given = Array.isArray(args.metrics) ? args.metrics[i] : args.metrics;
    if (typeof given !== 'string') fail(fn, `includeOptimizer needs metrics given by name; metric '${m.name}' is a function`);
    return given;
  });
  return { loss: snakeCase(key), metrics, optimizer_config: tfjsOptimizerConfig(compiled.optimizer) };
}

/**
 * Keras writes metrics as names, nested lists, or { class_name, config: { name } }
 * objects; tfjs-layers as { [output]: names } ({} for none).
 */
function metricNames(fn: string, metrics: unknown): string[] {
  if (metrics === undefined || metrics === null) return [];
  const out: string[] = [];
  const walk = (m: unknown) => {
    if (typeof m === 'string') out.push(m);
    else if (Array.isArray(m)) m.forEach(walk);
    else if (m !== null && typeof m === 'object' && typeof (m as { config?: { name?: unknown } }).config?.name === 'string') {
      out.push((m as { config: { name: string } }).config.name);
    } else if (m !== null && typeof m === 'object' && !('class_name' in m)) {
      Object.values(m).forEach(walk);
    } else fail(fn, `trainingConfig.metrics holds ${describe(m)}; expected metric names`);
  };
  walk(metrics);
  return out;
}

/** compile() arguments from a saved training config. */
export function compileArgsFrom(fn: string, tc: unknown): CompileArgs {
  if (tc === null || typeof tc !== 'object') fail(fn, `trainingConfig must be an object { loss, metrics, optimizer_config }, got ${describe(tc)}`);
  const t = tc as TrainingConfig;
  // Keras writes a loss object as { class_name, config } (e.g. from_logits: true).
  const lossObj = t.loss as unknown as { class_name?: unknown; config?: Record<string, unknown> };
  const loss = typeof t.loss === 'string' ? t.loss
    : lossObj !== null && typeof lossObj === 'object' && typeof lossObj.class_name === 'string' ? { className: lossObj.class_name, config: lossObj.config ?? {} }
    : fail(fn, `trainingConfig.loss must be a loss name or { class_name, config } (one output), got ${describe(t.loss)}`);
  const oc = t.optimizer_config;
  if (oc === null || typeof oc !== 'object' || typeof oc.class_name !== 'string') {
    fail(fn, `trainingConfig.optimizer_config must be { class_name, config }, got ${describe(oc)}`);
  }
  const args: CompileArgs = { loss, metrics: metricNames(fn, t.metrics), optimizer: { className: oc.class_name, config: oc.config ?? {} } };
  // Resolve everything now, so a bad config fails before any layer is built.
  try {
    getLoss(args.loss);
    getOptimizer(args.optimizer);
    (args.metrics as string[]).forEach((m) => getMetric(m, { loss: args.loss as never }));
  } catch (e) {
    fail(fn, `trainingConfig: ${(e as Error).message}`);
  }
  return args;
}

/**
 * TF.js' Momentum keeps the accumulation a (a = m a + g, w -= lr a); Keras
 * and we keep the velocity v = m v - lr g (w += v): v = -lr a while the
 * learning rate is constant. The file holds TF.js' a, so tfjs-layers resumes
 * correctly from our state and we from its.
 */
function momentumScale(o: Optimizer, toFile: boolean): number | null {
  if (!(o instanceof SGD) || o.momentum === 0 || o.learningRate === 0) return null;
  return toFile ? -1 / o.learningRate : -o.learningRate;
}

function rescale(o: Optimizer, weights: NamedTensor[], toFile: boolean): NamedTensor[] {
  const s = momentumScale(o, toFile);
  if (s === null) return weights;
  return weights.map((w) => {
    if (!w.name.endsWith('/momentum')) return w;
    const scaled = mul(w.tensor, s);
    w.tensor.dispose();
    return { name: w.name, tensor: scaled };
  });
}

/** The optimizer's state as the file stores it (the caller disposes the tensors). */
export async function optimizerWeightsToFile(o: Optimizer): Promise<NamedTensor[]> {
  return rescale(o, await o.getWeights(), true);
}

/** Restores state read from a file; `weights` are consumed (disposed). */
export async function optimizerWeightsFromFile(o: Optimizer, weights: NamedTensor[]): Promise<void> {
  const ours = rescale(o, weights, false);
  try {
    await o.setWeights(ours);
  } finally {
    ours.forEach((w) => w.tensor.dispose());
  }
}
