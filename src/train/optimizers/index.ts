// Turning what a user writes in compile({ optimizer }) into an Optimizer:
// a Keras name ('rmsprop', 'Adam', 'SGD'), an instance, or a serialized
// { className, config } from Keras or TF.js (snake_case keys and TF.js's
// names — RMSProp's decay, Momentum's useNesterov — are translated).
// Also TF.js's factories: train.sgd(lr), train.adam(...), ...
import { describe, fail } from '../../errors';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam } from './adam';
import { Adamax } from './adamax';
import { Optimizer, type OptimizerConfig } from './optimizer';
import { RMSprop } from './rmsprop';
import { SGD } from './sgd';

export { Optimizer, SGD, RMSprop, Adam, Adamax, Adagrad, Adadelta };
export type { NamedGradients, NamedTensor, OptimizerConfig } from './optimizer';

type Ctor = new (config?: OptimizerConfig) => Optimizer;

/** Lower-cased, underscore-free name -> class. */
const BY_NAME: Record<string, Ctor> = {
  sgd: SGD as Ctor,
  rmsprop: RMSprop as Ctor,
  adam: Adam as Ctor,
  adamax: Adamax as Ctor,
  adagrad: Adagrad as Ctor,
  adadelta: Adadelta as Ctor,
};
/** Serialized class names also include TF.js's MomentumOptimizer ('Momentum'). */
const BY_CLASS_NAME: Record<string, Ctor> = { ...BY_NAME, momentum: SGD as Ctor };
const VALID = "'sgd', 'rmsprop', 'adam', 'adamax', 'adagrad', 'adadelta' (any case, or an Optimizer instance)";

/** Config keys of Keras / TF.js serializations that differ from ours. */
const KEY_ALIASES: Record<string, string> = {
  learning_rate: 'learningRate', lr: 'learningRate',
  beta_1: 'beta1', beta_2: 'beta2',
  initial_accumulator_value: 'initialAccumulatorValue',
  useNesterov: 'nesterov', use_nesterov: 'nesterov',
};

/** Keras config keys that do not change the update rule. */
const METADATA = new Set(['name', 'is_legacy_optimizer', 'jit_compile', 'ema_momentum', 'ema_overwrite_frequency']);
/** Keras features we do not implement: accepted only at their "off" value (null, false or 0). */
const OFF_ONLY = new Set([
  'weight_decay', 'clipnorm', 'clipvalue', 'global_clipnorm', 'use_ema', 'loss_scale_factor', 'gradient_accumulation_steps', 'amsgrad',
]);

function translateConfig(key: string, config: Record<string, unknown>): OptimizerConfig {
  const out: OptimizerConfig = {};
  for (const [k, value] of Object.entries(config)) {
    const off = value === null || value === undefined || value === false || value === 0;
    if (METADATA.has(k)) continue;
    if (OFF_ONLY.has(k) || (k === 'decay' && key !== 'rmsprop')) {
      // TF.js's Adamax "decay" is a learning-rate decay, which we do not have either.
      if (off) continue;
      fail('getOptimizer', `option '${k}' = ${describe(value)} is not supported by the ${key} optimizer here; remove it or set it to null`);
    }
    // TF.js's RMSProp calls rho "decay".
    if (k === 'decay') { out.rho = value as number; continue; }
    out[KEY_ALIASES[k] ?? k] = value as number | boolean;
  }
  return out;
}

/** An Optimizer from a name, an instance, or { className, config }. */
export function getOptimizer(identifier: string | Optimizer | { className: string; config?: Record<string, unknown> }): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') {
    const ctor = BY_NAME[identifier.toLowerCase().replace(/_/g, '')];
    if (ctor === undefined) fail('getOptimizer', `unknown optimizer '${identifier}'; valid names: ${VALID}`);
    return new ctor();
  }
  if (identifier !== null && typeof identifier === 'object' && typeof (identifier as { className?: unknown }).className === 'string') {
    const { className, config } = identifier as { className: string; config?: Record<string, unknown> };
    const key = className.toLowerCase().replace(/_/g, '');
    const ctor = BY_CLASS_NAME[key];
    if (ctor === undefined) fail('getOptimizer', `unknown optimizer className '${className}'; valid: SGD, Momentum, RMSprop, Adam, Adamax, Adagrad, Adadelta`);
    if (config !== undefined && (config === null || typeof config !== 'object')) {
      fail('getOptimizer', `config of '${className}' must be an object, got ${describe(config)}`);
    }
    return new ctor(translateConfig(key, config ?? {}));
  }
  return fail('getOptimizer', `optimizer must be a name (${VALID}) or { className, config }, got ${describe(identifier)}`);
}

/** TF.js-style factories (tf.train.*), with Keras' defaults where TF.js has none. */
export const train = {
  sgd: (learningRate: number) => new SGD({ learningRate }),
  momentum: (learningRate: number, momentum: number, useNesterov = false) => new SGD({ learningRate, momentum, nesterov: useNesterov }),
  rmsprop: (learningRate: number, rho = 0.9, momentum = 0, epsilon = 1e-7, centered = false) =>
    new RMSprop({ learningRate, rho, momentum, epsilon, centered }),
  adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) => new Adam({ learningRate, beta1, beta2, epsilon }),
  adamax: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) => new Adamax({ learningRate, beta1, beta2, epsilon }),
  adagrad: (learningRate: number, initialAccumulatorValue = 0.1) => new Adagrad({ learningRate, initialAccumulatorValue }),
  adadelta: (learningRate = 0.001, rho = 0.95, epsilon = 1e-7) => new Adadelta({ learningRate, rho, epsilon }),
};
