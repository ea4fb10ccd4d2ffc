import { defineConfig } from 'vitest/config';

// Tests import the library from ../src/index (TypeScript source); the wasm
// binaries come from `npm run build` (dist/*.wasm), which `npm test` runs first.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // --expose-gc lets test/memory.test.ts force collections so that the
    // FinalizationRegistry reclamation it checks is deterministic. Harmless elsewhere.
    execArgv: ['--expose-gc'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
