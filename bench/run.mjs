#!/usr/bin/env node
// Benchmark suite of issue 4: wasmtensor vs @tensorflow/tfjs-backend-wasm
// (XNNPACK, 1 thread) and @tensorflow/tfjs-backend-cpu, in one Node process.
//
//   node bench/run.mjs [--quick] [--cases=gemm*,dense1_fwd,elementwise,...]
//                      [--threads=N[,M...]] [--build=NAME] [--rounds=3] [--cpu-all]
//                      [--out=path.json] [--no-chart]
//
// What is timed (the same for every implementation): one call of the op on
// inputs created beforehand, plus dataSync() of the result and dispose() of the
// output ("op+read"); a second column times op + dispose alone ("op only").
// Each case is checked against a float64 reference first (lib/reference.mjs),
// then warmed up (V8 runs wasm in its baseline tier first), then timed N times,
// N adaptive (~1.5 s per case and implementation, 0.5 s with --quick); the N
// runs are split into --rounds blocks that alternate between implementations
// so that a burst of load on a shared machine does not land on one of them
// only; medians over all runs. ratio = wasmtensor throughput / peer throughput.
//
// Writes bench/results/<YYYY-MM-DD>.json, bench/results/latest.json and
// bench/results/chart.svg/.html (lib/chart.mjs); with --out, only that file and
// <out>.chart.svg/.html beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { warmup, sample, runsFor, median } from './lib/timing.mjs';
import { selectCases, defaultSkip } from './lib/cases.mjs';
import { makeInputs, verify } from './lib/reference.mjs';
import { printHeader, printRow, printSummary } from './lib/report.mjs';
import { writeCharts } from './lib/chart.mjs';
import { createWasmtensor } from './adapters/wasmtensor.mjs';
import { createTfjs } from './adapters/tfjs.mjs';

const isVariant = (id) => id.startsWith('wasmtensor-');

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = join(here, 'results');
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, ...v] = a.replace(/^--/, '').split('=');
  return [k, v.length ? v.join('=') : true];
}));
const known = ['quick', 'cases', 'threads', 'build', 'rounds', 'cpu-all', 'out', 'no-chart'];
for (const k of Object.keys(args)) {
  if (!known.includes(k)) throw new Error(`bench: unknown option --${k}; options are ${known.map((o) => '--' + o).join(' ')}`);
}
const quick = !!args.quick;
const timing = quick
  ? { warmupMs: 150, targetMs: 500, minRuns: 3, maxRuns: 100 }
  : { warmupMs: 300, targetMs: 1500, minRuns: 5, maxRuns: 200 };
const rounds = Math.max(1, Number(args.rounds ?? 3) | 0);
// --threads=N or a list (--threads=1,2): the first count is what the peers are compared with; the others
// run as extra implementations 'wasmtensor-<n>t' whose "ratio" is their speedup over the first.
const threads = args.threads === undefined ? undefined : String(args.threads).split(',').map(Number);
if (threads && !threads.every((n) => Number.isInteger(n) && n >= 1)) throw new Error(`bench: --threads must be positive integers (N or N,M,...), got ${args.threads}`);
const cases = selectCases(args.cases);

const NOISE_NOTE = 'Shared, noisy machine (other jobs run on the same cores): absolute figures move between runs; ' +
  'compare the ratios measured in one run.';

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadavg: os.loadavg().map((x) => +x.toFixed(2)),
    date: new Date().toISOString(),
  };
}

/** Prepares, verifies and warms up one implementation on one case; null plus a row entry when it cannot run. */
async function prepareLive(im, c, inputs, row) {
  const skip = args['cpu-all'] ? null : defaultSkip(im.id, c);
  if (skip) { row.impls[im.id] = { skipped: skip }; return null; }
  await im.activate();
  let p;
  try {
    p = im.prepare(c, inputs);
    const err = verify(c, p.run(), inputs);
    if (err) { row.impls[im.id] = { error: `wrong result: ${err}` }; p.dispose(); return null; }
    // tfjs-cpu GEMM: one warm-up call and 3 runs are enough to be seconds long.
    const slow = im.id === 'tfjs-cpu' && c.kind === 'gemm';
    const opts = slow ? { ...timing, minWarmup: 1, minRuns: 3 } : timing;
    const runs = runsFor(warmup(p.run, opts), opts);
    const runsOpOnly = runsFor(warmup(p.runOpOnly, { ...opts, warmupMs: opts.warmupMs / 3 }), opts);
    return { im, p, runs, runsOpOnly, full: [], opOnly: [] };
  } catch (e) {
    row.impls[im.id] = { error: String((e && e.message) || e) };
    p?.dispose();
    return null;
  }
}

