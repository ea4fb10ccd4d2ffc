// indexeddb://name in browsers (anywhere a global indexedDB exists). Same
// database, stores and records as TF.js' BrowserIndexedDB, so a model saved
// by either library loads in the other and shows in tf.io.listModels().
import { fail } from '../../errors';
import { describe } from '../../layers/describe';
import { artifactsInfo, weightBytes } from '../model_json';
import type { IOHandler, ModelArtifacts } from '../types';

const DATABASE = 'tensorflowjs';
const VERSION = 1;
const MODELS = 'models_store';
const INFO = 'model_info_store';

export const INDEXEDDB_SCHEME = 'indexeddb://';

function factory(fn: string): IDBFactory {
  const idb = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (idb === undefined) fail(fn, "indexeddb:// needs IndexedDB, which this runtime does not have (Node: use 'file://dir')");
  return idb;
}

function open(fn: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = factory(fn).open(DATABASE, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS, { keyPath: 'modelPath' });
      if (!db.objectStoreNames.contains(INFO)) db.createObjectStore(INFO, { keyPath: 'modelPath' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`${fn}: cannot open IndexedDB database '${DATABASE}': ${req.error?.message}`));
  });
}

function done(tx: IDBTransaction, fn: string): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(new Error(`${fn}: IndexedDB transaction failed: ${tx.error?.message}`));
    tx.onabort = () => reject(new Error(`${fn}: IndexedDB transaction aborted: ${tx.error?.message}`));
  });
}

export function browserIndexedDB(url: string): IOHandler {
  if (typeof url !== 'string') fail('io.browserIndexedDB', `url must be a model name or 'indexeddb://name', got ${describe(url)}`);
  const modelPath = url.startsWith(INDEXEDDB_SCHEME) ? url.slice(INDEXEDDB_SCHEME.length) : url;
  if (modelPath === '') fail('io.browserIndexedDB', "the model needs a name: 'indexeddb://my-model'");
  return {
    async save(artifacts) {
      const db = await open('save');
      try {
        const stored: ModelArtifacts = { ...artifacts, weightData: weightBytes(artifacts.weightData) };
        const modelArtifactsInfo = artifactsInfo(stored);
        const tx = db.transaction([INFO, MODELS], 'readwrite');
        tx.objectStore(INFO).put({ modelPath, modelArtifactsInfo });
        tx.objectStore(MODELS).put({ modelPath, modelArtifacts: stored });
        await done(tx, 'save');
        return { modelArtifactsInfo };
      } finally {
        db.close();
      }
    },
    async load() {
      const fn = 'loadLayersModel';
      const db = await open(fn);
      try {
        const tx = db.transaction(MODELS, 'readonly');
        const req = tx.objectStore(MODELS).get(modelPath);
        await done(tx, fn);
        const record = req.result as { modelArtifacts?: ModelArtifacts } | undefined;
        if (record?.modelArtifacts === undefined) fail(fn, `no model named '${modelPath}' in IndexedDB (save one with model.save('${INDEXEDDB_SCHEME}${modelPath}'))`);
        return record.modelArtifacts;
      } finally {
        db.close();
      }
    },
  };
}
