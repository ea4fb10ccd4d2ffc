// http(s):// through fetch (browsers, and Node >= 18). Loading reads
// model.json and then each shard relative to it; saving POSTs a multipart
// form with the fields TF.js' browserHTTPRequest sends ('model.json' and
// 'model.weights.bin'), so servers written for TF.js accept it.
import { fail } from '../../errors';
import { describe } from '../../layers/describe';
import { artifactsFromModelJSON, artifactsInfo, modelJSONFromArtifacts, parseModelJSON, weightBytes } from '../model_json';
import type { IOHandler } from '../types';

export interface HttpOptions {
  /** Replaces the global fetch (tests, auth wrappers). */
  fetchFunc?: typeof fetch;
  /** Merged into every request (headers, credentials); method and body are set by save. */
  requestInit?: RequestInit;
}

export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function fetcher(fn: string, options: HttpOptions): typeof fetch {
  const f = options.fetchFunc ?? (typeof fetch === 'function' ? fetch : undefined);
  if (typeof f !== 'function') fail(fn, `no fetch() in this runtime; pass options.fetchFunc, got ${describe(options.fetchFunc)}`);
  return f;
}

async function get(fn: string, f: typeof fetch, url: string, init?: RequestInit): Promise<Response> {
  const res = await f(url, init).catch((e: Error) => fail(fn, `request for ${url} failed: ${e.message}`));
  if (!res.ok) fail(fn, `request for ${url} failed with HTTP ${res.status} ${res.statusText}`);
  return res;
}

export function http(url: string, options: HttpOptions = {}): IOHandler {
  if (typeof url !== 'string' || url === '') fail('io.http', `url must be a non-empty string, got ${describe(url)}`);
  return {
    async load() {
      const fn = 'loadLayersModel';
      const f = fetcher(fn, options);
      const text = await (await get(fn, f, url, options.requestInit)).text();
      const json = parseModelJSON(fn, text, url);
      return artifactsFromModelJSON(fn, json, async (p) => (await get(fn, f, new URL(p, url).href, options.requestInit)).arrayBuffer(), url);
    },
    async save(artifacts) {
      const fn = 'save';
      const f = fetcher(fn, options);
      const form = new FormData();
      const json = modelJSONFromArtifacts(artifacts, './model.weights.bin');
      form.append('model.json', new Blob([JSON.stringify(json)], { type: 'application/json' }), 'model.json');
      form.append('model.weights.bin', new Blob([weightBytes(artifacts.weightData)], { type: 'application/octet-stream' }), 'model.weights.bin');
      const res = await f(url, { ...options.requestInit, method: options.requestInit?.method ?? 'POST', body: form });
      if (!res.ok) fail(fn, `POST of the model to ${url} failed with HTTP ${res.status} ${res.statusText}`);
      return { modelArtifactsInfo: artifactsInfo(artifacts), responses: [res] };
    },
  };
}
