// Compiles assembly/ into two .wasm files per target in asconfig.json: the
// full kernel set (assembly/index.ts -> the target's outFile) and the core
// set without the image and sequence kernels (assembly/core.ts ->
// <outFile>-core.wasm; src/backends/wasm/kernel_sets.ts says who loads
// which). Targets: "simd" (baseline wasm SIMD), "relaxed" (+ relaxed SIMD:
// f32x4.relaxed_madd is an FMA), "threads" and "relaxed-threads" (+ one
// imported shared memory for the worker pool). src/backends/wasm/builds.ts
// picks one at runtime by feature probes. Builds run in parallel (asc is
// single-threaded).
//   node scripts/build-wasm.mjs [target ...]   (default: every target, both sets)
import { spawn } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import os from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(readFileSync(join(root, 'asconfig.json'), 'utf8'));
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
mkdirSync(join(root, 'dist'), { recursive: true });

// The entry file of each kernel set, and the name suffix of its output.
const SETS = [
  { entry: 'assembly/index.ts', suffix: '' },
  { entry: 'assembly/core.ts', suffix: '-core' },
];

const requested = process.argv.slice(2);
for (const t of requested) {
  if (!(t in config.targets)) throw new Error(`build-wasm: unknown target '${t}'; targets are ${Object.keys(config.targets).join(', ')}`);
}
const queue = (requested.length > 0 ? requested : Object.keys(config.targets)).flatMap((target) => SETS.map((set) => ({ target, ...set })));
const parallel = Math.max(1, Math.min(queue.length, (os.availableParallelism?.() ?? os.cpus().length)));

function build({ target, entry, suffix }) {
  const started = Date.now();
  const outFile = config.targets[target].outFile.replace(/\.wasm$/, `${suffix}.wasm`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [asc, entry, '--config', 'asconfig.json', '--target', target, '--outFile', outFile], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) {
        console.log(`asc: built ${outFile} in ${Date.now() - started} ms`);
        resolve();
      } else {
        reject(new Error(`asc: ${outFile} (target "${target}") failed with exit code ${code}`));
      }
    });
  });
}

async function worker() {
  while (queue.length > 0) await build(queue.shift());
}

await Promise.all(Array.from({ length: parallel }, worker));
