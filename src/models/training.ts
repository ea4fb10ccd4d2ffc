// What compile() resolves and what one batch of fit/evaluate computes.
//
// When the last layer's activation is softmax and the loss is (sparse)
// categorical crossentropy, training runs on the logits (the softmax is
// skipped) and the loss takes its fused fromLogits path: one stable
// log-sum-exp kernel forward and dlogits = softmax - labels backward, instead
// of softmax -> clip -> log -> mul -> sum and their gradients. Metrics see
// softmax(logits), so they are computed on the same probabilities Keras sees.
import { variableGrads } from '../autograd/gradients';
import type { Variable } from '../autograd/variable';
import { keep, tidy } from '../engine';
import { fail, fmtShape } from '../errors';
import { softmax as softmaxActivation } from '../layers/activations';
import { Activation } from '../layers/core';
import { Dense } from '../layers/dense';
import { fmtBatchShape, type Layer, type Shape } from '../layers/layer';
import { cast } from '../ops/convert';
import { add, floor, notEqual } from '../ops/elementwise';
import { gather } from '../ops/gather';
import { max, min, sum } from '../ops/reduce';
import { softmax } from '../ops/softmax';
import { Tensor } from '../tensor';
import { categoricalCrossentropy, getLoss, lossName, sparseCategoricalCrossentropy, type LossFn } from '../train/losses';
import { getMetric, type ResolvedMetric } from '../train/metrics';
import { getOptimizer, type Optimizer } from '../train/optimizers/index';
import { kerasShape } from './summary';

/** The part of Sequential the training code uses. */
export interface ModelCore {
  readonly name: string;
  readonly layers: readonly Layer[];
  /** Batch shape of the inputs; fails when the model has no layers. */
  batchInputShape(fn: string): Shape;
  outputShape(fn: string): Shape;
  forward(x: Tensor, options: { training?: boolean; logits?: boolean }): Tensor;
  readonly trainableWeights: Variable[];
}

export interface CompileArgs {
  optimizer: Parameters<typeof getOptimizer>[0];
  loss: Parameters<typeof getLoss>[0];
  metrics?: Array<string | ((yTrue: Tensor, yPred: Tensor) => Tensor)> | string;
}

export interface Compiled {
  optimizer: Optimizer;
  loss: LossFn;
  /** Canonical name of a built-in loss, else undefined. */
  lossKey?: string;
  /** The loss identifier names plain (sparse) categorical crossentropy: eligible for the logits path. */
  crossentropyByName: boolean;
  metrics: ResolvedMetric[];
}

export function resolveCompile(args: CompileArgs, outputShape: Shape | undefined): Compiled {
  const fn = 'compile';
  if (args === null || typeof args !== 'object') fail(fn, 'args must be an object { optimizer, loss, metrics }');
  if (args.optimizer === undefined) fail(fn, "args.optimizer is required (e.g. 'rmsprop')");
  if (args.loss === undefined) fail(fn, "args.loss is required (e.g. 'categoricalCrossentropy')");
  const optimizer = getOptimizer(args.optimizer);
  const loss = getLoss(args.loss);
  const lossKey = lossName(args.loss);
  const plain = typeof args.loss === 'string' || typeof args.loss === 'function';
  const crossentropyByName = plain && (lossKey === 'categoricalCrossentropy' || lossKey === 'sparseCategoricalCrossentropy');
  const list = args.metrics === undefined ? [] : Array.isArray(args.metrics) ? args.metrics : [args.metrics];
  const metrics = list.map((m) => getMetric(m, { loss: args.loss as never, outputShape }));
  const names = new Set<string>();
  for (const m of metrics) {
    if (m.name === 'loss' || names.has(m.name)) fail(fn, `metric name '${m.name}' is used twice (or clashes with 'loss')`);
    names.add(m.name);
  }
  return { optimizer, loss, lossKey, crossentropyByName, metrics };
}

