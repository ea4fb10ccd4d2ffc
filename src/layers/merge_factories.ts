// layers.concatenate / add / multiply / average / maximum / subtract, as in
// TF.js: given options, a new layer; given an array of tensors or
// SymbolicTensors, a new layer applied to them at once.
import type { Tensor } from '../tensor';
import type { LayerArgs } from './layer';
import { Add, Average, Concatenate, Maximum, Merge, Multiply, Subtract, type ConcatenateArgs } from './merge';
import type { SymbolicTensor } from './symbolic';

type Inputs = Tensor[] | SymbolicTensor[];

export interface MergeFactory<A, L extends Merge> {
  (args?: A): L;
  (inputs: Tensor[]): Tensor;
  (inputs: SymbolicTensor[]): SymbolicTensor;
}

function factory<A, L extends Merge>(make: (args?: A) => L): MergeFactory<A, L> {
  return ((arg?: A | Inputs) => (Array.isArray(arg) ? make().apply(arg) : make(arg as A | undefined))) as MergeFactory<A, L>;
}

export const mergeFactories = {
  concatenate: factory<ConcatenateArgs, Concatenate>((a) => new Concatenate(a)),
  add: factory<LayerArgs, Add>((a) => new Add(a)),
  subtract: factory<LayerArgs, Subtract>((a) => new Subtract(a)),
  multiply: factory<LayerArgs, Multiply>((a) => new Multiply(a)),
  average: factory<LayerArgs, Average>((a) => new Average(a)),
  maximum: factory<LayerArgs, Maximum>((a) => new Maximum(a)),
};
