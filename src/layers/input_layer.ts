// wt.input({ shape }): the entry point of a functional model. It makes an
// InputLayer (Keras' name; it has no weights and passes values through) and
// returns the SymbolicTensor that the model's first layers are called on.
import { describe, fail, readOptions } from '../errors';
import type { Tensor } from '../tensor';
import { Layer, uniqueName, type Shape } from './layer';
import { addNode, type SymbolicTensor } from './symbolic';

export interface InputArgs {
  /** Shape without the batch axis ([784]); null for a dimension of any size. */
  shape?: (number | null)[];
  /** Shape with the batch axis ([null, 784]); instead of shape. */
  batchShape?: (number | null)[];
  name?: string;
  /** 'float32' (default) or 'int32'; values are computed in float32 either way. */
  dtype?: 'float32' | 'int32';
}

export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  readonly dtype: 'float32' | 'int32';

  constructor(args: { name?: string; batchInputShape: Shape; dtype?: 'float32' | 'int32' }) {
    if (args === null || typeof args !== 'object' || !Array.isArray(args.batchInputShape)) {
      fail('InputLayer', `args must be { batchInputShape, name?, dtype? }, got ${describe(args)}; wt.input({ shape }) makes one with its symbolic tensor`);
    }
    super({ name: args.name, batchInputShape: args.batchInputShape }, 'InputLayer');
    this.dtype = args.dtype ?? 'float32';
    this.build(this.batchInputShape as Shape);
  }

  call(x: Tensor): Tensor {
    return x;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dtype: this.dtype, sparse: false };
  }
}

function checkShape(fn: string, arg: string, dims: unknown): Shape {
  if (!Array.isArray(dims) || dims.some((d) => d !== null && !(Number.isInteger(d) && d > 0))) {
    fail(fn, `${arg} must be an array of positive integers (or null), got ${Array.isArray(dims) ? JSON.stringify(dims) : describe(dims)}`);
  }
  return dims.slice();
}

/** TF.js' tf.input(): a symbolic batch of inputs of the given shape. */
export function input(args: InputArgs): SymbolicTensor {
  const fn = 'input';
  if (args === null || typeof args !== 'object') fail(fn, `args must be an object { shape, batchShape?, name?, dtype? }, got ${describe(args)}`);
  readOptions(fn, args, ['shape', 'batchShape', 'name', 'dtype']);
  if (args.shape !== undefined && args.batchShape !== undefined) fail(fn, 'give shape or batchShape, not both');
  let batchShape: Shape;
  if (args.batchShape !== undefined) batchShape = checkShape(fn, 'batchShape', args.batchShape);
  else if (args.shape !== undefined) batchShape = [null, ...checkShape(fn, 'shape', args.shape)];
  else return fail(fn, 'args.shape is required, e.g. wt.input({ shape: [784] })');
  if (batchShape.length === 0) fail(fn, 'batchShape must have at least the batch axis');
  const dtype = args.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'int32') fail(fn, `dtype must be 'float32' or 'int32', got ${describe(args.dtype)}`);
  if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '')) fail(fn, `name must be a non-empty string, got ${describe(args.name)}`);
  const layer = new InputLayer({ name: args.name ?? uniqueName('input'), batchInputShape: batchShape, dtype });
  return addNode(layer, [], false, batchShape, dtype);
}
