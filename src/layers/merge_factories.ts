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

// @__PURE__ marks let a bundler drop the factories an app never calls.
export const concatenate = /* @__PURE__ */ factory<ConcatenateArgs, Concatenate>((a) => new Concatenate(a));
export const add = /* @__PURE__ */ factory<LayerArgs, Add>((a) => new Add(a));
export const subtract = /* @__PURE__ */ factory<LayerArgs, Subtract>((a) => new Subtract(a));
export const multiply = /* @__PURE__ */ factory<LayerArgs, Multiply>((a) => new Multiply(a));
export const average = /* @__PURE__ */ factory<LayerArgs, Average>((a) => new Average(a));
export const maximum = /* @__PURE__ */ factory<LayerArgs, Maximum>((a) => new Maximum(a));
