// Keras losses: (yTrue, yPred) -> scalar float32, reduced by Keras' default
// 'sum_over_batch_size' (per-sample losses averaged over the batch). Built
// from differentiable ops, so grad/variableGrads see through them; the
// fromLogits crossentropies call the fused log-sum-exp op instead of
// softmax -> log. Formulas follow keras/src/losses/losses.py and
// keras/src/backend/*/nn.py (clipping probabilities to [1e-7, 1 - 1e-7]).
import { tidy } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { isRecording } from '../autograd/tape';
import { toTensor } from '../ops/alloc';
import { cast } from '../ops/convert';
import { softmaxCrossEntropyWithLogits, sparseSoftmaxCrossEntropyWithLogits } from '../ops/crossentropy';
import { abs, add, clipByValue, div, log, minimum, mul, neg, softplus, square, squaredDifference, sub } from '../ops/elementwise';
import { mean, sum } from '../ops/reduce';
import { reshape } from '../ops/shape';
import type { Tensor, TensorLike } from '../tensor';

/** Keras' backend epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON]. */
export const EPSILON = 1e-7;

export type LossFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/**
 * Runs a loss body in a tidy() scope unless a gradient tape is recording
 * (the backward pass still needs the intermediates; the gradient function's
 * own scope frees them).
 */
function scoped(body: () => Tensor): Tensor {
  return isRecording() ? body() : tidy(body);
}

/**
 * Probabilities known to be softmax(logits) along the last axis, mapped to
 * their logits: Keras' `_keras_logits`. A layer with a softmax activation
 * marks its output, and the crossentropies then use the fused, stable
 * from-logits op on the logits (the tape routes the gradient through them).
 */
const softmaxLogits = new WeakMap<Tensor, Tensor>();

/** Records that `probs` = softmax(logits, -1), so crossentropy losses can work from the logits. */
export function markSoftmaxOutput(probs: Tensor, logits: Tensor): void {
  softmaxLogits.set(probs, logits);
}

/** The logits behind p when p is a marked softmax output (still alive), else undefined. */
function logitsBehind(p: Tensor): Tensor | undefined {
  const logits = softmaxLogits.get(p);
  return logits !== undefined && !logits.isDisposed && sameShape(logits.shape, p.shape) ? logits : undefined;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function dropLastAxis(t: Tensor): Tensor {
  return reshape(t, t.shape.slice(0, -1));
}

/** yPred as a float32 tensor (predictions must be floats). */
function predictions(fn: string, yPred: TensorLike): Tensor {
  const p = toTensor(fn, 'yPred', yPred);
  if (p.dtype !== 'float32') fail(fn, `yPred must be float32 predictions, got dtype '${p.dtype}'`);
  return p;
}

/**
 * yTrue and yPred with equal shapes, yTrue as float32. Like Keras, a
 * trailing axis of size 1 on one side only is squeezed ([32] vs [32,1]).
 */
function aligned(fn: string, yTrue: TensorLike, yPred: TensorLike): [Tensor, Tensor] {
  let p = predictions(fn, yPred);
  let t = toTensor(fn, 'yTrue', yTrue);
  if (t.rank === p.rank + 1 && t.shape[t.rank - 1] === 1) t = dropLastAxis(t);
  else if (p.rank === t.rank + 1 && p.shape[p.rank - 1] === 1) p = dropLastAxis(p);
  if (!sameShape(t.shape, p.shape)) {
    fail(fn, `yTrue shape ${fmtShape(t.shape)} and yPred shape ${fmtShape(p.shape)} must match`);
  }
  return [t.dtype === 'float32' ? t : cast(t, 'float32'), p];
}

/** mean((yPred - yTrue)^2). */
export function meanSquaredError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return scoped(() => {
    const [t, p] = aligned('meanSquaredError', yTrue, yPred);
    return mean(squaredDifference(p, t));
  });
}

/** mean(|yPred - yTrue|). */
export function meanAbsoluteError(yTrue: TensorLike, yPred: TensorLike): Tensor {
  return scoped(() => {
    const [t, p] = aligned('meanAbsoluteError', yTrue, yPred);
    return mean(abs(sub(p, t)));
  });
}

/**
 * Huber: 0.5 e^2 where |e| <= delta, else delta |e| - 0.5 delta^2. Written as
 * 0.5 q^2 + delta (|e| - q) with q = min(|e|, delta), which is the same
 * piecewise function without a select op.
 */
