// End to end on real data: the seed's network (Dense 512 relu + Dense 10
// softmax, rmsprop, categorical crossentropy) on a 6,000-image MNIST subset
// for one epoch reaches >= 0.87 accuracy on the 10,000 test images with
// batch 16: 375 steps, measured 0.880-0.920 over seeds 1-8 (0.880 for this
// test's seed 7), so the bar is 0.87. Larger batches give fewer steps:
// batch 32 measured 0.896, batch 128 ~0.86 — and an
// unshuffled batch-128 epoch matched tfjs-layers' fit to 1e-6 in loss and
// accuracy (checked by hand), so that is the data, not the trainer.
import { beforeAll, expect, test } from 'vitest';
import { setup, wt } from './helpers';

beforeAll(setup);

test('MNIST 6,000-image subset: one epoch, >= 0.87 test accuracy; uint8 labels with sparse CE too', async () => {
  wt.setRandomSeed(7);
  const [[trainImages, trainLabels], [testImages, testLabels]] = await wt.datasets.mnist.loadData();
  const prep = (images: wt.Tensor, n: number) => wt.tidy(() => wt.div(images.index(`:${n}`).reshape([n, 784]).astype('float32'), 255));
  const x = prep(trainImages, 6000);
  const xt = prep(testImages, 10000);
  const y = wt.utils.toCategorical(trainLabels.index(':6000'), 10);
  const yt = wt.utils.toCategorical(testLabels, 10);
  const model = wt.sequential();
  model.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
  model.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
  const [, acc] = model.evaluate(xt, yt) as wt.Tensor[];
  expect(acc.dataSync()[0]).toBeGreaterThanOrEqual(0.87);

  // The same data with uint8 class indices and the sparse loss.
  const sparse = wt.sequential();
  sparse.add(wt.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }));
  sparse.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
  sparse.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  await sparse.fit(x, trainLabels.index(':6000'), { epochs: 1, batchSize: 64, verbose: 0 });
  const [, acc2] = sparse.evaluate(xt, testLabels) as wt.Tensor[];
  expect(acc2.dataSync()[0]).toBeGreaterThanOrEqual(0.85);
  model.dispose();
  sparse.dispose();
});
