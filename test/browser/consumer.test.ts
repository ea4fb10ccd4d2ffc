// A consumer project: the package as `npm pack` makes it, installed into a
// fresh app's node_modules, imported by its name from a tiny app
// (consumer/main.js), bundled by rollup (node-resolve with the browser
// condition, plus the usual asset step for `new URL('../x.wasm', import.meta.url)`),
// by Vite and by webpack 5 (its defaults: the `browser` condition, asset
// modules for `new URL(..., import.meta.url)`, package.json sideEffects),
// then run in Chromium. No bundle may contain Node built-ins.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rollup, type Plugin } from 'rollup';
import { build as viteBuild } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launch, skipReason, type Session } from './chromium';
import { startTestServer, type TestServer } from './server';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./consumer/', import.meta.url));

/** `npm pack` the repo and unpack it as <app>/node_modules/wasmtensor. */
function installPacked(app: string): void {
  const out = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', app], { cwd: repo, encoding: 'utf8' }));
  const tgz = join(app, out[0].filename);
  mkdirSync(join(app, 'node_modules'), { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', join(app, 'node_modules')]);
  renameSync(join(app, 'node_modules', 'package'), join(app, 'node_modules', 'wasmtensor'));
  rmSync(tgz);
}

/** Rollup's asset step for `new URL('../file.wasm', import.meta.url)`: emit the file, point the URL at it. */
function wasmAssets(): Plugin {
  const pattern = /new URL\((['"])(\.\.?\/[^'"]+\.wasm)\1,\s*import\.meta\.url\)/g;
  return {
    name: 'wasm-assets',
    transform(code, id) {
      if (!code.includes('.wasm')) return null;
      const replaced = code.replace(pattern, (_m, _q, rel: string) => {
        const ref = this.emitFile({ type: 'asset', name: basename(rel), source: readFileSync(resolve(dirname(id), rel)) });
        return `new URL(import.meta.ROLLUP_FILE_URL_${ref})`;
      });
      return replaced === code ? null : { code: replaced, map: null };
    },
  };
}

async function buildWithRollup(app: string, outDir: string): Promise<void> {
  const bundle = await rollup({ input: join(app, 'main.js'), plugins: [nodeResolve({ browser: true }), wasmAssets()] });
  await bundle.write({ dir: outDir, format: 'es', entryFileNames: 'main.js', assetFileNames: 'assets/[name]-[hash][extname]' });
  await bundle.close();
  writeFileSync(join(outDir, 'index.html'), readFileSync(join(app, 'index.html')));
}

async function buildWithVite(app: string, outDir: string): Promise<void> {
  await viteBuild({
    root: app, base: './', configFile: false, logLevel: 'error',
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: true },
  });
}

async function buildWithWebpack(app: string, outDir: string): Promise<void> {
  const { default: webpack } = await import('webpack');
  const compiler = webpack({
    mode: 'production', context: app, entry: './main.js', target: 'web',
    // publicPath: the page's directory (a module script has no document.currentScript for 'auto').
    output: { path: outDir, filename: 'main.js', publicPath: './', assetModuleFilename: 'assets/[name]-[hash][ext]' },
    performance: { hints: false },
  });
  await new Promise<void>((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error) reject(error);
      else if (stats?.hasErrors()) reject(new Error(stats.toString({ all: false, errors: true })));
      else resolve();
    });
  });
  writeFileSync(join(outDir, 'index.html'), readFileSync(join(app, 'index.html')));
}

/** Every file under dir, relative paths. */
function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]);
}

const NODE_ONLY = /\bfrom\s*["']node:|\bimport\s*\(\s*["']node:|\brequire\s*\(\s*["'](node:)?(fs|path|os|worker_threads|module|zlib)["']/;

describe.skipIf(!hasChromium)(`a consumer app bundled by rollup and by Vite runs in Chromium${hasChromium ? '' : ` (skipped: ${skipReason})`}`, () => {
  let app: string;
  let server: TestServer;
  let session: Session;
  const out = { rollup: '', vite: '', webpack: '' };

  beforeAll(async () => {
    app = mkdtempSync(join(tmpdir(), 'wasmtensor-consumer-'));
    for (const f of ['index.html', 'main.js']) copyFileSync(join(fixture, f), join(app, f));
    installPacked(app);
    out.rollup = join(app, 'out-rollup');
    out.vite = join(app, 'out-vite');
    out.webpack = join(app, 'out-webpack');
    await buildWithRollup(app, out.rollup);
    await buildWithVite(app, out.vite);
    await buildWithWebpack(app, out.webpack);
    server = await startTestServer({ '/rollup/': out.rollup, '/vite/': out.vite, '/webpack/': out.webpack });
    session = await launch();
  }, 120_000);
  afterAll(async () => {
    await session?.close();
    await server?.close();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  for (const bundler of ['rollup', 'vite', 'webpack'] as const) {
    it(`${bundler}: the bundle names no Node built-in, ships the .wasm, and trains in the page`, async () => {
      const emitted = files(out[bundler]);
      const js = emitted.filter((f) => f.endsWith('.js'));
      const wasm = emitted.filter((f) => f.endsWith('.wasm'));
      expect(js.length).toBeGreaterThan(0);
      expect(wasm.length).toBeGreaterThan(0);
      for (const f of js) expect(readFileSync(join(out[bundler], f), 'utf8'), f).not.toMatch(NODE_ONLY);
      const gz = js.reduce((n, f) => n + gzipSync(readFileSync(join(out[bundler], f)), { level: 9 }).length, 0);
      console.log(`[consumer] ${bundler}: ${js.length} JS file(s), ${(gz / 1024).toFixed(1)} KB gzipped; wasm: ${wasm.join(', ')}`);

      const page = await session.browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}${bundler}/index.html`);
      await page.waitForFunction(() => document.body.dataset.result ?? document.body.dataset.error, null, { timeout: 60_000 });
      expect(await page.getAttribute('body', 'data-error')).toBeNull();
      const result = JSON.parse((await page.getAttribute('body', 'data-result'))!);
      expect(result.product).toEqual([[17], [39]]);
      expect(result.build).toMatch(/^(relaxed-)?threads$|^relaxed$|^simd$/);
      // The app holds no convolution, pooling, normalization or recurrent op: the bundle asks for the core kernels.
      expect(result.kernels).toBe('core');
      expect(result.accuracy).toBeGreaterThan(0.9);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);
  }
});
