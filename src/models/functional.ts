// wt.model({ inputs, outputs }): Keras' functional Model (TF.js' LayersModel).
// The graph is fixed at construction (functional_graph.ts); a forward pass
// runs its nodes in order, keeping each symbolic tensor's value in a map, so
// a layer called twice runs twice on the same weights and its gradients add
// up on the tape. An output layer ending in softmax keeps its logits beside
// the probabilities (markSoftmaxOutput, Keras' _keras_logits), so a
// crossentropy loss on that output takes the fused, stable from-logits path
// as Sequential's does. Training lives in functional_training.ts and fit.ts.
import type { Variable } from '../autograd/variable';
import { tidy } from '../engine';
import { describe, fail, readOptions } from '../errors';
import { softmax as softmaxActivation } from '../layers/activations';
import { Activation } from '../layers/core';
import { Dense } from '../layers/dense';
import { InputLayer } from '../layers/input_layer';
import { uniqueName, type CallOptions, type Layer, type Shape } from '../layers/layer';
import type { Node, SymbolicTensor } from '../layers/symbolic';
import { cast } from '../ops/convert';
import { scalar } from '../ops/create';
import { concat } from '../ops/shape';
import { softmax } from '../ops/softmax';
import { markSoftmaxOutput } from '../train/losses';
import { Tensor } from '../tensor';
import type { SaveConfig } from '../io/save_model';
import type { IOHandler, SaveResult } from '../io/types';
import type { History } from './callbacks';
import { assignWeights } from './assign_weights';
import { fitWith, onBatch, type FitArgs } from './fit';
import { buildGraph, type Graph } from './functional_graph';
import { formatFunctionalSummary } from './functional_summary';
import { checkInputs, functionalData, resolveFunctionalCompile, type FunctionalCompileArgs, type FunctionalCompiled, type GraphCore } from './functional_training';

export interface ModelArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

/** x for predict/evaluate/fit: one tensor (one input), a list in input order, or an object keyed by input name. */
export type ModelData = Tensor | Tensor[] | Record<string, Tensor>;

type MultiCall = { call(inputs: Tensor[], options: CallOptions): Tensor };

export class LayersModel implements GraphCore {
  /** Keras 3 writes 'Functional' (TF.js too); 'Model' is accepted when loading. */
  readonly className = 'Functional';
  readonly name: string;
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  stopTraining = false;
  private readonly graph: Graph;
  private compiled: FunctionalCompiled | null = null;
  private compileArgs: FunctionalCompileArgs | null = null;

