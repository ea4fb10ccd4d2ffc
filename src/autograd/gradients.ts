// TF.js's gradient functions: grad, grads, valueAndGrad, valueAndGrads,
// variableGrads. Each opens a tape, runs f, then walks the recorded nodes
// backwards, summing gradient contributions per tensor (a tensor used twice
// gets both). Everything created on the way is freed except the results.
import { tidy } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { add } from '../ops/elementwise';
import { onesLike } from '../ops/create';
import { Tensor } from '../tensor';
import { Tape, withTape } from './tape';
import { trainableVariables, type Variable } from './variable';

/** Gradients of `y` with respect to every tensor on the tape, keyed by tensor id. */
function backprop(tape: Tape, y: Tensor, dy: Tensor | undefined): Map<number, Tensor> {
  const grads = new Map<number, Tensor>();
  if (dy !== undefined) {
    if (!(dy instanceof Tensor)) fail('grad', `dy must be a Tensor, got ${describe(dy)}`);
    if (dy.shape.length !== y.shape.length || dy.shape.some((d, i) => d !== y.shape[i])) {
      fail('grad', `dy has shape ${fmtShape(dy.shape)}, expected the shape of f's result ${fmtShape(y.shape)}`);
    }
  }
  grads.set(y.id, dy ?? onesLike(y.dtype === 'float32' ? y : y.cast('float32')));
  tape.replaying = true;
  try {
    for (let i = tape.nodes.length - 1; i >= 0; i--) {
      const node = tape.nodes[i];
      const g = grads.get(node.output.id);
      if (g === undefined) continue;
      const inputGrads = node.backward(g);
      node.inputs.forEach((input, k) => {
        const gi = inputGrads[k];
        if (!gi || !tape.onPath.has(input.id)) return;
        const prev = grads.get(input.id);
        grads.set(input.id, prev === undefined ? gi : add(prev, gi));
      });
    }
  } finally {
    tape.replaying = false;
  }
  return grads;
}

function checkFunction(fn: string, f: unknown): void {
  if (typeof f !== 'function') fail(fn, `f must be a function, got ${describe(f)}`);
}

function checkSources(fn: string, xs: unknown): Tensor[] {
  if (!Array.isArray(xs) || xs.length === 0) fail(fn, `xs must be a non-empty array of tensors, got ${describe(xs)}`);
  return xs.map((x, i) => {
    if (!(x instanceof Tensor)) fail(fn, `xs[${i}] must be a Tensor, got ${describe(x)}`);
    x.assertAlive(fn, `xs[${i}]`);
    if (x.dtype !== 'float32') fail(fn, `xs[${i}] has dtype '${x.dtype}'; gradients need float32 sources`);
    return x;
  });
}

function runWithTape(fn: string, f: (...xs: Tensor[]) => Tensor, sources: Tensor[], dy?: Tensor): { value: Tensor; grads: Map<number, Tensor> } {
  const tape = new Tape();
  sources.forEach((s) => tape.watch(s));
  const value = withTape(tape, () => f(...sources));
  if (!(value instanceof Tensor)) fail(fn, `f must return a Tensor, got ${describe(value)}`);
  return { value, grads: backprop(tape, value, dy) };
}

function gradFor(fn: string, grads: Map<number, Tensor>, x: Tensor, i: number): Tensor {
  const g = grads.get(x.id);
  if (g === undefined) {
    fail(fn, `cannot compute the gradient with respect to xs[${i}] (shape ${fmtShape(x.shape)}): f's result does not depend on it through differentiable ops`);
  }
  return g;
}

/**
 * Gives every returned gradient its own contiguous storage: a gradient may be
 * a view (of dy, of a broadcast) or the same tensor for two inputs (x + y),
 * and the caller must be able to dispose each result on its own.
 */
function ownCopies(results: Tensor[], callerOwned?: Tensor): Tensor[] {
  const seen = new Set<Tensor>();
  return results.map((g) => {
    const owned = seen.has(g) || g === callerOwned || !g.isContiguous || g.offset !== 0 || g.storage.refs > 1 ? g.clone() : g;
    seen.add(owned);
    return owned;
  });
}

/** valueAndGrads(f)(xs, dy?) -> { value, grads }: f's result and its gradient for every x. */
export function valueAndGrads(f: (...xs: Tensor[]) => Tensor) {
  checkFunction('valueAndGrads', f);
  return (xs: Tensor[], dy?: Tensor): { value: Tensor; grads: Tensor[] } =>
    tidy(() => {
      const sources = checkSources('valueAndGrads', xs);
      const { value, grads } = runWithTape('valueAndGrads', f, sources, dy);
      return { value, grads: ownCopies(sources.map((x, i) => gradFor('valueAndGrads', grads, x, i)), dy) };
    });
}

/** grads(f)(xs, dy?) -> gradient of f(...xs) for every x. */
export function grads(f: (...xs: Tensor[]) => Tensor) {
  checkFunction('grads', f);
  const vg = valueAndGrads(f);
  return (xs: Tensor[], dy?: Tensor): Tensor[] => {
    const { value, grads: g } = vg(xs, dy);
    value.dispose();
    return g;
  };
}

/** valueAndGrad(f)(x, dy?) -> { value, grad } for a function of one tensor. */
export function valueAndGrad(f: (x: Tensor) => Tensor) {
  checkFunction('valueAndGrad', f);
  const vg = valueAndGrads(f as (...xs: Tensor[]) => Tensor);
  return (x: Tensor, dy?: Tensor): { value: Tensor; grad: Tensor } => {
    const { value, grads: g } = vg([x], dy);
    return { value, grad: g[0] };
  };
}

/** grad(f)(x, dy?) -> df/dx for a function of one tensor. */
export function grad(f: (x: Tensor) => Tensor) {
  checkFunction('grad', f);
  const vg = valueAndGrad(f);
  return (x: Tensor, dy?: Tensor): Tensor => {
    const { value, grad: g } = vg(x, dy);
    value.dispose();
    return g;
  };
}

/**
 * variableGrads(f, varList?) -> { value, grads: { [name]: Tensor } }: the
 * gradient of the scalar f() with respect to each trainable variable it uses
 * (all live trainable variables unless varList is given).
 */
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
  checkFunction('variableGrads', f);
  const vars = varList ?? trainableVariables();
  return tidy(() => {
    const tape = new Tape();
    vars.forEach((v) => tape.watch(v));
    const value = withTape(tape, f);
    if (!(value instanceof Tensor)) fail('variableGrads', `f must return a Tensor, got ${describe(value)}`);
    if (value.rank !== 0) fail('variableGrads', `f must return a scalar, got shape ${fmtShape(value.shape)}`);
    const all = backprop(tape, value, undefined);
    const reached = vars.filter((v) => all.has(v.id));
    const owned = ownCopies(reached.map((v) => all.get(v.id) as Tensor));
    const out: Record<string, Tensor> = {};
    reached.forEach((v, i) => (out[v.name] = owned[i]));
    return { value, grads: out };
  });
}

