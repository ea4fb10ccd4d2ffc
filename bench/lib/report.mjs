// Console tables of the benchmark: one row per case and implementation while
// the suite runs, then one line per case with the ratios against each peer.

const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? '-' : x.toFixed(d));
const pad = (s, w) => String(s).padEnd(w);
const lpad = (s, w) => String(s).padStart(w);
const NAME = 54, IMPL = 34;
// Names longer than the column still get one space before the next.
const cellName = (s) => pad(s, NAME - 1) + ' ';

export function printHeader() {
  console.log(`${pad('case', NAME)}${pad('impl', IMPL)}${lpad('op+read ms', 11)}${lpad('thrpt', 9)}${lpad('ratio', 8)}` +
    `${lpad('op only ms', 12)}${lpad('thrpt', 9)}${lpad('ratio', 8)}${lpad('runs', 6)}`);
}

export function printRow(row, impls) {
  let first = true;
  for (const im of impls) {
    const r = row.impls[im.id];
    const name = first ? `${row.description} [${row.unit}]` : '';
    first = false;
    if (!r) continue;
    if (r.skipped || r.error) {
      console.log(`${cellName(name)}${pad(im.label, IMPL)}  ${r.skipped ? 'skipped: ' + r.skipped : 'ERROR: ' + r.error}`);
      continue;
    }
    // Peers: wasmtensor / peer; other wasmtensor thread counts: their speedup over the first.
    const q = r.ratio ?? r.speedup, qo = r.opOnlyRatio ?? r.opOnlySpeedup;
    console.log(`${cellName(name)}${pad(im.label, IMPL)}${lpad(fmt(r.medianMs, 3), 11)}${lpad(fmt(r.throughput, 1), 9)}` +
      `${lpad(q ? fmt(q) + 'x' : '', 8)}${lpad(fmt(r.opOnlyMedianMs, 3), 12)}${lpad(fmt(r.opOnlyThroughput, 1), 9)}` +
      `${lpad(qo ? fmt(qo) + 'x' : '', 8)}${lpad(r.runs, 6)}${r.leak ? `  LEAK ${r.leak} tensors` : ''}`);
  }
}

/** Ratios (op+read / op only) of wasmtensor against each peer, one line per case. */
export function printSummary(rows, impls) {
  const peers = impls.slice(1);
  console.log(`\nratios, wasmtensor / peer throughput (op+read | op only; >1: wasmtensor faster)` +
    `${peers.some((p) => p.id.startsWith('wasmtensor-')) ? '; wasmtensor-<n>t columns: speedup over the first thread count' : ''}`);
  console.log(`${pad('case', NAME)}${lpad('wasmtensor', 16)}${peers.map((p) => lpad(p.id, 22)).join('')}`);
  for (const row of rows) {
    const ours = row.impls.wasmtensor;
    const cells = peers.map((p) => {
      const r = row.impls[p.id];
      if (!r) return lpad('-', 22);
      if (r.skipped) return lpad('skipped', 22);
      if (r.error) return lpad('ERROR', 22);
      const q = r.ratio ?? r.speedup, qo = r.opOnlyRatio ?? r.opOnlySpeedup;
      return lpad(q ? `${fmt(q)}x | ${fmt(qo)}x` : '-', 22);
    });
    const mine = ours?.throughput ? `${fmt(ours.throughput, 1)} ${row.unit}` : ours?.error ? 'ERROR' : '-';
    console.log(`${cellName(row.description)}${lpad(mine, 16)}${cells.join('')}`);
  }
}