  constructor(args: ModelArgs) {
    const fn = 'model';
    if (args === null || typeof args !== 'object') fail(fn, `args must be an object { inputs, outputs, name? }, got ${describe(args)}`);
    readOptions(fn, args, ['inputs', 'outputs', 'name']);
    if (args.inputs === undefined) fail(fn, 'args.inputs is required (wt.input() tensors)');
    if (args.outputs === undefined) fail(fn, 'args.outputs is required (the SymbolicTensors the model computes)');
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '')) fail(fn, `name must be a non-empty string, got ${describe(args.name)}`);
    this.name = args.name ?? uniqueName('model');
    this.graph = buildGraph(fn, this.name, args.inputs, args.outputs);
    this.inputs = this.graph.inputs;
    this.outputs = this.graph.outputs;
  }

  get layers(): Layer[] {
    return this.graph.layers.slice();
  }

  /** @internal Every call in the model, producers first. */
  get nodes(): Node[] {
    return this.graph.nodes.slice();
  }

  /** @internal A node's index among its layer's calls in this model (Keras renumbers them per model). */
  nodeIndex(node: Node): number {
    return this.graph.nodes.filter((n) => n.layer === node.layer && n.index < node.index).length;
  }

  get inputNames(): string[] {
    return this.inputs.map((t) => t.node.layer.name);
  }

  get outputNames(): string[] {
    return this.outputs.map((t) => t.node.layer.name);
  }

  inputShapes(): Shape[] {
    return this.inputs.map((t) => t.shape.slice());
  }

  outputShapes(): Shape[] {
    return this.outputs.map((t) => t.shape.slice());
  }

  getLayer(name: string): Layer {
    const layer = this.graph.layers.find((l) => l.name === name);
    if (layer === undefined) fail('getLayer', `model '${this.name}' has no layer '${name}'; its layers: ${this.graph.layers.map((l) => l.name).join(', ')}`);
    return layer;
  }

  get weights(): Variable[] {
    return this.graph.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.graph.layers.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.graph.layers.flatMap((l) => l.nonTrainableWeights);
  }

  countParams(): number {
    return this.graph.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Runs every node in order; values are keyed by symbolic tensor, so shared layers just run twice. */
  forward(xs: Tensor[], options: { training?: boolean } = {}): Tensor[] {
    const values = new Map<number, Tensor>();
    this.inputs.forEach((t, i) => {
      const want = (t.node.layer as InputLayer).dtype;
      values.set(t.id, xs[i].dtype === want ? xs[i] : cast(xs[i], want));
    });
    const training = options.training ?? false;
    const outputNodes = new Set(this.outputs.map((t) => t.node));
    // Keras' mask propagation along every edge: computeMask of each call
    // (Embedding maskZero makes one) goes with its output to the next calls.
    const masks = new Map<number, Tensor | null>();
    for (const node of this.graph.nodes) {
      if (node.layer instanceof InputLayer) continue;
      const ins = node.inputs.map((t) => values.get(t.id) as Tensor);
      const inMasks = node.inputs.map((t) => masks.get(t.id) ?? null);
      let out: Tensor;
      let mask: Tensor | null;
      if (node.multi) {
        out = (node.layer as unknown as MultiCall).call(ins, { training });
        // A merge keeps a mask only when all its inputs carry the same one.
        mask = inMasks.every((m) => m !== null && m === inMasks[0]) ? inMasks[0] : null;
      } else {
        const call: CallOptions = { training, mask: inMasks[0] };
        if (outputNodes.has(node) && endsInSoftmax(node.layer)) {
          const logits = node.layer.call(ins[0], { ...call, logits: true });
          out = softmax(logits);
          markSoftmaxOutput(out, logits);
        } else out = node.layer.call(ins[0], call);
        mask = node.layer.computeMask(ins[0], inMasks[0]);
      }
      values.set(node.outputs[0].id, out);
      masks.set(node.outputs[0].id, mask);
    }
    return this.outputs.map((t) => values.get(t.id) as Tensor);
  }

  private single(list: Tensor[]): Tensor | Tensor[] {
    return this.outputs.length === 1 ? list[0] : list;
  }

  /** Keras' model(x): one forward pass in inference mode (no batching). */
  apply(x: ModelData, options: { training?: boolean } = {}): Tensor | Tensor[] {
    const xs = checkInputs('apply', this, x, 'x');
    return this.single(tidy(() => this.forward(xs, { training: options.training })));
  }

  compile(args: FunctionalCompileArgs): void {
    this.compiled = resolveFunctionalCompile(this, args);
    this.compileArgs = args;
  }

  /** @internal The compiled state and what compile() was given, or null before compile(). */
  get compiledState(): { compiled: FunctionalCompiled; args: FunctionalCompileArgs } | null {
    return this.compiled === null || this.compileArgs === null ? null : { compiled: this.compiled, args: this.compileArgs };
  }

  private compiledOrFail(fn: string): FunctionalCompiled {
    if (this.compiled === null) fail(fn, 'the model must be compiled first: model.compile({ optimizer, loss, metrics })');
    return this.compiled;
  }

  get optimizer(): FunctionalCompiled['optimizer'] {
    return this.compiledOrFail('optimizer').optimizer;
  }

  /** Log names in evaluate()'s order: 'loss', then '<output>_loss' per output (several outputs), then the metrics. */
  get metricsNames(): string[] {
    return this.compiledOrFail('metricsNames').names.slice();
  }

  fit(x: ModelData, y: ModelData, args: FitArgs = {}): Promise<History> {
    try {
      return fitWith(this, functionalData(this, this.compiledOrFail('fit')), x, y, args);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * One optimizer step on x and y as a single batch (TF.js's trainOnBatch,
   * Keras' train_on_batch): the loss before the step, or the values in
   * metricsNames order.
   */
  trainOnBatch(x: ModelData, y: ModelData): Promise<number | number[]> {
    try {
      return Promise.resolve(onBatch('trainOnBatch', functionalData(this, this.compiledOrFail('trainOnBatch')), x, y, true));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The loss, or the values in metricsNames order, of x and y as one batch in inference mode (Keras' test_on_batch). */
  testOnBatch(x: ModelData, y: ModelData): number | number[] {
    return onBatch('testOnBatch', functionalData(this, this.compiledOrFail('testOnBatch')), x, y, false);
  }

  /** The outputs for x as one batch (TF.js's predictOnBatch): one tensor, or one per output. */
  predictOnBatch(x: ModelData): Tensor | Tensor[] {
    const xs = checkInputs('predictOnBatch', this, x, 'x');
    return this.predict(x, { batchSize: Math.max(1, xs[0].shape[0]) });
  }

  /** Scalars in metricsNames order, or the loss alone when that is all there is (like TF.js). */
  evaluate(x: ModelData, y: ModelData, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    const fn = 'evaluate';
    const data = functionalData(this, this.compiledOrFail(fn));
    const batchSize = checkBatchSize(fn, args?.batchSize);
    const [xs, ys] = data.check(fn, x, y, 'x', 'y');
    if (xs[0].shape[0] === 0) fail(fn, 'x has no samples');
    const values = data.evaluate(xs, ys, batchSize).map((v) => scalar(v));
    return values.length === 1 ? values[0] : values;
  }

  /** Outputs for every row, batchSize rows at a time: one tensor, or one per output. */
  predict(x: ModelData, args: { batchSize?: number } = {}): Tensor | Tensor[] {
    const fn = 'predict';
    const batchSize = checkBatchSize(fn, args?.batchSize);
    const xs = checkInputs(fn, this, x, 'x');
    const n = xs[0].shape[0];
    // An output that is an input passes through: hand back copies the caller may dispose.
    const owned = (list: Tensor[]) => list.map((t) => (xs.includes(t) ? t.clone() : t));
    if (n <= batchSize) return this.single(owned(tidy(() => this.forward(xs))));
    const parts: Tensor[][] = this.outputs.map(() => []);
    try {
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(n, start + batchSize);
        const outs = tidy(() => this.forward(xs.map((t) => t.index(`${start}:${end}`))));
        outs.forEach((o, i) => parts[i].push(o));
      }
      return this.single(parts.map((p) => concat(p, 0)));
    } finally {
      parts.flat().forEach((p) => p.dispose());
    }
  }

  getWeights(): Tensor[] {
    return this.weights.map((w) => w.clone());
  }

  /** Assigns weights in getWeights() order (layer by layer, kernel before bias); shapes must match. */
  setWeights(weights: Tensor[]): void {
    assignWeights('setWeights', this.weights, weights);
  }

  /** Keras' summary table with a "Connected to" column, through printFn (default console.log). */
  summary(lineLength?: number, positions?: number[], printFn: (line: string) => void = console.log): void {
    formatFunctionalSummary(this, lineLength, positions).forEach((line) => printFn(line));
  }

  /** Saves in the TF.js Layers format (class_name 'Functional'); see Sequential.save. */
  async save(handlerOrUrl: string | IOHandler, config: SaveConfig = {}): Promise<SaveResult> {
    // Loaded on first use, as in Sequential.save.
    const { saveModel } = await import('../io/save_model');
    return saveModel(this, handlerOrUrl, config);
  }

  /** Frees every layer's weights and the optimizer's slots. */
  dispose(): void {
    this.graph.layers.forEach((l) => l.dispose());
    (this.compiled?.optimizer as { dispose?: () => void } | undefined)?.dispose?.();
  }
}

function endsInSoftmax(layer: Layer): boolean {
  return (layer instanceof Dense || layer instanceof Activation) && layer.activation === softmaxActivation;
}

function checkBatchSize(fn: string, batchSize: unknown): number {
  const b = batchSize ?? 32;
  if (!Number.isInteger(b) || (b as number) < 1) fail(fn, `batchSize must be a positive integer, got ${describe(batchSize)}`);
  return b as number;
}

/** TF.js' tf.model({ inputs, outputs, name }). */
export function model(args: ModelArgs): LayersModel {
  return new LayersModel(args);
}

