// The MNIST convnet of "Deep Learning with Python" (chapter 5): three 3x3
// convolutions with max pooling between them, then a small Dense classifier.
// It sees the images as (28, 28, 1) tensors instead of flat 784-vectors and
// reaches ~0.99 test accuracy. Run: npm run convnet (or wasmtensor convnet).
// Options (argv or env): --epochs N / EPOCHS, --batch-size N / BATCH_SIZE,
// --limit N / LIMIT (train on the first N images).
import { parseArgs } from 'node:util';
import * as wt from 'wasmtensor';

const { values: flags } = parseArgs({
  options: { epochs: { type: 'string' }, 'batch-size': { type: 'string' }, limit: { type: 'string' } },
});
const epochs = Number(flags.epochs ?? process.env.EPOCHS ?? 5);
const batchSize = Number(flags['batch-size'] ?? process.env.BATCH_SIZE ?? 64);
const limit = Number(flags.limit ?? process.env.LIMIT ?? 60000);
for (const [name, v] of [['epochs', epochs], ['batch-size', batchSize], ['limit', limit]]) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`examples/convnet: --${name} must be a positive integer, got ${v}`);
}

await wt.ready();

const [[trainImages, trainLabels], [testImages, testLabels]] = await wt.datasets.mnist.loadData();
const n = Math.min(limit, trainImages.shape[0]);

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
console.log(`training time: ${((performance.now() - started) / 1000).toFixed(1)} s`);

const [testLoss, testAcc] = model.evaluate(xTest, yTest);
console.log(`test_loss: ${testLoss.dataSync()[0].toFixed(4)}`);
console.log(`test_acc: ${testAcc.dataSync()[0].toFixed(4)}`);
