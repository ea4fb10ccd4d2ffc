// SimpleRNN, LSTM and GRU in the Keras config format (src/layers/serialization.ts
// calls these): the snake_case keys tfjs-layers writes (units, activation,
// recurrent_activation, use_bias, *_initializer, unit_forget_bias, dropout,
// recurrent_dropout, implementation, return_sequences, return_state,
// go_backwards, stateful, unroll), and reading what tfjs-layers, tf.keras
// and Keras 3 write. The whole config is checked before any layer exists.
import { fail } from '../errors';
import { describe } from './describe';
import { deserializeInitializer, deserializeRegularizer, isKerasObject, serializeInitializer, serializeRegularizer, type KerasObject } from './keras_config';
import type { Initializer } from './initializers';
import type { Layer, LayerArgs } from './layer';
import { Orthogonal } from './orthogonal';
import { GRU, type GRUArgs } from './gru';
import { LSTM, rnnActivation, RNNBase, SimpleRNN, type LSTMArgs, type RNNArgs } from './recurrent';

type Config = Record<string, unknown>;

export const RECURRENT_CLASSES = ['SimpleRNN', 'LSTM', 'GRU'] as const;

/** The config of a recurrent layer (`base`: name, trainable, dtype, batch_input_shape), or undefined for any other layer. */
export function serializeRecurrent(layer: Layer, base: Config): KerasObject | undefined {
  if (!(layer instanceof RNNBase)) return undefined;
  const config: Config = {
    ...base, units: layer.units, activation: layer.activationName, use_bias: layer.useBias,
    kernel_initializer: serializeInitializer(layer.kernelInitializer), recurrent_initializer: serializeInitializer(layer.recurrentInitializer),
    bias_initializer: serializeInitializer(layer.biasInitializer),
    kernel_regularizer: serializeRegularizer(layer.kernelRegularizer), recurrent_regularizer: serializeRegularizer(layer.recurrentRegularizer),
    bias_regularizer: serializeRegularizer(layer.biasRegularizer), activity_regularizer: null,
    kernel_constraint: null, recurrent_constraint: null, bias_constraint: null,
    dropout: layer.dropout, recurrent_dropout: layer.recurrentDropout,
    return_sequences: layer.returnSequences, return_state: layer.returnState, go_backwards: layer.goBackwards,
    stateful: false, unroll: layer.unroll,
  };
  if (layer instanceof LSTM) {
    Object.assign(config, { recurrent_activation: layer.recurrentActivationName, unit_forget_bias: layer.unitForgetBias, implementation: layer.implementation });
  }
  if (layer instanceof GRU) {
    Object.assign(config, { recurrent_activation: layer.recurrentActivationName, reset_after: layer.resetAfter, implementation: layer.implementation });
  }
  return { class_name: layer.className, config };
}

function flag(fn: string, where: string, c: Config, key: string, dflt: boolean): boolean {
  const v = c[key] ?? dflt;
  if (typeof v !== 'boolean') fail(fn, `${where} ${key} must be a boolean, got ${describe(v)}`);
  return v;
}

function rate(fn: string, where: string, c: Config, key: string): number {
  const v = c[key] ?? 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(fn, `${where} ${key} must be a number in [0, 1), got ${describe(v)}`);
  return v;
}

/** Orthogonal is read here (the shared reader does not know it); anything else by deserializeInitializer. */
function initializer(fn: string, where: string, c: Config, key: string): Initializer | undefined {
  const v = c[key];
  if (v === undefined || v === null) return undefined;
  if (isKerasObject(v) && v.class_name === 'Orthogonal') {
    const oc = (v.config ?? {}) as Config;
    const gain = oc.gain ?? 1;
    if (typeof gain !== 'number' || !Number.isFinite(gain)) fail(fn, `${where} ${key} gain must be a finite number, got ${describe(gain)}`);
    return new Orthogonal({ gain, seed: typeof oc.seed === 'number' && Number.isInteger(oc.seed) ? oc.seed : undefined });
  }
  return deserializeInitializer(fn, `${where} ${key}`, v);
}

/** The layer's weights (names as Keras gives them) and a constructor, from a checked config. */
export function readRecurrent(fn: string, where: string, className: string, c: Config): { weightNames: string[]; create: (common: LayerArgs) => Layer } {
  for (const k of ['activity_regularizer', 'kernel_constraint', 'recurrent_constraint', 'bias_constraint']) {
    if (c[k] !== undefined && c[k] !== null) fail(fn, `${where} sets ${k} = ${JSON.stringify(c[k])}, which is not supported; only null is`);
  }
  if (c.stateful === true) fail(fn, `${where} is stateful, which is not supported`);
  if (c.time_major === true) fail(fn, `${where} sets time_major = true, which is not supported`);
  const units = c.units;
  if (!Number.isInteger(units) || (units as number) <= 0) fail(fn, `${where} units must be a positive integer, got ${describe(units)}`);
  const at = `${fn}: ${where}`;
  const useBias = flag(fn, where, c, 'use_bias', true);
  const args: RNNArgs = {
    units: units as number,
    activation: rnnActivation(at, 'activation', c.activation, 'tanh')[0],
    useBias,
    kernelInitializer: initializer(fn, where, c, 'kernel_initializer'),
    recurrentInitializer: initializer(fn, where, c, 'recurrent_initializer'),
    biasInitializer: initializer(fn, where, c, 'bias_initializer'),
    kernelRegularizer: deserializeRegularizer(fn, `${where} kernel_regularizer`, c.kernel_regularizer),
    recurrentRegularizer: deserializeRegularizer(fn, `${where} recurrent_regularizer`, c.recurrent_regularizer),
    biasRegularizer: deserializeRegularizer(fn, `${where} bias_regularizer`, c.bias_regularizer),
    dropout: rate(fn, where, c, 'dropout'),
    recurrentDropout: rate(fn, where, c, 'recurrent_dropout'),
    returnSequences: flag(fn, where, c, 'return_sequences', false),
    returnState: flag(fn, where, c, 'return_state', false),
    goBackwards: flag(fn, where, c, 'go_backwards', false),
    unroll: flag(fn, where, c, 'unroll', false),
  };
  const weightNames = ['kernel', 'recurrent_kernel', ...(useBias ? ['bias'] : [])];
  if (className === 'SimpleRNN') return { weightNames, create: (common) => new SimpleRNN({ ...common, ...args }) };
  const impl = c.implementation ?? 1;
  if (impl !== 1 && impl !== 2) fail(fn, `${where} implementation must be 1 or 2, got ${describe(impl)}`);
  if (className === 'GRU') {
    // Keras 3 writes reset_after = true (its default; bias [2, 3 * units]), tfjs-layers false; a missing key is Keras 2's false.
    const resetAfter = flag(fn, where, c, 'reset_after', false);
    const gru: GRUArgs = {
      ...args, recurrentActivation: rnnActivation(at, 'recurrent_activation', c.recurrent_activation, 'sigmoid')[0], implementation: impl as number, resetAfter,
    };
    return { weightNames, create: (common) => new GRU({ ...common, ...gru }) };
  }
  const lstm: LSTMArgs = {
    ...args,
    // Keras 3 and tf.keras default to sigmoid when the key is missing; every writer we know includes it.
    recurrentActivation: rnnActivation(at, 'recurrent_activation', c.recurrent_activation, 'sigmoid')[0],
    unitForgetBias: flag(fn, where, c, 'unit_forget_bias', true),
    implementation: impl as number,
  };
  return { weightNames, create: (common) => new LSTM({ ...common, ...lstm }) };
}
