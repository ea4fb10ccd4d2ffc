// The demo: the seed's MNIST network (784-512-10, relu/softmax, RMSprop,
// categorical crossentropy, batch 128) trained in the page, with a live chart,
// test digits with predictions, and a pad to draw a digit on.
// URL parameters (the browser tests use them): steps=N stops training after N
// steps, samples=N preselects the training-set size, autotrain starts at once.
import * as wt from 'wasmtensor';
import { LineChart } from './chart.js';
import { DrawingPad } from './draw.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const maxSteps = params.has('steps') ? Number(params.get('steps')) : Infinity;
const BATCH = 128;
const SAMPLE_COUNT = 12;

const setState = (state) => (document.body.dataset.state = state);
const status = (text) => ($('status').textContent = text);

function fail(error) {
  console.error(error);
  setState('error');
  status(`Something went wrong: ${error.message}`);
}
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
window.addEventListener('error', (e) => fail(e.error ?? new Error(e.message)));

await wt.ready();
$('backend').textContent = wt.getBackend();
$('build').textContent = wt.getBuild();
// 'full' here: the page imports dist/ unbundled, every module; an app bundled with only Dense gets 'core'.
$('kernels').textContent = wt.getKernelSet();
$('threads').textContent = String(wt.getThreads());
$('isolated').textContent = globalThis.crossOriginIsolated ? 'yes' : 'no (single-threaded)';

status('Downloading MNIST (about 11 MB compressed)…');
const [[trainImages, trainLabels], [testImages, testLabels]] = await wt.datasets.mnist.loadData({ url: '/mnist/' });

// The same preparation as the Node example: flatten, scale to [0, 1], one-hot labels.
const prepare = (images, labels, n) => [
  wt.tidy(() => wt.div(images.index(`:${n}`).reshape([n, 784]).astype('float32'), 255)),
  wt.tidy(() => wt.utils.toCategorical(labels.index(`:${n}`), 10)),
];
const [xTest, yTest] = prepare(testImages, testLabels, testImages.shape[0]);
let train = null; // { n, x, y } for the training-set size last used

wt.setRandomSeed(42);
const model = wt.sequential();
model.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
model.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

const chart = new LineChart($('chart'));
chart.draw();
let stepsDone = 0;

// ---- test digits with the network's guesses ----
const sampleCells = [];
for (let i = 0; i < SAMPLE_COUNT; i++) {
  const li = document.createElement('li');
  const canvas = document.createElement('canvas');
  canvas.width = 28;
  canvas.height = 28;
  const label = testLabels.index(String(i)).dataSync()[0];
  const pixels = testImages.index(String(i)).dataSync();
  const img = canvas.getContext('2d').createImageData(28, 28);
  pixels.forEach((v, p) => img.data.set([v, v, v, 255], p * 4));
  canvas.getContext('2d').putImageData(img, 0, 0);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `handwritten ${label}`);
  const caption = document.createElement('div');
  li.append(canvas, caption);
  $('samples-grid').append(li);
  sampleCells.push({ label, caption });
}

function showSamples() {
  const guesses = wt.tidy(() => wt.argMax(model.predict(xTest.index(`:${SAMPLE_COUNT}`)), 1).dataSync());
  sampleCells.forEach(({ label, caption }, i) => {
    const ok = guesses[i] === label;
    caption.textContent = ok ? `guess ${guesses[i]} ✓` : `guess ${guesses[i]} ✗ (is ${label})`;
    caption.className = ok ? '' : 'wrong';
  });
}

// ---- the drawing pad ----
const probsList = $('probs');
const probRows = Array.from({ length: 10 }, (_, d) => {
  const li = document.createElement('li');
  li.innerHTML = `<span>${d}</span><span class="bar" style="width:0"></span><span class="pct">–</span>`;
  probsList.append(li);
  return { li, bar: li.children[1], pct: li.children[2] };
});

