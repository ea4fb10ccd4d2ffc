// What a front-end developer writes: one import of the package by name, a
// tensor op and a tiny model trained and evaluated. The result lands in
// body[data-result] (or body[data-error]) for the test to read.
import * as wt from 'wasmtensor';

try {
  await wt.ready();
  const product = wt.matMul(wt.tensor([[1, 2], [3, 4]]), wt.tensor([[5], [6]])).arraySync();
  wt.setRandomSeed(1);
  const x = wt.randomUniform([256, 4], 0, 1, 'float32', 2);
  const y = wt.utils.toCategorical(wt.cast(wt.greater(x.index(':, 0'), 0.5), 'int32'), 2);
  const model = wt.sequential();
  model.add(wt.layers.dense({ units: 16, activation: 'relu', inputShape: [4] }));
  model.add(wt.layers.dense({ units: 2, activation: 'softmax' }));
  model.compile({ optimizer: wt.train.adam(0.05), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 20, batchSize: 32, verbose: 0 });
  const [, acc] = model.evaluate(x, y);
  document.body.dataset.result = JSON.stringify({ build: wt.getBuild(), kernels: wt.getKernelSet(), product, accuracy: acc.dataSync()[0] });
} catch (error) {
  document.body.dataset.error = String(error?.stack ?? error);
}
