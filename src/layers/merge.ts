// The merge layers (Keras' layers/merging): they take a list of inputs.
// Add, Subtract, Multiply, Average, Maximum combine them elementwise with
// Keras' broadcasting (dims aligned from the right, a 1 stretches, null is
// unknown); Concatenate joins them along one axis. Each is a fold of one
// broadcasting op, so the gradients come from the ops.
import { describe, fail } from '../errors';
import { cast } from '../ops/convert';
import { add, maximum, mul, sub } from '../ops/elementwise';
import { concat } from '../ops/shape';
import { Tensor } from '../tensor';
import { fmtBatchShape, Layer, type CallOptions, type LayerArgs, type Shape } from './layer';
import { isSymbolic, type MultiInputLayer, type SymbolicTensor } from './symbolic';

const shapesText = (shapes: Shape[]) => shapes.map(fmtBatchShape).join(', ');

export abstract class Merge extends Layer implements MultiInputLayer {
  readonly multiInput = true as const;
  /** The batch shapes build() was called with, one per input. */
  inputShapes?: Shape[];
  /** Fewest inputs the layer takes (Keras: 2; Subtract: exactly 2). */
  protected minInputs = 2;
  protected maxInputs = Infinity;

  constructor(args: LayerArgs = {}, className: string, options: readonly string[] = []) {
    super(args, className, options);
  }

  /** Keras' error text: names the layer, its class and every input shape. */
  protected mismatch(shapes: Shape[], why: string): never {
    return fail(this.name, `layer '${this.name}' (${this.className}) cannot merge inputs of shapes ${shapesText(shapes)}: ${why}`);
  }

  /** The output shape of the merge (fails with the shapes when they do not fit). */
  protected abstract mergedShape(shapes: Shape[]): Shape;

  protected abstract merge(inputs: Tensor[]): Tensor;

  checkInputShapes(shapes: Shape[]): void {
    if (!Array.isArray(shapes) || shapes.length < this.minInputs || shapes.length > this.maxInputs) {
      const want = this.maxInputs === this.minInputs ? `exactly ${this.minInputs}` : `at least ${this.minInputs}`;
      fail(this.name, `layer '${this.name}' (${this.className}) takes ${want} inputs, got ${Array.isArray(shapes) ? shapes.length : describe(shapes)}`);
    }
    const built = this.inputShapes;
    if (built !== undefined) {
      const fits = built.length === shapes.length && built.every((b, k) => b.length === shapes[k].length && b.every((d, i) => d === null || shapes[k][i] === null || d === shapes[k][i]));
      if (!fits) fail(this.name, `layer '${this.name}' (${this.className}) was built for inputs of shapes ${shapesText(built)}, got ${shapesText(shapes)}`);
    }
    this.mergedShape(shapes);
  }

  override build(shapes: Shape | Shape[]): void {
    const list = shapes as Shape[];
    this.checkInputShapes(list);
    this.inputShapes = list.map((s) => s.slice());
    this.built = true;
  }

  override computeOutputShape(shapes: Shape | Shape[]): Shape {
    return this.mergedShape(shapes as Shape[]);
  }

  call(inputs: Tensor | Tensor[], options?: CallOptions): Tensor {
    void options;
    if (!Array.isArray(inputs)) return fail(this.name, `layer '${this.name}' (${this.className}) takes an array of tensors, got ${describe(inputs)}`);
    return this.merge(inputs);
  }

  /** layer.apply([a, b]) on tensors (computes) or on SymbolicTensors (records a node). */
  override apply(input: Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], options: CallOptions = {}): Tensor | SymbolicTensor {
    if (isSymbolic(input)) return super.apply(input as SymbolicTensor[], options);
    if (!Array.isArray(input) || !input.every((t) => t instanceof Tensor)) {
      return fail(this.name, `layer '${this.name}' (${this.className}) must be applied to an array of tensors or SymbolicTensors, got ${describe(input)}`);
    }
    input.forEach((t, i) => t.assertAlive(this.name, `inputs[${i}]`));
    const shapes: Shape[] = input.map((t) => [null, ...t.shape.slice(1)]);
    if (this.built) this.checkInputShapes(shapes);
    else this.build(shapes);
    const xs = input.map((t) => (t.dtype === 'float32' ? t : cast(t, 'float32')));
    return this.call(xs, options);
  }
}

/**
 * Keras' _compute_elemwise_op_output_shape over all inputs: a 1 stretches to
 * the other size, null (unknown) takes the other size. Inputs of different
 * ranks are rejected rather than aligned, so no axis is matched by accident.
 */
