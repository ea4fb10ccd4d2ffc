#!/usr/bin/env node
// Benchmark runner: wasmtensor vs @tensorflow/tfjs-backend-wasm (XNNPACK, 1 thread)
// and @tensorflow/tfjs-backend-cpu, in one Node process.
//
//   node bench/run.mjs [--impl=auto|api|raw] [--quick] [--cpu1024] [--rounds=3]
//                      [--cases=gemm256,gemm512,gemm1024,add1M,relu1M] [--out=bench/results/latest.json]
//
// What is timed (the same for every implementation): one call of the op on
// inputs created beforehand, plus dataSync() of the result (our ops and the
// tfjs wasm/cpu backends are synchronous; dataSync is what makes a result
// available to JS) and dispose() of the output. A second column times the op
// + dispose alone. Each case is warmed up (V8 runs wasm in its baseline tier
// first), then timed N times, N adaptive (~1.5 s per case and implementation,
// 5..200); the N runs are split into --rounds=R blocks (default 3) that
// alternate between the implementations, so that a burst of load on this
// noisy machine does not land on one of them only; medians over all runs.
// GEMM throughput is 2*n^3 flops; elementwise GB/s counts the bytes the op
// reads and writes (add: 12 B/element, relu: 8 B/element), not the readback.
// ratio = wasmtensor throughput / peer throughput (>1: wasmtensor is faster).
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { warmup, sample, runsFor, median } from './lib/timing.mjs';
import { createWasmtensor } from './adapters/wasmtensor.mjs';
import { createTfjs } from './adapters/tfjs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? true];
}));
const quick = !!args.quick;
const timing = quick
  ? { warmupMs: 150, targetMs: 500, minRuns: 3, maxRuns: 100 }
  : { warmupMs: 300, targetMs: 1500, minRuns: 5, maxRuns: 200 };
const rounds = Math.max(1, Number(args.rounds ?? 3) | 0);
const outPath = args.out ? String(args.out) : join(here, 'results', 'latest.json');

const ALL_CASES = [
  { id: 'gemm256', kind: 'gemm', n: 256 },
  { id: 'gemm512', kind: 'gemm', n: 512 },
  { id: 'gemm1024', kind: 'gemm', n: 1024 },
  { id: 'add1M', kind: 'add', n: 1 << 20 },
  { id: 'relu1M', kind: 'relu', n: 1 << 20 },
];
const cases = args.cases ? ALL_CASES.filter((c) => String(args.cases).split(',').includes(c.id)) : ALL_CASES;

function describe(c) {
  return c.kind === 'gemm' ? `matMul ${c.n}x${c.n}x${c.n} f32` : `${c.kind} ${c.n} f32`;
}
function work(c) {
  if (c.kind === 'gemm') return { unit: 'GFLOP/s', amount: 2 * c.n ** 3 / 1e9 };
  return { unit: 'GB/s', amount: (c.kind === 'add' ? 12 : 8) * c.n / 1e9 };
}

/** Standard-normal float32 inputs from a fixed seed: the same data for every implementation. */
function makeInputs(c) {
  const len = c.kind === 'gemm' ? c.n * c.n : c.n;
  let s = 0x9e3779b9 ^ c.n;
  const u = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return ((s >>> 0) + 0.5) / 2 ** 32; };
  const gen = () => {
    const v = new Float32Array(len);
    for (let i = 0; i < len; i += 2) {
      const r = Math.sqrt(-2 * Math.log(u()));
      const t = 2 * Math.PI * u();
      v[i] = r * Math.cos(t);
      if (i + 1 < len) v[i + 1] = r * Math.sin(t);
    }
    return v;
  };
  return [gen(), gen()];
}

/** Checks a few outputs against a float64 reference computed from the inputs. */
function verify(c, out, inputs) {
  const [a, b] = inputs;
  const n = c.n;
  if (!out || out.length !== (c.kind === 'gemm' ? n * n : n)) return `wrong output length ${out && out.length}`;
  let seed = 7;
  const rnd = (m) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % m; };
  for (let t = 0; t < 64; t++) {
    let want, tol, idx;
    if (c.kind === 'gemm') {
      const i = rnd(n), j = rnd(n);
      idx = i * n + j;
      let s = 0, mag = 0;
      for (let k = 0; k < n; k++) { s += a[i * n + k] * b[k * n + j]; mag += Math.abs(a[i * n + k] * b[k * n + j]); }
      want = s; tol = 1e-5 * mag + 1e-6;
    } else {
      idx = rnd(n);
      want = c.kind === 'add' ? a[idx] + b[idx] : Math.max(a[idx], 0);
      tol = 1e-6 * Math.abs(want) + 1e-7;
    }
    if (!(Math.abs(out[idx] - want) <= tol)) return `output[${idx}] = ${out[idx]}, expected ${want}`;
  }
  return null;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    date: new Date().toISOString(),
  };
}

const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? '-' : x.toFixed(d));
const pad = (s, w) => String(s).padEnd(w);
const lpad = (s, w) => String(s).padStart(w);

