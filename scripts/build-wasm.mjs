// Compiles assembly/ into one .wasm per target in asconfig.json: "simd"
// (baseline wasm SIMD), "relaxed" (+ relaxed SIMD: f32x4.relaxed_madd is an
// FMA), "threads" and "relaxed-threads" (+ one imported shared memory for the
// worker pool). src/backends/wasm/builds.ts picks one at runtime by feature
// probes. Targets compile in parallel (asc is single-threaded).
//   node scripts/build-wasm.mjs [target ...]   (default: every target)
import { spawn } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import os from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(readFileSync(join(root, 'asconfig.json'), 'utf8'));
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
mkdirSync(join(root, 'dist'), { recursive: true });

const requested = process.argv.slice(2);
for (const t of requested) {
  if (!(t in config.targets)) throw new Error(`build-wasm: unknown target '${t}'; targets are ${Object.keys(config.targets).join(', ')}`);
}
const queue = requested.length > 0 ? [...requested] : Object.keys(config.targets);
const parallel = Math.max(1, Math.min(queue.length, (os.availableParallelism?.() ?? os.cpus().length)));

function build(target) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [asc, ...config.entries, '--config', 'asconfig.json', '--target', target], {
      cwd: root,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) {
        console.log(`asc: built target "${target}" in ${Date.now() - started} ms`);
        resolve();
      } else {
        reject(new Error(`asc: target "${target}" failed with exit code ${code}`));
      }
    });
  });
}

async function worker() {
  while (queue.length > 0) await build(queue.shift());
}

await Promise.all(Array.from({ length: parallel }, worker));
