// The handlers: http(s) against a real local server (GET to load, multipart
// POST to save, as TF.js' browserHTTPRequest does), indexeddb:// against a
// minimal in-process IndexedDB, file:// variants, TF.js' own handlers in our
// loader, and the rule that nothing Node-only is imported statically.
import { createServer, type Server } from 'node:http';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, rand, removeTempDirs, setup, tempDir, tf, tfl, wt } from './helpers';

let server: Server;
let base: string;
let root: string;
const posted: Array<{ fields: string[]; json: any; bin: Uint8Array }> = [];
const requested: string[] = [];

beforeAll(async () => {
  await setup();
  root = await tempDir();
  server = createServer(async (req, res) => {
    requested.push(req.url!);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === 'POST') {
      // Parse the multipart body with the platform's own parser.
      const form = await new Request('http://local/', { method: 'POST', headers: req.headers as HeadersInit, body: Buffer.concat(chunks) }).formData();
      const json = JSON.parse(await (form.get('model.json') as Blob).text());
      const bin = new Uint8Array(await (form.get('model.weights.bin') as Blob).arrayBuffer());
      posted.push({ fields: [...form.keys()], json, bin });
      await mkdir(`${root}/uploaded`, { recursive: true });
      await writeFile(`${root}/uploaded/model.json`, JSON.stringify(json));
      await writeFile(`${root}/uploaded/model.weights.bin`, bin);
      res.writeHead(200).end('ok');
      return;
    }
    try {
      const body = await readFile(`${root}${decodeURIComponent(new URL(req.url!, 'http://x').pathname)}`);
      res.writeHead(200).end(body);
    } catch {
      res.writeHead(404, 'Not Found').end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await removeTempDirs();
});

function model(): wt.Sequential {
  return wt.sequential({ layers: [wt.layers.dense({ units: 4, activation: 'relu', inputShape: [3] }), wt.layers.dense({ units: 2, activation: 'softmax' })] });
}

describe('http(s)', () => {
  test('save POSTs model.json + model.weights.bin as multipart; loading it back over GET gives the same model', async () => {
    const m = model();
    const result = await m.save(`${base}/upload`);
    expect(result.responses?.[0].status).toBe(200);
    expect(posted[0].fields).toEqual(['model.json', 'model.weights.bin']);
    expect(posted[0].json.weightsManifest[0].paths).toEqual(['./model.weights.bin']);
    expect(posted[0].bin.byteLength).toBe((3 * 4 + 4 + 4 * 2 + 2) * 4);

    const loaded = await wt.loadLayersModel(`${base}/uploaded/model.json`);
    const x = wt.tensor(rand(30, 1), [10, 3]);
    expect(maxAbsDiff(loaded.predict(x).dataSync(), m.predict(x).dataSync())).toBe(0);
    m.dispose();
    loaded.dispose();
  });

  test('the Keras fixture served over http: shards resolved relative to model.json', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/keras-mlp/', import.meta.url));
    await mkdir(`${root}/models/keras mlp`, { recursive: true });
    for (const f of ['model.json', 'group1-shard1of1.bin']) await writeFile(`${root}/models/keras mlp/${f}`, await readFile(`${fixture}${f}`));
    const loaded = await wt.loadLayersModel(`${base}/models/keras%20mlp/model.json`);
    expect(loaded.layers.map((l) => l.className)).toEqual(['Dense', 'Dropout', 'Dense']);
    loaded.dispose();
  });

  test("a manifest path climbing out of the model's URL is refused before any request for it", async () => {
    await mkdir(`${root}/site/model`, { recursive: true });
    const json = JSON.parse(await readFile(`${root}/uploaded/model.json`, 'utf8'));
    json.weightsManifest[0].paths = ['../../uploaded/model.weights.bin'];
    await writeFile(`${root}/site/model/model.json`, JSON.stringify(json));
    requested.length = 0;
    await expect(wt.loadLayersModel(`${base}/site/model/model.json`)).rejects.toThrow(
      `loadLayersModel: ${base}/site/model/model.json weightsManifest[0].paths[0] '../../uploaded/model.weights.bin' leaves the model's directory`,
    );
    expect(requested).toEqual(['/site/model/model.json']);
  });

  test('HTTP errors name the URL and status; a custom fetchFunc is used', async () => {
    await expect(wt.loadLayersModel(`${base}/missing/model.json`)).rejects.toThrow(`loadLayersModel: request for ${base}/missing/model.json failed with HTTP 404 Not Found`);
    const seen: string[] = [];
    const fetchFunc = ((url: string, init?: RequestInit) => { seen.push(String(url)); return fetch(url, init); }) as typeof fetch;
    const loaded = await wt.loadLayersModel(wt.io.http(`${base}/uploaded/model.json`, { fetchFunc }));
    expect(seen).toEqual([`${base}/uploaded/model.json`, `${base}/uploaded/model.weights.bin`]);
    loaded.dispose();
  });
});

/** Just enough IndexedDB for the handler: one database, object stores with a keyPath, put/get in transactions. */
function fakeIndexedDB() {
  const dbs = new Map<string, Map<string, Map<unknown, unknown>>>();
  const later = (f: () => void) => setTimeout(f, 0);
  return {
    open(name: string) {
      const req: any = {};
      later(() => {
        const fresh = !dbs.has(name);
        if (fresh) dbs.set(name, new Map());
        const stores = dbs.get(name)!;
        const keyPaths = new Map<string, string>();
        const db = {
          objectStoreNames: { contains: (s: string) => stores.has(s) },
          createObjectStore: (s: string, o: { keyPath: string }) => { stores.set(s, new Map()); keyPaths.set(s, o.keyPath); },
          transaction: (names: string | string[]) => {
            const tx: any = {
              objectStore: (s: string) => {
                if (![names].flat().includes(s)) throw new Error(`store ${s} not in transaction`);
                return {
                  put: (v: any) => { stores.get(s)!.set(v[keyPaths.get(s) ?? 'modelPath'], structuredClone(v)); },
                  get: (k: unknown) => { const r: any = {}; later(() => { r.result = structuredClone(stores.get(s)!.get(k)); }); return r; },
                };
              },
            };
            later(() => later(() => tx.oncomplete?.()));
            return tx;
          },
          close: () => undefined,
        };
        req.result = db;
        if (fresh) req.onupgradeneeded?.();
        req.onsuccess?.();
      });
      return req;
    },
  };
}

describe('indexeddb://', () => {
  test('without IndexedDB (Node) the error says so and what to use instead', async () => {
    await expect(wt.loadLayersModel('indexeddb://my-model')).rejects.toThrow("loadLayersModel: indexeddb:// needs IndexedDB, which this runtime does not have (Node: use 'file://dir')");
  });

  test('save and load through an IndexedDB, in TF.js\' database and record layout', async () => {
    const idb = fakeIndexedDB();
    (globalThis as any).indexedDB = idb;
    try {
      const m = model();
      await m.save('indexeddb://my-model');
      const loaded = await wt.loadLayersModel('indexeddb://my-model');
      const x = wt.tensor(rand(30, 2), [10, 3]);
      expect(maxAbsDiff(loaded.predict(x).dataSync(), m.predict(x).dataSync())).toBe(0);
      await expect(wt.loadLayersModel('indexeddb://other')).rejects.toThrow("loadLayersModel: no model named 'other' in IndexedDB (save one with model.save('indexeddb://other'))");
      m.dispose();
      loaded.dispose();
    } finally {
      delete (globalThis as any).indexedDB;
    }
  });
});

describe('file:// and memory variants', () => {
  test('save to a path ending in model.json; load from its directory', async () => {
    const dir = await tempDir();
    const m = model();
    await m.save(`file://${dir}/nested/deeper/model.json`);
    expect((await readdir(`${dir}/nested/deeper`)).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const loaded = await wt.loadLayersModel(`file://${dir}/nested/deeper`);
    expect(loaded.weights.length).toBe(4);
    m.dispose();
    loaded.dispose();
  });

  test("TF.js' handlers work in our loader: tf.io.fromMemory of a tfjs-layers save; TF.js' older fromMemory(topology, specs, data) form in ours", async () => {
    const theirs = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [3], activation: 'sigmoid' })] });
    let saved: tf.io.ModelArtifacts | undefined;
    await theirs.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    const a = await wt.loadLayersModel(tf.io.fromMemory(saved!) as wt.IOHandler);
    const b = await wt.loadLayersModel(wt.io.fromMemory(saved!.modelTopology as Record<string, unknown>, saved!.weightSpecs as wt.WeightSpec[], saved!.weightData as ArrayBuffer));
    const xs = rand(12, 3);
    const expected = (theirs.predict(tf.tensor2d(xs, [4, 3])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(a.predict(wt.tensor(xs, [4, 3])).dataSync(), expected)).toBeLessThan(1e-6);
    expect(maxAbsDiff(b.predict(wt.tensor(xs, [4, 3])).dataSync(), expected)).toBeLessThan(1e-6);
    a.dispose();
    b.dispose();
  });

  test('io.encodeWeights / io.decodeWeights round-trip float32, int32 and bool in TF.js byte layout', () => {
    const named = [
      { name: 'a', tensor: wt.tensor([1.5, -2], [2]) },
      { name: 'b', tensor: wt.tensor([7, 8, 9], [3], 'int32') },
      { name: 'c', tensor: wt.tensor([true, false, true], [3], 'bool') },
    ];
    const { data, specs } = wt.io.encodeWeights(named);
    expect(data.byteLength).toBe(8 + 12 + 3);
    const tfDecoded = tf.io.decodeWeights(data, specs as tf.io.WeightsManifestEntry[]);
    expect(Array.from(tfDecoded.b.dataSync())).toEqual([7, 8, 9]);
    expect(Array.from(tfDecoded.c.dataSync())).toEqual([1, 0, 1]);
    const ours = wt.io.decodeWeights(data, specs);
    expect(ours.map((d) => Array.from(d.values))).toEqual([[1.5, -2], [7, 8, 9], [1, 0, 1]]);
    named.forEach((n) => n.tensor.dispose());
  });
});

describe('bundling', () => {
  test('src/io imports nothing Node-only statically (node:fs only through a lazy import())', async () => {
    const dir = fileURLToPath(new URL('../../src/io/', import.meta.url));
    const files = [...(await readdir(dir)).map((f) => `${dir}${f}`), ...(await readdir(`${dir}handlers`)).map((f) => `${dir}handlers/${f}`)].filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(8);
    let lazy = 0;
    for (const f of files) {
      const src = await readFile(f, 'utf8');
      expect(src, f).not.toMatch(/^\s*import\s[^;]*from\s+['"](node:|fs|path|os)/m);
      expect(src, f).not.toMatch(/\brequire\(/);
      lazy += (src.match(/(?<!typeof )import\('node:fs\/promises'\)/g) ?? []).length; // the type-only `typeof import()` is erased
    }
    expect(lazy).toBe(1);
  });
});
