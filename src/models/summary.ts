// Keras 3's model.summary() table (rich's heavy-head box), e.g.
//
//   Model: "sequential"
//   ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
//   ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
//   ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
//   │ dense (Dense)                   │ (None, 512)            │       401,920 │
//   ├─────────────────────────────────┼────────────────────────┼───────────────┤
//   │ dense_1 (Dense)                 │ (None, 10)             │         5,130 │
//   └─────────────────────────────────┴────────────────────────┴───────────────┘
//    Total params: 407,050 (1.55 MB)
//    Trainable params: 407,050 (1.55 MB)
//    Non-trainable params: 0 (0.00 B)
import { describe, fail } from '../errors';
import type { Layer, Shape } from '../layers/layer';

export interface SummaryRow {
  layer: Layer;
  outputShape: Shape | null;
}

export const DEFAULT_LINE_LENGTH = 76;
export const DEFAULT_POSITIONS = [0.45, 0.77, 1.0];

/** Keras' shape text: (None, 512). */
export function kerasShape(shape: Shape | null): string {
  if (shape === null) return '?';
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** 407050 -> '407,050'. */
export function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Keras' readable_memory_size: 1628200 -> '1.55 MB' (powers of 1024). */
export function readableBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = bytes;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)} ${units[i]}`;
}

/** Column widths (content + 2 padding) from the total line length and cumulative positions. */
function columnWidths(lineLength: number, positions: number[]): number[] {
  const abs = positions[positions.length - 1] <= 1 ? positions.map((p) => Math.floor(lineLength * p)) : positions;
  // Each column owns the border on its left; the last also owns the right edge.
  const inner = abs.map((p, i) => p - (i === 0 ? 0 : abs[i - 1]) - (i === abs.length - 1 ? 2 : 1));
  return inner.map((w) => Math.max(w, 4));
}

function fit(text: string, width: number, align: 'left' | 'right'): string {
  const t = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return align === 'left' ? t.padEnd(width) : t.padStart(width);
}

export function formatSummary(modelName: string, rows: SummaryRow[], trainable: number, nonTrainable: number, lineLength = DEFAULT_LINE_LENGTH, positions = DEFAULT_POSITIONS): string[] {
  if (!Number.isInteger(lineLength) || lineLength < 20) fail('summary', `lineLength must be an integer >= 20, got ${describe(lineLength)}`);
  if (!Array.isArray(positions) || positions.length !== 3 || positions.some((p, i) => !(p > 0) || (i > 0 && p <= positions[i - 1]))) {
    fail('summary', `positions must be 3 increasing positive numbers (fractions of lineLength, or absolute columns), got ${describe(positions)}`);
  }
  const widths = columnWidths(lineLength, positions);
  const aligns: Array<'left' | 'right'> = ['left', 'left', 'right'];
  const rule = (l: string, fill: string, mid: string, r: string) => l + widths.map((w) => fill.repeat(w)).join(mid) + r;
  const line = (cells: string[], edge: string) => edge + cells.map((c, i) => ` ${fit(c, widths[i] - 2, aligns[i])} `).join(edge) + edge;
  const out = [`Model: "${modelName}"`];
  out.push(rule('┏', '━', '┳', '┓'));
  out.push(line(['Layer (type)', 'Output Shape', 'Param #'], '┃'));
  out.push(rule('┡', '━', '╇', '┩'));
  rows.forEach((r, i) => {
    if (i > 0) out.push(rule('├', '─', '┼', '┤'));
    out.push(line([`${r.layer.name} (${r.layer.className})`, kerasShape(r.outputShape), withCommas(r.layer.countParams())], '│'));
  });
  out.push(rule('└', '─', '┴', '┘'));
  const total = trainable + nonTrainable;
  out.push(` Total params: ${withCommas(total)} (${readableBytes(total * 4)})`);
  out.push(` Trainable params: ${withCommas(trainable)} (${readableBytes(trainable * 4)})`);
  out.push(` Non-trainable params: ${withCommas(nonTrainable)} (${readableBytes(nonTrainable * 4)})`);
  return out;
}
