// Keras metrics as functions (yTrue, yPred) -> scalar float32, the mean over
// the batch of the per-sample value. They are reported, not differentiated,
// so each runs in its own tidy() scope. getMetric resolves names, including
// 'accuracy', which means binary, categorical or sparse accuracy depending on
// the loss and the output shape, as in Keras.
import { tidy } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { toTensor } from '../ops/alloc';
import { cast } from '../ops/convert';
import { oneHot } from '../ops/create';
import { equal, greater, less, mul } from '../ops/elementwise';
import { argMax, mean, sum } from '../ops/reduce';
import { reshape } from '../ops/shape';
import type { Tensor, TensorLike } from '../tensor';
import { lossName, meanAbsoluteError, meanSquaredError, type LossFn } from './losses';

export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function asFloat(t: Tensor): Tensor {
  return t.dtype === 'float32' ? t : cast(t, 'float32');
}

function inputs(fn: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  const p = toTensor(fn, 'yPred', yPred);
  const t = toTensor(fn, 'yTrue', yTrue);
  if (p.dtype === 'bool') fail(fn, `yPred must be numeric, got dtype 'bool'`);
  return [t, p];
}

/** Fraction of elements where (yPred > threshold) equals yTrue. */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, threshold = 0.5): Tensor {
  const fn = 'binaryAccuracy';
  return tidy(() => {
    let [t, p] = inputs(fn, yTrue, yPred);
    if (t.rank === p.rank + 1 && t.shape[t.rank - 1] === 1) t = reshape(t, t.shape.slice(0, -1));
    else if (p.rank === t.rank + 1 && p.shape[p.rank - 1] === 1) p = reshape(p, p.shape.slice(0, -1));
    if (!sameShape(t.shape, p.shape)) fail(fn, `yTrue shape ${fmtShape(t.shape)} and yPred shape ${fmtShape(p.shape)} must match`);
    return mean(cast(equal(asFloat(t), cast(greater(p, threshold), 'float32')), 'float32'));
  });
}

function checkClassAxis(fn: string, p: Tensor): number {
  if (p.rank === 0) fail(fn, 'yPred must have a class axis (shape [batch, classes]), got a 0-d tensor');
  return p.shape[p.rank - 1];
}

/** Fraction of samples whose argmax over the classes matches the one-hot yTrue's. */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const fn = 'categoricalAccuracy';
  return tidy(() => {
    const [t, p] = inputs(fn, yTrue, yPred);
    checkClassAxis(fn, p);
    if (!sameShape(t.shape, p.shape)) {
      fail(fn, `yTrue shape ${fmtShape(t.shape)} and yPred shape ${fmtShape(p.shape)} must match (one-hot labels; use sparseCategoricalAccuracy for class indices)`);
    }
    return mean(cast(equal(argMax(t, -1), argMax(p, -1)), 'float32'));
  });
}

/** Class-index labels [batch] or [batch, 1] as float32 [batch], checked against yPred [batch, classes]. */
function sparseLabels(fn: string, t: Tensor, p: Tensor): Tensor {
  const batchShape = p.shape.slice(0, -1);
  const labels = t.rank === p.rank && t.shape[t.rank - 1] === 1 ? reshape(t, t.shape.slice(0, -1)) : t;
  if (!sameShape(labels.shape, batchShape)) {
    fail(fn, `yTrue shape ${fmtShape(t.shape)} must be yPred's shape without the class axis, ${fmtShape(batchShape)} (yPred ${fmtShape(p.shape)})`);
  }
  return asFloat(labels);
}

/** Fraction of samples whose argmax over the classes equals the integer label. */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  const fn = 'sparseCategoricalAccuracy';
  return tidy(() => {
    const [t, p] = inputs(fn, yTrue, yPred);
    checkClassAxis(fn, p);
    const labels = sparseLabels(fn, t, p);
    return mean(cast(equal(labels, cast(argMax(p, -1), 'float32')), 'float32'));
  });
}

/**
 * Whether the target's score is among the k largest: fewer than k classes
 * score strictly higher (ties at the boundary count as in, like TF's in_top_k).
 */
function inTopK(p: Tensor, target: Tensor, k: number): Tensor {
  const classes = p.shape[p.rank - 1];
  const mask = oneHot(cast(target, 'int32'), classes, 1, 0, 'float32');
  const score = sum(mul(p, mask), -1, true);
  const higher = sum(cast(greater(p, score), 'float32'), -1);
  return mean(cast(less(higher, k), 'float32'));
}

