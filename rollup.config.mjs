// Bundles src/ into dist/: ESM (index.mjs) and CommonJS (index.cjs) for Node,
// ESM for browsers (index.browser.mjs and the modules under browser/, the
// package's `browser` export) and one .d.ts. The .wasm files are written to dist/ by `npm run build:wasm`.
// Each Node output is one file: a lazy import() of a local module is inlined
// (inlineDynamicImports) rather than split into a chunk.
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
 * The browser bundle's rules. A relative import of `x` takes `x.browser.ts`
 * where that file exists (src/backends/wasm/host.ts, src/datasets/mnist-local.ts):
 * the way to give browsers their own code. A lazy `import('node:...')` left in
 * shared code (a file:// handler, say) becomes a rejected promise with a clear
 * message, so nothing Node-only reaches what browser apps bundle; a static
 * import of a Node built-in fails the build.
 */
function browserFiles() {
  const lazyNodeImport = /(?<!typeof\s*)\bimport\(\s*(['"])(node:[^'"]+)\1\s*\)/g;
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
    transform(code) {
      if (!code.includes('node:')) return null;
      const out = code.replace(lazyNodeImport, (_m, _q, id) =>
        `Promise.reject(new Error(${JSON.stringify(`${id} is not available in a browser (wasmtensor's browser build)`)}))`);
      return out === code ? null : { code: out, map: null };
    },
  };
}

export default [
  {
    input: 'src/index.ts',
    external,
    plugins: [esbuild({ target: 'es2022' })],
    output: [
      { file: 'dist/index.mjs', format: 'es', sourcemap: true, inlineDynamicImports: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, exports: 'named', inlineDynamicImports: true },
    ],
    onwarn,
  },
  {
    input: 'src/index.ts',
    plugins: [browserFiles(), esbuild({ target: 'es2022' })],
    // One file per source module (dist/browser/**), so that an app's bundler
    // tree-shakes across real module boundaries: `wt.layers.dense` keeps
    // Dense and drops the other layers, and model.save()'s lazy import of the
    // format code becomes a chunk an app that never saves never loads.
    output: {
      dir: 'dist', format: 'es', sourcemap: true, preserveModules: true, preserveModulesRoot: 'src',
      entryFileNames: (chunk) => (chunk.name === 'index' ? 'index.browser.mjs' : 'browser/[name].mjs'),
    },
    onwarn,
  },
  {
    input: 'src/index.ts',
    external,
    plugins: [dts()],
    output: { file: 'dist/index.d.ts', format: 'es' },
  },
];
