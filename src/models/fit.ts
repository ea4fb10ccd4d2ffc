// model.fit(): the Keras training loop. Per epoch: an optional seeded
// shuffle (Fisher-Yates over the row indices, rows then gathered per batch
// by the gather kernel; without shuffling batches are views), one tidy()'d
// training step per batch, running sample-weighted means of loss and
// metrics in the batch logs, validation at the end of the epoch, and the
// callbacks around all of it.
import { describe, fail } from '../errors';
import { randomUniform } from '../ops/create';
import type { Tensor } from '../tensor';
import { callHook, History, ProgressLogger, type Callback, type CallbackModel, type Logs, type TrainingParams } from './callbacks';
import { defaultNow, type ProgressOptions } from './progress';
import { checkX, checkY, evaluateBatches, metricNames, rows, runBatch, type Compiled, type ModelCore } from './training';

/**
 * What the loop needs from a model, over its data as lists of tensors (one
 * per input and one per output): Sequential has one of each, a functional
 * model several. The loop itself only slices rows and sums the logs.
 */
export interface FitData {
  /** Metric names in log order ('loss' first). */
  names: string[];
  /** Checks x and y (any form the model accepts) and returns them as lists; `arg` names them in errors. */
  check(fn: string, x: unknown, y: unknown, argX: string, argY: string): [Tensor[], Tensor[]];
  /** [loss, ...metrics] of one batch; with `train`, also one optimizer step. */
  runBatch(xs: Tensor[], ys: Tensor[], train: boolean): number[];
  /** Sample-weighted means of [loss, ...metrics] over all rows, batchSize at a time. */
  evaluate(xs: Tensor[], ys: Tensor[], batchSize: number): number[];
}

/** Sequential's FitData: one x, one y. */
export function sequentialData(model: ModelCore, c: Compiled): FitData {
  return {
    names: metricNames(c),
    check: (fn, x, y, argX, argY) => {
      const xt = checkX(fn, model, x, argX);
      return [[xt], [checkY(fn, model, c, xt, y, argY)]];
    },
    runBatch: (xs, ys, train) => runBatch(model, c, xs[0], ys[0], train),
    evaluate: (xs, ys, batchSize) => evaluateBatches(model, c, xs[0], ys[0], batchSize),
  };
}

export interface FitArgs {
  epochs?: number;
  batchSize?: number;
  /** Reshuffle the training rows before every epoch (default true). */
  shuffle?: boolean;
  /** Fraction of the samples, taken from the END of x and y before shuffling, held out for validation. */
  validationSplit?: number;
  /** [xVal, yVal]; for a functional model each may be a list or an object keyed by input / output name. */
  validationData?: [Tensor | Tensor[] | Record<string, Tensor>, Tensor | Tensor[] | Record<string, Tensor>];
  /** Epoch to start from (resuming a previous run); epochs is the index to stop before. */
  initialEpoch?: number;
  callbacks?: Callback | Callback[];
  /** 0 silent, 1 progress bar, 2 one line per epoch. */
  verbose?: 0 | 1 | 2;
  /** @internal Progress output and clock (tests inject a fake stream). */
  progress?: ProgressOptions;
}

/** Yielding this often lets progress output flush and the FinalizationRegistry run. */
const YIELD_MS = 50;

const yieldToEventLoop = (): Promise<void> =>
  new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/** mulberry32: a small seeded generator for the permutation (indices, not tensor data). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A permutation of 0..n-1 seeded from the global random state (so wt.setRandomSeed fixes it). */
