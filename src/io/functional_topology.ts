// A functional model in the TF.js Layers format, as tfjs-layers writes it:
//
//   { class_name: 'Functional', config: { name, layers: [
//       { class_name, config, name, inbound_nodes: [[['input_1', 0, 0, {}], ...], ...] }, ...],
//     input_layers: [['input_1', 0, 0]], output_layers: [['dense', 0, 0]] } }
//
// Each inbound node lists the tensors one call consumed as [layer, node
// index, tensor index, kwargs]; node indices count the calls of a layer in
// this model. Keras 3's form ({ args: [keras tensor ...], kwargs }) is read
// too. Loading replays the calls in file order, each once its inputs exist.
import { fail } from '../errors';
import { describe } from '../layers/describe';
import { input, InputLayer } from '../layers/input_layer';
import type { Layer, Shape } from '../layers/layer';
import { deserializeLayer, serializeLayer, type LayerSpec } from '../layers/serialization';
import type { SymbolicTensor } from '../layers/symbolic';
import { LayersModel } from '../models/functional';

type Ref = [string, number, number];

// ---- writing ----

function inputLayerConfig(layer: InputLayer): Record<string, unknown> {
  return { class_name: 'InputLayer', config: { batch_input_shape: (layer.batchInputShape as Shape).slice(), dtype: layer.dtype, sparse: false, name: layer.name } };
}

/** The model_config of a functional model (class_name 'Functional'). */
export function functionalTopology(fn: string, model: LayersModel): Record<string, unknown> {
  const ref = (t: SymbolicTensor): Ref => [t.node.layer.name, model.nodeIndex(t.node), t.tensorIndex];
  const nodes = model.nodes;
  const layers = model.layers.map((layer) => {
    const obj = layer instanceof InputLayer ? inputLayerConfig(layer) : serializeLayer(fn, layer);
    const inbound = layer instanceof InputLayer ? [] : nodes.filter((n) => n.layer === layer).map((n) => n.inputs.map((t) => [...ref(t), {}]));
    return { class_name: obj.class_name, config: obj.config, name: layer.name, inbound_nodes: inbound };
  });
  return {
    class_name: 'Functional',
    config: { name: model.name, layers, input_layers: model.inputs.map(ref), output_layers: model.outputs.map(ref) },
  };
}

// ---- reading ----

export interface FunctionalSpec {
  name?: string;
  /** Every layer of the file, InputLayers included, in file order. */
  layers: LayerSpec[];
  /** Per layer: its calls, each the list of tensors it consumed. */
  inbound: Ref[][][];
  inputs: Ref[];
  outputs: Ref[];
}

export function isFunctionalTopology(topology: unknown): boolean {
  if (topology === null || typeof topology !== 'object') return false;
  const t = topology as Record<string, unknown>;
  const m = (t.model_config ?? t) as { class_name?: unknown } | null;
  return m !== null && typeof m === 'object' && (m.class_name === 'Functional' || m.class_name === 'Model');
}

function readRef(fn: string, where: string, v: unknown): Ref {
  // Keras 3: { class_name: '__keras_tensor__', config: { keras_history: [layer, node, tensor] } }.
  const history = (v as { config?: { keras_history?: unknown } } | null)?.config?.keras_history;
  const r = history ?? v;
  if (!Array.isArray(r) || r.length < 3 || typeof r[0] !== 'string' || !Number.isInteger(r[1]) || !Number.isInteger(r[2]) || r[1] < 0 || r[2] < 0) {
    fail(fn, `${where} must be [layerName, nodeIndex, tensorIndex], got ${JSON.stringify(v) ?? describe(v)}`);
  }
  return [r[0], r[1], r[2]];
}

/** One call's inputs: tfjs / Keras 2 write a list of refs, Keras 3 { args: [tensor or [tensors]], kwargs }. */
function readNode(fn: string, where: string, v: unknown): Ref[] {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'args' in v) {
    const args = (v as { args: unknown }).args;
    if (!Array.isArray(args) || args.length === 0) fail(fn, `${where} args must be a non-empty array, got ${describe(args)}`);
    const first = args[0];
    return (Array.isArray(first) ? first : [first]).map((t, i) => readRef(fn, `${where} args[0][${i}]`, t));
  }
  if (!Array.isArray(v)) fail(fn, `${where} must be a list of [layerName, nodeIndex, tensorIndex, kwargs], got ${describe(v)}`);
  return v.map((r, i) => readRef(fn, `${where}[${i}]`, r));
}

function readRefs(fn: string, where: string, v: unknown): Ref[] {
  if (!Array.isArray(v) || v.length === 0) fail(fn, `${where} must be a non-empty list of [layerName, nodeIndex, tensorIndex], got ${describe(v)}`);
  // Keras 3 writes a single input or output as one ref rather than a list of one.
  const list = typeof v[0] === 'string' ? [v] : v;
  return list.map((r, i) => readRef(fn, `${where}[${i}]`, r));
}

