// How Layer.apply reaches the functional API without importing it:
// symbolic.ts installs its handler when it is evaluated, which any program
// that can make a SymbolicTensor does (only symbolic.ts constructs one, and
// wt.input imports it). An app that never builds a graph, the seed's MLP in
// a web page, then bundles none of the graph code.
import type { Layer } from './layer';
import type { SymbolicTensor } from './symbolic';

type SymbolicApply = (layer: Layer, input: unknown) => SymbolicTensor | null;

let handler: SymbolicApply | null = null;

export function installSymbolicApply(apply: SymbolicApply): void {
  handler = apply;
}

/** The layer's symbolic output when `input` is a SymbolicTensor (or a list of them); null otherwise. */
export function applyIfSymbolic(layer: Layer, input: unknown): SymbolicTensor | null {
  return handler === null ? null : handler(layer, input);
}
