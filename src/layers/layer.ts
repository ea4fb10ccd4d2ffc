// The Layer contract (Keras 3): build(inputShape) creates the weights,
// call(input, { training }) computes, computeOutputShape predicts the output
// shape without computing, getConfig serializes the constructor arguments.
// Shapes here are batch shapes with null for unknown dims ([null, 784]).
import { variableByName, variableFrom, Variable } from '../autograd/variable';
import { describe, fail, readOptions } from '../errors';
import { cast } from '../ops/convert';
import { fill } from '../ops/create';
import { add } from '../ops/elementwise';
import { Tensor } from '../tensor';
import type { Initializer } from './initializers';
import type { Regularizer } from './regularizers';
import type { SymbolicTensor } from './symbolic';
import { applyIfSymbolic } from './symbolic_apply';

/** A batch shape: null where the size is not fixed (the batch axis, usually). */
export type Shape = (number | null)[];

export interface LayerArgs {
  /** Unique among live layers; default: the class name in snake_case, numbered like Keras ('dense', 'dense_1'). */
  name?: string;
  /** Input shape without the batch axis (first layer of a Sequential model). */
  inputShape?: number[];
  /** Input shape with the batch axis (null = any batch size). */
  batchInputShape?: Shape;
  /** With inputShape: a fixed batch size. */
  batchSize?: number;
  trainable?: boolean;
}

export interface CallOptions {
  /** Training mode (dropout active). */
  training?: boolean;
  /**
   * @internal Return pre-softmax values: a layer whose activation is softmax
   * skips it. Sequential uses this to feed logits to the fused crossentropy.
   */
  logits?: boolean;
  /**
   * Keras masking: [batch, timesteps] (bool or float, 0 = padding) from the
   * previous layer's computeMask (Embedding with maskZero). Recurrent layers
   * carry their state over masked steps; other layers ignore it.
   */
  mask?: Tensor | null;
}

const LAYER_ARGS = ['name', 'inputShape', 'batchInputShape', 'batchSize', 'trainable'] as const;

const uids = new Map<string, number>();

let zeroInit = false;

/**
 * @internal Builds layers whose weights are about to be overwritten (a model
 * being loaded): weights start as zeros instead of being drawn from their
 * initializers, so loading neither pays for the draws nor moves the global
 * random state (a resumed fit() then shuffles as the uninterrupted one would).
 */
export function withZeroInit<T>(fn: () => T): T {
  const before = zeroInit;
  zeroInit = true;
  try {
    return fn();
  } finally {
    zeroInit = before;
  }
}

