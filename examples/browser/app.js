// The demo: the seed's MNIST network (784-512-10, relu/softmax, RMSprop,
// categorical crossentropy, batch 128) trained in the browser, with a live
// chart, test digits with predictions, and a pad to draw a digit on. The
// training runs in a Web Worker (trainer.js), so this page only draws: it
// stays responsive at any speed, and wasmtensor may use WebGPU there.
// URL parameters (the browser tests use them): steps=N stops training after N
// steps, samples=N preselects the training-set size, autotrain starts at once.
import { LineChart } from './chart.js';
import { DrawingPad } from './draw.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

const setState = (state) => (document.body.dataset.state = state);
const status = (text) => ($('status').textContent = text);

function fail(error) {
  console.error(error);
  setState('error');
  status(`Something went wrong: ${error.message}`);
}
window.addEventListener('unhandledrejection', (e) => fail(e.reason));
window.addEventListener('error', (e) => fail(e.error ?? new Error(e.message)));

const trainer = new Worker(new URL('./trainer.js', import.meta.url), { type: 'module' });
trainer.addEventListener('error', (e) => fail(new Error(e.message || 'the training worker failed to start')));
const send = (type, body = {}) => trainer.postMessage({ type, ...body });

const chart = new LineChart($('chart'));
chart.draw();

// ---- test digits with the network's guesses ----
const sampleCells = [];
function showSampleImages(samples) {
  for (const { label, pixels } of samples) {
    const li = document.createElement('li');
    const canvas = document.createElement('canvas');
    canvas.width = 28;
    canvas.height = 28;
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
}
function showGuesses(guesses) {
  sampleCells.forEach(({ label, caption }, i) => {
    const ok = guesses[i] === label;
    caption.textContent = ok ? `guess ${guesses[i]} ✓` : `guess ${guesses[i]} ✗ (is ${label})`;
    caption.className = ok ? '' : 'wrong';
  });
}

// ---- the drawing pad: pixels go to the worker, probabilities come back ----
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
  if (pixels) send('predict', { pixels });
  else showProbabilities(null);
}
function showProbabilities(probs) {
  if (!probs || !lastDrawing) {
    $('prediction').textContent = '–';
    probRows.forEach(({ li, bar, pct }) => {
      li.className = '';
      bar.style.width = '0';
      pct.textContent = '–';
    });
    return;
  }
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
let lastPaint = 0;
const showTest = ({ acc }) => (document.body.dataset.testAccuracy = acc.toFixed(4));

const onMessage = {
  runtime({ backend, build, kernels, threads, isolated, webgpu }) {
    $('backend').textContent = backend;
    $('build').textContent = build;
    // 'full' here: the worker imports dist/ unbundled, every module; an app bundled with only Dense gets 'core'.
    $('kernels').textContent = kernels;
    $('threads').textContent = String(threads);
    $('isolated').textContent = isolated ? 'yes' : 'no (single-threaded)';
    $('webgpu').textContent = webgpu;
  },
  status: ({ text }) => status(text),
  ready({ samples, trainCount, testCount }) {
    showSampleImages(samples);
    if (params.has('samples')) $('samples').value = params.get('samples');
    setState('ready');
    $('train').disabled = false;
    status(`Ready: ${trainCount.toLocaleString()} training and ${testCount.toLocaleString()} test images. Press Train.`);
    if (params.has('autotrain')) $('train-form').requestSubmit();
  },
  guesses: ({ guesses }) => showGuesses(guesses),
  probs: ({ probs }) => showProbabilities(probs),
  started({ steps }) {
    document.body.dataset.runs = String(Number(document.body.dataset.runs ?? 0) + 1); // trainings started (the tests read it)
    $('progress').max = steps;
    $('progress').value = 0;
    setState('training');
    $('train').disabled = true;
    $('stop').disabled = false;
  },
  batch({ done, steps, stepsDone, loss, acc, msPerStep }) {
    chart.push(loss, acc);
    const now = performance.now();
    if (now - lastPaint > 100 || done === steps) {
      lastPaint = now;
      $('progress').value = done;
      $('progress-text').textContent = `${done}/${steps} steps, ${msPerStep.toFixed(1)} ms/step`;
      document.body.dataset.steps = String(stepsDone);
      status(`Training: step ${done} of ${steps} · loss ${loss.toFixed(4)} · accuracy ${acc.toFixed(4)}`);
    }
  },
  epoch({ epoch, test }) {
    if (lastDrawing) send('predict', { pixels: lastDrawing });
    showTest(test);
    status(`Epoch ${epoch + 1}: test accuracy ${test.acc.toFixed(4)}, test loss ${test.loss.toFixed(4)}`);
  },
  trained({ done, steps, stepsDone, seconds, test, canTrainMore }) {
    $('progress').value = done;
    document.body.dataset.steps = String(stepsDone);
    if (lastDrawing) send('predict', { pixels: lastDrawing });
    showTest(test);
    status(`Trained ${done} steps in ${seconds.toFixed(1)} s · test accuracy ${test.acc.toFixed(4)} · test loss ${test.loss.toFixed(4)}. Draw a digit below.`);
    $('progress-text').textContent = `${done}/${steps} steps in ${seconds.toFixed(1)} s`;
    $('train').disabled = !canTrainMore;
    $('train').textContent = 'Train more';
    $('stop').disabled = true;
    setState('trained');
  },
  error: ({ message }) => fail(new Error(message)),
};
trainer.addEventListener('message', ({ data }) => onMessage[data.type](data));

$('train-form').addEventListener('submit', (e) => {
  e.preventDefault();
  $('train').disabled = true; // until the worker reports back: one training at a time
  const n = Number($('samples').value);
  const epochs = Math.max(1, Math.min(20, Math.floor(Number($('epochs').value) || 1)));
  send('train', { n, epochs });
});
$('stop').addEventListener('click', () => {
  send('stop');
  $('stop').disabled = true;
});

send('init', { maxSteps: params.has('steps') ? Number(params.get('steps')) : Infinity });
