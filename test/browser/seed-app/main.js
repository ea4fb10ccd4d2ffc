// The seed's job in a web page, what the size budget measures: MNIST fetched
// from a URL, the 784-512-10 network, rmsprop, fit with progress, predict and
// evaluate -- examples/mnist.mjs without Node. size.test.ts bundles it with
// rollup (what Vite builds with) and counts what the page downloads.
import * as wt from 'wasmtensor';

export async function train(mnistUrl, onEpoch) {
  await wt.ready();
  const [[trainImages, trainLabels], [testImages, testLabels]] = await wt.datasets.mnist.loadData({ url: mnistUrl });
  const model = wt.sequential();
  model.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [28 * 28] }));
  model.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const x = wt.div(trainImages.reshape([60000, 28 * 28]).astype('float32'), 255);
  const xTest = wt.div(testImages.reshape([10000, 28 * 28]).astype('float32'), 255);
  const y = wt.utils.toCategorical(trainLabels);
  const yTest = wt.utils.toCategorical(testLabels);
  await model.fit(x, y, { epochs: 5, batchSize: 128, verbose: 0, callbacks: { onEpochEnd: onEpoch } });
  const digit = wt.argMax(model.predict(xTest.index('0:1')), -1).dataSync()[0];
  const [, accuracy] = model.evaluate(xTest, yTest);
  return { digit, accuracy: accuracy.dataSync()[0] };
}
