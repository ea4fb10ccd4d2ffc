// CPU (wasm) vs WebGPU GEMM: `npm run bench:gpu` (node bench/webgpu.mjs).
// For square GEMMs and the seed's Dense shapes it times, through the public
// API (dist/index.mjs):
//   cpu        wt.matMul on the wasm kernels
//   gpu_e2e    inputs in wasm memory -> upload, compute, read back (what a
//              matMul on CPU tensors costs with the GPU forced on)
//   gpu_res    inputs already on the GPU -> compute, read back
//   readback   reading back an output that is already computed
//   tfjs_*     @tensorflow/tfjs-backend-webgpu in the same process on the
//              same adapter (Dawn in Node): e2e from CPU data, and with the
//              inputs already on its GPU (await data() both times)
//   queued     per product, from 1 + Q products queued back to back with only
//              the last read back, less 1 product read back, over Q (Q = 8
//              on hardware, 1 on software): the GPU's compute time with the
//              readback's latency and copy taken out, for both libraries;
//              tfjs/ours of it is the figure the GEMM target is about
// and derives upload = e2e - res and compute = res - readback. It checks each
// GPU product against the CPU's, prints the measured crossover (the first size
// where the GPU end to end beats the CPU) and writes
// bench/results/webgpu-<date>.json, stating the adapter and whether it is a
// software one (SwiftShader, llvmpipe: about 0.2 GFLOP/s, numbers for
// correctness only, never for speed), with a chart beside it (.svg: GFLOP/s
// against size for the square GEMMs).
//
// Options: --sizes=256,512,... (default 256..4096 on hardware, 64..512 on
// software), --no-dense, --out=path.
// Node without a GPU: LD_LIBRARY_PATH=/usr/lib/chromium
// VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node bench/webgpu.mjs
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib/timing.mjs';
import { esc, legend, linePanel } from './lib/svg.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? true];
}));
const dist = join(root, 'dist', 'index.mjs');
if (!existsSync(dist)) throw new Error('bench/webgpu: dist/index.mjs does not exist (run `npm run build`)');
const wt = await import(pathToFileURL(dist).href);
await wt.ready();

const date = new Date().toISOString().slice(0, 10);
const out = args.out ?? join(root, 'bench', 'results', `webgpu-${date}.json`);
const info = await wt.webgpu.adapterInfo();
const report = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  wasmBuild: wt.getBuild(),
  threads: wt.getThreads(),
  adapter: info,
  software: info?.software ?? null,
  note: null,
  cases: [],
  crossover: null,
};

if (!info) {
  report.note = `no WebGPU adapter: ${wt.webgpu.unavailableReason()}`;
  console.log(`bench/webgpu: ${report.note}`);
  save();
  process.exit(0);
}
console.log(`adapter: ${info.vendor} ${info.architecture} ${info.description} (${info.software ? 'SOFTWARE: correctness only, not speed' : 'hardware'})`);
console.log(`cpu: ${report.cpu}, wasm build ${report.wasmBuild}, ${report.threads} thread(s)`);
if (info.software) report.note = 'software adapter: GPU figures show correctness and overheads only; a software rasteriser says nothing about GPU speed';

const tfjs = await loadTfjsWebgpu();
if (typeof tfjs === 'string') console.log(`tfjs-backend-webgpu: ${tfjs}`);
report.tfjsWebgpu = typeof tfjs === 'string' ? { note: tfjs } : { version: tfjs.version_core };

const sizes = typeof args.sizes === 'string'
  ? args.sizes.split(',').map(Number)
  : info.software ? [64, 128, 256, 512] : [256, 512, 1024, 2048, 4096];
const cases = sizes.map((s) => ({ id: `gemm${s}`, m: s, k: s, n: s }));
if (!args['no-dense']) {
  // The seed's 784-512-10 model at batch 128 (m x k x n), as bench/lib/cases.mjs.
  cases.push(
    { id: 'dense1_fwd', m: 128, k: 784, n: 512 },
    { id: 'dense2_fwd', m: 128, k: 512, n: 10 },
    { id: 'dense1_dW', m: 784, k: 128, n: 512, tA: true },
    { id: 'dense1_dx', m: 128, k: 512, n: 784, tB: true },
  );
}

/**
 * Per-product GPU time from products queued back to back: run(count) times
 * `count` products with only the last read back. Never below 0 (noise).
 */
async function queuedMs(run) {
  const q = info.software ? 1 : 8;
  const one = await run(1);
  return Math.max(0, (await run(1 + q)) - one) / q;
}

