// model.save(): a Sequential model -> TF.js Layers artifacts -> a handler.
// The topology is what tfjs-layers writes (class_name Sequential, layer
// configs in Keras' snake_case, batch_input_shape on the first layer); weights
// are named '<layer>/<weight>' ('dense/kernel'), model weights first, then,
// with includeOptimizer, the optimizer's in group 'optimizer'.
import { fail } from '../errors';
import { describe } from '../layers/describe';
import { serializeLayer } from '../layers/serialization';
import type { Sequential } from '../models/sequential';
import type { LayersModel } from '../models/functional';
import { functionalTopology } from './functional_topology';
import { toFunctionalTrainingConfig } from './functional_training_config';
import type { FunctionalCompiled } from '../models/functional_training';
import type { CompileArgs, Compiled } from '../models/training';
import { WASMTENSOR_VERSION as version } from './generator';
import { handlerFor } from './router';
import { optimizerWeightsToFile, toTrainingConfig } from './training_config';
import type { IOHandler, ModelArtifacts, SaveResult } from './types';
import { concatBuffers, encodeWeights } from './weights';

export interface SaveConfig {
  /** Also save the training config and optimizer state (default false, as in TF.js). */
  includeOptimizer?: boolean;
}

/** The artifacts model.save writes, without a handler (tests, custom storage). */
export async function modelArtifacts(model: Sequential | LayersModel, config: SaveConfig = {}): Promise<ModelArtifacts> {
  const fn = 'save';
  // Told apart by shape, not instanceof: models/functional imports this file.
  const functional = (model as Partial<LayersModel> | null)?.className === 'Functional';
  if (!functional && typeof (model as Partial<Sequential> | null)?.batchInputShape !== 'function') fail('io.modelArtifacts', `model must be a Sequential model or a LayersModel (wt.model), got ${describe(model)}`);
  if (config === null || typeof config !== 'object') fail(fn, `config must be an object { includeOptimizer? }, got ${describe(config)}`);
  let modelConfig: Record<string, unknown>;
  if (functional) {
    modelConfig = functionalTopology(fn, model as LayersModel);
  } else {
    const seq = model as Sequential;
    const inputShape = seq.batchInputShape(fn);
    modelConfig = { class_name: 'Sequential', config: { name: seq.name, layers: seq.layers.map((l, i) => serializeLayer(fn, l, i === 0 ? inputShape : undefined)) } };
  }
  const topology = { ...modelConfig, keras_version: `wasmtensor ${version}`, backend: 'wasmtensor' };
  const named = model.weights.map((v) => ({ name: v.name, tensor: v }));
  const { data, specs } = encodeWeights(named);
  const artifacts: ModelArtifacts = {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: `wasmtensor v${version}`,
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
  };
  if (config.includeOptimizer) {
    const state = model.compiledState;
    if (state === null) fail(fn, 'includeOptimizer: the model is not compiled, so it has no optimizer to save; call compile() first or save without includeOptimizer');
    artifacts.trainingConfig = functional
      ? toFunctionalTrainingConfig(fn, state.compiled as FunctionalCompiled, (model as LayersModel).outputNames)
      : toTrainingConfig(fn, state.compiled as Compiled, state.args as CompileArgs);
    const weights = await optimizerWeightsToFile(state.compiled.optimizer);
    try {
      const opt = encodeWeights(weights, 'optimizer');
      artifacts.weightSpecs = [...specs, ...opt.specs];
      artifacts.weightData = concatBuffers([new Uint8Array(data), new Uint8Array(opt.data)]);
    } finally {
      weights.forEach((w) => w.tensor.dispose());
    }
  }
  return artifacts;
}

export async function saveModel(model: Sequential | LayersModel, handlerOrUrl: string | IOHandler, config: SaveConfig = {}): Promise<SaveResult> {
  const handler = handlerFor('save', 'handlerOrUrl', handlerOrUrl, 'save');
  const artifacts = await modelArtifacts(model, config);
  return (handler.save as NonNullable<IOHandler['save']>)(artifacts);
}