async function runCase(c, impls) {
  const inputs = makeInputs(c);
  const row = { case: c.id, kind: c.kind, group: c.group, description: c.description, unit: c.unit, ...shapeOf(c), impls: {} };
  const before = new Map(impls.map((im) => [im.id, im.numTensors()]));
  const live = [];
  for (const im of impls) {
    const L = await prepareLive(im, c, inputs, row);
    if (L) live.push(L);
  }
  const share = (n) => Math.max(1, Math.round(n / rounds));
  for (let r = 0; r < rounds; r++) {
    for (const L of live) {
      await L.im.activate();
      L.full.push(...sample(L.p.run, share(L.runs)));
      L.opOnly.push(...sample(L.p.runOpOnly, share(L.runsOpOnly)));
    }
  }
  for (const L of live) {
    await L.im.activate();
    L.p.dispose();
    const m = median(L.full), mo = median(L.opOnly);
    row.impls[L.im.id] = {
      medianMs: m, minMs: Math.min(...L.full), runs: L.full.length, throughput: c.amount / (m / 1e3),
      opOnlyMedianMs: mo, opOnlyRuns: L.opOnly.length, opOnlyThroughput: c.amount / (mo / 1e3),
    };
  }
  // After every implementation disposed its inputs: the tfjs backends share one engine count.
  for (const L of live) {
    const after = L.im.numTensors();
    const b = before.get(L.im.id);
    if (b !== undefined && after !== undefined && after !== b) row.impls[L.im.id].leak = after - b;
  }
  const ours = row.impls.wasmtensor;
  for (const im of impls.slice(1)) {
    const r = row.impls[im.id];
    if (!ours?.throughput || !r?.throughput) continue;
    if (isVariant(im.id)) {
      // Another thread count of wasmtensor: its speedup over the first count.
      r.speedup = r.throughput / ours.throughput;
      r.opOnlySpeedup = r.opOnlyThroughput / ours.opOnlyThroughput;
    } else {
      r.ratio = ours.throughput / r.throughput;
      r.opOnlyRatio = ours.opOnlyThroughput / r.opOnlyThroughput;
    }
  }
  return row;
}

function shapeOf(c) {
  if (c.kind === 'gemm') return { m: c.m, k: c.k, n: c.n, transposeA: c.transposeA, transposeB: c.transposeB };
  if (c.kind === 'sum') return { rows: c.rows, cols: c.cols, axis: c.axis, size: c.size };
  if (c.kind === 'softmax') return { rows: c.rows, cols: c.cols, size: c.size };
  return { size: c.size };
}

async function main() {
  const impls = [
    ...await createWasmtensor({ threads, build: args.build ? String(args.build) : undefined }),
    await createTfjs('wasm'),
    await createTfjs('cpu'),
  ];
  const info = machine();
  const started = performance.now();
  console.log(`wasmtensor bench — ${info.cpu}, ${info.cores} cores, Node ${info.node}, load ${info.loadavg.join(' ')}, ${info.date}`);
  console.log(`NOTE: ${NOISE_NOTE}`);
  for (const im of impls) {
    console.log(`  ${im.label}: ${JSON.stringify(im.info)}`);
    for (const n of im.info.notes ?? []) console.log(`  NOTE: ${n}`);
  }
  console.log('  timed: op + dataSync() of the result + dispose ("op+read"); "op only" = op + dispose.');
  console.log(`  median of N runs after warm-up (~${timing.targetMs} ms per case and implementation, ${rounds} alternating rounds);` +
    ' ratio = wasmtensor throughput / peer throughput (>1: wasmtensor faster).');
  const variants = impls.filter((im) => isVariant(im.id));
  if (variants.length) console.log(`  rows of ${variants.map((im) => im.label).join(', ')}: ratio = their throughput / ${impls[0].label}'s (thread scaling).`);
  if (!args['cpu-all']) console.log('  tfjs-cpu skips GEMM above 512^3 and 16M-float cases (seconds per run); --cpu-all includes them.');
  console.log('');

  printHeader();
  const results = [];
  for (const c of cases) {
    const row = await runCase(c, impls);
    results.push(row);
    printRow(row, impls);
  }
  printSummary(results, impls);

  const json = {
    machine: info,
    command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    quick,
    note: NOISE_NOTE,
    seconds: +((performance.now() - started) / 1e3).toFixed(1),
    timed: 'op + dataSync() + dispose per run (opOnly: op + dispose); median of N runs after warm-up, ' +
      `${rounds} rounds alternating between implementations; ratio = wasmtensor throughput / peer throughput; ` +
      'speedup (wasmtensor-<n>t) = its throughput / the first wasmtensor thread count\'s; ' +
      'GEMM GFLOP/s = 2mkn/time; elementwise GB/s = bytes read+written by the op (add/mul 12 B, relu 8 B per element) / time; ' +
      'sum GB/s = 4 B read per element / time; softmax GB/s = 8 B per element / time',
    impls: Object.fromEntries(impls.map((im) => [im.id, { label: im.label, ...im.info }])),
    cases: results,
  };
  const text = JSON.stringify(json, null, 2) + '\n';
  const outs = args.out ? [resolve(String(args.out))]
    : [join(resultsDir, `${info.date.slice(0, 10)}.json`), join(resultsDir, 'latest.json')];
  for (const out of outs) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
    console.log(`wrote ${out}`);
  }
  if (!args['no-chart']) {
    // With --out the chart goes next to that file (<name>.chart.svg), leaving bench/results/chart.* alone.
    const charts = args.out ? writeCharts(json, resultsDir, dirname(outs[0]), `${basename(outs[0], '.json')}.chart`)
      : writeCharts(json, resultsDir, resultsDir);
    for (const f of charts) console.log(`wrote ${f}`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
