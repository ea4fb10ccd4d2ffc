// bench/results/chart.svg and chart.html from a results JSON (run.mjs) and the
// latest bench/results/mnist.json (mnist.mjs) when present: GFLOP/s vs size for
// square GEMM, GB/s vs size for elementwise ops, ratios for the Dense GEMMs,
// reductions and softmax, and the MNIST training times. Self-contained: inline
// SVG, no scripts, no external resources.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { esc, linePanel, legend, barPanel } from './svg.mjs';

const COLORS = { wasmtensor: '#d62728', 'tfjs-wasm': '#1f77b4', 'tfjs-cpu': '#7f7f7f' };
// Other wasmtensor thread counts (wasmtensor-<n>t): orange, then green.
const color = (id) => COLORS[id] ?? (id.startsWith('wasmtensor-') ? '#ff7f0e' : '#2ca02c');
const W = 1000;

function readMnist(dir) {
  const path = join(dir, 'mnist.json');
  if (!existsSync(path)) return null;
  try { return JSON.parse(readFileSync(path, 'utf8')); } catch { return null; }
}

/** Line series (op+read solid, op only dashed) of every implementation over rows, x = xOf(row). */
function seriesOf(json, rows, xOf) {
  return Object.entries(json.impls).flatMap(([id, im]) => [
    { name: `${im.label}, op+read`, color: color(id), points: rows.map((r) => [xOf(r), r.impls[id]?.throughput]) },
    { name: `${im.label}, op only`, color: color(id), dash: '5,4', points: rows.map((r) => [xOf(r), r.impls[id]?.opOnlyThroughput]) },
  ]);
}

const clip = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
const sizeLabel = (n) => (n >= 1 << 20 ? `${n / (1 << 20)}M` : n >= 1024 ? `${n / 1024}K` : `${n}`);

function mnistBars(mnist) {
  if (!mnist?.wasmtensor) return [];
  const bars = [{
    label: `wasmtensor (${mnist.wasmtensor.build ?? '?'}${mnist.wasmtensor.threads ? `, ${mnist.wasmtensor.threads} thr` : ''}), ${mnist.wasmtensor.epochs} epochs`, value: mnist.wasmtensor.seconds,
    color: color('wasmtensor'), text: `${mnist.wasmtensor.seconds.toFixed(1)} s, test acc ${mnist.wasmtensor.testAccuracy.toFixed(4)}`,
  }];
  const p = mnist.tfjsWasm;
  if (p) {
    const scaled = p.secondsScaledTo?.scaled;
    bars.push({
      label: `tfjs-layers + tfjs-wasm, ${p.secondsScaledTo?.epochs ?? p.epochs} epochs${scaled ? '*' : ''}`,
      value: p.secondsScaledTo?.seconds ?? p.seconds, color: color('tfjs-wasm'),
      text: `${(p.secondsScaledTo?.seconds ?? p.seconds).toFixed(1)} s${scaled ? ` (*${p.epochs} epoch(s) measured, scaled)` : ''}`,
    });
  }
  return bars;
}

