// SimpleRNN, LSTM and GRU in the TF.js Layers format, both ways with tfjs-layers:
// a tfjs-layers model saved to files loads here and predicts the same (its
// orthogonal / glorot initializers and hardSigmoid recurrent activation read
// back), ours saved loads there and predicts the same; an embedding with
// maskZero feeds the mask through Sequential in both; layers.serialize keys.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, rand, removeTempDirs, setup, tempDir, tf, tfjsFileLoader, tfjsFileSaver, tfl, wt } from '../io/helpers';

beforeAll(setup);
afterAll(removeTempDirs);

const [N, T, D] = [6, 7, 5];

function model(lib: any): any[] {
  return [
    lib.lstm({ units: 6, returnSequences: true, inputShape: [T, D] }),
    lib.lstm({ units: 4, goBackwards: true, recurrentActivation: 'sigmoid', unitForgetBias: true, returnSequences: true }),
    lib.gru({ units: 5, activation: 'relu' }),
    lib.dense({ units: 3 }),
  ];
}

/** Token ids with trailing zeros (padding) of different lengths. */
function tokens(): Float32Array {
  return Float32Array.from({ length: N * T }, (_, i) => (i % T < T - (i / T | 0) % 4 ? 1 + ((i * 7) % 9) : 0));
}

describe('recurrent layers in the TF.js Layers format', () => {
  test('tfjs-layers -> wasmtensor: LSTM stack loads through file:// and predicts the same', async () => {
    const theirs = tfl.sequential({ layers: model(tfl.layers) });
    const dir = await tempDir();
    await theirs.save(tfjsFileSaver(dir));
    const ours = await wt.loadLayersModel(`file://${dir}/model.json`);
    expect(ours.layers.map((l) => l.className)).toEqual(['LSTM', 'LSTM', 'GRU', 'Dense']);
    const xs = rand(N * T * D, 3, 2);
    const expected = (theirs.predict(tf.tensor(xs, [N, T, D])) as tf.Tensor).dataSync();
    const got = ours.predict(wt.tensor(xs, [N, T, D])).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    ours.dispose();
  });

  test('wasmtensor -> tfjs-layers: SimpleRNN and LSTM over an Embedding with maskZero; keys as tfjs-layers writes them', async () => {
    // A fixed draw. Unseeded, the masked-vs-unmasked gap checked below measured
    // 1.5e-3 to 5.7e-2 over 13 draws, so a CI run once fell under its 1e-3 bar;
    // seed 2 gives 5.7e-2.
    wt.setRandomSeed(2);
    const ours = wt.sequential({ layers: [
      wt.layers.embedding({ inputDim: 10, outputDim: D, maskZero: true, inputShape: [T] }),
      wt.layers.simpleRNN({ units: 5, returnSequences: true, activation: 'relu' }),
      wt.layers.gru({ units: 6, returnSequences: true, goBackwards: true }),
      wt.layers.lstm({ units: 4 }),
      wt.layers.dense({ units: 2 }),
    ] });
    const dir = await tempDir();
    await ours.save(`file://${dir}`);
    const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
    const ids = tokens();
    const expected = (theirs.predict(tf.tensor(ids, [N, T])) as tf.Tensor).dataSync();
    const got = ours.predict(wt.tensor(ids, [N, T])).dataSync();
    expect(maxAbsDiff(got, expected)).toBeLessThan(1e-5);
    // The mask matters: the same ids without masking predict differently.
    const unmasked = ours.layers.reduce((h, l) => l.call(h), wt.tensor(ids, [N, T])).dataSync();
    expect(maxAbsDiff(unmasked, got)).toBeGreaterThan(1e-3);
    const json = JSON.parse(await (await import('node:fs/promises')).readFile(`${dir}/model.json`, 'utf8'));
    const lstm = (json.modelTopology.model_config ?? json.modelTopology).config.layers.find((l: any) => l.class_name === 'LSTM');
    for (const k of ['units', 'activation', 'recurrent_activation', 'use_bias', 'kernel_initializer', 'recurrent_initializer', 'bias_initializer',
      'unit_forget_bias', 'dropout', 'recurrent_dropout', 'implementation', 'return_sequences', 'return_state', 'go_backwards', 'stateful', 'unroll']) {
      expect(lstm.config, k).toHaveProperty(k);
    }
    expect(json.weightsManifest[0].weights.map((w: any) => w.name)).toContain(`${lstm.config.name}/recurrent_kernel`);
    ours.dispose();
  });

  test('layers.serialize / deserialize round trip keeps every argument', () => {
    const a = wt.layers.lstm({ units: 3, activation: 'relu', recurrentActivation: 'sigmoid', useBias: false, returnSequences: true,
      returnState: true, goBackwards: true, dropout: 0.25, recurrentDropout: 0.1, unitForgetBias: false });
    const b = wt.layers.deserialize(wt.layers.serialize(a));
    expect(wt.layers.serialize(b).config).toEqual({ ...wt.layers.serialize(a).config, name: b.name });
    const g = wt.layers.gru({ units: 2, recurrentActivation: 'sigmoid', returnState: true });
    expect(wt.layers.serialize(wt.layers.deserialize(wt.layers.serialize(g))).config).toMatchObject({ recurrent_activation: 'sigmoid', reset_after: false, return_state: true });
    const s = wt.layers.simpleRNN({ units: 2, activation: 'sigmoid' });
    expect(wt.layers.serialize(wt.layers.deserialize(wt.layers.serialize(s))).class_name).toBe('SimpleRNN');
  });
});
