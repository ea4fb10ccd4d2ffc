#!/usr/bin/env node
// Checks the suite's own machinery without timing anything (seconds, no peers):
// the float64 reference accepts correct outputs computed independently here
// (explicit transposes, plain loops) and rejects wrong ones, every case id is
// unique, and the chart is self-contained SVG/HTML.   node bench/selftest.mjs
import assert from 'node:assert/strict';
import { ALL_CASES, selectCases } from './lib/cases.mjs';
import { makeInputs, verify } from './lib/reference.mjs';
import { renderSvg, renderHtml } from './lib/chart.mjs';

/** Row-major transpose of a [rows, cols] matrix. */
const transpose = (a, rows, cols) => {
  const t = new Float32Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j];
  return t;
};

/** Correct output of a case, computed without lib/reference.mjs. */
function truth(c, [a, b]) {
  if (c.kind === 'gemm') {
    const A = c.transposeA ? transpose(a, c.k, c.m) : a;
    const B = c.transposeB ? transpose(b, c.n, c.k) : b;
    const out = new Float32Array(c.m * c.n);
    for (let i = 0; i < c.m; i++) {
      for (let p = 0; p < c.k; p++) {
        const x = A[i * c.k + p];
        for (let j = 0; j < c.n; j++) out[i * c.n + j] += x * B[p * c.n + j];
      }
    }
    return out;
  }
  if (c.kind === 'add') return a.map((v, i) => v + b[i]);
  if (c.kind === 'mul') return a.map((v, i) => v * b[i]);
  if (c.kind === 'relu') return a.map((v) => (v > 0 ? v : 0));
  if (c.kind === 'sum') {
    const { rows, cols, axis } = c;
    if (axis === null) return Float32Array.of(a.reduce((s, v) => s + v, 0));
    const out = new Float32Array(axis === 0 ? cols : rows);
    for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) out[axis === 0 ? q : r] += a[r * cols + q];
    return out;
  }
  // softmax over rows of [rows, cols]
  const out = new Float32Array(a.length);
  for (let r = 0; r < c.rows; r++) {
    const row = a.subarray(r * c.cols, (r + 1) * c.cols);
    const mx = Math.max(...row);
    const e = row.map((v) => Math.exp(v - mx));
    const z = e.reduce((s, v) => s + v, 0);
    out.set(e.map((v) => v / z), r * c.cols);
  }
  return out;
}

// Small versions of every shape family keep this fast; gemm with odd sizes and both transposes.
const small = [
  ...[[5, 7, 3, false, false], [5, 7, 3, true, false], [5, 7, 3, false, true], [1, 9, 4, true, false]].map(([m, k, n, tA, tB]) =>
    ({ id: `g${m}${k}${n}${tA}${tB}`, kind: 'gemm', m, k, n, transposeA: tA, transposeB: tB })),
  ...['add', 'mul', 'relu'].map((kind) => ({ id: kind, kind, size: 1000 })),
  ...[null, 0, -1].map((axis) => ({ id: `sum${axis}`, kind: 'sum', rows: 13, cols: 17, axis, size: 13 * 17 })),
  { id: 'softmax', kind: 'softmax', rows: 6, cols: 10, size: 60 },
];
for (const c of small) {
  const inputs = makeInputs(c);
  const good = truth(c, inputs);
  assert.equal(verify(c, good, inputs), null, `${c.id}: a correct output is rejected`);
  const bad = good.slice();
  bad[bad.length >> 1] += 0.5 + Math.abs(bad[bad.length >> 1]) * 0.1;
  assert.notEqual(verify(c, bad, inputs), null, `${c.id}: a wrong output is accepted`);
  assert.notEqual(verify(c, good.subarray(1), inputs), null, `${c.id}: a short output is accepted`);
}

assert.equal(new Set(ALL_CASES.map((c) => c.id)).size, ALL_CASES.length, 'case ids are unique');
assert.deepEqual(selectCases('gemm512,add*').map((c) => c.id), ['gemm512', 'add1K', 'add16K', 'add256K', 'add1M', 'add4M', 'add16M']);
assert.throws(() => selectCases('nope'), /matches no case/);

const fake = {
  machine: { cpu: 'x', cores: 2, node: 'v0', v8: '0', date: '2026-01-01T00:00:00Z' }, command: 'node bench/run.mjs <x>', note: 'n', timed: 't',
  impls: { wasmtensor: { label: 'a<b' }, 'tfjs-wasm': { label: 'w' } },
  cases: [{ case: 'gemm64', kind: 'gemm', group: 'gemm-square', m: 64, k: 64, n: 64, description: 'd', unit: 'GFLOP/s',
    impls: { wasmtensor: { throughput: 2, opOnlyThroughput: 3, medianMs: 1 }, 'tfjs-wasm': { throughput: 1, opOnlyThroughput: 1, medianMs: 2, ratio: 2 } } }],
};
const svg = renderSvg(fake, null);
const html = renderHtml(fake, null, svg);
assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
for (const doc of [svg, html]) {
  assert.doesNotMatch(doc, /<script|src=|href=|@import/i, 'the chart loads nothing and runs nothing');
  assert.doesNotMatch(doc, /a<b/, 'labels are escaped');
}
console.log(`bench selftest: ${small.length} reference checks, case list and chart OK`);
