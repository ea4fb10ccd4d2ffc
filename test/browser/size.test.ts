// The browser bundle's size, what an app downloads: dist/index.browser.mjs
// minified (esbuild, every export kept) and gzipped, plus the .wasm a browser
// loads by default (relaxed SIMD; relaxed-threads when cross-origin isolated).
// Needs no browser. The target is 60 KB and is NOT met: measured on
// 2026-12-01 (KB = 1024 bytes), 37.8 KB JS + 35.3 KB wasm = 73.1 KB before
// model save/load landed, 46.6 + 35.4 = 82.0 KB after it, about 91 KB with the
// WebGPU backend then in progress. The wasm alone is over half the target and
// the ops/training JS is the rest, so meeting it means smaller kernels and a
// lighter core, not loader changes. Until then CEILING_KB catches unplanned
// growth; the test prints the current figure. The README quotes these numbers.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const TARGET_KB = 60;
const CEILING_KB = 100;

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
