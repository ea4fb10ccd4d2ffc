// Bundles src/ into dist/: ESM (index.mjs) and CommonJS (index.cjs) for Node,
// ESM for browsers (index.browser.mjs, the package's `browser` export) and one
// .d.ts. The .wasm files are written to dist/ by `npm run build:wasm`.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';

const external = [/^node:/];

// Tensor's methods call the op modules that create Tensors: a cycle that is
// only crossed at call time, never while modules initialise.
function onwarn(warning, warn) {
  if (warning.code === 'CIRCULAR_DEPENDENCY') return;
  warn(warning);
}

/**
 * The browser bundle's two rules: a relative import of `x` takes `x.browser.ts`
 * where that file exists (src/backends/wasm/host.ts, src/datasets/mnist-local.ts),
 * and any Node built-in that still gets imported fails the build, so none can
 * slip into what browser apps bundle.
 */
function browserFiles() {
  return {
    name: 'wasmtensor-browser-files',
    resolveId(source, importer) {
      if (source.startsWith('node:')) {
        this.error(`${source} imported by ${importer}: Node built-ins must stay out of the browser bundle (use a .browser.ts twin)`);
      }
      if (!importer || !source.startsWith('.')) return null;
      const twin = resolve(dirname(importer), `${source}.browser.ts`);
      return existsSync(twin) ? twin : null;
    },
  };
}

export default [
  {
    input: 'src/index.ts',
    external,
    plugins: [esbuild({ target: 'es2022' })],
    output: [
      { file: 'dist/index.mjs', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
    ],
    onwarn,
  },
  {
    input: 'src/index.ts',
    plugins: [browserFiles(), esbuild({ target: 'es2022' })],
    output: { file: 'dist/index.browser.mjs', format: 'es', sourcemap: true },
    onwarn,
  },
  {
    input: 'src/index.ts',
    external,
    plugins: [dts()],
    output: { file: 'dist/index.d.ts', format: 'es' },
  },
];