/** True when the last layer ends in softmax and the loss is CE by name: train on logits. */
export function usesLogits(c: Compiled, layers: readonly Layer[]): boolean {
  if (!c.crossentropyByName || layers.length === 0) return false;
  const last = layers[layers.length - 1];
  return (last instanceof Dense || last instanceof Activation) && last.activation === softmaxActivation;
}

/** Loss (with regularization penalties) and the prediction metrics should see. */
function lossAndPrediction(model: ModelCore, c: Compiled, logits: boolean, x: Tensor, y: Tensor, training: boolean, capture: (t: Tensor) => void): Tensor {
  const out = model.forward(x, { training, logits });
  capture(out);
  let loss: Tensor;
  if (logits) {
    loss = c.lossKey === 'sparseCategoricalCrossentropy' ? sparseCategoricalCrossentropy(y, out, true) : categoricalCrossentropy(y, out, true);
  } else {
    loss = c.loss(y, out);
  }
  if (!(loss instanceof Tensor) || loss.size !== 1) fail('fit', `the loss must return a scalar tensor, got ${loss instanceof Tensor ? `shape ${fmtShape(loss.shape)}` : typeof loss}`);
  for (const layer of model.layers) {
    const p = layer.regularizationLoss();
    if (p) loss = add(loss, p);
  }
  return loss;
}

/** [loss, ...metrics] of one batch as numbers; with `train`, also one optimizer step. */
export function runBatch(model: ModelCore, c: Compiled, x: Tensor, y: Tensor, train: boolean): number[] {
  const logits = usesLogits(c, model.layers);
  let out: Tensor | null = null;
  const capture = (t: Tensor) => (out = keep(t));
  try {
    return tidy(() => {
      let loss: Tensor;
      if (train) {
        const { value, grads } = variableGrads(() => lossAndPrediction(model, c, logits, x, y, true, capture), model.trainableWeights);
        c.optimizer.applyGradients(grads);
        loss = value;
      } else {
        loss = lossAndPrediction(model, c, logits, x, y, false, capture);
      }
      const pred = logits ? softmax(out as unknown as Tensor) : (out as unknown as Tensor);
      const values = [loss, ...c.metrics.map((m) => m.fn(y, pred))];
      return values.map((v) => Number(v.dataSync()[0]));
    });
  } finally {
    (out as Tensor | null)?.dispose();
  }
}

/** Rows [start, end) of t: a view, or gathered through `order` when shuffling. */
export function rows(t: Tensor, start: number, end: number, order: Int32Array | null): Tensor {
  return order === null ? t.index(`${start}:${end}`) : gather(t, order.subarray(start, end), 0);
}

/** Sample-weighted means of [loss, ...metrics] over all batches (no training). */
export function evaluateBatches(model: ModelCore, c: Compiled, x: Tensor, y: Tensor, batchSize: number): number[] {
  const n = x.shape[0];
  const sums = new Array<number>(1 + c.metrics.length).fill(0);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const xb = rows(x, start, end, null);
    const yb = rows(y, start, end, null);
    try {
      runBatch(model, c, xb, yb, false).forEach((v, i) => (sums[i] += v * (end - start)));
    } finally {
      xb.dispose();
      yb.dispose();
    }
  }
  return sums.map((s) => s / Math.max(1, n));
}

export function metricNames(c: Compiled): string[] {
  return ['loss', ...c.metrics.map((m) => m.name)];
}

// ---- input checks ----

