// TF.js peers: @tensorflow/tfjs-backend-wasm (XNNPACK, 1 thread) and
// @tensorflow/tfjs-backend-cpu (plain JS). Both register with one
// @tensorflow/tfjs-core engine; the runner switches with tf.setBackend.
//
// Multi-threaded tfjs-backend-wasm does not exist in Node: its
// WASM_HAS_MULTITHREAD_SUPPORT flag returns false whenever IS_NODE
// (tensorflow/tfjs#3830), and forcing the flag on fails because Emscripten's
// pthread workers are created from blob: URLs, which Node's worker_threads
// reject (ERR_WORKER_PATH). With a shim that writes the blobs to files the
// threaded module loads, but XNNPACK's pool still reports 1 thread (checked
// with 4.22). So the suite runs tfjs-wasm on 1 thread only and says so.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { prepareOp } from '../lib/ops.mjs';

const require = createRequire(import.meta.url);
const version = (pkg) => {
  try { return require(`${pkg}/package.json`).version; } catch { return 'unknown'; }
};

export const TFJS_WASM_THREADS_NOTE =
  'tfjs-backend-wasm runs 1 thread in Node: its multi-thread flag is off under Node (tensorflow/tfjs#3830) ' +
  'and forcing it fails (pthread workers from blob: URLs, which worker_threads reject)';

let threadsSet = false;
// Production mode: the peers' fastest configuration (skips debug checks); it
// also silences tfjs-backend-cpu's "install tfjs-node" banner.
tf.enableProdMode();

/** backend: 'wasm' | 'cpu'. Returns the adapter interface used by ../run.mjs. */
export async function createTfjs(backend) {
  if (backend === 'wasm' && !threadsSet) {
    setThreadsCount(1); // must precede the wasm backend's initialisation
    threadsSet = true;
  }
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`bench: tfjs backend ${backend} failed to initialise`);
  await tf.ready();
  const pkg = backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs-backend-cpu';
  const info = { package: pkg, version: version(pkg), core: version('@tensorflow/tfjs-core'), prodMode: true };
  if (backend === 'wasm') {
    info.threads = 1;
    info.simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    info.multiThreadInNode = TFJS_WASM_THREADS_NOTE;
  }
  return {
    id: `tfjs-${backend}`,
    label: backend === 'wasm' ? 'tfjs-wasm (XNNPACK, 1 thread)' : 'tfjs-cpu',
    info,
    /** Makes the backend current (the engine has one current backend at a time). */
    async activate() {
      await tf.setBackend(backend);
    },
    prepare: (c, inputs) => prepareOp(tf, c, inputs),
    numTensors: () => tf.memory().numTensors,
  };
}
