// A tiny text classifier, Embedding -> GlobalAveragePooling1D -> Dense, learns
// a synthetic sentiment task in a few seconds: sequences of 12 token ids from
// a 30-word vocabulary (0 = padding at the end, maskZero on), labelled 1 when
// "positive" words (1-14) outnumber "negative" ones (15-29). The mean of the
// embeddings is linear in those counts, so the model can reach ~100%; we ask
// for >= 90% on held-out sequences. A second model puts Conv1D (causal) and
// LayerNormalization in between and must learn too.
import { beforeAll, expect, test } from 'vitest';
import { setup, wt } from './helpers';

beforeAll(setup);

const T = 12;
const VOCAB = 30;

function dataset(n: number, seed: number): { x: wt.Tensor; y: wt.Tensor } {
  let a = seed >>> 0;
  const next = () => ((a = (Math.imul(a, 1664525) + 1013904223) >>> 0), a / 2 ** 32);
  const ids = new Int32Array(n * T);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let pos = 0;
    let neg = 0;
    const len = 4 + Math.floor(next() * (T - 4));
    for (let t = 0; t < len; t++) {
      const id = 1 + Math.floor(next() * (VOCAB - 1));
      ids[i * T + t] = id;
      if (id < 15) pos++;
      else neg++;
    }
    // Ties are relabelled by one more positive word so that every label is defined by the counts.
    if (pos === neg) {
      ids[i * T + len - 1] = 1;
      pos++;
    }
    labels[i] = pos > neg ? 1 : 0;
  }
  return { x: wt.tensor(ids, [n, T], 'int32'), y: wt.tensor(labels, [n, 1]) };
}

async function trainAndScore(layers: wt.Layer[], epochs: number): Promise<number> {
  wt.setRandomSeed(1);
  const model = wt.sequential({ layers });
  model.compile({ optimizer: new wt.Adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const train = dataset(600, 1);
  const test = dataset(200, 2);
  await model.fit(train.x, train.y, { epochs, batchSize: 32, verbose: 0 });
  const [, acc] = model.evaluate(test.x, test.y) as wt.Tensor[];
  const score = acc.dataSync()[0];
  model.dispose();
  return score;
}

test('embedding -> globalAveragePooling1d -> dense learns the task (>= 90% held out)', async () => {
  const start = Date.now();
  const acc = await trainAndScore([
    wt.layers.embedding({ inputDim: VOCAB, outputDim: 8, maskZero: true, inputLength: T }),
    wt.layers.globalAveragePooling1d(),
    wt.layers.dense({ units: 1, activation: 'sigmoid' }),
  ], 15);
  expect(acc).toBeGreaterThanOrEqual(0.9);
  expect(Date.now() - start).toBeLessThan(20_000);
});

test('embedding -> conv1d causal -> layerNormalization -> globalMaxPooling1d -> dense learns it too', async () => {
  const acc = await trainAndScore([
    wt.layers.embedding({ inputDim: VOCAB, outputDim: 8 }),
    wt.layers.conv1d({ filters: 8, kernelSize: 3, padding: 'causal', activation: 'relu' }),
    wt.layers.layerNormalization(),
    wt.layers.globalAveragePooling1d(),
    wt.layers.dense({ units: 1, activation: 'sigmoid' }),
  ], 15);
  expect(acc).toBeGreaterThanOrEqual(0.85);
});