export function huber(yTrue: TensorLike, yPred: TensorLike, delta = 1.0): Tensor {
  if (typeof delta !== 'number' || !(delta > 0)) fail('huber', `delta must be a positive number, got ${describe(delta)}`);
  return scoped(() => {
    const [t, p] = aligned('huber', yTrue, yPred);
    const e = abs(sub(p, t));
    const q = minimum(e, delta);
    return mean(add(mul(square(q), 0.5), mul(sub(e, q), delta)));
  });
}

/**
 * Binary crossentropy of probabilities (clipped to [1e-7, 1 - 1e-7]) or, with
 * fromLogits, of logits: softplus(x) - x z, stable for any x.
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false): Tensor {
  return scoped(() => {
    const [t, p] = aligned('binaryCrossentropy', yTrue, yPred);
    if (fromLogits) return mean(sub(softplus(p), mul(p, t)));
    const q = clipByValue(p, EPSILON, 1 - EPSILON);
    // -(z log q + (1 - z) log(1 - q))
    return neg(mean(add(mul(t, log(q)), mul(sub(1, t), log(sub(1, q))))));
  });
}

function checkCategoricalLabels(fn: string, t: Tensor, p: Tensor): void {
  if (p.rank === 0) fail(fn, 'yPred must have a class axis (shape [batch, classes]), got a 0-d tensor');
  const classes = p.shape[p.rank - 1];
  const looksSparse = t.rank === p.rank - 1 || (t.rank === p.rank && t.shape[t.rank - 1] === 1 && classes > 1);
  if (looksSparse && sameShape(t.shape.slice(0, p.rank - 1), p.shape.slice(0, -1))) {
    fail(fn, `yTrue has shape ${fmtShape(t.shape)} (dtype '${t.dtype}'), which looks like integer class labels, but yPred has shape ${fmtShape(p.shape)}: ` +
      `categorical crossentropy expects one-hot labels shaped like yPred; use 'sparseCategoricalCrossentropy' for class indices, or one-hot encode them with wt.utils.toCategorical(labels, ${classes})`);
  }
  if (!sameShape(t.shape, p.shape)) fail(fn, `yTrue shape ${fmtShape(t.shape)} and yPred shape ${fmtShape(p.shape)} must match (one-hot labels)`);
  if (t.dtype === 'bool') fail(fn, `yTrue must be numeric one-hot labels, got dtype 'bool'`);
}

/**
 * Categorical crossentropy with one-hot (or soft) labels shaped like yPred.
 * Probabilities are renormalised along the last axis and clipped, as in
 * Keras; fromLogits (or a yPred marked by markSoftmaxOutput) uses the fused
 * softmax-crossentropy op.
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false): Tensor {
  const fn = 'categoricalCrossentropy';
  return scoped(() => {
    const p = predictions(fn, yPred);
    const t0 = toTensor(fn, 'yTrue', yTrue);
    checkCategoricalLabels(fn, t0, p);
    const t = t0.dtype === 'float32' ? t0 : cast(t0, 'float32');
    const logits = fromLogits ? p : logitsBehind(p);
    if (logits !== undefined) return mean(softmaxCrossEntropyWithLogits(t, logits));
    const q = clipByValue(div(p, sum(p, -1, true)), EPSILON, 1 - EPSILON);
    return mean(neg(sum(mul(t, log(q)), -1)));
  });
}

/**
 * Crossentropy with integer class labels: yTrue [batch] (or [batch, 1]) of
 * int32, uint8 or integer-valued float32, yPred [batch, classes]. Like Keras,
 * probabilities are clipped and fed to the logits path as log(p), which also
 * renormalises them.
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, fromLogits = false): Tensor {
  const fn = 'sparseCategoricalCrossentropy';
  return scoped(() => {
    const p = predictions(fn, yPred);
    if (p.rank === 0) fail(fn, 'yPred must have a class axis (shape [batch, classes]), got a 0-d tensor');
    let t = toTensor(fn, 'yTrue', yTrue, 'int32');
    if (t.dtype === 'bool') fail(fn, `yTrue must be integer class indices (int32, uint8 or float32), got dtype 'bool'`);
    const batchShape = p.shape.slice(0, -1);
    const classes = p.shape[p.rank - 1];
    if (t.rank === p.rank && t.shape[t.rank - 1] === 1 && sameShape(t.shape.slice(0, -1), batchShape)) t = dropLastAxis(t);
    if (!sameShape(t.shape, batchShape)) {
      const oneHot = sameShape(t.shape, p.shape);
      fail(fn, oneHot
        ? `yTrue has shape ${fmtShape(t.shape)} like yPred, which looks like one-hot labels: use 'categoricalCrossentropy' for one-hot labels (sparse crossentropy takes class indices of shape ${fmtShape(batchShape)})`
        : `yTrue shape ${fmtShape(t.shape)} must be yPred's shape without the class axis, ${fmtShape(batchShape)} (yPred ${fmtShape(p.shape)}, ${classes} classes)`);
    }
    const logits = fromLogits ? p : (logitsBehind(p) ?? log(clipByValue(p, EPSILON, 1 - EPSILON)));
    return mean(sparseSoftmaxCrossEntropyWithLogits(t, logits));
  });
}

// ---- resolving names ----

const LOSSES: Record<string, LossFn> = {
  meansquarederror: meanSquaredError,
  mse: meanSquaredError,
  meanabsoluteerror: meanAbsoluteError,
  mae: meanAbsoluteError,
  huber,
  huberloss: huber,
  binarycrossentropy: binaryCrossentropy,
  categoricalcrossentropy: categoricalCrossentropy,
  sparsecategoricalcrossentropy: sparseCategoricalCrossentropy,
};

const VALID =
  "'meanSquaredError' ('mse', 'mean_squared_error'), 'meanAbsoluteError' ('mae', 'mean_absolute_error'), 'huber', " +
  "'binaryCrossentropy' ('binary_crossentropy'), 'categoricalCrossentropy' ('categorical_crossentropy'), " +
  "'sparseCategoricalCrossentropy' ('sparse_categorical_crossentropy'), or a function (yTrue, yPred) => scalar Tensor";

function keyOf(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/** Keras' serialized loss object: { className: 'CategoricalCrossentropy', config: { from_logits: true } }. */
export interface LossConfig {
  className: string;
  config?: Record<string, unknown>;
}

