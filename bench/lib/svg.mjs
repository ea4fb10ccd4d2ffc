// Minimal SVG drawing for the benchmark chart: log-log line panels and
// horizontal bars, as strings. No dependencies, no scripts, no network, so the
// chart opens anywhere (and renders on GitHub as a plain .svg).

export const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const fmtTick = (v) => (v >= 1000 ? `${+(v / 1000).toPrecision(3)}k` : `${+v.toPrecision(3)}`);

/** Ticks 1, 2, 5 x 10^k covering [lo, hi]. */
function logTicks(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
  }
  return out;
}

/**
 * A log-log line panel at (x, y) of size w x h.
 * series: [{ name, color, dash?, points: [[x, y], ...] }]; xTicks: [{ v, label }].
 */
export function linePanel({ x, y, w, h, title, xLabel, yLabel, series, xTicks }) {
  const L = 52, R = 8, T = 24, B = 34;
  const pts = series.flatMap((s) => s.points).filter(([, v]) => v > 0 && Number.isFinite(v));
  if (pts.length === 0) return `<g transform="translate(${x},${y})"><text x="${L}" y="16" font-weight="bold">${esc(title)}</text><text x="${L}" y="40">no data</text></g>`;
  const xs = xTicks.map((t) => t.v);
  const x0 = Math.log(Math.min(...xs)), x1 = Math.log(Math.max(...xs));
  let yLo = Math.min(...pts.map((p) => p[1])), yHi = Math.max(...pts.map((p) => p[1]));
  yLo = 10 ** Math.floor(Math.log10(yLo)); yHi = 10 ** Math.ceil(Math.log10(yHi) + 1e-9);
  if (yHi <= yLo) yHi = yLo * 10;
  const px = (v) => L + ((Math.log(v) - x0) / (x1 - x0 || 1)) * (w - L - R);
  const py = (v) => T + (1 - (Math.log(v) - Math.log(yLo)) / (Math.log(yHi) - Math.log(yLo))) * (h - T - B);
  const parts = [`<g transform="translate(${x},${y})" font-size="11">`,
    `<text x="${L}" y="14" font-size="13" font-weight="bold">${esc(title)}</text>`,
    `<rect x="${L}" y="${T}" width="${w - L - R}" height="${h - T - B}" fill="none" stroke="#999"/>`];
  for (const v of logTicks(yLo, yHi)) {
    parts.push(`<line x1="${L}" x2="${w - R}" y1="${py(v).toFixed(1)}" y2="${py(v).toFixed(1)}" stroke="#eee"/>`,
      `<text x="${L - 4}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end">${fmtTick(v)}</text>`);
  }
  for (const t of xTicks) {
    parts.push(`<line x1="${px(t.v).toFixed(1)}" x2="${px(t.v).toFixed(1)}" y1="${T}" y2="${h - B}" stroke="#eee"/>`,
      `<text x="${px(t.v).toFixed(1)}" y="${h - B + 14}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  parts.push(`<text x="${(L + w - R) / 2}" y="${h - 4}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text transform="translate(12,${(T + h - B) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  for (const s of series) {
    const p = s.points.filter(([, v]) => v > 0 && Number.isFinite(v));
    if (p.length === 0) continue;
    const d = p.map(([a, b], i) => `${i ? 'L' : 'M'}${px(a).toFixed(1)},${py(b).toFixed(1)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}>` +
      `<title>${esc(s.name)}</title></path>`);
    for (const [a, b] of p) {
      parts.push(`<circle cx="${px(a).toFixed(1)}" cy="${py(b).toFixed(1)}" r="2.5" fill="${s.color}">` +
        `<title>${esc(`${s.name}: ${b.toFixed(2)}`)}</title></circle>`);
    }
  }
  parts.push('</g>');
  return parts.join('\n');
}

/** A legend row at (x, y): [{ name, color, dash? }]. */
export function legend({ x, y, items }) {
  let cx = 0;
  const parts = [`<g transform="translate(${x},${y})" font-size="12">`];
  for (const it of items) {
    parts.push(`<line x1="${cx}" x2="${cx + 24}" y1="-4" y2="-4" stroke="${it.color}" stroke-width="2"${it.dash ? ` stroke-dasharray="${it.dash}"` : ''}/>`,
      `<text x="${cx + 30}" y="0">${esc(it.name)}</text>`);
    cx += 40 + it.name.length * 6.5;
  }
  parts.push('</g>');
  return parts.join('\n');
}

/**
 * Horizontal bars at (x, y): [{ label, value, color, text }], scaled to the
 * largest value; `marker` draws a labelled vertical line at that value (1x).
 */
export function barPanel({ x, y, w, title, bars, marker }) {
  const L = 270, rowH = 22, max = Math.max(...bars.map((b) => b.value), marker ?? 0, 1e-9);
  const span = w - L - 330;
  const parts = [`<g transform="translate(${x},${y})" font-size="12">`,
    `<text x="0" y="14" font-size="13" font-weight="bold">${esc(title)}</text>`];
  bars.forEach((b, i) => {
    const by = 24 + i * rowH;
    const bw = Math.max(1, (b.value / max) * span);
    parts.push(`<text x="${L - 6}" y="${by + 14}" text-anchor="end">${esc(b.label)}</text>`,
      `<rect x="${L}" y="${by + 2}" width="${bw.toFixed(1)}" height="${rowH - 6}" fill="${b.color}"/>`,
      `<text x="${(L + bw + 6).toFixed(1)}" y="${by + 14}">${esc(b.text)}</text>`);
  });
  if (marker !== undefined) {
    const mx = (L + (marker / max) * span).toFixed(1);
    parts.push(`<line x1="${mx}" x2="${mx}" y1="22" y2="${24 + bars.length * rowH}" stroke="#000" stroke-dasharray="3,3"/>`,
      `<text x="${mx}" y="${30 + bars.length * rowH}" text-anchor="middle" font-size="10">${esc(marker + 'x')}</text>`);
  }
  parts.push('</g>');
  return parts.join('\n');
}
