// The first network of "Deep Learning with Python" (chapter 2), step by step:
// classify MNIST digits with two Dense layers. Run: npm start
// Options (argv or env): --epochs N / EPOCHS, --batch-size N / BATCH_SIZE.
import { parseArgs } from 'node:util';
import * as wt from 'wasmtensor';

const { values: flags } = parseArgs({
  options: { epochs: { type: 'string' }, 'batch-size': { type: 'string' } },
});
const epochs = Number(flags.epochs ?? process.env.EPOCHS ?? 5);
const batchSize = Number(flags['batch-size'] ?? process.env.BATCH_SIZE ?? 128);
for (const [name, v] of [['epochs', epochs], ['batch-size', batchSize]]) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`examples/mnist: --${name} must be a positive integer, got ${v}`);
}

await wt.ready();

// Loading the MNIST dataset: 60,000 training and 10,000 test images, 28x28 uint8.
const [[trainImages, trainLabels], [testImages, testLabels]] = await wt.datasets.mnist.loadData();
console.log(`train_images.shape: (${trainImages.shape})  test_images.shape: (${testImages.shape})`);

// The network architecture: a 512-unit relu layer, then a 10-way softmax.
const model = wt.sequential();
model.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [28 * 28] }));
model.add(wt.layers.dense({ units: 10, activation: 'softmax' }));

// The compilation step: optimizer, loss function, metric to monitor.
model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

// Preparing the image data: flatten to (60000, 784), scale to float32 in [0, 1].
const x = wt.div(trainImages.reshape([60000, 28 * 28]).astype('float32'), 255);
const xTest = wt.div(testImages.reshape([10000, 28 * 28]).astype('float32'), 255);

// Preparing the labels: one-hot vectors of 10 classes.
const y = wt.utils.toCategorical(trainLabels);
const yTest = wt.utils.toCategorical(testLabels);

// Fitting the model: Keras-style progress per epoch.
await model.fit(x, y, { epochs, batchSize });

// Using the model to make predictions on the first test digits.
const predictions = model.predict(xTest.index('0:10'));
console.log(`predictions[0].argmax(): ${wt.argMax(predictions.index(0)).dataSync()[0]}  (test_labels[0]: ${testLabels.dataSync()[0]})`);

// Evaluating the model on new data.
const [testLoss, testAcc] = model.evaluate(xTest, yTest);
console.log(`test_loss: ${testLoss.dataSync()[0].toFixed(4)}`);
console.log(`test_acc: ${testAcc.dataSync()[0].toFixed(4)}`);
