// TF.js peers: @tensorflow/tfjs-backend-wasm (XNNPACK, 1 thread) and
// @tensorflow/tfjs-backend-cpu (plain JS). Both register with one
// @tensorflow/tfjs-core engine; the runner switches with tf.setBackend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const version = (pkg) => {
  try { return require(`${pkg}/package.json`).version; } catch { return 'unknown'; }
};

let threadsSet = false;
// Production mode: the peers' fastest configuration (skips debug checks); it
// also silences tfjs-backend-cpu's "install tfjs-node" banner.
tf.enableProdMode();

/** backend: 'wasm' | 'cpu'. Returns the adapter interface described in ../run.mjs. */
export async function createTfjs(backend) {
  if (backend === 'wasm' && !threadsSet) {
    setThreadsCount(1); // must precede the wasm backend's initialisation
    threadsSet = true;
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`tfjs backend ${backend} failed to initialise`);
  await tf.ready();
  const pkg = backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs-backend-cpu';
  const info = { package: pkg, version: version(pkg), core: version('@tensorflow/tfjs-core'), prodMode: true };
  if (backend === 'wasm') {
    info.threads = 1;
    info.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  }
  return {
    id: `tfjs-${backend}`,
    label: backend === 'wasm' ? 'tfjs-wasm (XNNPACK, 1 thread)' : 'tfjs-cpu',
    info,
    /** Makes the backend current (the engine has one current backend at a time). */
    async activate() {
      await tf.setBackend(backend);
    },
    /** inputs: Float32Arrays made by the runner (the same data for every implementation). */
    prepare(kind, n, [da, db]) {
      if (kind === 'gemm') {
        const a = tf.tensor(da, [n, n], 'float32');
        const b = tf.tensor(db, [n, n], 'float32');
        return {
          run: () => { const c = tf.matMul(a, b); const d = c.dataSync(); c.dispose(); return d; },
          runOpOnly: () => { tf.matMul(a, b).dispose(); },
          dispose: () => { a.dispose(); b.dispose(); },
        };
      }
      const x = tf.tensor(da, [n], 'float32');
      const y = tf.tensor(db, [n], 'float32');
      const op = kind === 'add' ? () => tf.add(x, y) : () => tf.relu(x);
      return {
        run: () => { const c = op(); const d = c.dataSync(); c.dispose(); return d; },
        runOpOnly: () => { op().dispose(); },
        dispose: () => { x.dispose(); y.dispose(); },
      };
    },
    numTensors: () => tf.memory().numTensors,
  };
}
