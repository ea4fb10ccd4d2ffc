// compile/fit/evaluate for models with several inputs and outputs. Each
// output is compiled as Sequential compiles its one output (resolveCompile:
// loss, metrics, checks of y), sharing one optimizer; the total loss is
// sum_i lossWeights[i] * loss_i plus the regularization penalties, and the
// logs use Keras' names for several outputs: 'loss', '<output>_loss' (the
// unweighted loss of each), '<output>_<metric>'.
import { variableGrads } from '../autograd/gradients';
import type { Variable } from '../autograd/variable';
import { keep, tidy } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import type { Layer, Shape } from '../layers/layer';
import { add, mul } from '../ops/elementwise';
import { Tensor } from '../tensor';
import type { FitData } from './fit';
import { checkX, checkY, resolveCompile, rows, type CompileArgs, type Compiled, type ModelCore } from './training';

type LossId = CompileArgs['loss'];
type MetricList = NonNullable<CompileArgs['metrics']>;

export interface FunctionalCompileArgs {
  optimizer: CompileArgs['optimizer'];
  /** One loss for every output, one per output (array), or by output name (object). */
  loss: LossId | LossId[] | Record<string, LossId>;
  /** Metrics for every output (a list of names), per output (a list of lists), or by output name. */
  metrics?: MetricList | MetricList[] | Record<string, MetricList>;
  /** Weights of the outputs' losses in the total (default 1 each). */
  lossWeights?: number[] | Record<string, number>;
}

export interface FunctionalCompiled {
  optimizer: Compiled['optimizer'];
  /** One Compiled per output (its loss and metrics). */
  outputs: Compiled[];
  /** What each output was compiled with (save() writes it back as the training config). */
  outputArgs: CompileArgs[];
  lossWeights: number[];
  names: string[];
}

/** What the training code needs from a functional model. */
export interface GraphCore {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly inputNames: string[];
  readonly outputNames: string[];
  inputShapes(): Shape[];
  outputShapes(): Shape[];
  forward(xs: Tensor[], options: { training?: boolean }): Tensor[];
  readonly trainableWeights: Variable[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor) && typeof v !== 'function';

/** A per-output setting given once, as a list in output order, or by output name. */
function perOutput<T>(fn: string, arg: string, v: unknown, names: string[], single: (v: unknown) => boolean, dflt?: T): T[] {
  if (v === undefined) return names.map(() => dflt as T);
  if (single(v)) return names.map(() => v as T);
  if (Array.isArray(v)) {
    if (v.length !== names.length) fail(fn, `${arg} has ${v.length} entries, but the model has ${names.length} outputs (${names.map((n) => `'${n}'`).join(', ')})`);
    return v as T[];
  }
  if (isPlainObject(v)) {
    for (const k of Object.keys(v)) if (!names.includes(k)) fail(fn, `${arg} names '${k}', which is not an output; outputs: ${names.map((n) => `'${n}'`).join(', ')}`);
    return names.map((n) => {
      if (!(n in v) && dflt === undefined) fail(fn, `${arg} has no entry for output '${n}'`);
      return (v[n] ?? dflt) as T;
    });
  }
  return fail(fn, `${arg} must be given once, as an array (one per output) or as an object keyed by output name, got ${describe(v)}`);
}

export function resolveFunctionalCompile(model: GraphCore, args: FunctionalCompileArgs): FunctionalCompiled {
  const fn = 'compile';
  if (args === null || typeof args !== 'object') fail(fn, 'args must be an object { optimizer, loss, metrics?, lossWeights? }');
  const names = model.outputNames;
  const shapes = model.outputShapes();
  const isLoss = (v: unknown) => typeof v === 'string' || typeof v === 'function' || (isPlainObject(v) && typeof v.className === 'string');
  if (args.loss === undefined) fail(fn, "args.loss is required (e.g. 'categoricalCrossentropy')");
  const losses = perOutput<LossId>(fn, 'loss', args.loss, names, isLoss);
  // A flat list of metric names applies to every output (TF.js); a list of lists is one per output.
  const flat = (v: unknown) => typeof v === 'string' || typeof v === 'function' || (Array.isArray(v) && !v.some(Array.isArray));
  const metrics = perOutput<MetricList>(fn, 'metrics', args.metrics, names, flat, []);
  const weights = perOutput<number>(fn, 'lossWeights', args.lossWeights, names, () => false, 1);
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w)) fail(fn, `lossWeights for output '${names[i]}' must be a finite number, got ${describe(w)}`);
  });
  const outputs: Compiled[] = [];
  const outputArgs: CompileArgs[] = [];
  names.forEach((name, i) => {
    const optimizer = i === 0 ? args.optimizer : outputs[0].optimizer;
    if (losses[i] === undefined || losses[i] === null) fail(fn, `loss for output '${name}' is missing`);
    outputArgs.push({ optimizer, loss: losses[i], metrics: metrics[i] });
    outputs.push(resolveCompile(outputArgs[i], shapes[i]));
  });
  const multi = names.length > 1;
  const logNames = ['loss', ...(multi ? names.map((n) => `${n}_loss`) : [])];
  outputs.forEach((c, i) => c.metrics.forEach((m) => logNames.push(multi ? `${names[i]}_${m.name}` : m.name)));
  if (new Set(logNames).size !== logNames.length) fail(fn, `two metrics would be logged under one name: ${logNames.join(', ')}`);
  return { optimizer: outputs[0].optimizer, outputs, outputArgs, lossWeights: weights, names: logNames };
}