/**
 * A loss function from a name (camelCase, Keras snake_case or class name, any
 * case), a serialized { className, config } (fromLogits / from_logits, delta),
 * or a function, which is returned as is.
 */
export function getLoss(identifier: string | LossFn | LossConfig): LossFn {
  if (typeof identifier === 'function') return identifier;
  if (typeof identifier === 'string') {
    const loss = LOSSES[keyOf(identifier)];
    if (loss === undefined) fail('getLoss', `unknown loss '${identifier}'; valid: ${VALID}`);
    return loss;
  }
  if (identifier !== null && typeof identifier === 'object' && typeof identifier.className === 'string') {
    const loss = LOSSES[keyOf(identifier.className)];
    if (loss === undefined) fail('getLoss', `unknown loss className '${identifier.className}'; valid: ${VALID}`);
    const config = identifier.config ?? {};
    const fromLogits = Boolean(config.fromLogits ?? config.from_logits ?? false);
    if (loss === huber) {
      const delta = (config.delta as number | undefined) ?? 1.0;
      return (t, p) => huber(t, p, delta);
    }
    if (fromLogits && loss !== binaryCrossentropy && loss !== categoricalCrossentropy && loss !== sparseCategoricalCrossentropy) {
      fail('getLoss', `${identifier.className} has no fromLogits option`);
    }
    return fromLogits ? (t, p) => (loss as typeof categoricalCrossentropy)(t, p, true) : loss;
  }
  return fail('getLoss', `loss must be a name (${VALID}) or { className, config }, got ${describe(identifier)}`);
}

/**
 * The canonical camelCase name of a built-in loss (from a name, a config or
 * the function itself), or undefined for a user function. getMetric uses it
 * to pick the accuracy that matches the loss.
 */
export function lossName(identifier: unknown): string | undefined {
  let fn: unknown = identifier;
  if (typeof identifier === 'string') fn = LOSSES[keyOf(identifier)];
  else if (identifier !== null && typeof identifier === 'object' && typeof (identifier as LossConfig).className === 'string') {
    fn = LOSSES[keyOf((identifier as LossConfig).className)];
  }
  const names: Array<[LossFn, string]> = [
    [meanSquaredError, 'meanSquaredError'], [meanAbsoluteError, 'meanAbsoluteError'], [huber, 'huber'],
    [binaryCrossentropy, 'binaryCrossentropy'], [categoricalCrossentropy, 'categoricalCrossentropy'],
    [sparseCategoricalCrossentropy, 'sparseCategoricalCrossentropy'],
  ];
  return names.find(([f]) => f === fn)?.[1];
}
