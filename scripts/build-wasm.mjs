// Compiles assembly/ into one .wasm per target in asconfig.json.
// Today: "simd" (baseline wasm SIMD). The relaxed-SIMD and threaded builds are
// further targets of the same entry point; src/backends/wasm/load.ts picks one
// at runtime by feature detection.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = JSON.parse(readFileSync(join(root, 'asconfig.json'), 'utf8'));
const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
mkdirSync(join(root, 'dist'), { recursive: true });
for (const target of Object.keys(config.targets)) {
  const started = Date.now();
  execFileSync(process.execPath, [asc, ...config.entries, '--config', 'asconfig.json', '--target', target], {
    cwd: root,
    stdio: 'inherit',
  });
  console.log(`asc: built target "${target}" in ${Date.now() - started} ms`);
}
