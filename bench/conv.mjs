// Convolution benchmark (issue 9): wasmtensor vs tfjs-backend-wasm (XNNPACK,
// 1 thread) in one process, the two alternating case by case.
//  1. conv2d forward and backward (input and filter gradients) at the shapes
//     of the book's MNIST convnet, batch 64;
//  2. a MobileNet-like block at 224x224x32: 3x3 depthwise + 1x1 pointwise
//     (skipped, and said so, where wt.depthwiseConv2d does not exist);
//  2b. bilinear resizing (a U-Net decoder's 2x upsampling), forward and its
//     gradient, against tfjs-wasm's ResizeBilinear and ResizeBilinearGrad;
//  3. the convnet's training: the same model, optimizer and batches in both
//     libraries for --steps batches, scaled to 5 epochs of 60,000 images.
// tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel, so it
// cannot compute a conv2d filter gradient, and tfjs-layers cannot train a
// convnet on it ("Kernel 'Conv2DBackpropFilter' not registered for backend
// 'wasm'"). The input gradient alone is compared with tfjs-wasm; both
// gradients and the training run are compared with tfjs-backend-cpu, the
// TF.js backend that can train it without native code, and the run records
// the tfjs-wasm error it gets.
// Each op figure is the median of single calls that include reading the
// result back (dataSync), after a warm-up.
//
//   node bench/conv.mjs [--quick] [--threads N] [--build NAME] [--steps 60] [--tfjs-cpu-steps 3] [--skip-ops] [--skip-cpu] [--skip-training] [--only TEXT] [--out conv.json]
// --only keeps the op cases whose name contains TEXT.
// Writes bench/results/conv.json (or --out NAME there). Needs `npm run build` first.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure, median } from './lib/timing.mjs';
import { values } from './lib/reference.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const version = (pkg) => require(`${pkg}/package.json`).version;

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    threads: { type: 'string' },
    build: { type: 'string' },
    steps: { type: 'string', default: '60' },
    'tfjs-cpu-steps': { type: 'string', default: '3' },
    'skip-training': { type: 'boolean', default: false },
    'skip-ops': { type: 'boolean', default: false },
    out: { type: 'string', default: 'conv.json' },
    'skip-cpu': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const STEPS = Number(flags.steps);
// tfjs-backend-cpu takes about a minute per convnet step here, so it trains fewer batches.
const CPU_STEPS = Number(flags['tfjs-cpu-steps']);
for (const [name, v] of [['steps', STEPS], ['tfjs-cpu-steps', CPU_STEPS]]) {
  if (!Number.isInteger(v) || v < 2) throw new Error(`bench/conv: --${name} must be an integer >= 2, got ${v}`);
}
const timing = flags.quick ? { warmupMs: 150, targetMs: 600, minRuns: 3 } : { warmupMs: 400, targetMs: 2000, minRuns: 5 };
const ROUNDS = flags.quick ? 3 : 5;

