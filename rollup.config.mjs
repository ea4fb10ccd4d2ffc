// Bundles src/ into dist/: ESM (index.mjs), CommonJS (index.cjs) and one .d.ts.
// The .wasm files are written to dist/ by `npm run build:wasm`.
import esbuild from 'rollup-plugin-esbuild';
import { dts } from 'rollup-plugin-dts';

const external = [/^node:/];

export default [
  {
    input: 'src/index.ts',
    external,
    plugins: [esbuild({ target: 'es2022' })],
    output: [
      { file: 'dist/index.mjs', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
    ],
    onwarn(warning, warn) {
      // Tensor's methods call the op modules that create Tensors: a cycle that
      // is only crossed at call time, never while modules initialise.
      if (warning.code === 'CIRCULAR_DEPENDENCY') return;
      warn(warning);
    },
  },
  {
    input: 'src/index.ts',
    external,
    plugins: [dts()],
    output: { file: 'dist/index.d.ts', format: 'es' },
  },
];