/** [total loss, ...(per-output losses), ...metrics] of one batch; with `train`, one optimizer step. */
function runBatch(model: GraphCore, c: FunctionalCompiled, xs: Tensor[], ys: Tensor[], train: boolean): number[] {
  const kept: Tensor[] = [];
  let outs: Tensor[] = [];
  let parts: Tensor[] = [];
  const totalLoss = () => {
    outs = model.forward(xs, { training: train });
    outs.forEach((o) => kept.push(keep(o)));
    parts = c.outputs.map((oc, i) => {
      const l = oc.loss(ys[i], outs[i]);
      if (!(l instanceof Tensor) || l.size !== 1) fail('fit', `the loss of output '${model.outputNames[i]}' must return a scalar tensor, got ${l instanceof Tensor ? `shape ${fmtShape(l.shape)}` : typeof l}`);
      kept.push(keep(l));
      return l;
    });
    let total = parts
      .map((l, i) => (c.lossWeights[i] === 1 ? l : mul(l, c.lossWeights[i])))
      .reduce((a, b) => add(a, b));
    for (const layer of model.layers) {
      const p = layer.regularizationLoss();
      if (p) total = add(total, p);
    }
    return total;
  };
  try {
    return tidy(() => {
      let loss: Tensor;
      if (train) {
        const { value, grads } = variableGrads(totalLoss, model.trainableWeights);
        c.optimizer.applyGradients(grads);
        loss = value;
      } else {
        loss = totalLoss();
      }
      const values = [loss, ...(parts.length > 1 ? parts : [])];
      c.outputs.forEach((oc, i) => oc.metrics.forEach((m) => values.push(m.fn(ys[i], outs[i]))));
      return values.map((v) => Number(v.dataSync()[0]));
    });
  } finally {
    kept.forEach((t) => t.dispose());
  }
}

function evaluateBatches(model: GraphCore, c: FunctionalCompiled, xs: Tensor[], ys: Tensor[], batchSize: number): number[] {
  const n = xs[0].shape[0];
  const sums = new Array<number>(c.names.length).fill(0);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const xb = xs.map((t) => rows(t, start, end, null));
    const yb = ys.map((t) => rows(t, start, end, null));
    try {
      runBatch(model, c, xb, yb, false).forEach((v, i) => (sums[i] += v * (end - start)));
    } finally {
      xb.forEach((t) => t.dispose());
      yb.forEach((t) => t.dispose());
    }
  }
  return sums.map((s) => s / Math.max(1, n));
}