const wt = await import('wasmtensor');
await wt.ready(flags.build ? { build: flags.build } : undefined);
if (flags.threads !== undefined) await wt.setThreads(Number(flags.threads));
const tf = await import('@tensorflow/tfjs-core');
const tfl = await import('@tensorflow/tfjs-layers');
await import('@tensorflow/tfjs-backend-cpu');
const { setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
setThreadsCount(1);
tf.enableProdMode();
/** Makes a TF.js backend current ('wasm' or 'cpu'). */
async function useTfjs(name) {
  if (!(await tf.setBackend(name))) throw new Error(`bench/conv: tfjs backend ${name} failed to initialise`);
  await tf.ready();
}


const size = (shape) => shape.reduce((a, b) => a * b, 1);

/**
 * One case: build(lib) returns a function that runs the op once and returns
 * the tensors to read back and dispose. lib is { conv2d, depthwiseConv2d, grads, tensor, dispose }.
 */
const ours = {
  name: 'wasmtensor',
  scope: (fn) => wt.tidy(fn),
  tensor: (v, shape) => wt.tensor(v, shape),
  conv2d: (x, f, s, p) => wt.conv2d(x, f, s, p),
  depthwiseConv2d: typeof wt.depthwiseConv2d === 'function' ? (x, f, s, p) => wt.depthwiseConv2d(x, f, s, p) : null,
  grads: (fn) => wt.grads(fn),
  sum: (t) => wt.sum(t),
  resizeBilinear: typeof wt.image?.resizeBilinear === 'function' ? (x, s, a, h) => wt.image.resizeBilinear(x, s, a, h) : null,
};
const theirs = {
  name: 'tfjs',
  scope: (fn) => tf.tidy(fn),
  tensor: (v, shape) => tf.tensor(v, shape),
  conv2d: (x, f, s, p) => tf.conv2d(x, f, s, p),
  depthwiseConv2d: (x, f, s, p) => tf.depthwiseConv2d(x, f, s, p),
  grads: (fn) => tf.grads(fn),
  sum: (t) => tf.sum(t),
  resizeBilinear: (x, s, a, h) => tf.image.resizeBilinear(x, s, a, h),
};

/**
 * Times both libraries on one case in alternating rounds (this host's speed
 * drifts by up to 2x within minutes; alternating gives both the same drift):
 * each round is a short measure() of each, and the figure is the median of
 * the rounds' medians. `read` includes dataSync() of every output, as a user
 * needing the values would; without it the op alone is timed (both backends
 * run synchronously, so the work is done when the call returns).
 */
function timePair(make, read, slow) {
  const runs = [ours, theirs].map((lib) => {
    const run = make(lib); // its inputs live to the end of the process
    if (run === null) return null;
    return () => lib.scope(() => {
      const out = run();
      if (read) for (const t of out) t.dataSync();
      for (const t of out) t.dispose();
    });
  });
  const rounds = [[], []];
  // A tfjs-cpu backward takes up to a minute per call: one warm-up call and two timed ones.
  const per = slow ? { warmupMs: 0, minWarmup: 1, targetMs: 0, minRuns: 2 }
    : { ...timing, targetMs: timing.targetMs / ROUNDS, warmupMs: timing.warmupMs / 2, minRuns: 3 };
  for (let r = 0; r < (slow ? 1 : ROUNDS); r++) {
    runs.forEach((run, i) => { if (run !== null) rounds[i].push(measure(run, per).medianMs); });
  }
  return rounds.map((xs) => (xs.length === 0 ? null : median(xs)));
}

const CONVNET = [
  { name: 'conv1 64x28x28x1 -> 32 (3x3)', x: [64, 28, 28, 1], f: [3, 3, 1, 32] },
  { name: 'conv2 64x13x13x32 -> 64 (3x3)', x: [64, 13, 13, 32], f: [3, 3, 32, 64] },
  { name: 'conv3 64x5x5x64 -> 64 (3x3)', x: [64, 5, 5, 64], f: [3, 3, 64, 64] },
];

function forwardCase({ x, f }) {
  return (lib) => {
    const xt = lib.tensor(values(size(x), 1), x);
    const ft = lib.tensor(values(size(f), 2), f);
    return () => [lib.conv2d(xt, ft, 1, 'valid')];
  };
}

/** Both gradients of conv2d (the backward of one layer; dy = ones). */
function backwardCase({ x, f }) {
  return (lib) => {
    const xt = lib.tensor(values(size(x), 1), x);
    const ft = lib.tensor(values(size(f), 2), f);
    const g = lib.grads((a, b) => lib.conv2d(a, b, 1, 'valid'));
    return () => g([xt, ft]);
  };
}

/** The input gradient only (what tfjs-wasm has a kernel for). */
function inputGradCase({ x, f }) {
  return (lib) => {
    const xt = lib.tensor(values(size(x), 1), x);
    const ft = lib.tensor(values(size(f), 2), f);
    const g = lib.grads((a) => lib.conv2d(a, ft, 1, 'valid'));
    return () => g([xt]);
  };
}

/** MobileNet-like: 3x3 depthwise (stride 1, same) then 1x1 pointwise 32 -> 64, one 224x224x32 image. */
function mobileNetBlock(lib) {
  if (lib.depthwiseConv2d === null) return null;
  const x = lib.tensor(values(224 * 224 * 32, 3), [1, 224, 224, 32]);
  const dw = lib.tensor(values(9 * 32, 4), [3, 3, 32, 1]);
  const pw = lib.tensor(values(32 * 64, 5), [1, 1, 32, 64]);
  return () => {
    const d = lib.depthwiseConv2d(x, dw, 1, 'same');
    const y = lib.conv2d(d, pw, 1, 'valid');
    d.dispose();
    return [y];
  };
}

function depthwiseOnly(lib) {
  if (lib.depthwiseConv2d === null) return null;
  const x = lib.tensor(values(224 * 224 * 32, 3), [1, 224, 224, 32]);
  const dw = lib.tensor(values(9 * 32, 4), [3, 3, 32, 1]);
  return () => [lib.depthwiseConv2d(x, dw, 1, 'same')];
}

/** 2x bilinear upsampling of 8 feature maps 56x56x32 (half-pixel centres, Keras's UpSampling2D). */
function resizeCase(backward) {
  return (lib) => {
    if (lib.resizeBilinear === null) return null;
    const x = lib.tensor(values(8 * 56 * 56 * 32, 6), [8, 56, 56, 32]);
    if (!backward) return () => [lib.resizeBilinear(x, [112, 112], false, true)];
    const g = lib.grads((a) => lib.resizeBilinear(a, [112, 112], false, true));
    return () => g([x]);
  };
}

// peer: the TF.js backend the case runs on.
const CASES = [
  ...CONVNET.map((c) => ({ name: `forward  ${c.name}`, make: forwardCase(c), peer: 'wasm' })),
  ...CONVNET.map((c) => ({ name: `dx only  ${c.name}`, make: inputGradCase(c), peer: 'wasm' })),
  ...CONVNET.map((c) => ({ name: `dx + df  ${c.name}`, make: backwardCase(c), peer: 'cpu' })),
  { name: 'depthwise 3x3 1x224x224x32 (same)', make: depthwiseOnly, peer: 'wasm' },
  { name: 'mobilenet block: depthwise 3x3 + pointwise 1x1 32->64 at 224x224', make: mobileNetBlock, peer: 'wasm' },
  { name: 'resizeBilinear 8x56x56x32 -> 112x112 (half-pixel)', make: resizeCase(false), peer: 'wasm' },
  { name: 'resizeBilinear gradient, same shapes', make: resizeCase(true), peer: 'wasm' },
];

console.log(`bench/conv: wasmtensor ${wt.version} (${wt.getBuild()}, ${wt.getThreads()} thread(s)) vs tfjs-backend-wasm ${version('@tensorflow/tfjs-backend-wasm')} (XNNPACK, 1 thread) / tfjs-backend-cpu, ${process.version}`);
const results = [];
const fmt = (ms) => (ms === null ? '     n/a' : `${ms.toFixed(3).padStart(8)} ms`);
const ratio = (a, b) => (a === null ? '  n/a' : `${(b / a).toFixed(2)}x`);
if (!flags['skip-ops']) console.log(`${'case'.padEnd(64)} ${'op + dataSync: ours'.padStart(22)} ${'peer'.padStart(20)}  ratio | op only: ratio`);
// --skip-cpu leaves out the tfjs-cpu cases (about three minutes of one-minute calls).
for (const c of flags['skip-ops'] ? [] : CASES.filter((k) => !(flags['skip-cpu'] && k.peer === 'cpu') && (flags.only === undefined || k.name.includes(flags.only)))) {
  await useTfjs(c.peer);
  const peer = `tfjs-${c.peer}`;
  const [a, b] = timePair(c.make, true, c.peer === 'cpu');
  // The tfjs-cpu cases take seconds per call; their op-only figure would add minutes for no information.
  const [oa, ob] = c.peer === 'cpu' ? [null, null] : timePair(c.make, false, false);
  results.push({ case: c.name, peer, wasmtensorMs: a, peerMs: b, speedup: a === null ? null : b / a, opOnly: { wasmtensorMs: oa, peerMs: ob, speedup: oa === null ? null : ob / oa } });
  console.log(`${c.name.padEnd(64)} ${fmt(a)} ${peer.padStart(9)} ${fmt(b)}  ${ratio(a, b).padStart(7)} | ${fmt(oa)} vs ${fmt(ob)} ${ratio(oa, ob)}`);
}

/** The book's convnet in either library (both expose the same layers API). */
function convnet(layers, model) {
  model.add(layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
  model.add(layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
  model.add(layers.flatten());
  model.add(layers.dense({ units: 64, activation: 'relu' }));
  model.add(layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** Seconds per training step: fit 1 epoch of `steps` batches of 64; the first step (warm-up, compilation) is excluded. */
async function stepSeconds(fit, steps) {
  const times = [];
  let t0 = 0;
  await fit(steps * 64, {
    onBatchBegin: async () => { t0 = performance.now(); },
    onBatchEnd: async () => { times.push((performance.now() - t0) / 1000); },
  });
  const steady = times.slice(1);
  return steady.reduce((a, b) => a + b, 0) / steady.length;
}

let training = null;
if (!flags['skip-training']) {
  const n = STEPS * 64;
  const xs = values(n * 784, 7).map((v) => (v + 1) / 2);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 10);
  const stepsPer5Epochs = 5 * Math.ceil(60000 / 64);

  wt.setRandomSeed(1);
  const ourModel = convnet(wt.layers, wt.sequential());
  const ox = wt.tensor(xs, [n, 28, 28, 1]);
  const oy = wt.oneHot(wt.tensor(labels, [n], 'int32'), 10);
  const ourStep = await stepSeconds((rows, cb) => ourModel.fit(ox.index(`0:${rows}`), oy.index(`0:${rows}`), { epochs: 1, batchSize: 64, verbose: 0, callbacks: [cb] }), STEPS);

  await useTfjs('wasm');
  const tx = tf.tensor4d(xs, [n, 28, 28, 1]);
  const ty = tf.oneHot(tf.tensor1d(labels, 'int32'), 10).cast('float32');
  const tfjsStep = async (backend, steps) => {
    await useTfjs(backend);
    const model = convnet(tfl.layers, tfl.sequential());
    const rowsOf = (rows) => tf.tidy(() => [tf.slice(tx, 0, rows), tf.slice(ty, 0, rows)]);
    try {
      const stepMs = 1000 * await stepSeconds(async (rows, cb) => {
        const [x, y] = rowsOf(rows);
        try {
          await model.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0, callbacks: cb });
        } finally {
          tf.dispose([x, y]);
        }
      }, steps);
      return { steps, stepMs };
    } catch (error) {
      return { error: String(error.message ?? error) };
    } finally {
      model.dispose();
    }
  };
  const onWasm = await tfjsStep('wasm', STEPS);
  const onCpu = await tfjsStep('cpu', CPU_STEPS);

  training = {
    steps: STEPS,
    wasmtensorStepMs: ourStep * 1000,
    tfjsLayersWasm: onWasm,
    tfjsLayersCpu: onCpu,
    scaledTo5Epochs: { steps: stepsPer5Epochs, wasmtensorSeconds: ourStep * stepsPer5Epochs, tfjsLayersCpuSeconds: onCpu.stepMs && (onCpu.stepMs / 1000) * stepsPer5Epochs },
    speedupVsTfjsCpu: onCpu.stepMs && onCpu.stepMs / (ourStep * 1000),
  };
  console.log(`\ntraining step (batch 64, mean of steps 2..${STEPS}; tfjs-cpu 2..${CPU_STEPS}): ours ${(ourStep * 1000).toFixed(1)} ms`);
  console.log(`  tfjs-layers on tfjs-wasm: ${onWasm.error ? `fails: ${onWasm.error}` : `${onWasm.stepMs.toFixed(1)} ms`}`);
  console.log(`  tfjs-layers on tfjs-cpu:  ${onCpu.error ? `fails: ${onCpu.error}` : `${onCpu.stepMs.toFixed(1)} ms: ours ${training.speedupVsTfjsCpu.toFixed(2)}x faster`}`);
  console.log(`scaled to 5 epochs of 60,000 (${stepsPer5Epochs} steps): ours ${training.scaledTo5Epochs.wasmtensorSeconds.toFixed(0)} s` +
    (onCpu.stepMs ? `, tfjs-layers/cpu ${training.scaledTo5Epochs.tfjsLayersCpuSeconds.toFixed(0)} s` : ''));
  ourModel.dispose();
  for (const t of [ox, oy]) t.dispose();
  tf.dispose([tx, ty]);
}

const result = {
  benchmark: 'conv2d forward/backward (book convnet shapes, batch 64), MobileNet-like block at 224x224x32, convnet training step',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
  note: 'shared, noisy machine: compare the two columns of one run, not figures across runs. Op times include dataSync().',
  wasmtensor: { version: wt.version, build: wt.getBuild(), threads: wt.getThreads() },
  tfjs: { backendWasm: version('@tensorflow/tfjs-backend-wasm'), backendCpu: version('@tensorflow/tfjs-backend-cpu'), layers: version('@tensorflow/tfjs-layers'), wasmThreads: 1 },
  ops: results,
  training,
};
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const out = join(root, 'bench', 'results', flags.out);
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);
