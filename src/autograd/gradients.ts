// TF.js's gradient functions: grad, grads, valueAndGrad, valueAndGrads,
// variableGrads. Each opens a tape, runs f, then walks the recorded nodes
// backwards, summing gradient contributions per tensor (a tensor used twice
// gets both). Everything created on the way is freed except the results.
import { tidy } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { add } from '../ops/elementwise';
import { onesLike } from '../ops/create';
import { Tensor } from '../tensor';
import { beginTape, releaseTape, withTape, type Tape } from './tape';
import { trainableVariables, type Variable } from './variable';

/** Gradients of `y` with respect to every tensor on the tape, keyed by tensor id. */
function backprop(fn: string, tape: Tape, y: Tensor, dy: Tensor | undefined): Map<number, Tensor> {
  const grads = new Map<number, Tensor>();
  if (dy !== undefined) {
    if (!(dy instanceof Tensor)) fail(fn, `dy must be a Tensor, got ${describe(dy)}`);
    dy.assertAlive(fn, 'dy');
    if (dy.shape.length !== y.shape.length || dy.shape.some((d, i) => d !== y.shape[i])) {
      fail(fn, `dy has shape ${fmtShape(dy.shape)}, expected the shape of f's result ${fmtShape(y.shape)}`);
    }
  }
  grads.set(y.id, dy ?? onesLike(y.dtype === 'float32' ? y : y.cast('float32')));
  tape.replaying = true;
  try {
    for (let i = tape.nodes.length - 1; i >= 0; i--) {
      const node = tape.nodes[i];
      const g = grads.get(node.output.id);
      if (g === undefined) continue;
      const inputGrads = node.backward(g, node.inputs.map((t) => tape.onPath.has(t.id)));
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

/**
 * Runs f on a fresh tape watching `sources`, then backprop; `use` turns the
 * results into what the caller returns, all inside one tidy(). The tape is
 * released (its deferred disposals done) before tidy() frees the rest.
 */
function withGradients<R>(fn: string, sources: Tensor[], f: () => Tensor, dy: Tensor | undefined, use: (value: Tensor, grads: Map<number, Tensor>) => R): R {
  return tidy(() => {
    const tape = beginTape();
    try {
      sources.forEach((s) => tape.watch(s));
      const value = withTape(tape, f);
      if (!(value instanceof Tensor)) fail(fn, `f must return a Tensor, got ${describe(value)}`);
      return use(value, backprop(fn, tape, value, dy));
    } finally {
      releaseTape(tape);
    }
  });
}

function checkFunction(fn: string, f: unknown): void {
  if (typeof f !== 'function') fail(fn, `f must be a function, got ${describe(f)}`);
}

function checkSources(fn: string, xs: unknown, single: boolean): Tensor[] {
  const name = (i: number) => (single ? 'x' : `xs[${i}]`);
  if (!Array.isArray(xs) || xs.length === 0) fail(fn, `xs must be a non-empty array of tensors, got ${describe(xs)}`);
  return xs.map((x, i) => {
    if (!(x instanceof Tensor)) fail(fn, `${name(i)} must be a Tensor, got ${describe(x)}`);
    x.assertAlive(fn, name(i));
    if (x.dtype !== 'float32') fail(fn, `${name(i)} has dtype '${x.dtype}'; gradients need float32 sources`);
    return x;
  });
}

/**
 * Gives every returned gradient its own contiguous storage: a gradient may be
 * a view (of dy, of a broadcast), the caller's dy itself, or the same tensor
 * for two inputs (x + y), and the caller must be able to dispose each result
 * on its own.
 */
function ownCopies(results: Tensor[], callerOwned: readonly (Tensor | undefined)[]): Tensor[] {
  const seen = new Set<Tensor>();
  return results.map((g) => {
    const shared = seen.has(g) || callerOwned.includes(g) || !g.isContiguous || g.offset !== 0 || g.storage.refs > 1;
    const owned = shared ? g.clone() : g;
    seen.add(owned);
    return owned;
  });
}

function valueAndGradsOf(fn: string, f: (...xs: Tensor[]) => Tensor, xs: Tensor[], dy: Tensor | undefined, single: boolean): { value: Tensor; grads: Tensor[] } {
  const sources = checkSources(fn, xs, single);
  return withGradients(fn, sources, () => f(...sources), dy, (value, all) => {
    const grads = sources.map((x, i) => {
      const g = all.get(x.id);
      if (g === undefined) {
        fail(fn, `cannot compute the gradient with respect to ${single ? 'x' : `xs[${i}]`} (shape ${fmtShape(x.shape)}): f's result does not depend on it through differentiable ops`);
      }
      return g;
    });
    return { value, grads: ownCopies(grads, [...sources, dy]) };
  });
}

/** Frees f's result unless it is one of the caller's own tensors (f = x => x). */
function dropValue(value: Tensor, callerOwned: readonly Tensor[]): void {
  if (!callerOwned.includes(value)) value.dispose();
}

/** valueAndGrads(f)(xs, dy?) -> { value, grads }: f's result and its gradient for every x. */
export function valueAndGrads(f: (...xs: Tensor[]) => Tensor) {
  checkFunction('valueAndGrads', f);
  return (xs: Tensor[], dy?: Tensor) => valueAndGradsOf('valueAndGrads', f, xs, dy, false);
}

/** grads(f)(xs, dy?) -> gradient of f(...xs) for every x. */
export function grads(f: (...xs: Tensor[]) => Tensor) {
  checkFunction('grads', f);
  return (xs: Tensor[], dy?: Tensor): Tensor[] => {
    const { value, grads: g } = valueAndGradsOf('grads', f, xs, dy, false);
    dropValue(value, xs);
    return g;
  };
}

/** valueAndGrad(f)(x, dy?) -> { value, grad } for a function of one tensor. */
export function valueAndGrad(f: (x: Tensor) => Tensor) {
  checkFunction('valueAndGrad', f);
  return (x: Tensor, dy?: Tensor): { value: Tensor; grad: Tensor } => {
    const { value, grads: g } = valueAndGradsOf('valueAndGrad', f as (...xs: Tensor[]) => Tensor, [x], dy, true);
    return { value, grad: g[0] };
  };
}

/** grad(f)(x, dy?) -> df/dx for a function of one tensor. */
export function grad(f: (x: Tensor) => Tensor) {
  checkFunction('grad', f);
  return (x: Tensor, dy?: Tensor): Tensor => {
    const { value, grads: g } = valueAndGradsOf('grad', f as (...xs: Tensor[]) => Tensor, [x], dy, true);
    dropValue(value, [x]);
    return g[0];
  };
}

/**
 * variableGrads(f, varList?) -> { value, grads: { [name]: Tensor } }: the
 * gradient of the scalar f() with respect to each trainable variable it uses
 * (all live trainable variables unless varList is given; non-trainable ones
 * are left out, as in TF.js).
 */
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
  const fn = 'variableGrads';
  checkFunction(fn, f);
  if (varList !== undefined && !Array.isArray(varList)) fail(fn, `varList must be an array of variables, got ${describe(varList)}`);
  const vars = (varList ?? trainableVariables()).filter((v) => v.trainable);
  return withGradients(fn, vars, f, undefined, (value, all) => {
    if (value.rank !== 0) fail(fn, `f must return a scalar, got shape ${fmtShape(value.shape)}`);
    const reached = vars.filter((v) => all.has(v.id));
    if (reached.length === 0) {
      fail(fn, `f's result does not depend on any of the ${vars.length} trainable variables through differentiable ops`);
    }
    const owned = ownCopies(reached.map((v) => all.get(v.id) as Tensor), vars);
    const out: Record<string, Tensor> = {};
    reached.forEach((v, i) => (out[v.name] = owned[i]));
    return { value, grads: out };
  });
}