async function main() {
  const impls = [];
  impls.push(await createWasmtensor(args.impl ? String(args.impl) : 'auto'));
  impls.push(await createTfjs('wasm'));
  impls.push(await createTfjs('cpu'));
  const info = machine();
  console.log(`wasmtensor bench — ${info.cpu}, ${info.cores} cores, Node ${info.node}, ${info.date}`);
  for (const im of impls) console.log(`  ${im.label}: ${JSON.stringify(im.info)}`);
  console.log('  timed: op + dataSync() of the result + dispose (column "op+read"); "op only" = op + dispose.');
  console.log(`  median of N runs after warm-up (~${timing.targetMs} ms per case and implementation, ${rounds} alternating rounds);` +
    ' ratio = wasmtensor throughput / peer throughput (>1: wasmtensor faster).\n');

  const results = [];
  for (const c of cases) {
    const { unit, amount } = work(c);
    const inputs = makeInputs(c);
    const row = { case: c.id, kind: c.kind, n: c.n, description: describe(c), unit, impls: {} };
    // Prepare, verify and warm up every implementation, then alternate timed rounds.
    const live = [];
    // Tensor counts before anything is made (the two tfjs backends share one engine count).
    const before = new Map(impls.map((im) => [im.id, im.numTensors()]));
    for (const im of impls) {
      if (im.id === 'tfjs-cpu' && c.kind === 'gemm' && c.n >= 1024 && !args.cpu1024) {
        row.impls[im.id] = { skipped: 'tfjs-cpu GEMM 1024 takes seconds per run; pass --cpu1024 to include' };
        continue;
      }
      await im.activate();
      const p = im.prepare(c.kind, c.n, inputs);
      if (p.unavailable) { row.impls[im.id] = { skipped: p.unavailable }; p.dispose(); continue; }
      try {
        const err = verify(c, p.run(), inputs);
        if (err) { row.impls[im.id] = { error: `wrong result: ${err}` }; p.dispose(); continue; }
        const slow = im.id === 'tfjs-cpu' && c.kind === 'gemm';
        const opts = slow ? { ...timing, minWarmup: 1, minRuns: 3 } : timing;
        const runs = runsFor(warmup(p.run, opts), opts);
        const runsOpOnly = runsFor(warmup(p.runOpOnly, { ...opts, warmupMs: opts.warmupMs / 3 }), opts);
        live.push({ im, p, runs, runsOpOnly, full: [], opOnly: [] });
      } catch (e) {
        row.impls[im.id] = { error: String((e && e.message) || e) };
        p.dispose();
      }
    }
    for (let r = 0; r < rounds; r++) {
      for (const L of live) {
        await L.im.activate();
        const share = (n) => Math.max(1, Math.round(n / rounds));
        L.full.push(...sample(L.p.run, share(L.runs)));
        L.opOnly.push(...sample(L.p.runOpOnly, share(L.runsOpOnly)));
      }
    }
    for (const L of live) {
      await L.im.activate();
      L.p.dispose();
      const m = median(L.full);
      const mo = median(L.opOnly);
      const res = {
        medianMs: m, minMs: Math.min(...L.full), runs: L.full.length, throughput: amount / (m / 1e3),
        opOnlyMedianMs: mo, opOnlyRuns: L.opOnly.length, opOnlyThroughput: amount / (mo / 1e3),
      };
      row.impls[L.im.id] = res;
    }
    for (const L of live) {
      const b = before.get(L.im.id);
      const after = L.im.numTensors();
      if (b !== undefined && after !== b) row.impls[L.im.id].leak = after - b;
    }
    const ours = row.impls.wasmtensor;
    for (const im of impls.slice(1)) {
      const r = row.impls[im.id];
      if (ours?.throughput && r?.throughput) {
        r.ratio = ours.throughput / r.throughput;
        r.opOnlyRatio = ours.opOnlyThroughput / r.opOnlyThroughput;
      }
    }
    results.push(row);
    printRow(row, impls);
  }

  mkdirSync(dirname(outPath), { recursive: true });
  const json = {
    machine: info,
    command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    timed: 'op + dataSync() + dispose per run (opOnly: op + dispose); median of N runs after warm-up, ' +
      `${rounds} rounds alternating between implementations; ratio = wasmtensor throughput / peer throughput; ` +
      'GEMM GFLOP/s = 2n^3/time; elementwise GB/s = bytes read+written by the op (add 12 B, relu 8 B per element) / time',
    impls: Object.fromEntries(impls.map((im) => [im.id, { label: im.label, ...im.info }])),
    cases: results,
  };
  writeFileSync(outPath, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nwrote ${outPath}`);
}

let headerPrinted = false;
function printRow(row, impls) {
  if (!headerPrinted) {
    console.log(`${pad('case', 38)}${pad('impl', 32)}${lpad('op+read ms', 11)}${lpad('thrpt', 9)}${lpad('ratio', 8)}` +
      `${lpad('op only ms', 12)}${lpad('thrpt', 9)}${lpad('ratio', 8)}${lpad('runs', 6)}`);
    headerPrinted = true;
  }
  let first = true;
  for (const im of impls) {
    const r = row.impls[im.id];
    const name = first ? `${row.description} [${row.unit}]` : '';
    first = false;
    if (!r) continue;
    if (r.skipped || r.error) {
      console.log(`${pad(name, 38)}${pad(im.label, 32)}  ${r.skipped ? 'skipped: ' + r.skipped : 'ERROR: ' + r.error}`);
      continue;
    }
    console.log(`${pad(name, 38)}${pad(im.label, 32)}${lpad(fmt(r.medianMs, 3), 11)}${lpad(fmt(r.throughput, 1), 9)}` +
      `${lpad(r.ratio ? fmt(r.ratio) + 'x' : '', 8)}${lpad(fmt(r.opOnlyMedianMs, 3), 12)}${lpad(fmt(r.opOnlyThroughput, 1), 9)}` +
      `${lpad(r.opOnlyRatio ? fmt(r.opOnlyRatio) + 'x' : '', 8)}${lpad(r.runs, 6)}${r.leak ? `  LEAK ${r.leak} tensors` : ''}`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
