// The `wt.layers` namespace: TF.js-style factories (layers.dense({...})) and
// the classes behind them.
import { Activation, Dropout, Flatten, type ActivationArgs, type DropoutArgs } from './core';
import { Dense, type DenseArgs } from './dense';
import { Layer, type LayerArgs } from './layer';

export { Layer, Dense, Activation, Flatten, Dropout };
export type { DenseArgs, ActivationArgs, DropoutArgs, LayerArgs };
export type { Shape, CallOptions } from './layer';

export const layers = {
  dense: (args: DenseArgs) => new Dense(args),
  activation: (args: ActivationArgs) => new Activation(args),
  flatten: (args?: LayerArgs) => new Flatten(args),
  dropout: (args: DropoutArgs) => new Dropout(args),
  Layer,
  Dense,
  Activation,
  Flatten,
  Dropout,
};