/** Checks the whole topology (every layer config, every reference) before anything is allocated. */
export function readFunctionalTopology(fn: string, topology: unknown): FunctionalSpec {
  const t = topology as Record<string, unknown>;
  const m = (t.model_config ?? t) as { config?: unknown };
  const c = m.config as Record<string, unknown> | null;
  if (c === null || typeof c !== 'object') fail(fn, `modelTopology config must be an object { layers, input_layers, output_layers }, got ${describe(c)}`);
  const list = c.layers;
  if (!Array.isArray(list) || list.length === 0) fail(fn, `modelTopology config.layers must be a non-empty array of layer configs, got ${describe(list)}`);
  const layers = list.map((l, i) => deserializeLayer(fn, l, i));
  const seen = new Map<string, number>();
  layers.forEach((s, i) => {
    if (seen.has(s.name)) fail(fn, `layers[${seen.get(s.name)}] and layers[${i}] are both named '${s.name}'; layer names in a model must be unique`);
    seen.set(s.name, i);
  });
  const inbound = list.map((l, i) => {
    const nodes = (l as { inbound_nodes?: unknown }).inbound_nodes ?? [];
    if (!Array.isArray(nodes)) fail(fn, `layers[${i}] ('${layers[i].name}') inbound_nodes must be an array, got ${describe(nodes)}`);
    if (layers[i].inputOnly && nodes.length > 0) fail(fn, `layers[${i}] ('${layers[i].name}') is an InputLayer but has inbound_nodes`);
    return nodes.map((n, k) => readNode(fn, `layers[${i}] ('${layers[i].name}') inbound_nodes[${k}]`, n));
  });
  const check = (where: string, r: Ref) => {
    const at = seen.get(r[0]);
    if (at === undefined) fail(fn, `${where} refers to layer '${r[0]}', which the model does not have`);
    const calls = layers[at].inputOnly ? 1 : inbound[at].length;
    if (r[1] >= calls) fail(fn, `${where} refers to call ${r[1]} of layer '${r[0]}', which is called ${calls} time(s)`);
    if (r[2] !== 0) fail(fn, `${where} refers to output ${r[2]} of layer '${r[0]}'; only single-output layers are supported`);
  };
  inbound.forEach((nodes, i) => nodes.forEach((n, k) => n.forEach((r, j) => check(`layers[${i}] ('${layers[i].name}') inbound_nodes[${k}][${j}]`, r))));
  const inputs = readRefs(fn, 'config.input_layers', c.input_layers);
  const outputs = readRefs(fn, 'config.output_layers', c.output_layers);
  inputs.forEach((r, i) => {
    check(`config.input_layers[${i}]`, r);
    if (!layers[seen.get(r[0]) as number].inputOnly) fail(fn, `config.input_layers[${i}] refers to '${r[0]}', which is not an InputLayer`);
  });
  outputs.forEach((r, i) => check(`config.output_layers[${i}]`, r));
  const name = c.name;
  return { name: typeof name === 'string' && name !== '' ? name : undefined, layers, inbound, inputs, outputs };
}

/**
 * Creates the layers (under `names`, aligned with spec.layers) and replays
 * their calls: a call runs once every tensor it consumes exists, so the file
 * may list layers in any order; calls that never become ready form a cycle.
 */
export function buildFunctional(fn: string, spec: FunctionalSpec, names: string[]): LayersModel {
  const created: Layer[] = [];
  const tensors = new Map<string, SymbolicTensor>();
  const key = (layer: string, node: number) => `${layer}\u0000${node}`;
  try {
    spec.layers.forEach((s, i) => {
      if (s.inputOnly) {
        const t = input({ batchShape: s.batchInputShape as Shape, name: names[i], dtype: s.inputDtype });
        created.push(t.sourceLayer);
        tensors.set(key(s.name, 0), t);
      } else {
        created.push(s.create(names[i]));
      }
    });
    const next = spec.layers.map(() => 0);
    let pending = spec.inbound.reduce((n, nodes) => n + nodes.length, 0);
    while (pending > 0) {
      let progress = false;
      spec.layers.forEach((s, i) => {
        // A layer's calls are replayed in order: call k needs call k - 1 to exist (node indices).
        while (next[i] < spec.inbound[i].length) {
          const refs = spec.inbound[i][next[i]];
          const ins = refs.map((r) => tensors.get(key(r[0], r[1])));
          if (ins.some((t) => t === undefined)) break;
          const layer = created[i];
          const multi = (layer as unknown as { multiInput?: boolean }).multiInput === true;
          const out = layer.apply(multi ? (ins as SymbolicTensor[]) : (ins[0] as SymbolicTensor)) as SymbolicTensor;
          tensors.set(key(s.name, next[i]), out);
          next[i]++;
          pending--;
          progress = true;
        }
      });
      if (!progress) {
        const stuck = spec.layers.filter((_, i) => next[i] < spec.inbound[i].length).map((s) => `'${s.name}'`);
        fail(fn, `the calls of layers ${stuck.join(', ')} wait on each other's outputs (a cycle in inbound_nodes), so they cannot be built`);
      }
    }
    const pick = (r: Ref) => tensors.get(key(r[0], r[1])) as SymbolicTensor;
    return new LayersModel({ name: spec.name, inputs: spec.inputs.map(pick), outputs: spec.outputs.map(pick) });
  } catch (error) {
    created.forEach((l) => l.dispose());
    throw error;
  }
}
