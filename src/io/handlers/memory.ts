// In-memory handlers, as in TF.js: fromMemory hands artifacts already in
// memory to loadLayersModel; withSaveHandler gives model.save a callback that
// receives the artifacts (to upload, store or inspect them).
import { fail } from '../../errors';
import { describe } from '../../layers/describe';
import { artifactsInfo } from '../model_json';
import type { IOHandler, ModelArtifacts, SaveResult, TrainingConfig, WeightSpec } from '../types';

/**
 * A load handler over artifacts in memory: fromMemory(artifacts), or TF.js'
 * older form fromMemory(modelTopology, weightSpecs, weightData, trainingConfig).
 */
export function fromMemory(
  artifactsOrTopology: ModelArtifacts | Record<string, unknown>,
  weightSpecs?: WeightSpec[],
  weightData?: ArrayBuffer,
  trainingConfig?: TrainingConfig,
): IOHandler {
  if (artifactsOrTopology === null || typeof artifactsOrTopology !== 'object') {
    fail('io.fromMemory', `artifacts must be an object { modelTopology, weightSpecs, weightData }, got ${describe(artifactsOrTopology)}`);
  }
  const a = artifactsOrTopology as ModelArtifacts;
  const artifacts: ModelArtifacts = a.modelTopology !== undefined || weightSpecs === undefined
    ? a
    : { modelTopology: artifactsOrTopology as Record<string, unknown>, weightSpecs, weightData, trainingConfig };
  return { load: async () => artifacts };
}

/** A save handler that calls `saveFn` with the artifacts. */
export function withSaveHandler(saveFn: (artifacts: ModelArtifacts) => Promise<SaveResult> | SaveResult | void): IOHandler {
  if (typeof saveFn !== 'function') fail('io.withSaveHandler', `saveFn must be a function (artifacts) => SaveResult, got ${describe(saveFn)}`);
  return {
    save: async (artifacts) => (await saveFn(artifacts)) ?? { modelArtifactsInfo: artifactsInfo(artifacts) },
  };
}
