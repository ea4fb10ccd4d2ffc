// BatchNormalization in the Keras config format (src/layers/serialization.ts
// calls these): the snake_case keys tfjs-layers writes, and reading what
// tfjs-layers, Keras 2 (tf.keras) and Keras 3 write.
import { describe } from './describe';
import { fail } from '../errors';
import { deserializeInitializer, deserializeRegularizer, serializeInitializer, serializeRegularizer, type KerasObject } from './keras_config';
import { BatchNormalization, type BatchNormalizationArgs } from './normalization';

type Config = Record<string, unknown>;

/** The config of a BatchNormalization layer; `base` holds name, trainable, dtype (and batch_input_shape). */
export function serializeBatchNormalization(layer: BatchNormalization, base: Config): KerasObject {
  return {
    class_name: 'BatchNormalization',
    config: {
      ...base, axis: layer.axis, momentum: layer.momentum, epsilon: layer.epsilon, center: layer.center, scale: layer.scale,
      beta_initializer: serializeInitializer(layer.betaInitializer), gamma_initializer: serializeInitializer(layer.gammaInitializer),
      moving_mean_initializer: serializeInitializer(layer.movingMeanInitializer),
      moving_variance_initializer: serializeInitializer(layer.movingVarianceInitializer),
      beta_regularizer: serializeRegularizer(layer.betaRegularizer), gamma_regularizer: serializeRegularizer(layer.gammaRegularizer),
      beta_constraint: null, gamma_constraint: null,
    },
  };
}

function flag(fn: string, where: string, c: Config, key: string): boolean {
  const v = c[key] ?? true;
  if (typeof v !== 'boolean') fail(fn, `${where} ${key} must be a boolean, got ${describe(v)}`);
  return v;
}

function number(fn: string, where: string, c: Config, key: string, dflt: number): number {
  const v = c[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, `${where} ${key} must be a number, got ${describe(v)}`);
  return v;
}

/** Keras 3 and tfjs-layers write an int; tf.keras writes a one-element list after build ([3]). */
function axisOf(fn: string, where: string, v: unknown): number {
  const a = Array.isArray(v) && v.length === 1 ? v[0] : v ?? -1;
  if (!Number.isInteger(a)) {
    fail(fn, `${where} axis must be an integer (or a list of one), got ${Array.isArray(v) ? JSON.stringify(v) : describe(v)}; normalizing over several axes is not supported`);
  }
  return a as number;
}

/** Features we do not implement must be off; silently dropping them would change the model. */
function checkUnsupported(fn: string, where: string, c: Config): void {
  for (const k of ['beta_constraint', 'gamma_constraint', 'renorm_clipping', 'virtual_batch_size', 'adjustment']) {
    if (c[k] !== undefined && c[k] !== null) fail(fn, `${where} sets ${k} = ${JSON.stringify(c[k])}, which is not supported; only null is`);
  }
  if (c.renorm !== undefined && c.renorm !== false) fail(fn, `${where} sets renorm = ${JSON.stringify(c.renorm)}; only false is supported`);
}

/** The layer's arguments (beyond LayerArgs) from a Keras config, and the names of the weights it will create. */
export function readBatchNormalization(fn: string, where: string, c: Config): { args: BatchNormalizationArgs; weightNames: string[] } {
  checkUnsupported(fn, where, c);
  const init = (key: string) => (c[key] == null ? undefined : deserializeInitializer(fn, `${where} ${key}`, c[key]));
  const args: BatchNormalizationArgs = {
    axis: axisOf(fn, where, c.axis),
    momentum: number(fn, where, c, 'momentum', 0.99),
    epsilon: number(fn, where, c, 'epsilon', 1e-3),
    center: flag(fn, where, c, 'center'),
    scale: flag(fn, where, c, 'scale'),
    betaInitializer: init('beta_initializer'),
    gammaInitializer: init('gamma_initializer'),
    movingMeanInitializer: init('moving_mean_initializer'),
    movingVarianceInitializer: init('moving_variance_initializer'),
    betaRegularizer: deserializeRegularizer(fn, `${where} beta_regularizer`, c.beta_regularizer),
    gammaRegularizer: deserializeRegularizer(fn, `${where} gamma_regularizer`, c.gamma_regularizer),
  };
  const weightNames = [...(args.scale ? ['gamma'] : []), ...(args.center ? ['beta'] : []), 'moving_mean', 'moving_variance'];
  return { args, weightNames };
}
