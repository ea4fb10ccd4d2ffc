// Bidirectional against tfjs-layers with the same weights: every merge mode,
// sequences and last outputs, masks; gradients of all six weights; save/load
// both ways in the TF.js Layers format.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { maxAbsDiff, rand, removeTempDirs, setup, tempDir, tf, tfjsFileLoader, tfjsFileSaver, tfl, wt } from '../io/helpers';

beforeAll(setup);
afterAll(removeTempDirs);

const [B, T, D] = [3, 6, 4];

function pair(kind: 'lstm' | 'gru' | 'simpleRNN', inner: Record<string, unknown>, mergeMode: string) {
  const ours = wt.layers.bidirectional({ layer: (wt.layers as any)[kind](inner), mergeMode: mergeMode as never });
  const theirs = tfl.layers.bidirectional({ layer: (tfl.layers as any)[kind](inner), mergeMode: mergeMode as never });
  ours.build([null, T, D]);
  theirs.apply(tf.zeros([1, T, D]));
  const shapes = theirs.getWeights().map((w) => w.shape);
  const values = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 40 + i, 0.5));
  theirs.setWeights(values.map((v, i) => tf.tensor(v, shapes[i])));
  ours.setWeights(values.map((v, i) => wt.tensor(v, shapes[i])));
  return { ours, theirs };
}

describe('Bidirectional vs tfjs-layers', () => {
  const mask = Float32Array.from({ length: B * T }, (_, i) => (i % T < T - (i / T | 0) ? 1 : 0));
  test.each([
    { kind: 'lstm', mergeMode: 'concat', returnSequences: true, masked: false },
    { kind: 'gru', mergeMode: 'sum', returnSequences: false, masked: true },
    { kind: 'simpleRNN', mergeMode: 'mul', returnSequences: true, masked: true },
    { kind: 'lstm', mergeMode: 'ave', returnSequences: false, masked: false },
  ] as const)('$kind $mergeMode seq $returnSequences mask $masked: forward and gradients', ({ kind, mergeMode, returnSequences, masked }) => {
    const { ours, theirs } = pair(kind, { units: 5, returnSequences }, mergeMode);
    const x = rand(B * T * D, 9, 1.3);
    const outShape = ours.computeOutputShape([B, T, D]) as number[];
    const r = rand(outShape.reduce((a, b) => a * b, 1), 3);
    const theirLoss = () => tf.sum(tf.mul(theirs.apply(tf.tensor(x, [B, T, D]), masked ? { mask: tf.tensor(mask, [B, T], 'bool') } : {}) as tf.Tensor, tf.tensor(r, outShape))) as tf.Scalar;
    const ourLoss = () => wt.sum(wt.mul(ours.call(wt.tensor(x, [B, T, D]), { mask: masked ? wt.tensor(mask, [B, T]) : null }), wt.tensor(r, outShape)));
    expect(Math.abs(ourLoss().dataSync()[0] - theirLoss().dataSync()[0])).toBeLessThan(1e-4);
    const vars = theirs.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const tg = tf.variableGrads(theirLoss, vars);
    const og = wt.variableGrads(ourLoss, ours.weights);
    expect(ours.weights.length).toBe(6);
    ours.weights.forEach((w, i) => expect(maxAbsDiff(og.grads[w.name].dataSync(), tg.grads[vars[i].name].dataSync()), w.name).toBeLessThan(1e-4));
    ours.dispose();
  });

  test('save/load both ways', async () => {
    const theirs = tfl.sequential({ layers: [
      tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 4, returnSequences: true }) as never, inputShape: [T, D] }),
      tfl.layers.bidirectional({ layer: tfl.layers.gru({ units: 3 }) as never, mergeMode: 'sum' }),
      tfl.layers.dense({ units: 2 }),
    ] });
    const dir = await tempDir();
    await theirs.save(tfjsFileSaver(dir));
    const ours = await wt.loadLayersModel(`file://${dir}/model.json`);
    const x = rand(B * T * D, 12, 1);
    const expected = (theirs.predict(tf.tensor(x, [B, T, D])) as tf.Tensor).dataSync();
    expect(maxAbsDiff(ours.predict(wt.tensor(x, [B, T, D])).dataSync(), expected)).toBeLessThan(1e-5);
    const dir2 = await tempDir();
    await ours.save(`file://${dir2}`);
    const back = await tfl.loadLayersModel(tfjsFileLoader(dir2));
    expect(maxAbsDiff((back.predict(tf.tensor(x, [B, T, D])) as tf.Tensor).dataSync(), expected)).toBeLessThan(1e-5);
    ours.dispose();
  });
});
