// wasmtensor under benchmark. Two modes:
//   'api' — the public API from dist/index.mjs (what users get; the default
//           whenever dist/index.mjs loads and has tensor/matMul/add/relu).
//   'raw' — the kernels of dist/wasmtensor-simd.wasm called on raw pointers
//           (development fallback while the TypeScript API does not exist; if
//           that .wasm has no matmul_f32, assembly/kernels/gemm.ts is compiled
//           alone with asc into a temp dir). Elementwise cases in raw mode call
//           binary_f32 / unary_f32 directly and are verified like every case.
import { existsSync, readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const distIndex = join(root, 'dist', 'index.mjs');
const distWasm = join(root, 'dist', 'wasmtensor-simd.wasm');

const B_ADD = 0;
const U_RELU = 6;
const ACT_NONE = -1;

function pkgVersion() {
  try { return createRequire(import.meta.url)(join(root, 'package.json')).version; } catch { return 'unknown'; }
}

/** mode: 'auto' | 'api' | 'raw' */
export async function createWasmtensor(mode = 'auto') {
  let apiError = null;
  if (mode === 'api' || mode === 'auto') {
    try {
      return await createApi();
    } catch (e) {
      apiError = e;
      if (mode === 'api') throw e;
    }
  }
  const adapter = await createRaw();
  adapter.info.note = `public API not used: ${apiError ? apiError.message : 'raw mode requested'}`;
  return adapter;
}

async function createApi() {
  if (!existsSync(distIndex)) throw new Error('dist/index.mjs does not exist (run `npm run build`)');
  const wt = await import(pathToFileURL(distIndex).href);
  for (const f of ['ready', 'tensor', 'matMul', 'add', 'relu']) {
    if (typeof wt[f] !== 'function') throw new Error(`dist/index.mjs has no ${f}()`);
  }
  await wt.ready();
  return {
    id: 'wasmtensor',
    label: 'wasmtensor (public API)',
    info: { mode: 'api', version: pkgVersion(), entry: 'dist/index.mjs' },
    async activate() {},
    prepare(kind, n, [da, db]) {
      if (kind === 'gemm') {
        const a = wt.tensor(da, [n, n], 'float32');
        const b = wt.tensor(db, [n, n], 'float32');
        return {
          run: () => { const c = wt.matMul(a, b); const d = c.dataSync(); c.dispose(); return d; },
          runOpOnly: () => { wt.matMul(a, b).dispose(); },
          dispose: () => { a.dispose(); b.dispose(); },
        };
      }
      const x = wt.tensor(da, [n], 'float32');
      const y = wt.tensor(db, [n], 'float32');
      const op = kind === 'add' ? () => wt.add(x, y) : () => wt.relu(x);
      return {
        run: () => { const c = op(); const d = c.dataSync(); c.dispose(); return d; },
        runOpOnly: () => { op().dispose(); },
        dispose: () => { x.dispose(); y.dispose(); },
      };
    },
    numTensors: () => (typeof wt.memory === 'function' ? wt.memory().numTensors : undefined),
  };
}

function compileGemmAlone() {
  const dir = mkdtempSync(join(tmpdir(), 'wt-bench-'));
  const rel = (p) => relative(dir, join(root, p)).replace(/\\/g, '/').replace(/\.ts$/, '');
  writeFileSync(join(dir, 'entry.ts'),
    `export { matmul_f32 } from '${rel('assembly/kernels/gemm.ts')}';\n` +
    `export { alloc, free } from '${rel('assembly/memory.ts')}';\n`);
  const asc = join(root, 'node_modules', 'assemblyscript', 'bin', 'asc.js');
  const out = join(dir, 'gemm.wasm');
  execFileSync(process.execPath, [asc, join(dir, 'entry.ts'), '--enable', 'simd', '-O3', '--runtime', 'minimal',
    '--noAssert', '-o', out], { cwd: root, stdio: 'inherit' });
  return out;
}

async function instantiate(path) {
  const module = await WebAssembly.compile(readFileSync(path));
  const imports = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind !== 'function') continue;
    imports[imp.module] ??= {};
    imports[imp.module][imp.name] =
      imp.name === 'abort' ? () => { throw new Error('wasm abort'); }
        : imp.name === 'seed' ? () => Date.now()
          : () => { throw new Error(`unexpected import ${imp.module}.${imp.name}`); };
  }
  const instance = await WebAssembly.instantiate(module, imports);
  return instance.exports;
}

async function createRaw() {
  let path = distWasm;
  let X = existsSync(distWasm) ? await instantiate(distWasm) : null;
  if (!X || typeof X.matmul_f32 !== 'function' || typeof X.alloc !== 'function') {
    path = compileGemmAlone();
    X = await instantiate(path);
  }
  const f32 = (p, n) => new Float32Array(X.memory.buffer, p, n); // re-created after every call that may allocate
  const alloc = (bytes) => X.alloc(bytes) >>> 0;
  return {
    id: 'wasmtensor',
    label: 'wasmtensor (raw kernels)',
    info: { mode: 'raw', version: pkgVersion(), wasm: relative(root, path).startsWith('..') ? path : relative(root, path) },
    async activate() {},
    prepare(kind, n, [da, db]) {
      if (kind === 'gemm') {
        const pa = alloc(n * n * 4), pb = alloc(n * n * 4), pc = alloc(n * n * 4);
        f32(pa, n * n).set(da);
        f32(pb, n * n).set(db);
        const op = () => X.matmul_f32(pa, pb, pc, n, n, n, 0, 0, 1, 0, 0, 0, ACT_NONE);
        return {
          run: () => { op(); return f32(pc, n * n).slice(); },
          runOpOnly: op,
          dispose: () => { X.free(pa); X.free(pb); X.free(pc); },
        };
      }
      const px = alloc(n * 4), py = alloc(n * 4), po = alloc(n * 4), meta = alloc(16);
      f32(px, n).set(da);
      f32(py, n).set(db);
      const m = new Int32Array(X.memory.buffer, meta, 3);
      m[0] = n; m[1] = 1; m[2] = 1;
      const op = kind === 'add'
        ? () => X.binary_f32(B_ADD, px, py, po, 1, meta)
        : () => X.unary_f32(U_RELU, px, po, 1, meta, 0, 0);
      if (typeof (kind === 'add' ? X.binary_f32 : X.unary_f32) !== 'function') {
        return { unavailable: `raw wasm has no ${kind === 'add' ? 'binary_f32' : 'unary_f32'}`, dispose() {} };
      }
      return {
        run: () => { op(); return f32(po, n).slice(); },
        runOpOnly: op,
        dispose: () => { X.free(px); X.free(py); X.free(po); X.free(meta); },
      };
    },
    numTensors: () => undefined,
  };
}
