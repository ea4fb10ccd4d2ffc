// TimeDistributed against tfjs-layers with the same weights: Dense over every
// step (forward and gradients), in a model after an LSTM with
// returnSequences, and save/load both ways (weights '<wrapper>/kernel').
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, rand, removeTempDirs, setup, tempDir, tf, tfjsFileLoader, tfjsFileSaver, tfl, wt } from '../io/helpers';

beforeAll(setup);
afterAll(removeTempDirs);

const [B, T, D] = [3, 5, 4];

describe('TimeDistributed vs tfjs-layers', () => {
  test('Dense on every step: forward and gradients', () => {
    const ours = wt.layers.timeDistributed({ layer: wt.layers.dense({ units: 3, activation: 'tanh' }) });
    const theirs = tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 3, activation: 'tanh' }) });
    ours.build([null, T, D]);
    theirs.apply(tf.zeros([B, T, D])); // tfjs-layers' TimeDistributed keeps the first call's batch size
    const values = [rand(D * 3, 1), rand(3, 2)];
    theirs.setWeights([tf.tensor(values[0], [D, 3]), tf.tensor(values[1], [3])]);
    ours.setWeights([wt.tensor(values[0], [D, 3]), wt.tensor(values[1], [3])]);
    expect(ours.computeOutputShape([null, T, D])).toEqual([null, T, 3]);
    const x = rand(B * T * D, 3, 1.5);
    const r = rand(B * T * 3, 4);
    const ourLoss = () => wt.sum(wt.mul(ours.call(wt.tensor(x, [B, T, D])), wt.tensor(r, [B, T, 3])));
    const theirLoss = () => tf.sum(tf.mul(theirs.apply(tf.tensor(x, [B, T, D])) as tf.Tensor, tf.tensor(r, [B, T, 3]))) as tf.Scalar;
    const vars = theirs.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const tg = tf.variableGrads(theirLoss, vars);
    const og = wt.variableGrads(ourLoss, ours.weights);
    expect(Math.abs(og.value.dataSync()[0] - tg.value.dataSync()[0])).toBeLessThan(1e-4);
    ours.weights.forEach((w, i) => expect(maxAbsDiff(og.grads[w.name].dataSync(), tg.grads[vars[i].name].dataSync())).toBeLessThan(1e-5));
    ours.dispose();
  });

  test('save/load both ways: LSTM(returnSequences) -> TimeDistributed(Dense)', async () => {
    const theirs = tfl.sequential({ layers: [
      tfl.layers.lstm({ units: 6, returnSequences: true, inputShape: [T, D] }),
      tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 2 }) }),
    ] });
    const dir = await tempDir();
    await theirs.save(tfjsFileSaver(dir));
    const ours = await wt.loadLayersModel(`file://${dir}/model.json`);
    expect(ours.layers.map((l) => l.className)).toEqual(['LSTM', 'TimeDistributed']);
    const x = rand(B * T * D, 7, 1);
    const expected = (theirs.predict(tf.tensor(x, [B, T, D])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(ours.predict(wt.tensor(x, [B, T, D])).dataSync(), expected)).toBeLessThan(1e-5);
    const dir2 = await tempDir();
    await ours.save(`file://${dir2}`);
    const back = await tfl.loadLayersModel(tfjsFileLoader(dir2));
    expect(maxAbsDiff((back.predict(tf.tensor(x, [B, T, D])) as tf.Tensor).dataSync(), expected)).toBeLessThan(1e-5);
    ours.dispose();
  });
});
