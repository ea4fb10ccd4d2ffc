// model.save(): a Sequential model -> TF.js Layers artifacts -> a handler.
// The topology is what tfjs-layers writes (class_name Sequential, layer
// configs in Keras' snake_case, batch_input_shape on the first layer); weights
// are named '<layer>/<weight>' ('dense/kernel'), model weights first, then,
// with includeOptimizer, the optimizer's in group 'optimizer'.
import { fail } from '../errors';
import { describe } from '../layers/describe';
import { serializeLayer } from '../layers/serialization';
import type { Sequential } from '../models/sequential';
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
export async function modelArtifacts(model: Sequential, config: SaveConfig = {}): Promise<ModelArtifacts> {
  const fn = 'save';
  if (typeof (model as Partial<Sequential> | null)?.batchInputShape !== 'function') fail('io.modelArtifacts', `model must be a Sequential model, got ${describe(model)}`);
  if (config === null || typeof config !== 'object') fail(fn, `config must be an object { includeOptimizer? }, got ${describe(config)}`);
  const layers = model.layers;
  const inputShape = model.batchInputShape(fn);
  const topology = {
    class_name: 'Sequential',
    config: { name: model.name, layers: layers.map((l, i) => serializeLayer(fn, l, i === 0 ? inputShape : undefined)) },
    keras_version: `wasmtensor ${version}`,
    backend: 'wasmtensor',
  };
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
    artifacts.trainingConfig = toTrainingConfig(fn, state.compiled, state.args);
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

export async function saveModel(model: Sequential, handlerOrUrl: string | IOHandler, config: SaveConfig = {}): Promise<SaveResult> {
  const handler = handlerFor('save', 'handlerOrUrl', handlerOrUrl, 'save');
  const artifacts = await modelArtifacts(model, config);
  return (handler.save as NonNullable<IOHandler['save']>)(artifacts);
}
