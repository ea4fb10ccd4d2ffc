// The merge layers in the Keras config format: Concatenate carries its axis;
// Add, Subtract, Multiply, Average, Maximum only the common keys.
import { fail } from '../errors';
import { describe } from './describe';
import type { KerasObject } from './keras_config';
import type { Layer, LayerArgs } from './layer';
import { Add, Average, Concatenate, Maximum, Merge, Multiply, Subtract } from './merge';

export function serializeMerge(layer: Layer, base: Record<string, unknown>): KerasObject | undefined {
  if (layer instanceof Concatenate) return { class_name: 'Concatenate', config: { ...base, axis: layer.axis } };
  if (layer instanceof Merge) return { class_name: layer.className, config: { ...base } };
  return undefined;
}

const CTORS: Record<string, (args: LayerArgs) => Layer> = {
  Add: (a) => new Add(a),
  Subtract: (a) => new Subtract(a),
  Multiply: (a) => new Multiply(a),
  Average: (a) => new Average(a),
  Maximum: (a) => new Maximum(a),
};

/** A constructor for the merge layer of this config (nothing is created yet). */
export function readMerge(fn: string, where: string, className: string, c: Record<string, unknown>): (args: LayerArgs) => Layer {
  if (className === 'Concatenate') {
    const axis = c.axis ?? -1;
    if (!Number.isInteger(axis)) fail(fn, `${where} axis must be an integer, got ${describe(c.axis)}`);
    return (args) => new Concatenate({ ...args, axis: axis as number });
  }
  const ctor = CTORS[className];
  if (ctor === undefined) fail(fn, `${where}: '${className}' is not a merge layer`);
  return ctor;
}