/** x or y as a list in input (output) order: one Tensor, an array, or an object keyed by name. */
export function dataList(fn: string, arg: string, v: unknown, names: string[], kind: 'input' | 'output'): Tensor[] {
  const list = names.map((n) => `'${n}'`).join(', ');
  if (v instanceof Tensor) {
    if (names.length !== 1) fail(fn, `${arg} is one tensor, but the model has ${names.length} ${kind}s (${list}): pass an array in that order or an object keyed by ${kind} name`);
    return [v];
  }
  let out: unknown[];
  if (Array.isArray(v)) {
    if (v.length !== names.length) fail(fn, `${arg} has ${v.length} tensors, but the model has ${names.length} ${kind}s (${list})`);
    out = v;
  } else if (isPlainObject(v)) {
    for (const k of Object.keys(v)) if (!names.includes(k)) fail(fn, `${arg} has key '${k}', which is not an ${kind} of the model; ${kind}s: ${list}`);
    out = names.map((n) => {
      if (!(n in v)) fail(fn, `${arg} is missing ${kind} '${n}' (the model's ${kind}s: ${list})`);
      return v[n];
    });
  } else {
    return fail(fn, `${arg} must be a Tensor, an array of tensors or an object keyed by ${kind} name, got ${describe(v)}`);
  }
  return out.map((t, i) => {
    if (!(t instanceof Tensor)) fail(fn, `${arg} for ${kind} '${names[i]}' must be a Tensor, got ${describe(t)}`);
    return t;
  });
}

/** A one-input, one-output view of the model for Sequential's checkX / checkY. */
function view(model: GraphCore, inputShape: Shape, outputShape: Shape, layer: Layer): ModelCore {
  return {
    name: model.name, layers: [layer], trainableWeights: [],
    batchInputShape: () => inputShape.slice(), outputShape: () => outputShape.slice(),
    forward: () => fail('forward', 'not available on a view'),
  };
}

export function checkInputs(fn: string, model: GraphCore, x: unknown, arg: string): Tensor[] {
  const xs = dataList(fn, arg, x, model.inputNames, 'input');
  const shapes = model.inputShapes();
  const inputLayers = model.layers.slice(0, xs.length);
  xs.forEach((t, i) => checkX(fn, view(model, shapes[i], [], inputLayers[i]), t, xs.length === 1 ? arg : `${arg} ('${model.inputNames[i]}')`));
  xs.forEach((t, i) => {
    if (t.shape[0] !== xs[0].shape[0]) fail(fn, `every input needs the same number of samples: '${model.inputNames[0]}' has ${xs[0].shape[0]}, '${model.inputNames[i]}' has ${t.shape[0]}`);
  });
  return xs;
}

export function checkTargets(fn: string, model: GraphCore, c: FunctionalCompiled, xs: Tensor[], y: unknown, arg: string): Tensor[] {
  const ys = dataList(fn, arg, y, model.outputNames, 'output');
  const shapes = model.outputShapes();
  ys.forEach((t, i) => checkY(fn, view(model, [], shapes[i], model.layers[0]), c.outputs[i], xs[0], t, ys.length === 1 ? arg : `${arg} ('${model.outputNames[i]}')`));
  return ys;
}

/** fit()'s view of a functional model (see FitData in fit.ts). */
export function functionalData(model: GraphCore, c: FunctionalCompiled): FitData {
  return {
    names: c.names,
    check: (fn, x, y, argX, argY) => {
      const xs = checkInputs(fn, model, x, argX);
      return [xs, checkTargets(fn, model, c, xs, y, argY)];
    },
    runBatch: (xs, ys, train) => runBatch(model, c, xs, ys, train),
    evaluate: (xs, ys, batchSize) => evaluateBatches(model, c, xs, ys, batchSize),
  };
}