/** The whole chart as one SVG document. */
export function renderSvg(json, mnist) {
  const rows = json.cases;
  const parts = [];
  const m = json.machine;
  parts.push(`<text x="0" y="18" font-size="16" font-weight="bold">wasmtensor benchmark${json.quick ? ' (--quick)' : ''} — ${esc(m.date.slice(0, 16).replace('T', ' '))} UTC</text>`,
    `<text x="0" y="36" font-size="12">${esc(`${m.cpu}, ${m.cores} cores, Node ${m.node}; ${clip(json.command, 110)}`)}</text>`,
    `<text x="0" y="52" font-size="12" fill="#a00">${esc(json.note ?? '')}</text>`);
  const items = Object.entries(json.impls).map(([id, im]) => ({ name: im.label, color: color(id) }));
  parts.push(legend({ x: 0, y: 76, items }),
    legend({ x: 0, y: 94, items: [{ name: 'solid: op + dataSync() + dispose', color: '#000' }, { name: 'dashed: op + dispose only', color: '#000', dash: '5,4' }] }));
  let y = 104;
  const square = rows.filter((r) => r.group === 'gemm-square').sort((a, b) => a.m - b.m);
  const panels = [{
    title: 'GEMM n x n x n (float32)', xLabel: 'n', yLabel: 'GFLOP/s', rows: square, xOf: (r) => r.m,
    xTicks: square.map((r) => ({ v: r.m, label: String(r.m) })),
  }];
  for (const op of ['add', 'mul', 'relu']) {
    const el = rows.filter((r) => r.kind === op && r.group === 'elementwise').sort((a, b) => a.size - b.size);
    panels.push({ title: `${op} (float32)`, xLabel: 'elements', yLabel: 'GB/s', rows: el, xOf: (r) => r.size,
      xTicks: el.map((r) => ({ v: r.size, label: sizeLabel(r.size) })) });
  }
  const shown = panels.filter((p) => p.rows.length > 0);
  shown.forEach((p, i) => {
    parts.push(linePanel({ x: (i % 2) * (W / 2), y: y + Math.floor(i / 2) * 300, w: W / 2 - 10, h: 290, title: p.title,
      xLabel: p.xLabel, yLabel: p.yLabel, xTicks: p.xTicks, series: seriesOf(json, p.rows, p.xOf) }));
  });
  y += Math.ceil(shown.length / 2) * 300 + 10;
  const others = rows.filter((r) => !['gemm-square', 'elementwise'].includes(r.group) && r.impls['tfjs-wasm']?.ratio);
  if (others.length) {
    const bars = others.map((r) => ({
      label: r.kind === 'gemm' ? `${r.case} ${r.m}x${r.k}x${r.n}${r.transposeA ? ' A^T' : r.transposeB ? ' B^T' : ''}` : r.description, value: r.impls['tfjs-wasm'].ratio, color: color('wasmtensor'),
      text: `${r.impls['tfjs-wasm'].ratio.toFixed(2)}x  (wasmtensor ${r.impls.wasmtensor.throughput.toFixed(1)} ${r.unit})`,
    }));
    parts.push(barPanel({ x: 0, y, w: W, title: 'Dense-layer GEMMs, reductions, softmax: wasmtensor / tfjs-wasm throughput (op+read)', bars, marker: 1 }));
    y += 44 + bars.length * 22;
  }
  for (const [id, im] of Object.entries(json.impls).filter(([id]) => id.startsWith('wasmtensor-'))) {
    const scaled = rows.filter((r) => r.impls[id]?.speedup && (r.kind === 'gemm' || r.size >= 1 << 20));
    if (!scaled.length) continue;
    const bars = scaled.map((r) => ({
      label: r.kind === 'gemm' ? `${r.case} ${r.m}x${r.k}x${r.n}` : r.description, value: r.impls[id].speedup, color: color(id),
      text: `${r.impls[id].speedup.toFixed(2)}x  (${r.impls[id].throughput.toFixed(1)} ${r.unit})`,
    }));
    parts.push(barPanel({ x: 0, y, w: W, title: `Thread scaling: ${im.label} / ${json.impls.wasmtensor.label} (op+read)`, bars, marker: 1 }));
    y += 44 + bars.length * 22;
  }
  const mb = mnistBars(mnist);
  if (mb.length) {
    parts.push(barPanel({ x: 0, y, w: W, title: `MNIST seed model, batch 128 (${mnist.date?.slice(0, 10) ?? ''}): training time, lower is better` +
      `${mnist.speedup ? ` — wasmtensor ${mnist.speedup.toFixed(1)}x faster` : ''}`, bars: mb }));
    y += 34 + mb.length * 22;
  }
  const H = y + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="-10 -4 ${W + 20} ${H + 8}" ` +
    `font-family="system-ui, sans-serif" role="img" aria-label="wasmtensor benchmark chart">\n` +
    `<rect x="-10" y="-4" width="${W + 20}" height="${H + 8}" fill="#fff"/>\n${parts.join('\n')}\n</svg>\n`;
}

/** A table of every case: throughput per implementation and the ratio to each peer. */
function table(json) {
  const ids = Object.keys(json.impls);
  const head = `<tr><th>case</th><th>unit</th>${ids.map((id) => `<th>${esc(json.impls[id].label)}</th>`).join('')}</tr>`;
  const cell = (r, id) => {
    const x = r.impls[id];
    if (!x) return '<td>-</td>';
    if (x.skipped) return `<td class="note" title="${esc(x.skipped)}">skipped</td>`;
    if (x.error) return `<td class="err" title="${esc(x.error)}">error</td>`;
    const ratio = x.ratio ? ` <b>${x.ratio.toFixed(2)}x</b>` : x.speedup ? ` <b>${x.speedup.toFixed(2)}x vs first</b>` : '';
    return `<td>${x.throughput.toFixed(2)} <small>(${x.medianMs.toFixed(3)} ms; op only ${x.opOnlyThroughput.toFixed(2)})</small>${ratio}</td>`;
  };
  const body = json.cases.map((r) => `<tr><td>${esc(r.description)}</td><td>${esc(r.unit)}</td>${ids.map((id) => cell(r, id)).join('')}</tr>`);
  return `<table>${head}\n${body.join('\n')}</table>`;
}

export function renderHtml(json, mnist, svg) {
  const notes = Object.values(json.impls).flatMap((im) => [...(im.notes ?? []), ...(im.multiThreadInNode ? [im.multiThreadInNode] : [])]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wasmtensor benchmark ${esc(json.machine.date.slice(0, 10))}</title>
<style>body{font-family:system-ui,sans-serif;margin:16px;max-width:1100px}table{border-collapse:collapse;font-size:13px}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}.note{color:#777}.err{color:#c00}small{color:#666}</style></head>
<body>
<h1>wasmtensor benchmark</h1>
<p><b>${esc(json.note ?? '')}</b></p>
<p>${esc(`${json.machine.cpu}, ${json.machine.cores} cores, Node ${json.machine.node}, V8 ${json.machine.v8}; ${json.machine.date}; command: ${json.command}`)}</p>
<p>Timed: ${esc(json.timed)}. Ratios in bold: wasmtensor throughput / that peer's (&gt;1: wasmtensor faster).</p>
${notes.length ? `<ul>${notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
${svg}
<h2>All cases</h2>
${table(json)}
${mnist ? `<h2>MNIST</h2><pre>${esc(JSON.stringify(mnist, null, 2))}</pre>` : '<p>No bench/results/mnist.json yet (node bench/mnist.mjs).</p>'}
</body></html>
`;
}

/** Writes <name>.svg and <name>.html into outDir; mnist.json is read from mnistDir. Returns the paths. */
export function writeCharts(json, mnistDir, outDir, name = 'chart') {
  const mnist = readMnist(mnistDir);
  const svg = renderSvg(json, mnist);
  const files = [join(outDir, `${name}.svg`), join(outDir, `${name}.html`)];
  writeFileSync(files[0], svg);
  writeFileSync(files[1], renderHtml(json, mnist, svg));
  return files;
}
