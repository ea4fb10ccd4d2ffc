// A model.json as tensorflowjs_converter writes it for a Keras 2 Sequential
// (test/fixtures/keras-mlp: InputLayer, Dense relu + L2, Dropout, Dense
// softmax, Keras' training_config), with a weight shard written from known
// values by make-weights.mjs; and Keras 3 / quantized variants in memory.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { weights as known } from '../fixtures/keras-mlp/make-weights.mjs';
import { maxAbsDiff, rand, setup, wt } from './helpers';

beforeAll(setup);

const dir = fileURLToPath(new URL('../fixtures/keras-mlp/', import.meta.url));

/** The fixture's forward pass in plain JS from the known weight values. */
function reference(x: Float32Array, n: number): Float64Array {
  const k1 = known['dense/kernel'], b1 = known['dense/bias'], k2 = known['dense_1/kernel'], b2 = known['dense_1/bias'];
  const out = new Float64Array(n * 2);
  for (let r = 0; r < n; r++) {
    const h = [0, 1, 2].map((c) => Math.max(0, b1[c] + [0, 1, 2, 3].reduce((s, i) => s + x[r * 4 + i] * k1[i * 3 + c], 0)));
    const z = [0, 1].map((c) => b2[c] + [0, 1, 2].reduce((s, i) => s + h[i] * k2[i * 2 + c], 0));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    out[r * 2] = e[0] / (e[0] + e[1]);
    out[r * 2 + 1] = e[1] / (e[0] + e[1]);
  }
  return out;
}

describe('Keras converter fixture', () => {
  test('loads from file://: layers, names, weights and predictions from the known values', async () => {
    const model = await wt.loadLayersModel(`file://${dir}model.json`);
    expect(model.name).toBe('sequential');
    expect(model.layers.map((l) => `${l.className}:${l.name}`)).toEqual(['Dense:dense', 'Dropout:dropout', 'Dense:dense_1']);
    expect(model.batchInputShape('test')).toEqual([null, 4]);
    expect(model.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    const [k1, b1, k2, b2] = model.getWeights();
    expect(maxAbsDiff(k1.dataSync(), known['dense/kernel'])).toBeLessThan(1e-7);
    expect(maxAbsDiff(b2.dataSync(), known['dense_1/bias'])).toBeLessThan(1e-7);
    expect(k1.shape).toEqual([4, 3]);
    expect(k2.shape).toEqual([3, 2]);
    [k1, b1, k2, b2].forEach((t) => t.dispose());

    const dense = model.layers[0] as wt.Dense;
    expect(dense.activation.name).toBe('relu');
    expect(dense.kernelRegularizer?.l2).toBeCloseTo(0.001, 9);
    expect((model.layers[1] as wt.Dropout).rate).toBe(0.25);
    expect((model.layers[2] as wt.Dense).kernelInitializer.getConfig()).toEqual({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', seed: 42 });

    const n = 1000;
    const x = rand(n * 4, 3, 2);
    const got = model.predict(wt.tensor(x, [n, 4])).dataSync();
    expect(maxAbsDiff(got, reference(x, n))).toBeLessThan(1e-6);
    model.dispose();
  });

  test("Keras' training_config compiles the model (Adam, categorical crossentropy, accuracy) so it can be fine-tuned", async () => {
    const model = await wt.loadLayersModel(`file://${dir}`);
    expect(model.optimizer.getClassName()).toBe('Adam');
    expect(model.optimizer.learningRate).toBeCloseTo(0.001, 9);
    const x = wt.tensor(rand(40, 4, 1), [10, 4]);
    const y = wt.utils.toCategorical(wt.tensor(Int32Array.from({ length: 10 }, (_, i) => i % 2), [10], 'int32'), 2);
    const history = await model.fit(x, y, { epochs: 1, batchSize: 5, verbose: 0 });
    expect(Object.keys(history.history)).toEqual(['loss', 'accuracy']);
    expect(model.optimizer.iterations).toBe(2);
    model.dispose();
  });

  test('a Keras loss object in training_config ({ class_name, config: { from_logits } }) compiles too', async () => {
    const json = JSON.parse(await readFile(`${dir}model.json`, 'utf8'));
    json.modelTopology.training_config.loss = { class_name: 'SparseCategoricalCrossentropy', config: { reduction: 'auto', name: 'sparse_categorical_crossentropy', from_logits: false } };
    json.modelTopology.training_config.metrics = ['acc'];
    const bin = await readFile(`${dir}group1-shard1of1.bin`);
    const model = await wt.loadLayersModel(wt.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }));
    const x = wt.tensor(rand(40, 4, 1), [10, 4]);
    const labels = wt.tensor(Int32Array.from({ length: 10 }, (_, i) => i % 2), [10], 'int32');
    const [loss] = model.evaluate(x, labels) as wt.Tensor[];
    // Sparse crossentropy of the known-weights model, from the JS reference, plus the
    // fixture's L2 penalty on dense/kernel (0.001 * sum k^2), which Keras includes too.
    const p = reference(x.dataSync() as Float32Array, 10);
    const ce = -Array.from({ length: 10 }, (_, i) => Math.log(p[i * 2 + (i % 2)])).reduce((a, b) => a + b, 0) / 10;
    const expected = ce + 0.001 * known['dense/kernel'].reduce((a, k) => a + k * k, 0);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    model.dispose();
  });

  test('the same file read through an in-memory handler gives the same model', async () => {
    const json = JSON.parse(await readFile(`${dir}model.json`, 'utf8'));
    const bin = await readFile(`${dir}group1-shard1of1.bin`);
    const model = await wt.loadLayersModel(wt.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }));
    const x = rand(40, 8, 1);
    expect(maxAbsDiff(model.predict(wt.tensor(x, [10, 4])).dataSync(), reference(x, 10))).toBeLessThan(1e-6);
    model.dispose();
  });
});

