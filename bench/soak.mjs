// Soak: the seed's model (784-512-10, relu/softmax, rmsprop) trained for many
// steps with a hand-written loop — once inside tidy(), once leaving every
// intermediate to the garbage collector — then many batch-1 predict calls.
// Memory is sampled as it runs: wasm memory, wt.memory().numTensors and the
// JS heap must stay flat (no growth after warm-up). Writes bench/results/soak.json.
//
//   node bench/soak.mjs [--steps 100000] [--predicts 100000] [--batch 8] [--every 5000]
// Needs `npm run build`. test/hardening/soak.test.ts runs a short version.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: flags } = parseArgs({
  options: {
    steps: { type: 'string', default: '100000' },
    predicts: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '8' },
    every: { type: 'string', default: '5000' },
    out: { type: 'string' },
  },
});
const STEPS = Number(flags.steps);
const PREDICTS = Number(flags.predicts);
const BATCH = Number(flags.batch);
const EVERY = Number(flags.every);

const wt = await import('wasmtensor');
await wt.ready();
wt.setRandomSeed(1);

function sample(label, i) {
  const m = wt.memory();
  return { label, i, wasmBytes: m.wasmBytes, numTensors: m.numTensors, numBytes: m.numBytes, heapBytes: process.memoryUsage().heapUsed };
}

function model() {
  const m = wt.sequential();
  m.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
  m.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
  return m;
}

// A fixed pool of batches (synthetic MNIST-shaped data): the loop itself allocates nothing it keeps.
const x = wt.randomUniform([BATCH * 16, 784], 0, 1, 2);
const y = wt.utils.toCategorical(wt.randomUniform([BATCH * 16], 0, 10, 3).cast('int32'), 10);
const batches = Array.from({ length: 16 }, (_, i) => [x.slice([i * BATCH, 0], [BATCH, 784]), y.slice([i * BATCH, 0], [BATCH, 10])]);

async function train(label, useTidy) {
  const m = model();
  const opt = new wt.optimizers.RMSprop();
  const step = (xb, yb) => opt.minimize(() => wt.losses.categoricalCrossentropy(yb, m.apply(xb, { training: true })), true);
  const samples = [];
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) {
    const [xb, yb] = batches[i % batches.length];
    if (useTidy) wt.tidy(() => { step(xb, yb); });
    else step(xb, yb); // the returned cost is dropped without dispose()
    if (i % EVERY === 0 || i === STEPS - 1) {
      await new Promise((r) => setImmediate(r)); // let the FinalizationRegistry run, as an app's event loop would
      samples.push(sample(label, i));
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  m.dispose();
  return { label, steps: STEPS, seconds, samples };
}

async function predicts() {
  const m = model();
  const one = x.slice([0, 0], [1, 784]);
  const samples = [];
  const t0 = performance.now();
  for (let i = 0; i < PREDICTS; i++) {
    m.predict(one).dispose();
    if (i % EVERY === 0 || i === PREDICTS - 1) samples.push(sample('predict', i));
  }
  const seconds = (performance.now() - t0) / 1000;
  m.dispose();
  return { label: 'predict batch 1', calls: PREDICTS, seconds, msPerCall: (seconds * 1000) / PREDICTS, samples };
}

/** Growth from the first sample after warm-up (a tenth of the run) to the last. */
function growth(run) {
  const warm = run.samples[Math.min(run.samples.length - 1, Math.ceil(run.samples.length / 10))];
  const last = run.samples[run.samples.length - 1];
  const max = (k) => Math.max(...run.samples.map((s) => s[k]));
  return {
    wasmBytes: { afterWarmup: warm.wasmBytes, last: last.wasmBytes, max: max('wasmBytes') },
    numTensors: { afterWarmup: warm.numTensors, last: last.numTensors, max: max('numTensors') },
    heapMiB: { afterWarmup: +(warm.heapBytes / 2 ** 20).toFixed(1), last: +(last.heapBytes / 2 ** 20).toFixed(1), max: +(max('heapBytes') / 2 ** 20).toFixed(1) },
  };
}

const runs = [await train('fit steps in tidy()', true), await train('fit steps without tidy', false), await predicts()];
const report = {
  benchmark: 'soak: 784-512-10 rmsprop training steps (batch ' + BATCH + ') with and without tidy, then batch-1 predicts',
  date: new Date().toISOString(),
  node: process.version,
  build: wt.getBuild(),
  threads: wt.getThreads(),
  runs: runs.map((r) => ({ ...r, growth: growth(r) })),
};
for (const r of report.runs) {
  const g = r.growth;
  console.log(`${r.label.padEnd(26)} ${(r.steps ?? r.calls)} in ${r.seconds.toFixed(1)} s: wasm ${(g.wasmBytes.afterWarmup / 2 ** 20).toFixed(1)} -> ${(g.wasmBytes.last / 2 ** 20).toFixed(1)} MiB (max ${(g.wasmBytes.max / 2 ** 20).toFixed(1)}), tensors ${g.numTensors.afterWarmup} -> ${g.numTensors.last} (max ${g.numTensors.max}), JS heap ${g.heapMiB.afterWarmup} -> ${g.heapMiB.last} MiB (max ${g.heapMiB.max})`);
}
const out = flags.out ?? join(dirname(fileURLToPath(import.meta.url)), 'results', 'soak.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(`wrote ${out}`);
