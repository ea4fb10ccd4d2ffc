// The browser bundle's size, what an app downloads: dist/index.browser.mjs
// minified (esbuild, every export kept) and gzipped, plus the .wasm a browser
// loads by default (relaxed SIMD; relaxed-threads when cross-origin isolated).
// Needs no browser. The target is 60 KB and is NOT met: measured on
// 2026-12-01 (KB = 1024 bytes), 37.8 KB JS + 35.3 KB wasm = 73.1 KB before
// model save/load landed, 46.6 + 35.4 = 82.0 KB after it, about 91 KB with the
// WebGPU backend; then the convnet layers (issue 9), the sequence layers and
// the functional API (issue 10) took it to 88.5 KB JS + 43.0 KB wasm = 131.5 KB
// (2026-12-02). This measures the whole library in one bundle, every layer
// included: the `layers` namespace and the model-format registry reach every
// class, so a bundler cannot drop the ones an app never uses. Meeting the
// target for the seed's job means an entry point or lazy chunks that leave
// the convnet/sequence/graph layers, io and WebGPU out, and smaller kernels
// (asc shrinkLevel 1 makes the wasm 25% smaller; its speed cost is unmeasured).
// Until then CEILING_KB catches unplanned growth; the test prints the current
// figure. The README quotes these numbers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const TARGET_KB = 60;
const CEILING_KB = 140;

const gz = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).length;
const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

describe('browser bundle size', () => {
  it('names no Node built-in (imports, requires, process.binding)', () => {
    const code = readFileSync(`${dist}index.browser.mjs`, 'utf8');
    expect(code).not.toMatch(/\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\s*\(/);
    expect(code).not.toMatch(/["'](node:)?(fs|fs\/promises|worker_threads|os|path|zlib|module)["']/);
  });

  it(`minified + gzipped JS and the default .wasm stay under the ${CEILING_KB} KB ceiling (the ${TARGET_KB} KB target is not met yet)`, async () => {
    const out = await build({
      entryPoints: [`${dist}index.browser.mjs`], bundle: true, minify: true, write: false,
      format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'silent',
    });
    const js = gz(out.outputFiles[0].contents);
    const wasm = gz(readFileSync(`${dist}wasmtensor-relaxed.wasm`));
    const wasmIsolated = gz(readFileSync(`${dist}wasmtensor-relaxed-threads.wasm`));
    const total = js + Math.max(wasm, wasmIsolated);
    console.log(`[size] JS ${kb(js)} + wasm ${kb(wasm)} (relaxed) / ${kb(wasmIsolated)} (relaxed-threads) = ${kb(total)} gzipped; target ${TARGET_KB} KB`);
    expect(total).toBeLessThanOrEqual(CEILING_KB * 1024);
  });
});
