// An LSTM learns the adding problem (Hochreiter & Schmidhuber): each sequence
// holds random values in [0, 1) and two marked positions; the target is the
// sum of the two marked values. Predicting the mean (1.0) leaves an MSE of
// 1/6 ≈ 0.167; the trained model must get below 0.01 on held-out sequences.
import { beforeAll, expect, test } from 'vitest';
import { setup, wt } from './helpers';

beforeAll(setup);

function addingProblem(n: number, T: number, seed: number): { x: wt.Tensor; y: wt.Tensor } {
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const xs = new Float32Array(n * T * 2);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.floor(next() * (T / 2));
    const b = T / 2 + Math.floor(next() * (T / 2));
    for (let t = 0; t < T; t++) {
      const v = next();
      xs[(i * T + t) * 2] = v;
      if (t === a || t === b) {
        xs[(i * T + t) * 2 + 1] = 1;
        ys[i] += v;
      }
    }
  }
  return { x: wt.tensor(xs, [n, T, 2]), y: wt.tensor(ys, [n, 1]) };
}

test('LSTM learns the adding problem (T = 20) to test MSE < 0.01', async () => {
  const T = 20;
  wt.setRandomSeed(3);
  const train = addingProblem(2048, T, 1);
  const held = addingProblem(512, T, 2);
  const model = wt.sequential({ layers: [wt.layers.lstm({ units: 24, inputShape: [T, 2] }), wt.layers.dense({ units: 1 })] });
  model.compile({ optimizer: wt.train.adam(0.01), loss: 'meanSquaredError' });
  const started = performance.now();
  let mse = Infinity;
  for (let round = 0; round < 8 && mse >= 0.01; round++) {
    await model.fit(train.x, train.y, { epochs: 5, batchSize: 64, verbose: 0 });
    mse = (model.evaluate(held.x, held.y) as wt.Tensor).dataSync()[0];
  }
  const seconds = (performance.now() - started) / 1000;
  expect(mse).toBeLessThan(0.01);
  expect(seconds).toBeLessThan(30);
  model.dispose();
}, 60_000);

test('dropout and recurrentDropout: training draws masks (outputs differ from inference), inference is deterministic, fit runs', async () => {
  wt.setRandomSeed(5);
  const l = wt.layers.lstm({ units: 8, dropout: 0.3, recurrentDropout: 0.3, returnSequences: true });
  const x = wt.randomUniform([4, 6, 3]);
  const a = l.apply(x).dataSync();
  expect(l.apply(x).dataSync()).toEqual(a);
  const t = l.apply(x, { training: true }).dataSync();
  expect(Array.from(t).some((v, i) => Math.abs(v - a[i]) > 1e-4)).toBe(true);
  const model = wt.sequential({ layers: [wt.layers.simpleRNN({ units: 6, recurrentDropout: 0.2, inputShape: [6, 3] }), wt.layers.dense({ units: 1 })] });
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const h = await model.fit(x, wt.ones([4, 1]), { epochs: 3, batchSize: 2, verbose: 0 });
  expect(h.history.loss.every((v: number) => Number.isFinite(v))).toBe(true);
  l.dispose();
  model.dispose();
});

test('Embedding(maskZero) -> LSTM in fit(): padding after the tokens does not change predictions, before or after training', async () => {
  wt.setRandomSeed(7);
  const model = wt.sequential({ layers: [
    wt.layers.embedding({ inputDim: 6, outputDim: 4, maskZero: true, inputShape: [8] }),
    wt.layers.lstm({ units: 5 }),
    wt.layers.dense({ units: 1 }),
  ] });
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  const short = wt.tensor([[1, 2, 3, 0, 0, 0, 0, 0], [4, 5, 0, 0, 0, 0, 0, 0]]);
  const same = wt.tensor([[1, 2, 3, 0, 0, 0, 0, 0], [4, 5, 0, 0, 0, 0, 0, 0]]);
  const p0 = model.predict(short).dataSync();
  await model.fit(short, wt.tensor([[1], [-1]]), { epochs: 20, batchSize: 2, verbose: 0 });
  const p1 = model.predict(same).dataSync();
  expect(Math.abs(p1[0] - 1) + Math.abs(p1[1] + 1)).toBeLessThan(Math.abs(p0[0] - 1) + Math.abs(p0[1] + 1));
  // A masked model ignores trailing padding entirely: [1, 2, 3] alone (T = 3) predicts the same.
  const three = wt.sequential({ layers: [
    wt.layers.embedding({ inputDim: 6, outputDim: 4, inputShape: [3] }),
    wt.layers.lstm({ units: 5 }),
    wt.layers.dense({ units: 1 }),
  ] });
  three.setWeights(model.getWeights());
  const p3 = three.predict(wt.tensor([[1, 2, 3]])).dataSync();
  expect(Math.abs(p3[0] - p1[0])).toBeLessThan(1e-5);
  model.dispose();
  three.dispose();
});
