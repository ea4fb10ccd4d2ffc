// An app bundled by rollup against dist/, as a consumer's bundler sees the
// package: 'wasmtensor' is dist/index.browser.mjs, and package.json's
// "sideEffects": false applies to its modules (what rollup's node-resolve,
// Vite and webpack read). For tests of what an app's bundle holds: the size
// budget and the kernel-set marks.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rollup, type OutputChunk } from 'rollup';

export const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
export const packageSideEffects: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).sideEffects;

export interface BundledApp {
  chunks: OutputChunk[];
  /** File names of the chunks a page loads at start: the entry and its static imports, transitively. */
  atStart: Set<string>;
}

/** Bundles an app given as a file path or as module source. */
export async function bundleApp(app: { file: string } | { code: string }): Promise<BundledApp> {
  const input = 'file' in app ? app.file : '\0app';
  const bundle = await rollup({
    input,
    plugins: [{
      name: 'wasmtensor-from-dist',
      resolveId: (id) => (id === input ? id : id === 'wasmtensor' ? `${dist}index.browser.mjs` : null),
      load: (id) => (id === input && 'code' in app ? app.code : null),
    }],
    treeshake: { moduleSideEffects: (id) => !(id.startsWith(dist) && packageSideEffects === false) },
    onwarn: (w, warn) => (w.code === 'CIRCULAR_DEPENDENCY' ? undefined : warn(w)),
  });
  const { output } = await bundle.generate({ format: 'es' });
  await bundle.close();
  const chunks = output.filter((o): o is OutputChunk => o.type === 'chunk');
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const atStart = new Set<string>();
  const visit = (name: string): void => {
    if (atStart.has(name)) return;
    atStart.add(name);
    byName.get(name)!.imports.forEach(visit);
  };
  chunks.filter((c) => c.isEntry).forEach((c) => visit(c.fileName));
  return { chunks, atStart };
}