function checkK(fn: string, k: number): void {
  if (!Number.isInteger(k) || k < 1) fail(fn, `k must be a positive integer, got ${describe(k)}`);
}

/** Fraction of samples whose true class (argmax of the one-hot yTrue) is in yPred's top k. */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  const fn = 'topKCategoricalAccuracy';
  checkK(fn, k);
  return tidy(() => {
    const [t, p] = inputs(fn, yTrue, yPred);
    checkClassAxis(fn, p);
    if (!sameShape(t.shape, p.shape)) fail(fn, `yTrue shape ${fmtShape(t.shape)} and yPred shape ${fmtShape(p.shape)} must match (one-hot labels)`);
    return inTopK(asFloat(p), argMax(t, -1), k);
  });
}

/** topKCategoricalAccuracy with integer class labels. */
export function sparseTopKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, k = 5): Tensor {
  const fn = 'sparseTopKCategoricalAccuracy';
  checkK(fn, k);
  return tidy(() => {
    const [t, p] = inputs(fn, yTrue, yPred);
    checkClassAxis(fn, p);
    return inTopK(asFloat(p), sparseLabels(fn, t, p), k);
  });
}

/** Metric versions of the regression losses (no tape needed, so tidied). */
export const mse = (yTrue: TensorLike, yPred: TensorLike): Tensor => tidy(() => meanSquaredError(yTrue, yPred));
export const mae = (yTrue: TensorLike, yPred: TensorLike): Tensor => tidy(() => meanAbsoluteError(yTrue, yPred));
export { mse as meanSquaredError, mae as meanAbsoluteError };

// ---- resolving names ----

const METRICS: Record<string, MetricFn> = {
  binaryaccuracy: binaryAccuracy,
  categoricalaccuracy: categoricalAccuracy,
  sparsecategoricalaccuracy: sparseCategoricalAccuracy,
  topkcategoricalaccuracy: topKCategoricalAccuracy,
  sparsetopkcategoricalaccuracy: sparseTopKCategoricalAccuracy,
  mse,
  meansquarederror: mse,
  mae,
  meanabsoluteerror: mae,
};

const VALID =
  "'accuracy' ('acc'), 'binaryAccuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'topKCategoricalAccuracy', " +
  "'sparseTopKCategoricalAccuracy', 'mse' ('meanSquaredError'), 'mae' ('meanAbsoluteError') (camelCase or snake_case), or a function";

export interface MetricContext {
  /** The compiled loss (name, { className, config } or function): picks the accuracy variant. */
  loss?: string | LossFn | object;
  /** The model's output shape, e.g. [null, 10]; a last dim of 1 means binary accuracy. */
  outputShape?: readonly (number | null)[];
}

export interface ResolvedMetric {
  /** What Keras prints: the identifier as written ('accuracy', 'acc', 'mse'), or the function's name. */
  name: string;
  fn: MetricFn;
}

/** Keras' rule for 'accuracy': sparse CE -> sparse, binary CE or one output unit -> binary, else categorical. */
function accuracyFor(context: MetricContext): MetricFn {
  const loss = lossName(context.loss);
  if (loss === 'sparseCategoricalCrossentropy') return sparseCategoricalAccuracy;
  const units = context.outputShape?.[context.outputShape.length - 1];
  if (loss === 'binaryCrossentropy' || units === 1) return binaryAccuracy;
  return categoricalAccuracy;
}

/** A metric function and its display name from a name or a function. */
export function getMetric(identifier: string | MetricFn, context: MetricContext = {}): ResolvedMetric {
  if (typeof identifier === 'function') return { name: identifier.name || 'metric', fn: identifier };
  if (typeof identifier !== 'string') fail('getMetric', `metric must be a name (${VALID}), got ${describe(identifier)}`);
  const key = identifier.toLowerCase().replace(/_/g, '');
  if (key === 'accuracy' || key === 'acc') return { name: identifier, fn: accuracyFor(context) };
  const fn = METRICS[key];
  if (fn === undefined) fail('getMetric', `unknown metric '${identifier}'; valid: ${VALID}`);
  return { name: identifier, fn };
}
