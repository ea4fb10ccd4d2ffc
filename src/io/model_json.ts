// model.json <-> ModelArtifacts. Loading parses and validates the file, checks
// every shard path and the declared sizes, then reads the shards through the
// handler's reader and compares their lengths with the manifest, so a bad
// file fails here, before a single tensor exists.
import { fail } from '../errors';
import { describe } from '../layers/describe';
import { checkShardPath } from './paths';
import type { ModelArtifacts, ModelJSON, WeightSpec, WeightsManifestGroup } from './types';
import { concatBuffers, fmtSpec, specBytes } from './weights';

/** The shard name the converter and tfjs use for a model written as one group. */
export const SHARD_NAME = 'group1-shard1of1.bin';

/** Parses model.json text; `source` (a path or URL) names the file in errors. */
export function parseModelJSON(fn: string, text: string, source: string): ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(fn, `${source} is not valid JSON (${(e as Error).message}); expected a TF.js Layers model.json`);
  }
  return checkModelJSON(fn, json, source);
}

export function checkModelJSON(fn: string, json: unknown, source: string): ModelJSON {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail(fn, `${source} must hold a JSON object { modelTopology, weightsManifest }, got ${describe(json)}`);
  const m = json as ModelJSON;
  if (m.format !== undefined && m.format !== 'layers-model') {
    fail(fn, `${source} has format '${String(m.format)}'; loadLayersModel reads 'layers-model' (a '${String(m.format)}' needs a graph-model loader)`);
  }
  if (m.modelTopology === null || typeof m.modelTopology !== 'object') fail(fn, `${source} has no modelTopology object (got ${describe(m.modelTopology)})`);
  if (m.weightsManifest !== undefined) {
    if (!Array.isArray(m.weightsManifest)) fail(fn, `${source} weightsManifest must be an array of { paths, weights }, got ${describe(m.weightsManifest)}`);
    m.weightsManifest.forEach((g, i) => {
      if (g === null || typeof g !== 'object' || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
        fail(fn, `${source} weightsManifest[${i}] must be { paths: string[], weights: [...] }, got ${describe(g)}`);
      }
    });
  }
  return m;
}

/** Reads one shard by its (checked) relative path. */
export type ShardReader = (path: string) => Promise<ArrayBuffer>;

/** Model artifacts from a parsed model.json, its shards read through `read`. */
export async function artifactsFromModelJSON(fn: string, m: ModelJSON, read: ShardReader, source: string): Promise<ModelArtifacts> {
  // No manifest at all: a topology-only file (the loader then initializes the weights).
  if (m.weightsManifest === undefined) {
    return { modelTopology: m.modelTopology, format: m.format, generatedBy: m.generatedBy, convertedBy: m.convertedBy, trainingConfig: m.trainingConfig, userDefinedMetadata: m.userDefinedMetadata };
  }
  const groups: WeightsManifestGroup[] = m.weightsManifest;
  // All checks before any read: paths, then sizes.
  const plan = groups.map((g, i) => ({
    paths: g.paths.map((p, k) => checkShardPath(fn, p, `${source} weightsManifest[${i}].paths[${k}]`)),
    weights: g.weights,
    bytes: g.weights.reduce((n, s, k) => n + specBytes(fn, s, `${source} weightsManifest[${i}].weights[${k}]`), 0),
  }));
  const specs: WeightSpec[] = [];
  const buffers: Uint8Array[] = [];
  for (const g of plan) {
    const shards = [];
    for (const p of g.paths) shards.push(new Uint8Array(await read(p)));
    const got = shards.reduce((n, s) => n + s.length, 0);
    if (got !== g.bytes) {
      const list = g.weights.length <= 6 ? g.weights.map(fmtSpec).join(', ') : `${g.weights.length} weights`;
      fail(fn, `the weights manifest of ${source} declares ${g.bytes} bytes (${list}) in ${g.paths.join(', ')}, but ${g.paths.length === 1 ? 'that shard holds' : 'those shards hold'} ${got} bytes${got < g.bytes ? ' (truncated?)' : ''}`);
    }
    buffers.push(...shards);
    specs.push(...g.weights);
  }
  return {
    modelTopology: m.modelTopology, format: m.format, generatedBy: m.generatedBy, convertedBy: m.convertedBy,
    trainingConfig: m.trainingConfig, userDefinedMetadata: m.userDefinedMetadata,
    weightSpecs: specs, weightData: concatBuffers(buffers),
  };
}

/** The model.json for artifacts whose weights go to one shard at `shardPath`. */
export function modelJSONFromArtifacts(a: ModelArtifacts, shardPath = SHARD_NAME): ModelJSON {
  const json: ModelJSON = {
    modelTopology: a.modelTopology ?? {},
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    weightsManifest: [{ paths: [shardPath], weights: a.weightSpecs ?? [] }],
  };
  if (a.trainingConfig !== undefined) json.trainingConfig = a.trainingConfig;
  if (a.userDefinedMetadata !== undefined) json.userDefinedMetadata = a.userDefinedMetadata;
  return json;
}

/** One ArrayBuffer from TF.js' ArrayBuffer | ArrayBuffer[]. */
export function weightBytes(data: ArrayBuffer | ArrayBuffer[] | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  if (Array.isArray(data)) return concatBuffers(data.map((b) => new Uint8Array(b)));
  return data;
}

export function artifactsInfo(a: ModelArtifacts) {
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON' as const,
    modelTopologyBytes: JSON.stringify(a.modelTopology ?? {}).length,
    weightSpecsBytes: JSON.stringify(a.weightSpecs ?? []).length,
    weightDataBytes: weightBytes(a.weightData).byteLength,
  };
}
