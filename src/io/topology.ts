// modelTopology -> the layer specs of a Sequential model. Accepts what
// tfjs-layers writes ({ class_name: 'Sequential', config }), what
// tensorflowjs_converter writes from Keras ({ keras_version, backend,
// model_config: { class_name, config } }), and Keras 1's bare layer list.
import { variableByName } from '../autograd/variable';
import { fail } from '../errors';
import { describe } from '../layers/describe';
import type { Shape } from '../layers/layer';
import { uniqueName } from '../layers/layer';
import { deserializeLayer, type LayerSpec } from '../layers/serialization';

export interface SequentialSpec {
  name?: string;
  /** The layers with their own layer object (InputLayer folded into batchInputShape). */
  layers: LayerSpec[];
  batchInputShape: Shape;
}

export function readTopology(fn: string, topology: unknown): SequentialSpec {
  if (topology === null || typeof topology !== 'object') fail(fn, `modelTopology must be an object, got ${describe(topology)}`);
  const t = topology as Record<string, unknown>;
  const model = (t.model_config ?? t) as Record<string, unknown>;
  if (model === null || typeof model !== 'object' || typeof model.class_name !== 'string') {
    fail(fn, `modelTopology must be { class_name: 'Sequential', config } (or hold it in model_config), got ${describe(model)}`);
  }
  if (model.class_name !== 'Sequential') {
    fail(fn, `modelTopology is a '${model.class_name}' model; only Sequential models are supported (rebuild it with keras.Sequential)`);
  }
  const config = model.config as unknown;
  const list = Array.isArray(config) ? config : (config as { layers?: unknown } | null)?.layers;
  if (!Array.isArray(list) || list.length === 0) fail(fn, `modelTopology config.layers must be a non-empty array of layer configs, got ${describe(list)}`);
  const name = Array.isArray(config) ? undefined : (config as { name?: unknown }).name;

  const all = list.map((l, i) => deserializeLayer(fn, l, i));
  all.forEach((s, i) => {
    if (s.inputOnly && i !== 0) fail(fn, `layers[${i}] is an InputLayer; in a Sequential model only the first layer may be one`);
  });
  const layers = all.filter((s) => !s.inputOnly);
  // Weights are matched by layer name, so two layers of one name would get each other's.
  const seen = new Map<string, number>();
  all.forEach((s, i) => {
    if (seen.has(s.name)) fail(fn, `layers[${seen.get(s.name)}] and layers[${i}] are both named '${s.name}'; layer names in a model must be unique`);
    seen.set(s.name, i);
  });
  if (layers.length === 0) fail(fn, 'modelTopology has an InputLayer but no other layer');
  const batchInputShape = all[0].inputOnly ? all[0].batchInputShape : layers[0].batchInputShape;
  if (batchInputShape === undefined) {
    fail(fn, `the first layer '${layers[0].name}' has no batch_input_shape (and there is no InputLayer): the input shape is unknown`);
  }
  return { name: typeof name === 'string' && name !== '' ? name : undefined, layers, batchInputShape };
}

/**
 * The name each layer gets here: the file's, unless a live variable already
 * uses it (the same model loaded twice) or an earlier layer took it; then the
 * next free Keras-style one ('dense_1'). Weights are still matched by the file's name.
 */
export function assignNames(specs: LayerSpec[]): string[] {
  const used = new Set<string>();
  const taken = (n: string, s: LayerSpec) => used.has(n) || s.weightNames.some((w) => variableByName(`${n}/${w}`) !== undefined);
  return specs.map((s) => {
    let n = s.name;
    while (taken(n, s)) n = uniqueName(s.name);
    used.add(n);
    return n;
  });
}