export function checkX(fn: string, model: ModelCore, x: unknown, arg = 'x'): Tensor {
  if (!(x instanceof Tensor)) return fail(fn, `${arg} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
  x.assertAlive(fn, arg);
  const expected = model.batchInputShape(fn);
  const ok = x.rank === expected.length && expected.every((d, i) => i === 0 || d === null || d === x.shape[i]);
  if (!ok) {
    fail(fn, `${arg} has shape ${fmtShape(x.shape)}, but the model expects inputs of shape ${fmtBatchShape(expected)} (first layer '${model.layers[0].name}')`);
  }
  if (x.dtype === 'bool') fail(fn, `${arg} has dtype 'bool'; inputs must be numeric (cast with .astype('float32'))`);
  return x;
}

/** Fails early, with the fix, when targets do not fit the loss and the model's output. */
export function checkY(fn: string, model: ModelCore, c: Compiled, x: Tensor, y: unknown, arg = 'y'): Tensor {
  if (!(y instanceof Tensor)) return fail(fn, `${arg} must be a Tensor, got ${y === null ? 'null' : typeof y}`);
  y.assertAlive(fn, arg);
  const n = x.shape[0];
  if (y.rank === 0 || y.shape[0] !== n) {
    fail(fn, `x and ${arg} must have the same number of samples: x has ${n} (shape ${fmtShape(x.shape)}), ${arg} has ${y.rank === 0 ? 'none (a scalar)' : y.shape[0]} (shape ${fmtShape(y.shape)})`);
  }
  const out = model.outputShape(fn);
  const classes = out[out.length - 1];
  const want = [n, ...out.slice(1)];
  const same = y.rank === want.length && want.every((d, i) => d === null || d === y.shape[i]);
  if (y.dtype === 'bool') fail(fn, `${arg} has dtype 'bool'; targets must be numeric (cast with .astype('float32'))`);
  if (c.lossKey === 'sparseCategoricalCrossentropy') {
    const labelsShape = y.rank === 1 || (y.rank === out.length && y.shape[y.rank - 1] === 1 && y.rank === 2);
    if (!labelsShape) {
      fail(fn, `${arg} has shape ${fmtShape(y.shape)}, but loss 'sparseCategoricalCrossentropy' takes integer class indices of shape [${n}] for outputs ${kerasShape(out)}` +
        (same ? "; these look one-hot: use loss 'categoricalCrossentropy'" : ''));
    }
    checkClassIndices(fn, arg, y, classes ?? 0);
  } else if (c.lossKey === 'categoricalCrossentropy' && !same) {
    const labels = y.rank === 1 || (y.rank === 2 && y.shape[1] === 1 && classes !== 1);
    fail(fn, labels
      ? `${arg} has shape ${fmtShape(y.shape)} (dtype '${y.dtype}'): class indices do not fit loss 'categoricalCrossentropy', which takes one-hot targets of shape ${fmtBatchShape(want)}; use loss 'sparseCategoricalCrossentropy' or wt.utils.toCategorical(${arg}, ${classes})`
      : `${arg} has shape ${fmtShape(y.shape)}, but the model outputs ${kerasShape(out)}: expected one-hot targets of shape ${fmtBatchShape(want)}`);
  } else if (c.lossKey !== undefined && !same) {
    // Keras squeezes a trailing 1 on either side ([n] vs [n, 1]).
    const squeezed = (s: readonly (number | null)[]) => (s.length > 1 && s[s.length - 1] === 1 ? s.slice(0, -1) : s);
    const a = squeezed(y.shape);
    const b = squeezed(want);
    if (a.length !== b.length || b.some((d, i) => d !== null && d !== a[i])) {
      fail(fn, `${arg} has shape ${fmtShape(y.shape)}, but the model outputs ${kerasShape(out)}: loss '${c.lossKey}' expects targets of shape ${fmtBatchShape(want)}`);
    }
  }
  return y;
}

/** Sparse labels must be integers in [0, classes): checked once, with reductions in wasm. */
function checkClassIndices(fn: string, arg: string, y: Tensor, classes: number): void {
  if (y.size === 0) return;
  const [lo, hi, fractional] = tidy(() => [
    min(y).dataSync()[0],
    max(y).dataSync()[0],
    y.dtype === 'float32' ? sum(cast(notEqual(y, floor(y)), 'int32')).dataSync()[0] : 0,
  ]);
  if (fractional > 0) fail(fn, `${arg} holds ${fractional} non-integer values; sparse class labels must be integers in [0, ${classes})`);
  if (lo < 0 || hi >= classes) {
    fail(fn, `${arg} holds class indices from ${lo} to ${hi}, but the model has ${classes} output classes: labels must be in [0, ${classes})`);
  }
}
