// The demo's Web Worker: the data, the model and its training live here, so
// the page stays responsive while it trains, and so that wasmtensor may use
// WebGPU, which it offers only off the main thread (its sync reads wait with
// Atomics.wait, which a page's main thread may not). app.js draws what this
// posts. Messages in: init {maxSteps, samples}, train {n, epochs}, stop,
// predict {pixels}. Messages out: ready, status, started, batch, epoch,
// guesses, probs, trained, error.
//
// Import maps do not reach workers, so this imports the browser build by path;
// an app bundled by rollup, Vite or webpack imports 'wasmtensor' here too.
import * as wt from '/dist/index.browser.mjs';

const BATCH = 128;
const SAMPLE_COUNT = 12;
let maxSteps = Infinity;
let stepsDone = 0;
let model = null;
let data = null; // { trainImages, trainLabels, xTest, yTest }
let train = null; // { n, x, y } for the training-set size last used
let training = false; // a second train message while fit() runs is ignored: one fit per model at a time

const post = (type, body = {}) => self.postMessage({ type, ...body });
const status = (text) => post('status', { text });

/** The same preparation as the Node example: flatten, scale to [0, 1], one-hot labels. */
const prepare = (images, labels, n) => [
  wt.tidy(() => wt.div(images.index(`:${n}`).reshape([n, 784]).astype('float32'), 255)),
  wt.tidy(() => wt.utils.toCategorical(labels.index(`:${n}`), 10)),
];

/**
 * 'auto' sends a matMul to the GPU only on a hardware adapter and only from
 * the size where it measured a win; a software one (SwiftShader) is reported
 * and left unused.
 */
async function chooseBackend() {
  if (!(await wt.webgpu.available())) return `not used: ${wt.webgpu.unavailableReason()}`;
  const info = await wt.webgpu.adapterInfo();
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  if (info.software) return `${name}: a software adapter, not used`;
  await wt.setBackend('auto');
  return `${name}: used for large products ('auto')`;
}

async function init(options) {
  maxSteps = options.maxSteps ?? Infinity;
  await wt.ready();
  const webgpu = await chooseBackend();
  post('runtime', {
    backend: wt.getBackend(), build: wt.getBuild(), kernels: wt.getKernelSet(), threads: wt.getThreads(),
    isolated: self.crossOriginIsolated === true, webgpu,
  });
  status('Downloading MNIST (about 11 MB compressed)…');
  const [[trainImages, trainLabels], [testImages, testLabels]] = await wt.datasets.mnist.loadData({ url: '/mnist/' });
  const [xTest, yTest] = prepare(testImages, testLabels, testImages.shape[0]);
  data = { trainImages, trainLabels, xTest, yTest };

  wt.setRandomSeed(42);
  model = wt.sequential();
  model.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
  model.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

  const samples = [];
  for (let i = 0; i < SAMPLE_COUNT; i++) {
    samples.push({ label: testLabels.index(String(i)).dataSync()[0], pixels: testImages.index(String(i)).dataSync() });
  }
  post('ready', { samples, trainCount: trainImages.shape[0], testCount: testImages.shape[0] });
  postGuesses();
}

function postGuesses() {
  const guesses = wt.tidy(() => wt.argMax(model.predict(data.xTest.index(`:${SAMPLE_COUNT}`)), 1).dataSync());
  post('guesses', { guesses: Array.from(guesses) });
}

function evaluateTest() {
  const [loss, acc] = model.evaluate(data.xTest, data.yTest, { batchSize: 1000 });
  const result = { loss: loss.dataSync()[0], acc: acc.dataSync()[0] };
  wt.dispose([loss, acc]);
  return result;
}

async function runTraining(request) {
  if (training) return;
  training = true;
  try {
    await trainOnce(request);
  } finally {
    training = false;
  }
}

async function trainOnce({ n, epochs }) {
  if (train?.n !== n) {
    wt.dispose(train);
    const [x, y] = prepare(data.trainImages, data.trainLabels, n);
    train = { n, x, y };
  }
  const steps = Math.max(0, Math.min(epochs * Math.ceil(n / BATCH), maxSteps - stepsDone));
  let done = 0;
  post('started', { steps });
  const started = performance.now();
  model.stopTraining = false;
  if (steps > 0) await model.fit(train.x, train.y, {
    epochs,
    batchSize: BATCH,
    verbose: 0,
    callbacks: {
      onBatchEnd: (_step, logs) => {
        done++;
        stepsDone++;
        if (stepsDone >= maxSteps) model.stopTraining = true;
        post('batch', { done, steps, stepsDone, loss: logs.loss, acc: logs.acc ?? logs.accuracy, msPerStep: (performance.now() - started) / done });
      },
      onEpochEnd: (epoch) => {
        postGuesses();
        const test = evaluateTest();
        post('epoch', { epoch, test });
      },
    },
  });
  postGuesses();
  post('trained', { done, steps, stepsDone, seconds: (performance.now() - started) / 1000, test: evaluateTest(), canTrainMore: stepsDone < maxSteps });
}

function predict(pixels) {
  if (!model) return; // drawn before the model exists
  const probs = wt.tidy(() => model.predict(wt.tensor(pixels, [1, 784])).dataSync());
  post('probs', { probs: Array.from(probs) });
}

// Messages are handled one after another, except that a stop or a predict
// arriving during fit() runs between two batches (fit yields to the event loop).
const handlers = {
  init,
  train: runTraining,
  stop: () => { if (model) model.stopTraining = true; },
  predict: ({ pixels }) => predict(pixels),
};
self.addEventListener('message', async ({ data: message }) => {
  try {
    await handlers[message.type](message);
  } catch (error) {
    post('error', { message: error?.message ?? String(error) });
  }
});