function broadcastShapes(shapes: Shape[], mismatch: (why: string) => never): Shape {
  const rank = shapes[0].length;
  if (shapes.some((s) => s.length !== rank)) mismatch('the inputs must all have the same rank');
  const out = shapes[0].slice();
  for (const s of shapes.slice(1)) {
    for (let i = 0; i < rank; i++) {
      const a = out[i];
      const b = s[i];
      if (i === 0) {
        if (a !== null && b !== null && a !== b) mismatch(`the batch sizes ${a} and ${b} differ`);
        out[0] = a ?? b;
      } else if (a === 1) out[i] = b;
      else if (b === 1 || b === null) continue;
      else if (a === null) out[i] = b;
      else if (a !== b) mismatch(`dimension ${i} is ${a} in one input and ${b} in another (only equal sizes or 1 broadcast)`);
    }
  }
  return out;
}

abstract class Elementwise extends Merge {
  protected mergedShape(shapes: Shape[]): Shape {
    return broadcastShapes(shapes, (why) => this.mismatch(shapes, why));
  }
}

/** Sum of its inputs. */
export class Add extends Elementwise {
  readonly className = 'Add';
  constructor(args: LayerArgs = {}) {
    super(args, 'Add');
  }
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, x) => add(acc, x), xs[0]);
  }
}

/** inputs[0] - inputs[1] (exactly two inputs). */
export class Subtract extends Elementwise {
  readonly className = 'Subtract';
  constructor(args: LayerArgs = {}) {
    super(args, 'Subtract');
    this.maxInputs = 2;
  }
  protected merge(xs: Tensor[]): Tensor {
    if (xs.length !== 2) fail(this.name, `layer '${this.name}' (Subtract) takes exactly 2 inputs, got ${xs.length}`);
    return sub(xs[0], xs[1]);
  }
}

/** Elementwise product of its inputs. */
export class Multiply extends Elementwise {
  readonly className = 'Multiply';
  constructor(args: LayerArgs = {}) {
    super(args, 'Multiply');
  }
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, x) => mul(acc, x), xs[0]);
  }
}

/** Elementwise mean of its inputs. */
export class Average extends Elementwise {
  readonly className = 'Average';
  constructor(args: LayerArgs = {}) {
    super(args, 'Average');
  }
  protected merge(xs: Tensor[]): Tensor {
    const total = xs.slice(1).reduce((acc, x) => add(acc, x), xs[0]);
    return mul(total, 1 / xs.length);
  }
}

/** Elementwise maximum of its inputs. */
export class Maximum extends Elementwise {
  readonly className = 'Maximum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Maximum');
  }
  protected merge(xs: Tensor[]): Tensor {
    return xs.slice(1).reduce((acc, x) => maximum(acc, x), xs[0]);
  }
}

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1, the last); never the batch axis. */
  axis?: number;
}

/** Joins its inputs along `axis`; every other dimension must agree. */
export class Concatenate extends Merge {
  readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args, 'Concatenate', ['axis']);
    const axis = args?.axis ?? -1;
    if (!Number.isInteger(axis)) fail('concatenate', `axis must be an integer, got ${describe(args?.axis)}`);
    this.axis = axis;
  }

  private resolvedAxis(shapes: Shape[]): number {
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    if (axis <= 0 || axis >= rank) this.mismatch(shapes, `axis ${this.axis} is ${axis === 0 ? 'the batch axis' : `out of range for rank ${rank}`}`);
    return axis;
  }

  protected mergedShape(shapes: Shape[]): Shape {
    const rank = shapes[0].length;
    if (shapes.some((s) => s.length !== rank)) this.mismatch(shapes, 'the inputs must all have the same rank');
    const axis = this.resolvedAxis(shapes);
    const out = shapes[0].slice();
    for (const s of shapes.slice(1)) {
      for (let i = 1; i < rank; i++) {
        if (i === axis) continue;
        if (out[i] === null) out[i] = s[i];
        else if (s[i] !== null && s[i] !== out[i]) this.mismatch(shapes, `all dimensions but axis ${this.axis} must match (dimension ${i} is ${out[i]} and ${s[i]})`);
      }
      out[axis] = out[axis] === null || s[axis] === null ? null : (out[axis] as number) + (s[axis] as number);
    }
    return out;
  }

  protected merge(xs: Tensor[]): Tensor {
    const rank = xs[0].rank;
    return concat(xs, this.axis < 0 ? rank + this.axis : this.axis);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export const MERGE_CLASSES = ['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Concatenate'] as const;
