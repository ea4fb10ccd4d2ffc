// summary() of a functional model: Keras 3's table for non-sequential
// models, with a fourth column "Connected to" listing each call's inputs as
// '<layer>[<node>][<tensor>]' (one per line; a shared layer lists the inputs
// of all its calls), and '-' for the inputs. E.g.
//
//   Model: "two_branch"
//   ┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
//   ┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
//   ┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
//   │ a (InputLayer)      │ (None, 4)         │          0 │ -                 │
//   ├─────────────────────┼───────────────────┼────────────┼───────────────────┤
//   │ concat (Concatenate)│ (None, 12)        │          0 │ dense[0][0],      │
//   │                     │                   │            │ dense_1[0][0]     │
import { describe, fail } from '../errors';
import type { Layer } from '../layers/layer';
import { kerasShape, readableBytes, withCommas } from './summary';
import type { LayersModel } from './functional';

export const FUNCTIONAL_LINE_LENGTH = 108;
export const FUNCTIONAL_POSITIONS = [0.3, 0.56, 0.74, 1.0];

function cell(text: string, width: number, align: 'left' | 'right'): string {
  const t = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return align === 'left' ? t.padEnd(width) : t.padStart(width);
}

/** The output shape of a layer in the model: 'multiple' when its calls output different shapes. */
function outputShapeText(model: LayersModel, layer: Layer): string {
  const shapes = model.nodes.filter((n) => n.layer === layer).map((n) => kerasShape(n.outputs[0].shape));
  return new Set(shapes).size === 1 ? shapes[0] : 'multiple';
}

function connections(model: LayersModel, layer: Layer): string[] {
  const list = model.nodes
    .filter((n) => n.layer === layer)
    .flatMap((n) => n.inputs.map((t) => `${t.node.layer.name}[${model.nodeIndex(t.node)}][${t.tensorIndex}]`));
  return list.length === 0 ? ['-'] : list.map((c, i) => (i < list.length - 1 ? `${c},` : c));
}

export function formatFunctionalSummary(model: LayersModel, lineLength = FUNCTIONAL_LINE_LENGTH, positions = FUNCTIONAL_POSITIONS): string[] {
  if (!Number.isInteger(lineLength) || lineLength < 40) fail('summary', `lineLength must be an integer >= 40, got ${describe(lineLength)}`);
  if (!Array.isArray(positions) || positions.length !== 4 || positions.some((p, i) => !(p > 0) || (i > 0 && p <= positions[i - 1]))) {
    fail('summary', `positions must be 4 increasing positive numbers (fractions of lineLength, or absolute columns), got ${describe(positions)}`);
  }
  const abs = positions[3] <= 1 ? positions.map((p) => Math.floor(lineLength * p)) : positions;
  const widths = abs.map((p, i) => Math.max(4, p - (i === 0 ? 0 : abs[i - 1]) - (i === abs.length - 1 ? 2 : 1)));
  const aligns: Array<'left' | 'right'> = ['left', 'left', 'right', 'left'];
  const rule = (l: string, fill: string, mid: string, r: string) => l + widths.map((w) => fill.repeat(w)).join(mid) + r;
  const line = (cells: string[], edge: string) => edge + cells.map((c, i) => ` ${cell(c, widths[i] - 2, aligns[i])} `).join(edge) + edge;
  const out = [`Model: "${model.name}"`, rule('┏', '━', '┳', '┓'), line(['Layer (type)', 'Output Shape', 'Param #', 'Connected to'], '┃'), rule('┡', '━', '╇', '┩')];
  model.layers.forEach((layer, i) => {
    if (i > 0) out.push(rule('├', '─', '┼', '┤'));
    const conns = connections(model, layer);
    out.push(line([`${layer.name} (${layer.className})`, outputShapeText(model, layer), withCommas(layer.countParams()), conns[0]], '│'));
    conns.slice(1).forEach((c) => out.push(line(['', '', '', c], '│')));
  });
  out.push(rule('└', '─', '┴', '┘'));
  const trainable = model.trainableWeights.reduce((n, w) => n + w.size, 0);
  const nonTrainable = model.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
  const total = trainable + nonTrainable;
  out.push(` Total params: ${withCommas(total)} (${readableBytes(total * 4)})`);
  out.push(` Trainable params: ${withCommas(trainable)} (${readableBytes(trainable * 4)})`);
  out.push(` Non-trainable params: ${withCommas(nonTrainable)} (${readableBytes(nonTrainable * 4)})`);
  return out;
}
