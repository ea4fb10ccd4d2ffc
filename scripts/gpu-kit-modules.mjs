// Copies into <stage>/node_modules what scripts/gpu-check.sh runs on a bare
// GPU machine: vitest (test/webgpu), webgpu (Dawn), tfjs-core and
// tfjs-backend-webgpu (bench/webgpu.mjs's peer), each with everything it
// depends on as package-lock.json resolves it. Cut to fit the device tool's
// 64 MiB: only the linux-x64 Dawn build, only TF.js's Node bundles (their
// "main"), no source maps, no TypeScript declarations.
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stage = process.argv[2];
if (!stage) throw new Error('usage: node scripts/gpu-kit-modules.mjs STAGE_DIR');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages;
const roots = ['vitest', 'webgpu', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-webgpu'];

/** The lock path Node would load `name` from, looking up from the package at `from`. */
function resolve(from, name) {
  for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf('/node_modules/')))) {
    const path = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (lock[path]) return path;
    if (!base) return null;
  }
}

const packages = new Set();
(function visit(paths) {
  for (const path of paths) {
    if (packages.has(path) || !existsSync(join(root, path))) continue; // optional deps of other platforms are absent
    packages.add(path);
    const entry = lock[path];
    // Optional peers (vite's esbuild, terser, sass...) are left out: nothing run there loads them.
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((name) => !entry.peerDependenciesMeta?.[name]?.optional);
    const names = [...Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }), ...peers];
    visit(names.map((name) => resolve(path, name)).filter(Boolean));
  }
})(roots.map((name) => `node_modules/${name}`));

const tfjsMain = /^node_modules\/@tensorflow\//;
for (const path of packages) {
  const from = join(root, path);
  const main = tfjsMain.test(path) ? JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')).main : null;
  cpSync(from, join(stage, path), {
    recursive: true,
    filter: (src) => {
      const rel = src.slice(from.length + 1);
      if (rel === '') return true;
      if (/\.map$|\.d\.ts$/.test(rel)) return false;
      if (path === 'node_modules/webgpu' && /^dist\//.test(rel)) return rel === 'dist' || rel.startsWith('dist/linux-x64');
      if (main && /^dist\//.test(rel)) return rel === 'dist' || rel === main;
      if (/(^|\/)node_modules$/.test(rel)) return false; // nested packages come in through the lock, as their own paths
      return true;
    },
  });
}
mkdirSync(join(stage, 'node_modules'), { recursive: true });
console.log(`gpu-kit: ${packages.size} packages`);
