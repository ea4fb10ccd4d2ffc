// Shared setup for the io tests: our runtime, tfjs-layers on the cpu backend,
// temp dirs, and TF.js-side handlers that read and write the on-disk layout
// tensorflowjs_converter produces (model.json + group1-shard1of1.bin).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tfl from '@tensorflow/tfjs-layers';
import * as wt from '../../src/index';

export { tf, tfl, wt };

export async function setup(): Promise<void> {
  await wt.ready();
  await tf.setBackend('cpu');
}

const dirs: string[] = [];

export async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'wt-io-'));
  dirs.push(d);
  return d;
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
}

/** A TF.js save handler writing model.json + group1-shard1of1.bin into dir, as the converter lays them out. */
export function tfjsFileSaver(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (a) => {
    const data = a.weightData instanceof ArrayBuffer ? a.weightData : tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer[]);
    const json = {
      modelTopology: a.modelTopology, format: a.format, generatedBy: a.generatedBy, convertedBy: a.convertedBy,
      ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }],
    };
    await writeFile(join(dir, 'group1-shard1of1.bin'), new Uint8Array(data));
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  });
}

/** A TF.js load handler reading what tfjsFileSaver (or wasmtensor's file:// save) wrote. */
export function tfjsFileLoader(dir: string): tf.io.IOHandler {
  return {
    async load() {
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
      const shards = await Promise.all(json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFile(join(dir, p)))));
      const bytes = Buffer.concat(shards);
      return {
        modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
        weightSpecs: json.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  };
}

/** Deterministic floats in [-scale, scale). */
export function rand(n: number, seed: number, scale = 1): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return ((a / 2 ** 32) * 2 - 1) * scale;
  });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Live tensors and bytes: a failed load must leave both where they were. */
export function snapshot(): { numTensors: number; numBytes: number } {
  const m = wt.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
}
