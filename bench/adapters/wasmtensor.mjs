// wasmtensor under benchmark, through its public API (dist/index.mjs: what
// users get). Options that depend on work in progress elsewhere degrade to a
// note instead of an error:
//   threads — calls wt.setThreads(n) when that function exists (one adapter
//             per count, see createWasmtensor);
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

/**
 * { threads?: number[], build?: string } -> one adapter per thread count (the
 * first is 'wasmtensor', the peers' reference; the others 'wasmtensor-<n>t'),
 * all on one module: activate() sets that adapter's thread count, so thread
 * scaling is measured in one process, alternating like the peers.
 */
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
  const canSet = typeof wt.setThreads === 'function';
  const current = () => (typeof wt.getThreads === 'function' ? wt.getThreads() : 1);
  let counts = [undefined];
  if (threads?.length) {
    if (canSet) counts = threads;
    else notes.push(`--threads=${threads.join(',')} ignored: this wasmtensor has no setThreads() (single-threaded)`);
  }
  const adapters = [];
  for (const [i, n] of counts.entries()) {
    let got = current();
    if (n !== undefined) {
      try {
        await wt.setThreads(n);
        got = current();
      } catch (e) {
        notes.push(`wt.setThreads(${n}) failed: ${(e && e.message) || e}`);
        if (i > 0) continue; // the first adapter stays, on the default count
      }
      if (got !== n) notes.push(`wt.setThreads(${n}): getThreads() says ${got} (this build has no thread pool?)`);
    }
    adapters.push({
      id: i === 0 ? 'wasmtensor' : `wasmtensor-${n}t`,
      label: `wasmtensor (${chosen}, ${got} thread${got === 1 ? '' : 's'})`,
      info: { mode: 'api', version: pkgVersion(), entry: 'dist/index.mjs', build: chosen, threads: got },
      async activate() { if (n !== undefined) await wt.setThreads(n); },
      prepare: (c, inputs) => prepareOp(wt, c, inputs),
      numTensors: () => (typeof wt.memory === 'function' ? wt.memory().numTensors : undefined),
    });
  }
  if (notes.length) adapters[0].info.notes = notes;
  return adapters;
}
