// Bad files fail with an error naming the function, what was wrong and what
// was expected -- and leave everything as it was: no tensor left behind, and
// a live model whose layer names match the file keeps its weights.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { removeTempDirs, setup, snapshot, tempDir, wt } from './helpers';

const fixture = fileURLToPath(new URL('../fixtures/keras-mlp/', import.meta.url));

let current: wt.Sequential;
let currentWeights: number[][];
let before: ReturnType<typeof snapshot>;

beforeAll(async () => {
  await setup();
  // The "current model": same layer names as the fixture ('dense', 'dense_1').
  current = wt.sequential({ layers: [wt.layers.dense({ units: 3, inputShape: [4], name: 'dense' }), wt.layers.dense({ units: 2, name: 'dense_1' })] });
  currentWeights = weightValues(current);
});
afterAll(async () => {
  current.dispose();
  await removeTempDirs();
});
beforeEach(() => {
  before = snapshot();
});
afterEach(() => {
  expect(snapshot()).toEqual(before);
  expect(weightValues(current)).toEqual(currentWeights);
  expect(current.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
});

/**
 * The model's weight values. getWeights() returns copies: they are disposed
 * here, since garbage left for the FinalizationRegistry would be reclaimed
 * whenever V8 collects and throw off the tensor counts the tests compare.
 */
function weightValues(model: wt.Sequential): number[][] {
  const copies = model.getWeights();
  const values = copies.map((w) => Array.from(w.dataSync()));
  copies.forEach((w) => w.dispose());
  return values;
}

/** A copy of the fixture in a temp dir, model.json edited by `edit`; returns the model.json path. */
async function variant(edit: (json: any) => void, bin?: (b: Buffer) => Buffer): Promise<string> {
  const dir = `${await tempDir()}/model`;
  await mkdir(dir);
  const json = JSON.parse(await readFile(`${fixture}model.json`, 'utf8'));
  edit(json);
  await writeFile(`${dir}/model.json`, JSON.stringify(json));
  const b = await readFile(`${fixture}group1-shard1of1.bin`);
  await writeFile(`${dir}/group1-shard1of1.bin`, bin ? bin(b) : b);
  return `${dir}/model.json`;
}

const layersOf = (json: any) => json.modelTopology.model_config.config.layers;
const specsOf = (json: any) => json.weightsManifest[0].weights;

describe('malformed model.json', () => {
  test('truncated JSON names the file and what it should be', async () => {
    const path = await variant(() => undefined);
    await writeFile(path, '{"format": "layers-model", "modelTopology": {"class_name": ');
    await expect(wt.loadLayersModel(`file://${path}`)).rejects.toThrow(
      new RegExp(`^loadLayersModel: '${path}' is not valid JSON \\(.+\\); expected a TF.js Layers model.json$`),
    );
  });

  test('JSON that is not an object, a graph model, or without a topology', async () => {
    const path = await variant(() => undefined);
    await writeFile(path, '[1, 2]');
    await expect(wt.loadLayersModel(`file://${path}`)).rejects.toThrow(`loadLayersModel: '${path}' must hold a JSON object { modelTopology, weightsManifest }, got an array`);
    const graph = await variant((j) => { j.format = 'graph-model'; });
    await expect(wt.loadLayersModel(`file://${graph}`)).rejects.toThrow("has format 'graph-model'; loadLayersModel reads 'layers-model'");
    const none = await variant((j) => { delete j.modelTopology; });
    await expect(wt.loadLayersModel(`file://${none}`)).rejects.toThrow(`loadLayersModel: '${none}' has no modelTopology object (got nothing)`);
  });

  test('a functional model without its graph, or an empty layer list', async () => {
    // A Sequential layer list relabelled 'Functional' lacks input_layers / output_layers (test/functional loads real ones).
    const functional = await variant((j) => { j.modelTopology.model_config.class_name = 'Functional'; });
    await expect(wt.loadLayersModel(`file://${functional}`)).rejects.toThrow('loadLayersModel: config.input_layers must be a non-empty list of [layerName, nodeIndex, tensorIndex], got nothing');
    const empty = await variant((j) => { j.modelTopology.model_config.config.layers = []; });
    await expect(wt.loadLayersModel(`file://${empty}`)).rejects.toThrow('loadLayersModel: modelTopology config.layers must be a non-empty array of layer configs');
  });
});

describe('layer configs', () => {
  test('an unknown layer class is named, with the supported ones', async () => {
    const path = await variant((j) => { layersOf(j)[2] = { class_name: 'ConvLSTM2D', config: { name: 'conv_lstm2d', filters: 8 } }; });
    await expect(wt.loadLayersModel(`file://${path}`)).rejects.toThrow(
      /^loadLayersModel: layer 'conv_lstm2d' \(layers\[2\], ConvLSTM2D\): unknown layer class 'ConvLSTM2D'; supported: Dense, Activation, Dropout, Flatten, Conv2D, .*SimpleRNN, LSTM, GRU, Bidirectional, .*InputLayer$/,
    );
  });

  test('two layers of one name (their weights would be confused)', async () => {
    const path = await variant((j) => { layersOf(j)[3].config.name = 'dense'; });
    await expect(wt.loadLayersModel(`file://${path}`)).rejects.toThrow("loadLayersModel: layers[1] and layers[3] are both named 'dense'; layer names in a model must be unique");
  });

  test('unknown activation, unsupported constraint, bad units', async () => {
    const act = await variant((j) => { layersOf(j)[1].config.activation = 'swish'; });
    await expect(wt.loadLayersModel(`file://${act}`)).rejects.toThrow(/^loadLayersModel: layer 'dense' \(layers\[1\], Dense\): unknown activation 'swish'; valid: 'linear', 'relu'/);
    const constraint = await variant((j) => { layersOf(j)[1].config.kernel_constraint = { class_name: 'MaxNorm', config: { max_value: 1 } }; });
    await expect(wt.loadLayersModel(`file://${constraint}`)).rejects.toThrow(
      'loadLayersModel: layer \'dense\' (layers[1], Dense) sets kernel_constraint = {"class_name":"MaxNorm","config":{"max_value":1}}, which is not supported; only null is',
    );
    const units = await variant((j) => { layersOf(j)[3].config.units = -2; });
    await expect(wt.loadLayersModel(`file://${units}`)).rejects.toThrow("loadLayersModel: layer 'dense_1' (layers[3], Dense) units must be a positive integer, got number -2");
  });
});

describe('weights', () => {
  test('a shard shorter than the manifest says', async () => {
    const path = await variant(() => undefined, (b) => b.subarray(0, b.length - 8));
    await expect(wt.loadLayersModel(`file://${path}`)).rejects.toThrow(
      `loadLayersModel: the weights manifest of '${path}' declares 92 bytes ('dense/kernel' [4,3] float32, 'dense/bias' [3] float32, 'dense_1/kernel' [3,2] float32, 'dense_1/bias' [2] float32) in group1-shard1of1.bin, but that shard holds 84 bytes (truncated?)`,
    );
  });

  test('in-memory weight data shorter than the specs', async () => {
    const json = JSON.parse(await readFile(`${fixture}model.json`, 'utf8'));
    const handler = wt.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specsOf(json), weightData: new ArrayBuffer(40) });
    await expect(wt.loadLayersModel(handler)).rejects.toThrow(
      /^loadLayersModel: the weights manifest declares 92 bytes \(.*\), but the weight data \(shards\) holds 40 bytes: the shard is truncated or belongs to another model$/,
    );
  });

  test('shape mismatch between manifest and layer (same byte count, so only the shape check can catch it)', async () => {
    const path = await variant((j) => { specsOf(j)[0].shape = [3, 4]; });
    await expect(wt.loadLayersModel(`file://${path}`)).rejects.toThrow("loadLayersModel: weight 'dense/kernel' in the manifest has shape [3,4] but layer 'dense' expects [4,3]");
  });

  test('dtype mismatch, and a dtype the format cannot hold', async () => {
    const int = await variant((j) => { specsOf(j)[1].dtype = 'int32'; });
    await expect(wt.loadLayersModel(`file://${int}`)).rejects.toThrow("loadLayersModel: weight 'dense/bias' in the manifest has dtype 'int32' but layer 'dense' expects float32");
    const str = await variant((j) => { specsOf(j)[1].dtype = 'string'; });
    await expect(wt.loadLayersModel(`file://${str}`)).rejects.toThrow("loadLayersModel: weight 'dense/bias' has dtype 'string'; supported: 'float32', 'int32', 'bool'");
  });

  test('a missing weight and a weight no layer uses', async () => {
    const missing = await variant((j) => { specsOf(j)[3].name = 'dense_9/bias'; });
    await expect(wt.loadLayersModel(`file://${missing}`)).rejects.toThrow(
      "loadLayersModel: layer 'dense_1' needs weight 'dense_1/bias' [2], but the weights manifest has no such entry (it has 'dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_9/bias')",
    );
    const extra = await variant((j) => {
      specsOf(j)[3].shape = [1];
      specsOf(j).push({ name: 'dense_2/bias', shape: [1], dtype: 'float32' });
      layersOf(j)[3].config.units = 2;
    });
    await expect(wt.loadLayersModel(`file://${extra}`)).rejects.toThrow("loadLayersModel: weight 'dense_1/bias' in the manifest has shape [1] but layer 'dense_1' expects [2]");
  });

  test('an absurd declared size fails before anything is read or allocated', async () => {
    const path = await variant((j) => { specsOf(j)[0].shape = [1_000_000, 1_000_000]; });
    const t0 = performance.now();
    await expect(wt.loadLayersModel(`file://${path}`)).rejects.toThrow(
      "loadLayersModel: weight 'dense/kernel' [1000000,1000000] float32 declares 4000000000000 bytes, more than the 1073741824 bytes (1 GiB) one weight may have; the manifest is corrupt or not meant for this runtime",
    );
    // Within the 1 GiB limit but far beyond the shard: the shard length check stops it.
    const big = await variant((j) => { specsOf(j)[0].shape = [10_000, 20_000]; });
    await expect(wt.loadLayersModel(`file://${big}`)).rejects.toThrow(/declares 800000044 bytes .* but that shard holds 92 bytes \(truncated\?\)$/);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe('shard paths', () => {
  test.each([
    ['../secret.bin'],
    ['a/../../secret.bin'],
    ['..\\secret.bin'],
    ['%2e%2e/secret.bin'],
    ['/etc/passwd'],
    ['file:///etc/passwd'],
    ['https://example.com/w.bin'],
  ])("'%s' is rejected before anything is read", async (bad) => {
    const path = await variant((j) => { j.weightsManifest[0].paths = [bad]; });
    // A correctly sized shard really is there, one level up: only the path check stands in the way.
    await writeFile(`${path.replace(/model\/model\.json$/, '')}secret.bin`, await readFile(`${fixture}group1-shard1of1.bin`));
    await expect(wt.loadLayersModel(`file://${path}`)).rejects.toThrow(
      `loadLayersModel: '${path}' weightsManifest[0].paths[0] '${bad}' leaves the model's directory; shard paths must be relative to model.json, without '..', a leading '/' or a scheme`,
    );
  });

  test('the same file with the shard next to it loads (the control for the cases above)', async () => {
    const path = await variant((j) => { j.weightsManifest[0].paths = ['./group1-shard1of1.bin']; });
    const model = await wt.loadLayersModel(`file://${path}`);
    expect(model.layers[0].name).not.toBe('dense'); // taken by the current model
    model.dispose();
    before = snapshot();
  });
});

describe('handlers and training config', () => {
  test('a URL with no supported scheme, an object without load()', async () => {
    await expect(wt.loadLayersModel('ftp://host/model.json')).rejects.toThrow(
      "loadLayersModel: urlOrHandler 'ftp://host/model.json' has no supported scheme; use 'file://' (Node), 'http://' / 'https://', 'indexeddb://', or pass an IOHandler such as wt.io.fromMemory(...)",
    );
    await expect(wt.loadLayersModel({} as never)).rejects.toThrow("loadLayersModel: urlOrHandler must be a URL string ('file://' (Node), 'http://' / 'https://', 'indexeddb://') or an IOHandler with a load() method, got Object");
    await expect(current.save('models/here')).rejects.toThrow("save: handlerOrUrl 'models/here' has no supported scheme");
  });

  test('a missing file names the path', async () => {
    await expect(wt.loadLayersModel('file:///nonexistent/dir/model.json')).rejects.toThrow("loadLayersModel: no file or directory at '/nonexistent/dir/model.json' (from 'file:///nonexistent/dir/model.json')");
  });

  test('an unknown loss or an unsupported optimizer option in the training config', async () => {
    const loss = await variant((j) => { j.modelTopology.training_config.loss = 'hinge_squared'; });
    await expect(wt.loadLayersModel(`file://${loss}`)).rejects.toThrow(/^loadLayersModel: trainingConfig: getLoss: unknown loss 'hinge_squared'; valid:/);
    const opt = await variant((j) => { j.modelTopology.training_config.optimizer_config.config.clipnorm = 1; });
    await expect(wt.loadLayersModel(`file://${opt}`)).rejects.toThrow("loadLayersModel: trainingConfig: getOptimizer: option 'clipnorm' = number 1 is not supported by the adam optimizer here; remove it or set it to null");
  });

  test('optimizer state for a variable the model does not have: fails after the layers exist, and they are freed', async () => {
    const json = JSON.parse(await readFile(`${fixture}model.json`, 'utf8'));
    const bin = await readFile(`${fixture}group1-shard1of1.bin`);
    const specs = [...specsOf(json), { name: 'iter', shape: [], dtype: 'int32', group: 'optimizer' }, { name: 'other/kernel/m', shape: [2], dtype: 'float32', group: 'optimizer' }];
    const data = new Uint8Array(bin.length + 12);
    data.set(bin, 0);
    const handler = wt.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: data.buffer });
    await expect(wt.loadLayersModel(handler)).rejects.toThrow("loadLayersModel: optimizer weight 'other/kernel/m' belongs to variable 'other/kernel', which the model in the file does not have (its weights: dense/kernel, dense/bias, dense_1/kernel, dense_1/bias)");
  });
});
