// What a web page downloads to run the seed's job, the budget the issue sets
// (60 KB minified + gzipped, JS and the default .wasm together). The app is
// seed-app/main.js (MNIST from a URL, the 784-512-10 network, rmsprop, fit,
// predict, evaluate) bundled from dist/ by rollup, the bundler Vite builds
// with, each chunk minified by esbuild as Vite does. Counted: the chunks the
// page loads at start, and the .wasm ready() picks in a browser with relaxed
// SIMD (Chrome, Firefox): the core kernel set, since the app holds no
// convolution, pooling, normalization or recurrent op (kernel_sets.ts). A cross-origin-isolated page instead loads the
// threaded build and the lazy chunks that run the worker pool; that figure is
// printed and held to a ceiling. model.save()'s lazy chunk (the format code
// and every layer's serializer) is loaded only by an app that saves.
//
// The whole library in one bundle (every layer, io, WebGPU) is printed too,
// with a ceiling that catches unplanned growth. Needs no browser.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleApp, dist } from '../helpers/bundle';

const seedApp = fileURLToPath(new URL('./seed-app/main.js', import.meta.url));
const BUDGET_KB = 60;
const ISOLATED_CEILING_KB = 64;
const WHOLE_LIBRARY_CEILING_KB = 140;

const gz = (bytes: Uint8Array | string): number => gzipSync(bytes, { level: 9 }).length;
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

/** Every .mjs file of the browser build: the entry and the modules under dist/browser/. */
function browserFiles(): string[] {
  const under = readdirSync(`${dist}browser`, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mjs'));
  return ['index.browser.mjs', ...under.map((f) => `browser/${f}`)];
}

interface Chunks { start: number; threads: number; save: number; startModules: string[] }

/** The seed app bundled by rollup: gzipped sizes of the start-up chunks and of the lazy ones, by what loads them. */
async function bundleSeedApp(): Promise<Chunks> {
  const { chunks, atStart: start } = await bundleApp({ file: seedApp });
  const sizes = { start: 0, threads: 0, save: 0 };
  const startModules: string[] = [];
  for (const c of chunks) {
    const size = gz((await transform(c.code, { minify: true, format: 'esm', target: 'es2022' })).code);
    const modules = Object.keys(c.modules).map((m) => m.replace(dist, ''));
    if (start.has(c.fileName)) {
      sizes.start += size;
      startModules.push(...modules);
    }
    else if (modules.some((m) => /backends\/wasm\/(pool|parallel|worker-source)\.mjs$/.test(m))) sizes.threads += size;
    else if (modules.some((m) => m.endsWith('io/save_model.mjs') || m.endsWith('layers/serialization.mjs'))) sizes.save += size;
    else throw new Error(`size.test: chunk ${c.fileName} (${modules.join(', ')}) is neither start-up, threads nor save`);
  }
  return { ...sizes, startModules };
}

describe('browser bundle size', () => {
  let seed: Chunks;
  // The seed app holds no op of the full set, so ready() loads the core kernels (kernel_sets.ts).
  const wasm = gz(readFileSync(`${dist}wasmtensor-relaxed-core.wasm`));
  const wasmIsolated = gz(readFileSync(`${dist}wasmtensor-relaxed-threads-core.wasm`));
  const wasmFull = Math.max(gz(readFileSync(`${dist}wasmtensor-relaxed.wasm`)), gz(readFileSync(`${dist}wasmtensor-relaxed-threads.wasm`)));

  beforeAll(async () => {
    seed = await bundleSeedApp();
  }, 60_000);

  it('names no Node built-in (imports, requires, process.binding) in any browser module', () => {
    for (const f of browserFiles()) {
      const code = readFileSync(`${dist}${f}`, 'utf8');
      expect(code, f).not.toMatch(/\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\s*\(/);
      expect(code, f).not.toMatch(/["'](node:)?(fs|fs\/promises|worker_threads|os|path|zlib|module)["']/);
    }
  });

  it('the seed app starts without the convnet, sequence and graph layers, io, threads or WebGPU', () => {
    // The tree-shaking the budget depends on, by module name rather than bytes.
    expect(seed.startModules).toContain('browser/layers/dense.mjs');
    expect(seed.startModules).toContain('browser/train/optimizers/rmsprop.mjs');
    const unwanted = /layers\/(conv|conv1d|recurrent|gru|depthwise_conv|normalization|merge|embedding|serialization)\.mjs$|\/io\/|backends\/webgpu\/(?!hook\.mjs)|backends\/wasm\/(pool|parallel|worker-source)\.mjs$/;
    expect(seed.startModules.filter((m) => unwanted.test(m))).toEqual([]);
    expect(seed.startModules.filter((m) => /^browser\/ops\/(conv|pool|batchnorm|depthwise_conv|recurrent|gru)\.mjs$/.test(m))).toEqual([]);
    expect(seed.save).toBeGreaterThan(0);
    expect(seed.threads).toBeGreaterThan(0);
  });

  it(`the seed's job in a page: start-up JS + the default .wasm <= ${BUDGET_KB} KB gzipped`, () => {
    const total = seed.start + wasm;
    const isolated = seed.start + seed.threads + wasmIsolated;
    console.log(
      `[size] seed app: JS ${kb(seed.start)} + wasm ${kb(wasm)} (relaxed) = ${kb(total)}; ` +
      `cross-origin isolated: + threads chunks ${kb(seed.threads)}, wasm ${kb(wasmIsolated)} (relaxed-threads) = ${kb(isolated)}; ` +
      `model.save() chunk ${kb(seed.save)} (lazy); budget ${BUDGET_KB} KB`,
    );
    expect(total).toBeLessThanOrEqual(BUDGET_KB * 1024);
    expect(isolated).toBeLessThanOrEqual(ISOLATED_CEILING_KB * 1024);
  });

  it(`the whole library in one bundle stays under ${WHOLE_LIBRARY_CEILING_KB} KB`, async () => {
    const out = await build({
      entryPoints: [`${dist}index.browser.mjs`], bundle: true, minify: true, write: false,
      format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'silent',
    });
    const js = gz(out.outputFiles[0].contents);
    console.log(`[size] whole library: JS ${kb(js)} + full-set wasm ${kb(wasmFull)} = ${kb(js + wasmFull)}`);
    expect(js + wasmFull).toBeLessThanOrEqual(WHOLE_LIBRARY_CEILING_KB * 1024);
  });
});
