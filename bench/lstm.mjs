// LSTM benchmark (issue 10): LSTM(128) over a (64, 100, 32) batch, then
// Dense(1), wasmtensor vs @tensorflow/tfjs-layers on tfjs-backend-wasm
// (XNNPACK, 1 thread), in one process:
//   forward    model.predict(x) + dataSync()
//   train step one fit() over one batch of 64: forward, backprop through
//              100 steps, Adam update (MSE loss)
// Same weights (ours copied into tfjs), same bytes. The two libraries
// alternate in rounds so that machine noise hits both; medians of rounds.
//
//   node bench/lstm.mjs [--rounds 5] [--threads N] [--build NAME] [--quick]
// Writes bench/results/lstm.json. Needs `npm run build` first.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './lib/timing.mjs';
import { values } from './lib/reference.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const version = (pkg) => require(`${pkg}/package.json`).version;

const { values: flags } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, threads: { type: 'string' }, build: { type: 'string' }, quick: { type: 'boolean', default: false } },
});
const ROUNDS = flags.quick ? 2 : Number(flags.rounds);
const PER_ROUND = flags.quick ? 2 : 3;
const [B, T, D, UNITS] = [64, 100, 32, 128];

const wt = await import('wasmtensor');
await wt.ready(flags.build ? { build: flags.build } : undefined);
if (flags.threads !== undefined) await wt.setThreads(Number(flags.threads));
const tf = await import('@tensorflow/tfjs-core');
const tfl = await import('@tensorflow/tfjs-layers');
const { setThreadsCount } = await import('@tensorflow/tfjs-backend-wasm');
setThreadsCount(1);
tf.enableProdMode();
if (!(await tf.setBackend('wasm'))) throw new Error('bench/lstm: tfjs-backend-wasm failed to initialise');
await tf.ready();


function build(layers, model, extra = {}) {
  model.add(layers.lstm({ units: UNITS, inputShape: [T, D], ...extra }));
  model.add(layers.dense({ units: 1 }));
  model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return model;
}

wt.setRandomSeed(1);
const ours = build(wt.layers, wt.sequential());
// tfjs-layers' orthogonal initializer needs the chained-op API, which its
// Node bundle does not register; the weights are overwritten with ours anyway.
const theirs = build(tfl.layers, tfl.sequential(), { recurrentInitializer: 'glorotUniform' });
theirs.setWeights(ours.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)));
const xs = values(B * T * D, 3);
const ys = values(B, 4);
const ox = wt.tensor(xs, [B, T, D]);
const oy = wt.tensor(ys, [B, 1]);
const tx = tf.tensor(xs, [B, T, D]);
const ty = tf.tensor(ys, [B, 1]);

const check = Math.max(...(() => {
  const a = ours.predict(ox).dataSync();
  const b = theirs.predict(tx).dataSync();
  return Array.from(a, (v, i) => Math.abs(v - b[i]));
})());

const cases = {
  forward: {
    ours: async () => { ours.predict(ox).dataSync(); },
    theirs: async () => { const p = theirs.predict(tx); p.dataSync(); p.dispose(); },
  },
  trainStep: {
    ours: async () => { await ours.fit(ox, oy, { epochs: 1, batchSize: B, verbose: 0 }); },
    theirs: async () => { await theirs.fit(tx, ty, { epochs: 1, batchSize: B, verbose: 0 }); },
  },
};

async function timeOnce(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

console.log(`bench/lstm: LSTM(${UNITS}) over (${B}, ${T}, ${D}) + Dense(1); wasmtensor ${wt.version} (${wt.getBuild()}, ${wt.getThreads()} thread(s)) ` +
  `vs tfjs-layers ${version('@tensorflow/tfjs-layers')} on tfjs-backend-wasm ${version('@tensorflow/tfjs-backend-wasm')} (1 thread), ${process.version}`);
console.log(`max |prediction difference| with the same weights: ${check.toExponential(2)}`);
const results = {};
for (const [name, c] of Object.entries(cases)) {
  // Warm-up: V8's baseline tier, first allocations, tfjs kernel setup.
  for (let i = 0; i < 2; i++) { await c.ours(); await c.theirs(); }
  const samples = { ours: [], theirs: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const who of r % 2 ? ['theirs', 'ours'] : ['ours', 'theirs']) {
      for (let i = 0; i < PER_ROUND; i++) samples[who].push(await timeOnce(c[who]));
    }
  }
  const a = median(samples.ours);
  const b = median(samples.theirs);
  results[name] = { wasmtensorMs: a, tfjsWasmMs: b, speedup: b / a, runs: samples.ours.length };
  console.log(`${name.padEnd(10)} ours ${a.toFixed(1).padStart(8)} ms   tfjs-wasm ${b.toFixed(1).padStart(8)} ms   ${(b / a).toFixed(2)}x`);
}

const result = {
  benchmark: `LSTM(${UNITS}) over (${B}, ${T}, ${D}) + Dense(1): predict, and one fit() step (Adam, MSE)`,
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version },
  note: 'shared, noisy machine: compare the two columns of one run; medians over alternating rounds. Forward includes dataSync().',
  wasmtensor: { version: wt.version, build: wt.getBuild(), threads: wt.getThreads() },
  tfjs: { backendWasm: version('@tensorflow/tfjs-backend-wasm'), layers: version('@tensorflow/tfjs-layers'), wasmThreads: 1 },
  maxPredictionDifference: check,
  results,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(join(root, 'bench/results/lstm.json'), JSON.stringify(result, null, 2) + '\n');
console.log('wrote bench/results/lstm.json');
