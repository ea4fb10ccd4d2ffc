// Embedding: integer indices [batch, ...] -> rows of a trainable table
// [inputDim, outputDim], output [batch, ..., outputDim]. The forward is one
// gather (a memory.copy per index) whose gradient is the scatter-add kernel
// gather_grad_f32, so a training step costs O(indices * outputDim), never a
// dense [inputDim, outputDim] matmul. Keras / tfjs-layers defaults: the table
// is drawn from randomUniform(-0.05, 0.05); float inputs holding integers are
// cast to int32 (truncating, as tf.cast does); maskZero makes index 0 padding
// and computeMask(input) = input != 0.
import type { Variable } from '../autograd/variable';
import { describe, fail } from '../errors';
import { cast } from '../ops/convert';
import { notEqual } from '../ops/elementwise';
import { gather } from '../ops/gather';
import { reshape } from '../ops/shape';
import { Tensor } from '../tensor';
import { getInitializer, type Initializer } from './initializers';
import { fmtBatchShape, Layer, type CallOptions, type LayerArgs, type Shape } from './layer';
import { getRegularizer, type Regularizer } from './regularizers';

export interface EmbeddingArgs extends LayerArgs {
  /** Vocabulary size: indices must lie in [0, inputDim). */
  inputDim: number;
  outputDim: number;
  embeddingsInitializer?: string | Initializer;
  embeddingsRegularizer?: string | Regularizer | null;
  /** Index 0 is padding: computeMask returns input != 0 (so inputDim should be vocabulary + 1). */
  maskZero?: boolean;
  /** The fixed length of the input sequences (a list for inputs of rank > 2). */
  inputLength?: number | number[] | null;
}

const BOOL = "expects integer indices (int32, or floats holding integers), got dtype 'bool'";
const OPTIONS = ['inputDim', 'outputDim', 'embeddingsInitializer', 'embeddingsRegularizer', 'maskZero', 'inputLength'];

function positiveInt(fn: string, arg: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) <= 0) fail(fn, `${arg} must be a positive integer, got ${describe(v)}`);
  return v as number;
}

function readInputLength(fn: string, v: unknown): number[] | null {
  if (v === undefined || v === null) return null;
  const list = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(list) || list.length === 0 || list.some((d) => !Number.isInteger(d) || d <= 0)) {
    fail(fn, `inputLength must be a positive integer or a list of them, got ${Array.isArray(v) ? JSON.stringify(v) : describe(v)}`);
  }
  return list.slice();
}

/** tfjs-layers: with no input shape given, the batch input shape is [batchSize, ...inputLength] ([batchSize, null] without one). */
function withDefaultShape(args: EmbeddingArgs, inputLength: number[] | null): EmbeddingArgs {
  if (args === null || typeof args !== 'object' || args.batchInputShape !== undefined || args.inputShape !== undefined) return args;
  const { batchSize, ...rest } = args;
  return { ...rest, batchInputShape: [batchSize ?? null, ...(inputLength ?? [null])] };
}

export class Embedding extends Layer {
  readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly embeddingsInitializer: Initializer;
  readonly embeddingsRegularizer: Regularizer | null;
  readonly maskZero: boolean;
  readonly inputLength: number[] | null;
  embeddings?: Variable;

