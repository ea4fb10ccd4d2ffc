// The `wt.io` namespace: TF.js-compatible handlers and the weight codec.
import { fileSystem } from './handlers/file';
import { http } from './handlers/http';
import { browserIndexedDB } from './handlers/indexeddb';
import { fromMemory, withSaveHandler } from './handlers/memory';
import { modelArtifacts } from './save_model';
import { decodeWeights, encodeWeights } from './weights';

export { loadLayersModel } from './load_model';
export type { SaveConfig } from './save_model';
export type { IOHandler, ModelArtifacts, ModelJSON, SaveResult, WeightSpec, WeightsManifestGroup, TrainingConfig, ModelArtifactsInfo } from './types';
export type { HttpOptions } from './handlers/http';

export const io = {
  fromMemory,
  withSaveHandler,
  fileSystem,
  http,
  browserHTTPRequest: http,
  browserIndexedDB,
  /** The artifacts model.save would write, without saving them. */
  modelArtifacts,
  encodeWeights,
  /** decodeWeights(data, specs): the weights as { spec, values } (typed arrays, nothing allocated in wasm). */
  decodeWeights: (data: ArrayBuffer, specs: Parameters<typeof decodeWeights>[2]) => decodeWeights('io.decodeWeights', data, specs),
};
