// Sequential: a stack of layers, each feeding the next, with Keras' compile /
// fit / evaluate / predict / summary. Shapes are checked as layers are added,
// so a wrong inputShape fails at add(), not in the middle of fit().
import type { Variable } from '../autograd/variable';
import { tidy } from '../engine';
import { describe, fail, readOptions } from '../errors';
import { fmtBatchShape, Layer, uniqueName, type Shape } from '../layers/layer';
import { cast } from '../ops/convert';
import { scalar } from '../ops/create';
import { concat } from '../ops/shape';
import { Tensor } from '../tensor';
import type { SaveConfig } from '../io/save_model';
import type { IOHandler, SaveResult } from '../io/types';
import type { History } from './callbacks';
import { assignWeights } from './assign_weights';
import { fitModel, onBatch, sequentialData, type FitArgs } from './fit';
import { formatSummary } from './summary';
import { checkX, checkY, evaluateBatches, resolveCompile, type CompileArgs, type Compiled, type ModelCore } from './training';

export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

export class Sequential implements ModelCore {
  readonly name: string;
  /** Set by callbacks (e.g. EarlyStopping) to end fit() after the current batch. */
  stopTraining = false;
  private readonly stack: Layer[] = [];
  /** Output batch shape after each layer. */
  private readonly shapes: Shape[] = [];
  private compiled: Compiled | null = null;
  /** What compile() was given: save() writes it back as the training config. */
  private compileArgs: CompileArgs | null = null;

