// The TF.js Layers format's data model (tfjs-core/src/io/types.ts), kept
// structurally identical so a TF.js IOHandler (tf.io.fromMemory, a custom
// file reader) works with wt.loadLayersModel, and ours with tf.loadLayersModel.

/** Storage dtypes a weight can have in a shard. */
export type WeightDType = 'float32' | 'int32' | 'bool';

/** Post-training quantization as tensorflowjs_converter writes it (--quantize_uint8 / _uint16 / _float16). */
export interface WeightQuantization {
  dtype: 'uint8' | 'uint16' | 'float16';
  /** Affine quantization: value = q * scale + min. */
  scale?: number;
  min?: number;
  original_dtype?: string;
}

/** One entry of a weights manifest group. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDType;
  /** 'optimizer' for optimizer state; absent (or 'model') for model weights. */
  group?: string;
  quantization?: WeightQuantization;
}

/** A group of weights stored across `paths`, concatenated in order. */
export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface TrainingConfig {
  loss: string | string[] | Record<string, string>;
  metrics?: unknown;
  optimizer_config: { class_name: string; config: Record<string, unknown> };
}

/** Everything a model save/load moves: topology, weight specs and one buffer of weight bytes. */
export interface ModelArtifacts {
  modelTopology?: Record<string, unknown>;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: TrainingConfig;
  weightSpecs?: WeightSpec[];
  /** TF.js 4 may hand over several buffers (CompositeArrayBuffer); they are concatenated. */
  weightData?: ArrayBuffer | ArrayBuffer[];
  userDefinedMetadata?: Record<string, unknown>;
}

/** The model.json file. */
export interface ModelJSON {
  modelTopology: Record<string, unknown>;
  weightsManifest: WeightsManifestGroup[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
}

export interface ModelArtifactsInfo {
  dateSaved: Date;
  modelTopologyType: 'JSON';
  modelTopologyBytes?: number;
  weightSpecsBytes?: number;
  weightDataBytes?: number;
}

export interface SaveResult {
  modelArtifactsInfo: ModelArtifactsInfo;
  responses?: Response[];
  errors?: unknown[];
}

/** Where a model goes to or comes from: TF.js' IOHandler contract. */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}
