// wt.loadLayersModel(): a handler's artifacts -> a Sequential model. The
// order keeps failures clean: topology, weight bytes and training config are
// all checked before the first layer is created; then the layers are built
// (zeros, not initializer draws), each manifest weight is matched by name and
// checked against its layer's shape, and only then assigned. If anything fails
// after the layers exist, the new model is disposed before the error
// propagates: no tensor is left behind and no other model is touched.
import { variableByName, type Variable } from '../autograd/variable';
import { fail, fmtShape } from '../errors';
import { describe } from '../layers/describe';
import { withZeroInit } from '../layers/layer';
import { Sequential } from '../models/sequential';
import type { LayersModel } from '../models/functional';
import { buildFunctional, isFunctionalTopology, readFunctionalTopology } from './functional_topology';
import { functionalCompileArgsFrom } from './functional_training_config';

/** What weight and optimizer restoring need from either kind of model. */
type LoadedModel = Sequential | LayersModel;
import { tensor } from '../ops/create';
import type { NamedTensor } from '../train/optimizers/index';
import { weightBytes } from './model_json';
import { handlerFor } from './router';
import { assignNames, readTopology, type SequentialSpec } from './topology';
import { compileArgsFrom, optimizerWeightsFromFile } from './training_config';
import type { IOHandler, ModelArtifacts, WeightSpec } from './types';
import { decodeWeights, fmtSpec, type DecodedWeight } from './weights';

/** Loads a model saved by model.save, tfjs-layers, or tensorflowjs_converter from Keras: a Sequential, or a LayersModel for a functional one. */
export async function loadLayersModel(urlOrHandler: string | IOHandler): Promise<Sequential | LayersModel> {
  const fn = 'loadLayersModel';
  const handler = handlerFor(fn, 'urlOrHandler', urlOrHandler, 'load');
  const artifacts = await (handler.load as NonNullable<IOHandler['load']>)();
  return modelFromArtifacts(fn, artifacts);
}

/** Manifest names as the converter may write them ('dense/kernel:0') -> 'dense/kernel'. */
const plain = (name: string) => name.replace(/:0$/, '');

function findWeight(byName: Map<string, DecodedWeight>, want: string): DecodedWeight | undefined {
  const exact = byName.get(want);
  if (exact !== undefined) return exact;
  // Keras may prefix the model's name ('sequential/dense/kernel'); accept a unique such match.
  const suffixed = [...byName.keys()].filter((k) => k.endsWith(`/${want}`));
  if (suffixed.length === 1) return byName.get(suffixed[0]);
  if (suffixed.length > 1) return undefined;
  // Python Keras scopes a recurrent layer's weights under its cell
  // ('lstm/lstm_cell/kernel', 'bidirectional/forward_lstm/lstm_cell/kernel');
  // tfjs-layers writes 'lstm/kernel'. Accept one extra segment before the weight's own name.
  const cut = want.lastIndexOf('/');
  if (cut < 0) return undefined;
  const [layer, weight] = [want.slice(0, cut), want.slice(cut + 1)];
  const scoped = [...byName.keys()].filter((k) => {
    const parts = k.split('/');
    return parts.length >= 3 && parts[parts.length - 1] === weight && `/${parts.slice(0, -2).join('/')}`.endsWith(`/${layer}`);
  });
  return scoped.length === 1 ? byName.get(scoped[0]) : undefined;
}

export async function modelFromArtifacts(fn: string, a: ModelArtifacts): Promise<Sequential | LayersModel> {
  if (a === null || typeof a !== 'object') fail(fn, `the handler's load() must return model artifacts { modelTopology, weightSpecs, weightData }, got ${describe(a)}`);
  const graph = isFunctionalTopology(a.modelTopology) ? readFunctionalTopology(fn, a.modelTopology) : null;
  const topo = graph ?? readTopology(fn, a.modelTopology);
  if (a.weightData !== undefined && a.weightSpecs === undefined) fail(fn, 'the artifacts have weightData but no weightSpecs describing it');
  const hasWeights = a.weightSpecs !== undefined;
  const decoded = hasWeights ? decodeWeights(fn, weightBytes(a.weightData), a.weightSpecs as WeightSpec[], 'the weight data (shards)') : [];
  const modelWeights = new Map<string, DecodedWeight>();
  const optimizerWeights: DecodedWeight[] = [];
  for (const d of decoded) {
    if (d.spec.group === 'optimizer') { optimizerWeights.push(d); continue; }
    const name = plain(d.spec.name);
    if (modelWeights.has(name)) fail(fn, `the weights manifest lists weight '${name}' twice`);
    modelWeights.set(name, d);
  }
  // tfjs-layers writes trainingConfig beside the topology; the converter leaves Keras' inside it.
  const trainingConfig = a.trainingConfig ?? (a.modelTopology as { training_config?: unknown } | undefined)?.training_config;
  const outputNames = graph?.outputs.map((r) => r[0]);
  const compileArgs = trainingConfig == null ? null
    : outputNames !== undefined ? functionalCompileArgsFrom(fn, trainingConfig, outputNames) : compileArgsFrom(fn, trainingConfig);

  const names = assignNames(topo.layers);
  const build = (): Sequential | LayersModel => graph !== null ? buildFunctional(fn, graph, names) : new Sequential({
    name: topo.name,
    layers: topo.layers.map((s, i) => s.create(names[i], i === 0 ? (topo as SequentialSpec).batchInputShape : undefined)),
  });
  let model: Sequential | LayersModel | undefined;
  try {
    model = hasWeights ? withZeroInit(build) : build();
    // The file's name of each of the model's layers (the model may order them differently from the file).
    const fileOf = new Map(names.map((n, i) => [n, topo.layers[i].name]));
    const fileNames = model.layers.map((l) => fileOf.get(l.name) as string);
    if (hasWeights) assignWeights(fn, model, fileNames, modelWeights);
    if (compileArgs !== null) {
      (model.compile as (args: unknown) => void).call(model, compileArgs);
      if (optimizerWeights.length > 0) await restoreOptimizer(fn, model, fileNames, model.layers.map((l) => l.name), optimizerWeights);
    }
    return model;
  } catch (error) {
    model?.dispose();
    throw error;
  }
}

