// Variables: tensors whose contents change in place (assign, optimizer
// updates) and which gradient functions treat as sources. Like TF.js, they
// live outside tidy() scopes until disposed.
import { checkDType, type DType } from '../dtype';
import { backend, keep } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { empty, toTensor } from '../ops/alloc';
import { Tensor, type TensorLike } from '../tensor';

let nextVariable = 0;
const live = new Set<Variable>();

export class Variable extends Tensor {
  readonly name: string;
  trainable: boolean;

  /**
   * @internal Use wt.variable(). With `adopt`, a contiguous `initial` that no
   * other tensor shares lends its block instead of being copied; the caller
   * promises to dispose `initial` at once (a layer's fresh initial weights:
   * copying them was a quarter of building the seed's model).
   */
  constructor(initial: Tensor, trainable: boolean, name: string, adopt = false) {
    if (!(initial instanceof Tensor)) fail('Variable', `initial must be a Tensor (or use wt.variable(initialValue, trainable?, name?, dtype?)), got ${describe(initial)}`);
    initial.assertAlive('Variable', 'initial');
    if (adopt && initial.storage.refs === 1 && initial.offset === 0 && initial.isContiguous) {
      super(initial.storage, initial.shape, initial.dtype);
    } else {
      const storage = empty(initial.shape, initial.dtype);
      super(storage.storage, initial.shape, initial.dtype);
      storage.dispose(); // the Variable now holds the block
      if (initial.size > 0) backend().copy(initial.view(), this.storage.ptr);
    }
    this.trainable = trainable;
    this.name = name;
    keep(this);
    live.add(this);
  }

  /** Overwrites the contents with `value` (same shape and dtype), in place. */
  assign(value: TensorLike): void {
    this.assertAlive('assign', 'variable');
    const v = toTensor('assign', 'value', value, this.dtype);
    if (v.dtype !== this.dtype || v.shape.length !== this.shape.length || v.shape.some((d, i) => d !== this.shape[i])) {
      fail('assign', `value has shape ${fmtShape(v.shape)} and dtype '${v.dtype}', expected ${fmtShape(this.shape)} and '${this.dtype}' like variable '${this.name}'`);
    }
    if (v.size > 0) backend().copy(v.view(), this.storage.ptr);
    if (v !== value) v.dispose();
  }

  override dispose(): void {
    live.delete(this);
    super.dispose();
  }
}

/** A trainable (by default) variable initialised with a copy of `initialValue`. */
export function variable(initialValue: TensorLike, trainable = true, name?: string, dtype?: DType): Variable {
  if (typeof trainable !== 'boolean') fail('variable', `trainable must be true or false, got ${describe(trainable)}`);
  if (name !== undefined && typeof name !== 'string') fail('variable', `name must be a string, got ${describe(name)}`);
  if (dtype !== undefined) checkDType('variable', 'dtype', dtype);
  const t = toTensor('variable', 'initialValue', initialValue);
  const typed = dtype !== undefined && dtype !== t.dtype ? t.cast(dtype) : t;
  const v = new Variable(typed, trainable, name ?? `Variable_${nextVariable++}`);
  if (typed !== t) typed.dispose();
  if (t !== initialValue) t.dispose();
  return v;
}

/**
 * @internal A variable that takes over `fresh`, a tensor its caller has just
 * made and owns alone, and disposes it: no copy when nothing else holds it.
 */
export function variableFrom(fresh: Tensor, trainable: boolean, name: string): Variable {
  const v = new Variable(fresh, trainable, name, true);
  fresh.dispose();
  return v;
}

/** Live trainable variables, in creation order. */
export function trainableVariables(): Variable[] {
  return [...live].filter((v) => v.trainable && !v.isDisposed);
}

/** The live variable called `name` (the newest, if several share it), or undefined. */
export function variableByName(name: string): Variable | undefined {
  let found: Variable | undefined;
  for (const v of live) if (v.name === name && !v.isDisposed) found = v;
  return found;
}
