// Start-up: time from `import` to the first prediction of the seed's model
// (784-512(relu)-10(softmax), one 784-float input) in a fresh Node process,
// for wasmtensor and for TF.js (tfjs-core + tfjs-layers on tfjs-backend-wasm,
// the same job). Each run is its own process (nothing cached in memory), runs
// alternate between the two, and the medians are reported with their ratio.
// Writes bench/results/startup.json. Needs `npm run build`.
//
//   node bench/startup.mjs [--runs 7]
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const RUNS = Number(flags.runs);

// Each child prints one number: milliseconds from before its first import to the prediction's values in hand.
const ours = `
const t0 = performance.now();
const wt = await import('wasmtensor');
await wt.ready();
const m = wt.sequential();
m.add(wt.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
m.add(wt.layers.dense({ units: 10, activation: 'softmax' }));
const y = m.predict(wt.zeros([1, 784])).dataSync();
console.log(JSON.stringify({ ms: performance.now() - t0, out: y.length, build: wt.getBuild() }));
`;
const tfjs = `
const t0 = performance.now();
const tf = await import('@tensorflow/tfjs-core');
await import('@tensorflow/tfjs-backend-wasm');
const tfl = await import('@tensorflow/tfjs-layers');
await tf.setBackend('wasm');
await tf.ready();
const m = tfl.sequential();
m.add(tfl.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }));
m.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
const y = m.predict(tf.zeros([1, 784])).dataSync();
console.log(JSON.stringify({ ms: performance.now() - t0, out: y.length }));
`;

// Each job runs as a script file, as an app does. (Code passed with -e pays
// for starting Node's ES module loader inside the first import(): about 4 ms
// here, the same for both libraries, and no app pays it.) The files live in
// the package, so that `import('wasmtensor')` resolves to this checkout.
const scripts = join(root, 'bench', '.startup');
mkdirSync(scripts, { recursive: true });
function script(name, code) {
  const file = join(scripts, `${name}.mjs`);
  writeFileSync(file, code);
  return file;
}
const jobs = { ours: script('wasmtensor', ours), tfjs: script('tfjs-wasm', tfjs) };

function run(file) {
  const text = execFileSync(process.execPath, [file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(text.trim().split('\n').pop());
}

const times = { wasmtensor: [], tfjsWasm: [] };
let build = '';
run(jobs.ours); // warm the OS file cache for both, untimed
run(jobs.tfjs);
for (let i = 0; i < RUNS; i++) {
  const a = run(jobs.ours);
  build = a.build;
  times.wasmtensor.push(a.ms);
  times.tfjsWasm.push(run(jobs.tfjs).ms);
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const report = {
  benchmark: 'import to first prediction of 784-512-10, fresh Node process per run, each a script file',
  command: `node bench/startup.mjs --runs ${RUNS}`,
  date: new Date().toISOString(),
  node: process.version,
  note: 'shared, noisy machine: compare the two medians of one run',
  wasmtensor: { build, medianMs: median(times.wasmtensor), runs: times.wasmtensor },
  tfjsWasm: { packages: 'tfjs-core + tfjs-layers + tfjs-backend-wasm 4.22', medianMs: median(times.tfjsWasm), runs: times.tfjsWasm },
};
report.ratio = report.tfjsWasm.medianMs / report.wasmtensor.medianMs;
console.log(`wasmtensor ${report.wasmtensor.medianMs.toFixed(1)} ms (${build}), tfjs-wasm ${report.tfjsWasm.medianMs.toFixed(1)} ms: ${report.ratio.toFixed(1)}x (medians of ${RUNS})`);
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(join(root, 'bench', 'results', 'startup.json'), JSON.stringify(report, null, 2) + '\n');