function assignWeights(fn: string, model: LoadedModel, fileNames: string[], byName: Map<string, DecodedWeight>): void {
  const pairs: Array<[Variable, DecodedWeight]> = [];
  const used = new Set<DecodedWeight>();
  model.layers.forEach((layer, i) => {
    for (const v of layer.weights) {
      const suffix = v.name.slice(layer.name.length + 1); // 'kernel'
      const want = `${fileNames[i]}/${suffix}`;
      const d = findWeight(byName, want);
      if (d === undefined) {
        const have = [...byName.keys()].slice(0, 8).map((k) => `'${k}'`).join(', ') || 'none';
        fail(fn, `layer '${fileNames[i]}' needs weight '${want}' ${fmtShape(v.shape)}, but the weights manifest has no such entry (it has ${have})`);
      }
      const shape = d.spec.shape;
      if (shape.length !== v.shape.length || shape.some((s, k) => s !== v.shape[k])) {
        fail(fn, `weight '${d.spec.name}' in the manifest has shape ${fmtShape(shape)} but layer '${fileNames[i]}' expects ${fmtShape(v.shape)}`);
      }
      if (d.spec.dtype !== 'float32') fail(fn, `weight '${d.spec.name}' in the manifest has dtype '${d.spec.dtype}' but layer '${fileNames[i]}' expects float32`);
      used.add(d);
      pairs.push([v, d]);
    }
  });
  const extra = [...byName.values()].filter((d) => !used.has(d));
  if (extra.length > 0) fail(fn, `the weights manifest has weights no layer of the model uses: ${extra.slice(0, 8).map((d) => fmtSpec(d.spec)).join(', ')}`);
  for (const [v, d] of pairs) {
    const t = tensor(d.values as Float32Array, d.spec.shape.slice());
    try {
      v.assign(t);
    } finally {
      t.dispose();
    }
  }
}

/** Optimizer state, renamed from the file's layer names to the ones the layers got here. */
async function restoreOptimizer(fn: string, model: LoadedModel, fileNames: string[], names: string[], weights: DecodedWeight[]): Promise<void> {
  const rename = new Map(fileNames.map((f, i) => [f, names[i]]));
  const own = new Set(model.weights.map((v) => v.name));
  const fileWeights = model.layers.flatMap((l, i) => l.weights.map((v) => `${fileNames[i]}${v.name.slice(l.name.length)}`));
  const named: NamedTensor[] = [];
  try {
    for (const d of weights) {
      let name = plain(d.spec.name);
      if (name !== 'iter' && name !== 'iterations' && name !== 'iteration') {
        // Names in the file use the file's layer names; map them to the names the layers got here.
        if (name.split('/').length < 3) fail(fn, `optimizer weight '${d.spec.name}' is neither 'iter' nor named '<layer>/<weight>/<slot>'`);
        const layer = name.slice(0, name.indexOf('/'));
        const here = rename.get(layer);
        const variable = `${here}${name.slice(layer.length, name.lastIndexOf('/'))}`;
        if (here === undefined || !own.has(variable) || variableByName(variable) === undefined) {
          fail(fn, `optimizer weight '${d.spec.name}' belongs to variable '${name.slice(0, name.lastIndexOf('/'))}', which the model in the file does not have (its weights: ${fileWeights.join(', ')})`);
        }
        name = `${here}${name.slice(layer.length)}`;
      }
      named.push({ name, tensor: tensor(d.values, d.spec.shape.slice(), d.spec.dtype) });
    }
  } catch (error) {
    named.forEach((w) => w.tensor.dispose());
    throw error;
  }
  await optimizerWeightsFromFile(model.optimizer, named).catch((e: Error) => fail(fn, `restoring the optimizer state: ${e.message}`));
}
