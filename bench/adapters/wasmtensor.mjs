// wasmtensor under benchmark, through its public API (dist/index.mjs: what
// users get). Options that depend on work in progress elsewhere degrade to a
// note instead of an error:
//   threads — calls wt.setThreads(n) when that function exists;
//   build   — passes { build } to wt.ready() and reports the build it chose.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { prepareOp } from '../lib/ops.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const distIndex = join(root, 'dist', 'index.mjs');

function pkgVersion() {
  try { return createRequire(import.meta.url)(join(root, 'package.json')).version; } catch { return 'unknown'; }
}

/** { threads?: number, build?: string } -> the adapter interface used by ../run.mjs. */
export async function createWasmtensor({ threads, build } = {}) {
  if (!existsSync(distIndex)) throw new Error('bench: dist/index.mjs does not exist (run `npm run build`)');
  const wt = await import(pathToFileURL(distIndex).href);
  for (const f of ['ready', 'tensor', 'matMul', 'add', 'mul', 'relu', 'sum', 'softmax']) {
    if (typeof wt[f] !== 'function') throw new Error(`bench: dist/index.mjs has no ${f}()`);
  }
  const notes = [];
  await wt.ready(build ? { build } : undefined);
  const chosen = typeof wt.getBuild === 'function' ? wt.getBuild() : 'unknown';
  if (build && chosen !== build) notes.push(`--build=${build} requested, but ready() chose '${chosen}' (option not supported by this version?)`);
  let threadCount = 1;
  if (threads !== undefined) {
    if (typeof wt.setThreads === 'function') {
      try {
        await wt.setThreads(threads);
        threadCount = typeof wt.getThreads === 'function' ? wt.getThreads() : threads;
      } catch (e) {
        notes.push(`wt.setThreads(${threads}) failed: ${(e && e.message) || e}`);
      }
    } else {
      notes.push(`--threads=${threads} ignored: this wasmtensor has no setThreads() (single-threaded)`);
    }
  } else if (typeof wt.getThreads === 'function') {
    threadCount = wt.getThreads();
  }
  const info = { mode: 'api', version: pkgVersion(), entry: 'dist/index.mjs', build: chosen, threads: threadCount };
  if (notes.length) info.notes = notes;
  return {
    id: 'wasmtensor',
    label: `wasmtensor (${chosen}, ${threadCount} thread${threadCount === 1 ? '' : 's'})`,
    info,
    async activate() {},
    prepare: (c, inputs) => prepareOp(wt, c, inputs),
    numTensors: () => (typeof wt.memory === 'function' ? wt.memory().numTensors : undefined),
  };
}
