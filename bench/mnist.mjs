// The seed's MNIST run timed end to end for wasmtensor and for
// @tensorflow/tfjs-layers on @tensorflow/tfjs-backend-wasm, in one process:
// 784 -> Dense(512, relu) -> Dense(10, softmax), rmsprop, categorical
// crossentropy, accuracy, batch 128, the full 60,000 / 10,000 images.
// wasmtensor trains the full 5 epochs. tfjs-wasm is slow enough (~270 s for 5
// epochs on a 2-core machine) that by default it trains 1 epoch and its time is
// scaled to 5 (per-epoch cost is flat after the first few steps); the output
// and the JSON say so. Its test accuracy is the one after its own epochs.
//
//   node bench/mnist.mjs [--epochs 5] [--tfjs-epochs 1] [--seed 1] [--skip-tfjs] [--threads N] [--build NAME]
// --threads calls wt.setThreads(N) where it exists; --build passes { build } to wt.ready().
// Writes bench/results/mnist.json. Needs `npm run build` first.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const version = (pkg) => require(`${pkg}/package.json`).version;

const { values: flags } = parseArgs({
  options: {
    epochs: { type: 'string', default: '5' },
    'tfjs-epochs': { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    'skip-tfjs': { type: 'boolean', default: false },
    threads: { type: 'string' },
    build: { type: 'string' },
  },
});
const EPOCHS = Number(flags.epochs);
const TFJS_EPOCHS = Number(flags['tfjs-epochs']);
const SEED = Number(flags.seed);
const BATCH = 128;
for (const [name, v] of [['epochs', EPOCHS], ['tfjs-epochs', TFJS_EPOCHS], ['seed', SEED]]) {
  if (!Number.isInteger(v) || v < (name === 'seed' ? 0 : 1)) throw new Error(`bench/mnist: --${name} must be an integer, got ${v}`);
}

const wt = await import('wasmtensor');
await wt.ready(flags.build ? { build: flags.build } : undefined);
if (flags.build && wt.getBuild() !== flags.build) console.log(`NOTE: --build ${flags.build} requested, ready() chose '${wt.getBuild()}'`);
if (flags.threads !== undefined) {
  const n = Number(flags.threads);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench/mnist: --threads must be a positive integer, got ${flags.threads}`);
  if (typeof wt.setThreads === 'function') await wt.setThreads(n);
  else console.log(`NOTE: --threads ${n} ignored: this wasmtensor has no setThreads()`);
}
const ourThreads = typeof wt.getThreads === 'function' ? wt.getThreads() : 1;
const [[trainImages, trainLabels], [testImages, testLabels]] = await wt.datasets.mnist.loadData();
// The same bytes feed both libraries.
const raw = {
  xTrain: trainImages.dataSync(),
  yTrain: trainLabels.dataSync(),
  xTest: testImages.dataSync(),
  yTest: testLabels.dataSync(),
};

async function runWasmtensor() {
  wt.setRandomSeed(SEED);
  const prepare = (x) => wt.div(x.reshape([x.shape[0], 784]).astype('float32'), 255);
  const x = prepare(trainImages);
  const xTest = prepare(testImages);
  const y = wt.utils.toCategorical(trainLabels, 10);
  const yTest = wt.utils.toCategorical(testLabels, 10);
  const model = wt.sequential();
  model.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
  model.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  console.log(`\n== wasmtensor ${wt.version} (${wt.getBackend()}/${wt.getBuild()}, ${ourThreads} thread(s)): ${EPOCHS} epochs`);
  const started = performance.now();
  await model.fit(x, y, { epochs: EPOCHS, batchSize: BATCH });
  const seconds = (performance.now() - started) / 1000;
  const [loss, acc] = model.evaluate(xTest, yTest);
  return { seconds, epochs: EPOCHS, testLoss: loss.dataSync()[0], testAccuracy: acc.dataSync()[0] };
}

async function runTfjs() {
  const tf = await import('@tensorflow/tfjs-core');
  const tfl = await import('@tensorflow/tfjs-layers');
  const { setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
  setThreadsCount(1); // Node: the wasm backend runs single-threaded anyway; say so explicitly
  if (!(await tf.setBackend('wasm'))) throw new Error('bench/mnist: tfjs-backend-wasm failed to initialise');
  await tf.ready();
  tf.enableProdMode();
  const toFloat = (bytes, n) => {
    const out = new Float32Array(bytes.length);
    for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255; // data preparation, outside the timing
    return tf.tensor2d(out, [n, 784]);
  };
  const x = toFloat(raw.xTrain, 60000);
  const xTest = toFloat(raw.xTest, 10000);
  const y = tf.oneHot(tf.tensor1d(Int32Array.from(raw.yTrain), 'int32'), 10).cast('float32');
  const yTest = tf.oneHot(tf.tensor1d(Int32Array.from(raw.yTest), 'int32'), 10).cast('float32');
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
  model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  console.log(`\n== tfjs-layers ${version('@tensorflow/tfjs-layers')} on tfjs-backend-wasm (${tf.getBackend()}, SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, 1 thread): ${TFJS_EPOCHS} epoch(s)`);
  const epochSeconds = [];
  let epochStart = 0;
  const started = performance.now();
  await model.fit(x, y, {
    epochs: TFJS_EPOCHS,
    batchSize: BATCH,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => { epochStart = performance.now(); },
      onEpochEnd: async (epoch, logs) => {
        epochSeconds.push((performance.now() - epochStart) / 1000);
        console.log(`Epoch ${epoch + 1}/${TFJS_EPOCHS} - ${epochSeconds.at(-1).toFixed(1)}s - accuracy: ${(logs.acc ?? logs.accuracy).toFixed(4)} - loss: ${logs.loss.toFixed(4)}`);
      },
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const [loss, acc] = model.evaluate(xTest, yTest, { batchSize: BATCH });
  const result = {
    seconds,
    epochs: TFJS_EPOCHS,
    epochSeconds,
    secondsScaledTo: { epochs: EPOCHS, seconds: (seconds * EPOCHS) / TFJS_EPOCHS, scaled: TFJS_EPOCHS !== EPOCHS },
    testLoss: (await loss.data())[0],
    testAccuracy: (await acc.data())[0],
  };
  tf.dispose([x, xTest, y, yTest, loss, acc]);
  return result;
}

const ours = await runWasmtensor();
console.log(`wasmtensor: ${ours.seconds.toFixed(1)} s for ${EPOCHS} epochs, test accuracy ${ours.testAccuracy.toFixed(4)}`);
const peer = flags['skip-tfjs'] ? null : await runTfjs();

const result = {
  benchmark: 'mnist seed run: 784-512(relu)-10(softmax), rmsprop, categorical crossentropy, batch 128, 60000 train / 10000 test',
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
  note: 'shared, noisy machine: compare the two times of one run, not figures across runs',
  wasmtensor: { version: wt.version, build: wt.getBuild(), threads: ourThreads, ...ours },
  tfjsWasm: peer && {
    packages: {
      layers: version('@tensorflow/tfjs-layers'),
      backendWasm: version('@tensorflow/tfjs-backend-wasm'),
      core: version('@tensorflow/tfjs-core'),
    },
    threads: 1,
    ...peer,
    note: peer.secondsScaledTo.scaled
      ? `trained ${TFJS_EPOCHS} epoch(s); seconds scaled linearly to ${EPOCHS}; its test accuracy is after ${TFJS_EPOCHS} epoch(s)`
      : `trained the full ${EPOCHS} epochs`,
  },
  // How many times faster wasmtensor trains the same 5 epochs (tfjs time scaled if needed).
  speedup: peer && peer.secondsScaledTo.seconds / ours.seconds,
};

console.log('\n== summary');
console.log(`wasmtensor      ${ours.seconds.toFixed(1).padStart(7)} s  (${EPOCHS} epochs)  test_acc ${ours.testAccuracy.toFixed(4)}`);
if (peer) {
  const scaled = peer.secondsScaledTo.scaled ? ` (measured ${peer.seconds.toFixed(1)} s for ${TFJS_EPOCHS} epoch(s), scaled x${EPOCHS / TFJS_EPOCHS})` : '';
  console.log(`tfjs-layers/wasm ${peer.secondsScaledTo.seconds.toFixed(1).padStart(6)} s  (${EPOCHS} epochs)${scaled}  test_acc ${peer.testAccuracy.toFixed(4)} after ${TFJS_EPOCHS} epoch(s)`);
  console.log(`speedup: wasmtensor is ${result.speedup.toFixed(2)}x faster (target of issue 4: >= 15x, aim 30x)`);
}
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const out = join(root, 'bench', 'results', 'mnist.json');
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`wrote ${out}`);
