// The MNIST convnet of "Deep Learning with Python" (chapter 5): three 3x3
// convolutions with max pooling between them, then a small Dense classifier.
// It sees the images as (28, 28, 1) tensors instead of flat 784-vectors and
// reaches ~0.99 test accuracy. Run: npm run convnet (or wasmtensor convnet,
// which calls convnet() below with its own checked flags).
// Options (argv or env): --epochs N / EPOCHS, --batch-size N / BATCH_SIZE,
// --limit N / LIMIT (train on the first N images), --seed N / SEED.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as wt from 'wasmtensor';

/** Trains the book's convnet and evaluates it on the 10,000 test images. */
export async function convnet({ epochs = 5, batchSize = 64, limit = 60000, seed } = {}) {
  await wt.ready();
  if (seed !== undefined) wt.setRandomSeed(seed);

  const [[trainImages, trainLabels], [testImages, testLabels]] = await wt.datasets.mnist.loadData();
  const n = Math.min(limit, trainImages.shape[0]);
  console.log(`MNIST convnet: ${n} training and ${testImages.shape[0]} test images, rmsprop, ${epochs} epoch(s), batch ${batchSize}${seed === undefined ? '' : `, seed ${seed}`}`);

  // The convolutional base: Conv2D and MaxPooling2D layers on (height, width, channels).
  const model = wt.sequential();
  model.add(wt.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(wt.layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(wt.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
  model.add(wt.layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(wt.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
  // The classifier on top: flatten the (3, 3, 64) output to 576 features.
  model.add(wt.layers.flatten());
  model.add(wt.layers.dense({ units: 64, activation: 'relu' }));
  model.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
  model.summary();

  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  // Images as (samples, 28, 28, 1) float32 in [0, 1]; labels one-hot.
  const prepare = (images, count) => wt.tidy(() => wt.div(images.index(`0:${count}`).reshape([count, 28, 28, 1]).astype('float32'), 255));
  const x = prepare(trainImages, n);
  const xTest = prepare(testImages, testImages.shape[0]);
  const y = wt.utils.toCategorical(trainLabels.index(`0:${n}`), 10);
  const yTest = wt.utils.toCategorical(testLabels, 10);

  const started = performance.now();
  await model.fit(x, y, { epochs, batchSize });
  const seconds = (performance.now() - started) / 1000;
  console.log(`training time: ${seconds.toFixed(1)} s`);

  const [testLoss, testAcc] = model.evaluate(xTest, yTest);
  const result = { seconds, testLoss: testLoss.dataSync()[0], testAccuracy: testAcc.dataSync()[0] };
  console.log(`test_loss: ${result.testLoss.toFixed(4)}`);
  console.log(`test_acc: ${result.testAccuracy.toFixed(4)}`);
  model.dispose();
  for (const t of [x, xTest, y, yTest, testLoss, testAcc]) t.dispose();
  return result;
}

// Run directly (node examples/convnet.mjs), not imported by the CLI.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: flags } = parseArgs({
    options: { epochs: { type: 'string' }, 'batch-size': { type: 'string' }, limit: { type: 'string' }, seed: { type: 'string' } },
  });
  const options = {
    epochs: Number(flags.epochs ?? process.env.EPOCHS ?? 5),
    batchSize: Number(flags['batch-size'] ?? process.env.BATCH_SIZE ?? 64),
    limit: Number(flags.limit ?? process.env.LIMIT ?? 60000),
    seed: flags.seed ?? process.env.SEED,
  };
  if (options.seed !== undefined) options.seed = Number(options.seed);
  for (const [name, v] of [['epochs', options.epochs], ['batch-size', options.batchSize], ['limit', options.limit], ['seed', options.seed ?? 0]]) {
    if (!Number.isInteger(v) || v < (name === 'seed' ? 0 : 1)) throw new Error(`examples/convnet: --${name} must be a positive integer, got ${v}`);
  }
  await convnet(options);
}