  constructor(args: EmbeddingArgs) {
    const fn = 'embedding';
    if (args === null || typeof args !== 'object') fail(fn, `args must be an object with inputDim and outputDim, got ${describe(args)}`);
    const inputLength = readInputLength(fn, args.inputLength);
    super(withDefaultShape(args, inputLength), 'Embedding', OPTIONS);
    this.inputDim = positiveInt(fn, 'inputDim', args.inputDim);
    this.outputDim = positiveInt(fn, 'outputDim', args.outputDim);
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer ?? 'randomUniform', fn);
    this.embeddingsRegularizer = getRegularizer(args.embeddingsRegularizer, fn);
    if (args.maskZero !== undefined && typeof args.maskZero !== 'boolean') fail(fn, `maskZero must be true or false, got ${describe(args.maskZero)}`);
    this.maskZero = args.maskZero ?? false;
    this.inputLength = inputLength;
  }

  override build(inputShape: Shape): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim],
      { initializer: this.embeddingsInitializer, regularizer: this.embeddingsRegularizer });
    // The table fits sequences of any length: remember only the declared
    // dims (a Sequential model checks its inputs against these), not the
    // length of the first batch.
    const declared = this.batchInputShape;
    super.build(declared !== undefined && declared.length === inputShape.length ? declared : inputShape.map(() => null));
  }

  /** Sequences of any length (and rank) are accepted, as in Keras; only inputLength, when given, is enforced. */
  override checkInputShape(fn: string, inputShape: Shape): void {
    this.computeOutputShape(inputShape, fn);
  }

  override computeOutputShape(inputShape: Shape, fn = this.name): Shape {
    const lens = this.inputLength;
    if (lens === null) return [...inputShape, this.outputDim];
    const dims = inputShape.slice(1);
    if (lens.length !== dims.length || lens.some((d, i) => dims[i] !== null && dims[i] !== d)) {
      fail(fn, `layer '${this.name}' has inputLength ${JSON.stringify(lens)}, but got inputs of shape ${fmtBatchShape(inputShape)}`);
    }
    return [inputShape[0], ...lens, this.outputDim];
  }

  /** Like Layer.apply, but int32 indices go in as they are (not through float32). */
  override apply(input: Parameters<Layer['apply']>[0], options?: CallOptions): ReturnType<Layer['apply']> {
    if (input instanceof Tensor && input.dtype === 'bool') return fail(this.name, BOOL);
    if (!(input instanceof Tensor) || input.dtype !== 'int32') return super.apply(input, options);
    this.ensureBuilt(this.name, [null, ...input.shape.slice(1)]);
    return this.call(input);
  }

  call(x: Tensor): Tensor {
    const table = this.embeddings;
    if (table === undefined) return fail(this.name, 'the layer is not built; call build(inputShape) or apply(x) first');
    if (x.dtype === 'bool') fail(this.name, BOOL);
    const indices = x.dtype === 'int32' ? x : cast(x, 'int32');
    const flat = reshape(indices, [indices.size]);
    let rows: Tensor;
    try {
      rows = gather(table, flat, 0);
    } catch (e) {
      throw outOfRange(this.name, this.inputDim, e);
    } finally {
      flat.dispose();
      if (indices !== x) indices.dispose();
    }
    const y = reshape(rows, [...x.shape, this.outputDim]);
    rows.dispose();
    return y;
  }

  /** input != 0 with maskZero (bool, the input's shape), else null. */
  override computeMask(input: Tensor): Tensor | null {
    if (!this.maskZero) return null;
    return notEqual(input, 0);
  }

  override getConfig(): Record<string, unknown> {
    const serialized = (x: Initializer | Regularizer) => ({ className: x.className, config: x.getConfig() });
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: serialized(this.embeddingsInitializer),
      embeddingsRegularizer: this.embeddingsRegularizer ? serialized(this.embeddingsRegularizer) : null,
      maskZero: this.maskZero,
      inputLength: this.inputLength === null ? null : this.inputLength.slice(),
    };
  }
}

/** gather's out-of-range error restated for the layer: which index, and the vocabulary size it must fit. */
function outOfRange(name: string, inputDim: number, e: unknown): unknown {
  const m = e instanceof Error ? /^gather: indices\[(\d+)\] \(flat index\) is (-?\d+), out of range/.exec(e.message) : null;
  if (m === null) return e;
  return new Error(`${name}: input index ${m[2]} (flat position ${m[1]}) is out of range [0, ${inputDim}); the layer's inputDim is ${inputDim}`);
}