/** Median ms of `runs` timed calls after one warm-up; fewer runs for slow calls. */
function time(fn, before = () => {}) {
  before();
  const first = timed(fn);
  const runs = first > 2000 ? 1 : first > 300 ? 3 : 7;
  const samples = [];
  for (let i = 0; i < runs; i++) {
    before();
    samples.push(timed(fn));
  }
  return median(samples);
}
function timed(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

for (const c of cases) {
  const a = wt.randomUniform(c.tA ? [c.k, c.m] : [c.m, c.k], -1, 1, 'float32', 1);
  const b = wt.randomUniform(c.tB ? [c.n, c.k] : [c.k, c.n], -1, 1, 'float32', 2);
  const product = () => wt.matMul(a, b, !!c.tA, !!c.tB);
  const flops = 2 * c.m * c.n * c.k;
  await wt.setBackend('wasm');
  const reference = product();
  const want = reference.dataSync();
  const cpu = time(() => wt.tidy(() => product()));
  await wt.setBackend('webgpu');
  // Taking the inputs' wasm pointers (dataSync) drops their GPU copies: the next product uploads.
  const onCpu = () => { a.dataSync(); b.dataSync(); };
  const e2e = time(() => wt.tidy(() => product().dataSync()), onCpu);
  product().dispose(); // inputs uploaded again, and left there
  const res = time(() => wt.tidy(() => product().dataSync()));
  const readback = (() => {
    const samples = [];
    for (let i = 0; i < 3; i++) {
      const y = product();
      wt.matMul(a, b, !!c.tA, !!c.tB).dataSync(); // queued after y: once it is back, y is computed
      samples.push(timed(() => y.dataSync()));
      y.dispose();
    }
    return median(samples);
  })();
  const queued = await queuedMs((count) => time(() => wt.tidy(() => {
    let y;
    for (let i = 0; i < count; i++) y = product();
    y.dataSync();
  })));
  const tf = typeof tfjs === 'string' ? null : await timeTfjs(tfjs, a, b, c, want);
  const got = product().dataSync();
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  await wt.setBackend('wasm');
  const row = {
    id: c.id, m: c.m, k: c.k, n: c.n, transposeA: !!c.tA, transposeB: !!c.tB,
    cpuMs: cpu, gpuE2eMs: e2e, gpuResidentMs: res, readbackMs: readback,
    uploadMs: Math.max(0, e2e - res), computeMs: Math.max(0, res - readback), queuedMs: queued,
    cpuGflops: flops / cpu / 1e6, gpuE2eGflops: flops / e2e / 1e6, gpuComputeGflops: flops / Math.max(res - readback, 1e-3) / 1e6,
    maxRelError: err, correct: err < 1e-3,
    ...(tf ?? {}),
  };
  report.cases.push(row);
  console.log(`${c.id.padEnd(11)} cpu ${cpu.toFixed(2).padStart(9)} ms ${row.cpuGflops.toFixed(1).padStart(6)} GFLOP/s | gpu e2e ${e2e.toFixed(2).padStart(9)} ms`
    + ` (upload ${row.uploadMs.toFixed(2)}, compute ${row.computeMs.toFixed(2)}, readback ${readback.toFixed(2)}) ${row.gpuE2eGflops.toFixed(2)} GFLOP/s | max rel err ${err.toExponential(1)}`
    + (tf ? ` | tfjs-webgpu e2e ${tf.tfjsE2eMs.toFixed(2)} ms, resident ${tf.tfjsResidentMs.toFixed(2)} ms (err ${tf.tfjsMaxRelError.toExponential(1)}); tfjs/ours resident ${(tf.tfjsResidentMs / res).toFixed(2)}x`
      + ` | queued: ours ${queued.toFixed(2)} ms, tfjs ${tf.tfjsQueuedMs.toFixed(2)} ms, tfjs/ours ${(tf.tfjsQueuedMs / queued).toFixed(2)}x` : ''));
  a.dispose(); b.dispose(); reference.dispose();
}

const square = report.cases.filter((r) => r.id.startsWith('gemm'));
const win = square.find((r) => r.gpuE2eMs < r.cpuMs);
report.crossover = win ? { size: win.m, multiplyAdds: win.m * win.k * win.n } : null;
console.log(win
  ? `crossover: the GPU wins end to end from ${win.m}^3 (${win.m ** 3} multiply-adds)`
  : `crossover: none up to ${square.at(-1)?.m}^3 — the GPU never won end to end${info.software ? ' (software adapter: expected)' : ''}`);
// The issue's GPU target: >= 1.0x tfjs-backend-webgpu on GEMM 1024-4096, on the queued (compute) times.
report.vsTfjs = square.filter((r) => r.tfjsQueuedMs > 0 && r.queuedMs > 0)
  .map((r) => ({ size: r.m, tfjsOverOurs: r.tfjsQueuedMs / r.queuedMs }));
if (report.vsTfjs.length) {
  console.log(`tfjs-webgpu / ours, queued compute: ${report.vsTfjs.map((v) => `${v.size}: ${v.tfjsOverOurs.toFixed(2)}x`).join(', ')}`
    + (info.software ? ' (software adapter: not a GPU figure)' : ''));
}
if (!report.cases.every((r) => r.correct)) console.log('WARNING: some GPU products differ from the CPU (see maxRelError)');
save();

/** tfjs-core with tfjs-backend-webgpu on Dawn's navigator.gpu, or why not. */
async function loadTfjsWebgpu() {
  try {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    globalThis.navigator ??= {};
    if (!globalThis.navigator.gpu) Object.defineProperty(globalThis.navigator, 'gpu', { value: create([]), configurable: true });
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-webgpu');
    if (!(await tf.setBackend('webgpu'))) return 'its backend did not initialise';
    await tf.ready();
    return tf;
  } catch (error) {
    return `not available (${String(error).split('\n')[0]})`;
  }
}

async function timeTfjs(tf, a, b, c, want) {
  const [ad, bd] = [a.dataSync(), b.dataSync()];
  const run = (x, y) => tf.matMul(x, y, !!c.tA, !!c.tB);
  const timeAsync = async (fn) => {
    await fn();
    const first = await timedAsync(fn);
    const runs = first > 2000 ? 1 : first > 300 ? 3 : 7;
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await timedAsync(fn));
    return median(samples);
  };
  const e2e = await timeAsync(async () => {
    const [x, y] = [tf.tensor(ad, a.shape), tf.tensor(bd, b.shape)];
    const z = run(x, y);
    await z.data();
    tf.dispose([x, y, z]);
  });
  const [x, y] = [tf.tensor(ad, a.shape), tf.tensor(bd, b.shape)];
  const resident = await timeAsync(async () => {
    const z = run(x, y);
    await z.data();
    z.dispose();
  });
  const queued = await queuedMs((count) => timeAsync(async () => {
    const zs = [];
    for (let i = 0; i < count; i++) zs.push(run(x, y));
    await zs.at(-1).data();
    tf.dispose(zs);
  }));
  const z = run(x, y);
  const got = await z.data();
  tf.dispose([x, y, z]);
  let err = 0;
  for (let i = 0; i < want.length; i++) err = Math.max(err, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  return { tfjsE2eMs: e2e, tfjsResidentMs: resident, tfjsQueuedMs: queued, tfjsMaxRelError: err };
}

async function timedAsync(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function save() {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  const svg = out.replace(/\.json$/, '') + '.svg';
  writeFileSync(svg, chart());
  console.log(`wrote ${out} and ${svg}`);
}

/** GFLOP/s vs size of the square GEMMs: CPU, ours on the GPU (end to end, compute only), tfjs-backend-webgpu. */
function chart() {
  const rows = report.cases.filter((r) => r.id.startsWith('gemm'));
  const gflops = (r, ms) => (ms > 0 ? (2 * r.m * r.n * r.k) / ms / 1e6 : undefined);
  const series = [
    { name: `wasmtensor CPU (${report.wasmBuild}, ${report.threads} thr)`, color: '#d62728', key: (r) => r.cpuGflops },
    { name: 'wasmtensor WebGPU, end to end', color: '#2ca02c', key: (r) => r.gpuE2eGflops },
    { name: 'wasmtensor WebGPU, compute', color: '#2ca02c', dash: '5,4', key: (r) => r.gpuComputeGflops },
    { name: 'wasmtensor WebGPU, queued', color: '#2ca02c', dash: '1,3', key: (r) => gflops(r, r.queuedMs) },
    { name: 'tfjs-backend-webgpu, end to end', color: '#1f77b4', key: (r) => gflops(r, r.tfjsE2eMs) },
    { name: 'tfjs-backend-webgpu, resident inputs', color: '#1f77b4', dash: '5,4', key: (r) => gflops(r, r.tfjsResidentMs) },
    { name: 'tfjs-backend-webgpu, queued', color: '#1f77b4', dash: '1,3', key: (r) => gflops(r, r.tfjsQueuedMs) },
  ].map((s) => ({ ...s, points: rows.map((r) => [r.m, s.key(r)]) }));
  const adapter = report.adapter ? `${report.adapter.vendor} ${report.adapter.architecture} ${report.adapter.description}`.trim() : 'no adapter';
  const title = `Square GEMM on ${adapter}${report.software ? ' (SOFTWARE adapter: correctness only, not GPU speed)' : ''}`;
  const panel = rows.length
    ? linePanel({ x: 0, y: 40, w: 900, h: 380, title, xLabel: 'n (n x n x n)', yLabel: 'GFLOP/s', series, xTicks: rows.map((r) => ({ v: r.m, label: String(r.m) })) })
    : `<text x="10" y="60">${esc(report.note ?? 'no GEMM rows')}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="480" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="20" font-size="14">${esc(`bench/webgpu ${report.date.slice(0, 10)}, ${report.cpu}, Node ${report.node}`)}</text>
${panel}
${legend({ x: 10, y: 446, items: series.slice(0, 4) })}
${legend({ x: 10, y: 470, items: series.slice(4) })}
</svg>
`;
}
