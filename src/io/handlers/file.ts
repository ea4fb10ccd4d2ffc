// file:// in Node. node:fs is imported lazily, inside the calls, so a browser
// bundle of wasmtensor never pulls in a Node built-in (TF.js' #8476 / #4987).
// Layout as tensorflowjs_converter writes it: <dir>/model.json and
// <dir>/group1-shard1of1.bin.
import { fail } from '../../errors';
import { describe } from '../../layers/describe';
import { artifactsFromModelJSON, artifactsInfo, modelJSONFromArtifacts, parseModelJSON, SHARD_NAME, weightBytes } from '../model_json';
import { dirOf } from '../paths';
import type { IOHandler } from '../types';

type Fs = typeof import('node:fs/promises');

async function nodeFs(fn: string): Promise<Fs> {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (!isNode) fail(fn, "file:// URLs need Node.js; in a browser use http(s)://, 'indexeddb://name' or wt.io.withSaveHandler");
  return import('node:fs/promises');
}

/** 'file:///a/b' or 'file://a/b' -> 'a/b' (relative paths stay relative to the working directory). */
export function stripFileScheme(url: string): string {
  return url.replace(/^file:\/\//, '');
}

/** file:// handler. Saving takes a directory (or a path ending in .json); loading, model.json or its directory. */
export function fileSystem(url: string): IOHandler {
  if (typeof url !== 'string' || url === '') fail('io.fileSystem', `url must be a non-empty path or file:// URL, got ${describe(url)}`);
  const path = stripFileScheme(url);
  return {
    async save(artifacts) {
      const fs = await nodeFs('save');
      const isJson = path.endsWith('.json');
      const dir = isJson ? dirOf(path) || './' : path;
      const jsonPath = isJson ? path : `${path.replace(/\/+$/, '')}/model.json`;
      await fs.mkdir(dir, { recursive: true });
      const shardPath = `${dirOf(jsonPath)}${SHARD_NAME}`;
      await fs.writeFile(shardPath, new Uint8Array(weightBytes(artifacts.weightData)));
      await fs.writeFile(jsonPath, JSON.stringify(modelJSONFromArtifacts(artifacts, SHARD_NAME)));
      return { modelArtifactsInfo: artifactsInfo(artifacts) };
    },
    async load() {
      const fn = 'loadLayersModel';
      const fs = await nodeFs(fn);
      let jsonPath = path;
      const stat = await fs.stat(path).catch(() => fail(fn, `no file or directory at '${path}' (from '${url}')`));
      if (stat.isDirectory()) jsonPath = `${path.replace(/\/+$/, '')}/model.json`;
      const text = await fs.readFile(jsonPath, 'utf8').catch((e: Error) => fail(fn, `cannot read '${jsonPath}': ${e.message}`));
      const json = parseModelJSON(fn, text, `'${jsonPath}'`);
      const dir = dirOf(jsonPath);
      return artifactsFromModelJSON(fn, json, async (p) => {
        const bytes = await fs.readFile(`${dir}${p}`).catch((e: Error) => fail(fn, `cannot read weight shard '${dir}${p}' listed in '${jsonPath}': ${e.message}`));
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
      }, `'${jsonPath}'`);
    },
  };
}