/** Keras' backend.get_uid naming: 'dense', then 'dense_1', 'dense_2', ... */
export function uniqueName(prefix: string): string {
  const n = uids.get(prefix) ?? 0;
  uids.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Keras' to_snake_case: 'Dense' -> 'dense', 'Conv2D' -> 'conv2d', 'MaxPooling2D' -> 'max_pooling2d'. */
export function snakeCase(className: string): string {
  return className.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export function fmtBatchShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : d)).join(',')}]`;
}

function checkDims(fn: string, arg: string, dims: unknown, allowNull: boolean): Shape {
  if (!Array.isArray(dims) || dims.some((d) => !(Number.isInteger(d) && d > 0) && !(allowNull && d === null))) {
    fail(fn, `${arg} must be an array of positive integers${allowNull ? ' (or null)' : ''}, got ${Array.isArray(dims) ? JSON.stringify(dims) : describe(dims)}`);
  }
  return dims.slice();
}

interface WeightSpec {
  initializer: Initializer;
  regularizer?: Regularizer | null;
  trainable?: boolean;
}

export abstract class Layer {
  /** Keras' class name ('Dense'), shown by summary() and used in getConfig(). */
  abstract readonly className: string;
  readonly name: string;
  /** The batch input shape given by inputShape / batchInputShape, if any. */
  readonly batchInputShape?: Shape;
  built = false;
  /** The batch shape build() was called with. */
  buildInputShape?: Shape;
  private trainableFlag: boolean;
  private readonly ownWeights: Variable[] = [];
  /** Weights created with trainable: false (moving statistics): layer.trainable = true leaves them frozen. */
  private readonly frozen = new Set<Variable>();
  private readonly regularized: Array<[Variable, Regularizer]> = [];

  /** `options`: the subclass's own argument names; any other key besides LayerArgs' is a typo and rejected. */
  constructor(args: LayerArgs = {}, className?: string, options: readonly string[] = []) {
    const fn = className ?? 'Layer';
    if (args === null || typeof args !== 'object') fail(fn, `args must be an object, got ${describe(args)}`);
    readOptions(fn, args, [...LAYER_ARGS, ...options]);
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '')) fail(fn, `name must be a non-empty string, got ${describe(args.name)}`);
    this.name = args.name ?? uniqueName(snakeCase(className ?? 'layer'));
    if (args.trainable !== undefined && typeof args.trainable !== 'boolean') fail(fn, `trainable must be true or false, got ${describe(args.trainable)}`);
    this.trainableFlag = args.trainable ?? true;
    if (args.batchInputShape !== undefined) {
      this.batchInputShape = checkDims(fn, 'batchInputShape', args.batchInputShape, true);
    } else if (args.inputShape !== undefined) {
      const dims = checkDims(fn, 'inputShape', args.inputShape, true);
      if (args.batchSize !== undefined && !(Number.isInteger(args.batchSize) && args.batchSize > 0)) {
        fail(fn, `batchSize must be a positive integer, got ${describe(args.batchSize)}`);
      }
      this.batchInputShape = [args.batchSize ?? null, ...dims];
    }
  }

  /** inputShape without the batch axis, as given to the constructor. */
  get inputShape(): Shape | undefined {
    return this.batchInputShape?.slice(1);
  }

  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const w of this.ownWeights) w.trainable = value && !this.frozen.has(w);
  }

  /** Creates the weights for inputs of this batch shape. */
  build(inputShape: Shape): void {
    this.buildInputShape = inputShape.slice();
    this.built = true;
  }

  abstract call(input: Tensor, options?: CallOptions): Tensor;

  computeOutputShape(inputShape: Shape): Shape {
    return inputShape.slice();
  }

  /**
   * Keras' compute_mask: the mask of this layer's output for this input. By
   * default the incoming mask passes through unchanged; Embedding with
   * maskZero creates one (input != 0), and layers that remove the time axis
   * return null.
   */
  computeMask(input: Tensor, mask?: Tensor | null): Tensor | null {
    void input;
    return mask ?? null;
  }

  /** Fails when this (built) layer cannot take inputs of this batch shape. */
  checkInputShape(fn: string, inputShape: Shape): void {
    const built = this.buildInputShape;
    if (built === undefined) return;
    const ok = built.length === inputShape.length && built.every((d, i) => d === null || inputShape[i] === null || d === inputShape[i]);
    if (!ok) fail(fn, `layer '${this.name}' expects inputs of shape ${fmtBatchShape(built)}, got ${fmtBatchShape(inputShape)}`);
  }

  /** Builds on first use; checks compatibility afterwards. Returns the output shape. */
  ensureBuilt(fn: string, inputShape: Shape): Shape {
    if (this.built) this.checkInputShape(fn, inputShape);
    else this.build(inputShape);
    return this.computeOutputShape(inputShape);
  }

  /**
   * Runs the layer on a tensor, building it from the tensor's shape first if
   * needed. On a SymbolicTensor (wt.input, functional API) it computes
   * nothing: it records the call and returns the symbolic output. The
   * return type is TF.js' union (cast it, as there), so subclasses may
   * narrow apply to tensors.
   */
  apply(input: Tensor | SymbolicTensor | SymbolicTensor[], options: CallOptions = {}): Tensor | SymbolicTensor {
    const symbolic = applyIfSymbolic(this, input);
    if (symbolic !== null) return symbolic;
    if (!(input instanceof Tensor)) fail(this.name, `layer '${this.name}' must be applied to a Tensor or a SymbolicTensor (wt.input), got ${describe(input)}`);
    const shape: Shape = [null, ...input.shape.slice(1)];
    this.ensureBuilt(this.name, shape);
    const x = input.dtype === 'float32' ? input : cast(input, 'float32');
    return this.call(x, options);
  }

  /** Creates a Variable named `${layer name}/${name}`; names must be unique among live variables. */
  protected addWeight(name: string, shape: number[], spec: WeightSpec): Variable {
    const fullName = `${this.name}/${name}`;
    if (variableByName(fullName) !== undefined) {
      fail(this.name, `a live variable is already named '${fullName}'; give each layer a unique name (or dispose the old model)`);
    }
    const init = zeroInit ? fill(shape, 0, 'float32') : spec.initializer.apply(shape);
    const trainable = (spec.trainable ?? true) && this.trainableFlag;
    const v = variableFrom(init, trainable, fullName);
    this.ownWeights.push(v);
    if (spec.trainable === false) this.frozen.add(v);
    if (spec.regularizer) this.regularized.push([v, spec.regularizer]);
    return v;
  }

  /** All weights, in creation order (kernel before bias). */
  get weights(): Variable[] {
    return this.ownWeights.slice();
  }

  get trainableWeights(): Variable[] {
    return this.ownWeights.filter((w) => w.trainable);
  }

  /** Copies of this layer's weights (Keras' get_weights), kernel before bias; the caller owns them. */
  getWeights(): Tensor[] {
    return this.ownWeights.map((w) => w.clone());
  }

  /** Assigns weights in getWeights() order; every shape is checked before any weight changes. */
  setWeights(weights: Tensor[]): void {
    const fn = `${this.name}.setWeights`;
    const own = this.ownWeights;
    if (!Array.isArray(weights) || weights.length !== own.length) {
      fail(fn, `expected an array of ${own.length} tensors (${own.map((w) => `${w.name} [${w.shape.join(',')}]`).join(', ') || 'this layer has no weights'}), got ${Array.isArray(weights) ? weights.length : describe(weights)}`);
    }
    weights.forEach((w, i) => {
      if (!(w instanceof Tensor)) fail(fn, `weights[${i}] must be a Tensor, got ${describe(w)}`);
      w.assertAlive(fn, `weights[${i}]`);
      if (w.shape.length !== own[i].shape.length || w.shape.some((d, k) => d !== own[i].shape[k])) {
        fail(fn, `weights[${i}] has shape [${w.shape.join(',')}], but '${own[i].name}' has shape [${own[i].shape.join(',')}]`);
      }
    });
    weights.forEach((w, i) => {
      const v = w.dtype === 'float32' ? w : cast(w, 'float32');
      own[i].assign(v);
      if (v !== w) v.dispose();
    });
  }

  get nonTrainableWeights(): Variable[] {
    return this.ownWeights.filter((w) => !w.trainable);
  }

  countParams(): number {
    return this.ownWeights.reduce((n, w) => n + w.size, 0);
  }

  /** The summed regularization penalty of this layer's weights, or null if it has none. */
  regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const [w, r] of this.regularized) {
      if (!w.trainable) continue;
      const p = r.apply(w);
      total = total === null ? p : add(total, p);
    }
    return total;
  }

  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { name: this.name, trainable: this.trainable, dtype: 'float32' };
    if (this.batchInputShape !== undefined) config.batchInputShape = this.batchInputShape.slice();
    return config;
  }

  /** Frees the weights. */
  dispose(): void {
    for (const w of this.ownWeights) w.dispose();
    this.ownWeights.length = 0;
    this.frozen.clear();
    this.regularized.length = 0;
    this.built = false;
  }
}