let lastDrawing = null;
function predictDrawing(pixels) {
  lastDrawing = pixels;
  if (!pixels) {
    $('prediction').textContent = '–';
    probRows.forEach(({ li, bar, pct }) => {
      li.className = '';
      bar.style.width = '0';
      pct.textContent = '–';
    });
    return;
  }
  const probs = wt.tidy(() => model.predict(wt.tensor(pixels, [1, 784])).dataSync());
  const best = probs.indexOf(Math.max(...probs));
  $('prediction').textContent = String(best);
  probRows.forEach(({ li, bar, pct }, d) => {
    li.className = d === best ? 'top' : '';
    li.setAttribute('aria-label', `${d}: ${(probs[d] * 100).toFixed(1)} percent`);
    bar.style.width = `${(probs[d] * 100).toFixed(1)}%`;
    pct.textContent = `${(probs[d] * 100).toFixed(1)}%`;
  });
}
const pad = new DrawingPad($('pad'), predictDrawing);
$('clear').addEventListener('click', () => pad.clear());

// ---- training ----
function evaluateTest() {
  const [loss, acc] = model.evaluate(xTest, yTest, { batchSize: 1000 });
  const result = { loss: loss.dataSync()[0], acc: acc.dataSync()[0] };
  loss.dispose();
  acc.dispose();
  document.body.dataset.testAccuracy = result.acc.toFixed(4);
  return result;
}

async function runTraining() {
  const n = Number($('samples').value);
  const epochs = Math.max(1, Math.min(20, Math.floor(Number($('epochs').value) || 1)));
  if (train?.n !== n) {
    train?.x.dispose();
    train?.y.dispose();
    const [x, y] = prepare(trainImages, trainLabels, n);
    train = { n, x, y };
  }
  const steps = Math.min(epochs * Math.ceil(n / BATCH), maxSteps - stepsDone);
  if (steps <= 0) return;
  let done = 0;
  const progress = $('progress');
  progress.max = steps;
  progress.value = 0;
  setState('training');
  $('train').disabled = true;
  $('stop').disabled = false;
  const started = performance.now();
  let lastPaint = 0;
  await model.fit(train.x, train.y, {
    epochs,
    batchSize: BATCH,
    verbose: 0,
    callbacks: {
      onBatchEnd: (_step, logs) => {
        done++;
        stepsDone++;
        chart.push(logs.loss, logs.acc ?? logs.accuracy);
        if (stepsDone >= maxSteps) model.stopTraining = true;
        const now = performance.now();
        if (now - lastPaint > 100 || done === steps) {
          lastPaint = now;
          progress.value = done;
          const ms = (now - started) / done;
          $('progress-text').textContent = `${done}/${steps} steps, ${ms.toFixed(1)} ms/step`;
          document.body.dataset.steps = String(stepsDone);
          status(`Training: step ${done} of ${steps} · loss ${logs.loss.toFixed(4)} · accuracy ${(logs.acc ?? logs.accuracy).toFixed(4)}`);
        }
      },
      onEpochEnd: (epoch) => {
        showSamples();
        if (lastDrawing) predictDrawing(lastDrawing);
        const { loss, acc } = evaluateTest();
        status(`Epoch ${epoch + 1}: test accuracy ${acc.toFixed(4)}, test loss ${loss.toFixed(4)}`);
      },
    },
  });
  progress.value = done;
  document.body.dataset.steps = String(stepsDone);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  showSamples();
  if (lastDrawing) predictDrawing(lastDrawing);
  const { loss, acc } = evaluateTest();
  status(`Trained ${done} steps in ${seconds} s · test accuracy ${acc.toFixed(4)} · test loss ${loss.toFixed(4)}. Draw a digit below.`);
  $('progress-text').textContent = `${done}/${steps} steps in ${seconds} s`;
}

$('train-form').addEventListener('submit', (e) => {
  e.preventDefault();
  runTraining()
    .then(() => {
      setState('trained');
      $('train').disabled = stepsDone >= maxSteps;
      $('train').textContent = 'Train more';
      $('stop').disabled = true;
    })
    .catch(fail);
});
$('stop').addEventListener('click', () => {
  model.stopTraining = true;
  $('stop').disabled = true;
});

if (params.has('samples')) $('samples').value = params.get('samples');
showSamples();
setState('ready');
$('train').disabled = false;
status(`Ready: ${trainImages.shape[0].toLocaleString()} training and ${testImages.shape[0].toLocaleString()} test images. Press Train.`);
if (params.has('autotrain')) $('train-form').requestSubmit();