function permutation(n: number): Int32Array {
  const u = randomUniform([1]);
  const seed = Math.floor(u.dataSync()[0] * 2 ** 32);
  u.dispose();
  const rand = prng(seed);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

function checkInt(fn: string, name: string, v: unknown, min: number): number {
  if (!Number.isInteger(v) || (v as number) < min) fail(fn, `${name} must be an integer >= ${min}, got ${describe(v)}`);
  return v as number;
}

export function fitModel(model: ModelCore & CallbackModel, c: Compiled, x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
  return fitWith(model, sequentialData(model, c), x, y, args);
}

/**
 * Keras' train_on_batch (train: one optimizer step) and test_on_batch: x and
 * y as one batch, in training or inference mode. Returns the loss, or
 * [loss, ...metrics] (evaluate's order) when there is more than the loss;
 * for a step, the values before the update, as fit's logs report them.
 */
export function onBatch(fn: string, data: FitData, x: unknown, y: unknown, train: boolean): number | number[] {
  const [xs, ys] = data.check(fn, x, y, 'x', 'y');
  if (xs[0].shape[0] === 0) fail(fn, 'x has no samples');
  const values = data.runBatch(xs, ys, train);
  return values.length === 1 ? values[0] : values;
}

/** The training loop over any model's data (see FitData). */
export async function fitWith(model: CallbackModel & { stopTraining: boolean }, data: FitData, x: unknown, y: unknown, args: FitArgs = {}): Promise<History> {
  const fn = 'fit';
  if (args === null || typeof args !== 'object') fail(fn, `args must be an object, got ${describe(args)}`);
  const epochs = checkInt(fn, 'epochs', args.epochs ?? 1, 0);
  const batchSize = checkInt(fn, 'batchSize', args.batchSize ?? 32, 1);
  const initialEpoch = checkInt(fn, 'initialEpoch', args.initialEpoch ?? 0, 0);
  const verbose = args.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1 && verbose !== 2) fail(fn, `verbose must be 0, 1 or 2, got ${describe(verbose)}`);
  const split = args.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) fail(fn, `validationSplit must be a number in [0, 1), got ${describe(split)}`);
  const [xs, ys] = data.check(fn, x, y, 'x', 'y');
  const userCallbacks = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
  userCallbacks.forEach((cb, i) => {
    if (cb === null || typeof cb !== 'object') fail(fn, `callbacks[${i}] must be an object with hooks such as onEpochEnd, got ${describe(cb)}`);
  });

  // Views over x/y (Keras: the validation split is the last samples, taken before shuffling).
  const owned: Tensor[] = [];
  const view = (list: Tensor[], spec: string) => list.map((t) => {
    const v = t.index(spec);
    owned.push(v);
    return v;
  });
  let xTrain = xs;
  let yTrain = ys;
  let val: [Tensor[], Tensor[]] | null = null;
  if (args.validationData !== undefined) {
    const vd = args.validationData as unknown;
    if (!Array.isArray(vd) || vd.length !== 2) fail(fn, `validationData must be [xVal, yVal], got ${describe(vd)}`);
    val = data.check(fn, vd[0], vd[1], 'validationData[0]', 'validationData[1]');
  } else if (split > 0) {
    const n = xs[0].shape[0];
    const at = Math.ceil(n * (1 - split));
    if (at === 0 || at === n) fail(fn, `validationSplit ${split} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples`);
    xTrain = view(xs, `:${at}`);
    yTrain = view(ys, `:${at}`);
    val = [view(xs, `${at}:`), view(ys, `${at}:`)];
  }
  const n = xTrain[0].shape[0];
  if (n === 0) fail(fn, 'x has no samples');
  const steps = Math.ceil(n / batchSize);
  const names = data.names;

  const history = new History();
  const callbacks: Callback[] = [
    ...(verbose > 0 ? [new ProgressLogger(verbose as 1 | 2, args.progress)] : []),
    ...userCallbacks,
    history,
  ];
  const params: TrainingParams = { epochs, steps, samples: n, batchSize, verbose };
  for (const cb of callbacks) {
    cb.setModel?.(model);
    cb.setParams?.(params);
  }

  const now = defaultNow();
  let lastYield = now();
  let logs: Logs = {};
  model.stopTraining = false;
  try {
    await callHook(callbacks, 'onTrainBegin', {});
    for (let epoch = initialEpoch; epoch < epochs; epoch++) {
      await callHook(callbacks, 'onEpochBegin', epoch, {});
      const order = args.shuffle === false ? null : permutation(n);
      const sums = new Array<number>(names.length).fill(0);
      let seen = 0;
      for (let step = 0; step < steps; step++) {
        const start = step * batchSize;
        const end = Math.min(n, start + batchSize);
        await callHook(callbacks, 'onBatchBegin', step, { batch: step, size: end - start });
        const xb = xTrain.map((t) => rows(t, start, end, order));
        const yb = yTrain.map((t) => rows(t, start, end, order));
        let values: number[];
        try {
          values = data.runBatch(xb, yb, true);
        } finally {
          xb.forEach((t) => t.dispose());
          yb.forEach((t) => t.dispose());
        }
        seen += end - start;
        values.forEach((v, i) => (sums[i] += v * (end - start)));
        logs = Object.fromEntries(names.map((k, i) => [k, sums[i] / seen]));
        await callHook(callbacks, 'onBatchEnd', step, { ...logs });
        if (now() - lastYield >= YIELD_MS) {
          await yieldToEventLoop();
          lastYield = now();
        }
        if (model.stopTraining) break;
      }
      if (val !== null) {
        const v = data.evaluate(val[0], val[1], batchSize);
        names.forEach((k, i) => (logs[`val_${k}`] = v[i]));
      }
      await callHook(callbacks, 'onEpochEnd', epoch, { ...logs });
      if (model.stopTraining) break;
    }
    await callHook(callbacks, 'onTrainEnd', { ...logs });
  } finally {
    owned.forEach((t) => t.dispose());
  }
  return history;
}