  constructor(args: SequentialArgs = {}) {
    if (args === null || typeof args !== 'object') fail('sequential', `args must be an object { layers?, name? }, got ${describe(args)}`);
    readOptions('sequential', args, ['layers', 'name']);
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '')) fail('sequential', `name must be a non-empty string, got ${describe(args.name)}`);
    this.name = args.name ?? uniqueName('sequential');
    if (args.layers !== undefined) {
      if (!Array.isArray(args.layers)) fail('sequential', `layers must be an array of layers, got ${describe(args.layers)}`);
      args.layers.forEach((l) => this.add(l));
    }
  }

  get layers(): Layer[] {
    return this.stack.slice();
  }

  /** Appends a layer, building it for the previous layer's output shape. */
  add(layer: Layer): void {
    const fn = 'add';
    if (!(layer instanceof Layer)) fail(fn, `layer must be a Layer (e.g. wt.layers.dense({ units: 10 })), got ${describe(layer)}`);
    if (this.stack.includes(layer)) fail(fn, `layer '${layer.name}' is already in model '${this.name}'`);
    let input: Shape;
    if (this.stack.length === 0) {
      const given = layer.batchInputShape ?? (layer.built ? layer.buildInputShape : undefined);
      if (given === undefined) {
        fail(fn, `the first layer of a Sequential model needs an inputShape, e.g. layers.dense({ units: 512, inputShape: [784] }); layer '${layer.name}' has none`);
      }
      input = given;
    } else {
      input = this.shapes[this.shapes.length - 1];
      const given = layer.batchInputShape;
      if (given !== undefined) {
        const fits = given.length === input.length && given.every((d, i) => d === null || input[i] === null || d === input[i]);
        if (!fits) {
          fail(fn, `layer '${layer.name}' was given inputShape ${fmtBatchShape(given.slice(1))}, but the previous layer '${this.stack[this.stack.length - 1].name}' outputs ${fmtBatchShape(input)}`);
        }
      }
    }
    const output = layer.ensureBuilt(fn, input);
    this.stack.push(layer);
    this.shapes.push(output);
  }

  /** Removes the last layer (Keras' pop). */
  pop(): Layer {
    const layer = this.stack.pop();
    if (layer === undefined) fail('pop', 'the model has no layers');
    this.shapes.pop();
    return layer;
  }

  batchInputShape(fn: string): Shape {
    const first = this.stack[0];
    if (first === undefined) fail(fn, `model '${this.name}' has no layers yet: add layers (the first with an inputShape) before calling ${fn}`);
    return (first.buildInputShape ?? first.batchInputShape ?? []).slice();
  }

  outputShape(fn: string): Shape {
    if (this.stack.length === 0) fail(fn, `model '${this.name}' has no layers yet: add layers (the first with an inputShape) before calling ${fn}`);
    return this.shapes[this.shapes.length - 1].slice();
  }

  get weights(): Variable[] {
    return this.stack.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.stack.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.stack.flatMap((l) => l.nonTrainableWeights);
  }

  countParams(): number {
    return this.stack.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Runs every layer; with `logits`, the last layer skips a softmax activation. */
  forward(x: Tensor, options: { training?: boolean; logits?: boolean } = {}): Tensor {
    let h = x.dtype === 'float32' ? x : cast(x, 'float32');
    const last = this.stack.length - 1;
    // Keras' mask propagation: each layer's computeMask (Embedding maskZero
    // creates one, a sequence-reducing layer drops it) feeds the next call.
    let mask: Tensor | null = null;
    this.stack.forEach((layer, i) => {
      const input = h;
      h = layer.call(input, { training: options.training ?? false, logits: i === last && options.logits === true, mask });
      mask = layer.computeMask(input, mask);
    });
    return h;
  }

  /** Keras' model(x): one forward pass in inference mode (no batching). */
  apply(x: Tensor, options: { training?: boolean } = {}): Tensor {
    checkX('apply', this, x);
    return tidy(() => this.forward(x, { training: options.training }));
  }

  compile(args: CompileArgs): void {
    this.compiled = resolveCompile(args, this.stack.length > 0 ? this.outputShape('compile') : undefined);
    this.compileArgs = args;
  }

  /** @internal The compiled state and the arguments compile() had, or null before compile(). */
  get compiledState(): { compiled: Compiled; args: CompileArgs } | null {
    return this.compiled === null || this.compileArgs === null ? null : { compiled: this.compiled, args: this.compileArgs };
  }

  /**
   * Saves topology and weights in the TF.js Layers format: to 'file://dir'
   * (Node), 'http(s)://...' (POST), 'indexeddb://name', or any IOHandler
   * (wt.io.withSaveHandler, TF.js' handlers). With includeOptimizer, also the
   * training config and the optimizer's state, so fit() can resume.
   */
  async save(handlerOrUrl: string | IOHandler, config: SaveConfig = {}): Promise<SaveResult> {
    // Loaded on first use: the format code and every layer's serializer stay
    // out of the bundle of an app that never saves.
    const { saveModel } = await import('../io/save_model');
    return saveModel(this, handlerOrUrl, config);
  }

  private compiledOrFail(fn: string): Compiled {
    if (this.compiled === null) fail(fn, 'the model must be compiled first: model.compile({ optimizer, loss, metrics })');
    return this.compiled;
  }

  /** The compiled optimizer (after compile()). */
  get optimizer(): Compiled['optimizer'] {
    return this.compiledOrFail('optimizer').optimizer;
  }

  fit(x: Tensor, y: Tensor, args: FitArgs = {}): Promise<History> {
    try {
      const c = this.compiledOrFail('fit');
      return fitModel(this, c, x, y, args);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * One optimizer step on x and y as a single batch (TF.js's trainOnBatch,
   * Keras' train_on_batch): the loss before the step, or [loss, ...metrics].
   */
  trainOnBatch(x: Tensor, y: Tensor): Promise<number | number[]> {
    try {
      return Promise.resolve(onBatch('trainOnBatch', sequentialData(this, this.compiledOrFail('trainOnBatch')), x, y, true));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The loss, or [loss, ...metrics], of x and y as one batch in inference mode (Keras' test_on_batch). */
  testOnBatch(x: Tensor, y: Tensor): number | number[] {
    return onBatch('testOnBatch', sequentialData(this, this.compiledOrFail('testOnBatch')), x, y, false);
  }

  /** The outputs for x as one batch (TF.js's predictOnBatch). */
  predictOnBatch(x: Tensor): Tensor {
    checkX('predictOnBatch', this, x);
    return this.predict(x, { batchSize: Math.max(1, x.shape[0]) });
  }

  /** [loss, ...metrics] as scalar tensors, or the loss alone when there are no metrics (like TF.js). */
  evaluate(x: Tensor, y: Tensor, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    const fn = 'evaluate';
    const c = this.compiledOrFail(fn);
    const batchSize = checkBatchSize(fn, args?.batchSize);
    checkX(fn, this, x);
    checkY(fn, this, c, x, y);
    if (x.shape[0] === 0) fail(fn, 'x has no samples');
    const values = evaluateBatches(this, c, x, y, batchSize).map((v) => scalar(v));
    return values.length === 1 ? values[0] : values;
  }

  /** Outputs for every row of x, computed batchSize rows at a time. */
  predict(x: Tensor, args: { batchSize?: number } = {}): Tensor {
    const fn = 'predict';
    const batchSize = checkBatchSize(fn, args?.batchSize);
    checkX(fn, this, x);
    const n = x.shape[0];
    if (n <= batchSize) {
      // A model of pass-through layers returns its input: hand back a copy the caller may dispose.
      const out = tidy(() => this.forward(x));
      return out === x ? x.clone() : out;
    }
    const parts: Tensor[] = [];
    try {
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(n, start + batchSize);
        parts.push(tidy(() => this.forward(x.index(`${start}:${end}`))));
      }
      return concat(parts, 0);
    } finally {
      parts.forEach((p) => p.dispose());
    }
  }

  /** Copies of every weight, in layer order (kernel, bias, ...); the caller owns them. */
  getWeights(): Tensor[] {
    return this.weights.map((w) => w.clone());
  }

  /** Assigns weights in getWeights() order; shapes must match. */
  setWeights(weights: Tensor[]): void {
    assignWeights('setWeights', this.weights, weights);
  }

  /** Prints Keras' summary table through printFn (default console.log). */
  summary(lineLength?: number, positions?: number[], printFn: (line: string) => void = console.log): void {
    const rows = this.stack.map((layer, i) => ({ layer, outputShape: this.shapes[i] }));
    const trainable = this.trainableWeights.reduce((n, w) => n + w.size, 0);
    const nonTrainable = this.nonTrainableWeights.reduce((n, w) => n + w.size, 0);
    formatSummary(this.name, rows, trainable, nonTrainable, lineLength, positions).forEach((line) => printFn(line));
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, layers: this.stack.map((l) => ({ className: l.className, config: l.getConfig() })) };
  }

  /** Frees every layer's weights and the optimizer's slots. */
  dispose(): void {
    this.stack.forEach((l) => l.dispose());
    (this.compiled?.optimizer as { dispose?: () => void } | undefined)?.dispose?.();
  }
}

function checkBatchSize(fn: string, batchSize: unknown): number {
  const b = batchSize ?? 32;
  if (!Number.isInteger(b) || (b as number) < 1) fail(fn, `batchSize must be a positive integer, got ${describe(batchSize)}`);
  return b as number;
}

/** TF.js-style factory: wt.sequential({ layers, name }). */
export function sequential(args: SequentialArgs = {}): Sequential {
  return new Sequential(args);
}
