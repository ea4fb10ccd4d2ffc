// numpy-like printing: right-aligned columns, one row per line, and '...'
// instead of the middle when a tensor has more than 1000 elements.
import type { Tensor } from './tensor';

const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;

function formatNumber(v: number, dtype: string): string {
  if (dtype === 'bool') return v ? 'true' : 'false';
  if (dtype !== 'float32' || !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return `${v}.`;
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return v.toExponential(4);
  return String(Number(v.toFixed(4)));
}

export function formatTensor(t: Tensor): string {
  const header = `Tensor(shape=[${t.shape.join(',')}], dtype=${t.dtype})`;
  const data = t.dataSync();
  const summarize = t.size > SUMMARY_THRESHOLD;
  const strides: number[] = [];
  let s = 1;
  for (let i = t.rank - 1; i >= 0; i--) {
    strides[i] = s;
    s *= t.shape[i];
  }
  // Indices shown along one axis: all, or the first and last few around an ellipsis (-1).
  const shown = (n: number): number[] =>
    summarize && n > 2 * EDGE_ITEMS
      ? [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), -1, ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i)]
      : Array.from({ length: n }, (_, i) => i);
  const cells: string[] = [];
  const collect = (axis: number, base: number): void => {
    for (const i of shown(t.shape[axis])) {
      if (i < 0) continue;
      if (axis === t.rank - 1) cells.push(formatNumber(data[base + i], t.dtype));
      else collect(axis + 1, base + i * strides[axis]);
    }
  };
  if (t.rank === 0) return `${header}\n${formatNumber(data[0], t.dtype)}`;
  collect(0, 0);
  const width = cells.reduce((w, c) => Math.max(w, c.length), 0);
  let next = 0;
  const render = (axis: number, indent: string): string => {
    const parts: string[] = [];
    for (const i of shown(t.shape[axis])) {
      if (i < 0) parts.push('...');
      else parts.push(axis === t.rank - 1 ? cells[next++].padStart(width) : render(axis + 1, indent + ' '));
    }
    const sep = axis === t.rank - 1 ? ', ' : `,${'\n'.repeat(t.rank - 1 - axis)}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  return `${header}\n${render(0, '')}`;
}