describe('other converter outputs', () => {
  /** The fixture's weights as the bytes a quantizing converter writes. */
  function f32(name: keyof typeof known): Float32Array {
    return Float32Array.from(known[name]);
  }

  test('Keras 3 style: batch_shape, DTypePolicy dtype objects, module / registered_name keys, names with a model prefix', async () => {
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const topology = {
      class_name: 'Sequential',
      config: {
        name: 'sequential_3',
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', trainable: true, dtype: policy, units: 3, activation: 'relu', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null }, bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null }, registered_name: null },
          { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense_1', trainable: true, dtype: policy, units: 2, activation: 'softmax', use_bias: true }, registered_name: null },
        ],
      },
    };
    const names = ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias'] as const;
    const shapes = [[4, 3], [3], [3, 2], [2]];
    const data = Float32Array.from(names.flatMap((n) => known[n]));
    const model = await wt.loadLayersModel(wt.io.fromMemory({
      modelTopology: { keras_version: '3.5.0', backend: 'tensorflow', model_config: topology },
      weightSpecs: names.map((n, i) => ({ name: `sequential_3/${n}`, shape: shapes[i], dtype: 'float32' as const })),
      weightData: data.buffer,
    }));
    const x = rand(40, 9, 1);
    expect(maxAbsDiff(model.predict(wt.tensor(x, [10, 4])).dataSync(), reference(x, 10))).toBeLessThan(1e-6);
    model.dispose();
  });

  test('uint8 and float16 quantized weights (--quantize_uint8 / --quantize_float16) are dequantized', async () => {
    const k = f32('dense/kernel');
    const [lo, hi] = [Math.min(...k), Math.max(...k)];
    const scale = (hi - lo) / 255;
    const q8 = Uint8Array.from(k, (v) => Math.round((v - lo) / scale));
    // float16 of the other weights: all are exact in half precision except 0.1-steps; store and compare within half's precision.
    const toHalf = (v: number) => {
      const f = new Float32Array([v]);
      const u = new Uint32Array(f.buffer)[0];
      const sign = (u >>> 16) & 0x8000;
      const exp = ((u >>> 23) & 0xff) - 127 + 15;
      const mant = (u >>> 13) & 0x3ff;
      return v === 0 ? 0 : sign | (exp << 10) | mant;
    };
    const rest = ['dense/bias', 'dense_1/kernel', 'dense_1/bias'] as const;
    const halves = Uint16Array.from(rest.flatMap((n) => known[n]).map(toHalf));
    const bytes = new Uint8Array(q8.length + halves.byteLength);
    bytes.set(q8, 0);
    bytes.set(new Uint8Array(halves.buffer), q8.length);
    const json = JSON.parse(await readFile(`${dir}model.json`, 'utf8'));
    const specs = json.weightsManifest[0].weights;
    specs[0].quantization = { dtype: 'uint8', scale, min: lo, original_dtype: 'float32' };
    for (const s of specs.slice(1)) s.quantization = { dtype: 'float16', original_dtype: 'float32' };
    const model = await wt.loadLayersModel(wt.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: bytes.buffer }));
    const [k1, b1, k2] = model.getWeights();
    expect(maxAbsDiff(k1.dataSync(), k)).toBeLessThan(scale / 2 + 1e-7);
    expect(maxAbsDiff(b1.dataSync(), known['dense/bias'])).toBeLessThan(1e-3);
    expect(maxAbsDiff(k2.dataSync(), known['dense_1/kernel'])).toBeLessThan(1e-3);
    [k1, b1, k2].forEach((t) => t.dispose());
    model.dispose();
  });
});
