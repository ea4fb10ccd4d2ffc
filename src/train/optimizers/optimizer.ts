// The optimizer contract shared by SGD, RMSprop, Adam, ...: TF.js's surface
// (applyGradients keyed by variable name, minimize, getWeights/setWeights with
// the iteration count first) over Keras 3's update rules. A subclass only
// names its slots and says which fused kernel applies one step; the base
// class validates gradients, creates slots lazily and calls the kernel once
// per variable, writing the variable's storage in place.
import { backend, keep } from '../../engine';
import { describe, fail, fmtShape } from '../../errors';
import { contiguous, empty, ptrOf } from '../../ops/alloc';
import { scalar } from '../../ops/create';
import { Tensor } from '../../tensor';
import { variableGrads } from '../../autograd/gradients';
import { trainableVariables, Variable, variableByName } from '../../autograd/variable';
import type { OptimizerStep } from '../../backends/backend';

/** Gradients keyed by variable name (TF.js NamedTensorMap) or as a list of { name, tensor }. */
export type NamedGradients = Record<string, Tensor | null | undefined> | Array<{ name: string; tensor: Tensor }>;

export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

export type OptimizerConfig = Record<string, number | boolean>;

/** What a subclass provides: its slots and the kernel call for one variable. */
export abstract class Optimizer {
  /** Keras' class name, used in serialized configs ({ className, config }). */
  static readonly className: string = 'Optimizer';
  /** Applied steps (calls of applyGradients / minimize). */
  iterations = 0;
  /** May be changed between steps (learning-rate schedules, callbacks). */
  learningRate: number;

  /** Per variable, one slot tensor per name in slotNames(), created on its first update. */
  private readonly slots = new Map<Variable, Tensor[]>();

  protected constructor(learningRate: number) {
    this.learningRate = learningRate;
  }

  /** Names of this optimizer's per-variable slots (TF.js weight-name suffixes). */
  protected abstract slotNames(): readonly string[];

  /** The value a new slot starts with (Adagrad's accumulator: initialAccumulatorValue). */
  protected slotInitialValue(_slot: string): number {
    return 0;
  }

  /**
   * The kernel call updating n float32 parameters at w with the gradient at g
   * and the slots at `slots` (same order as slotNames()). `t` = iterations + 1.
   */
  protected abstract step(w: number, g: number, slots: readonly number[], n: number, t: number): OptimizerStep;

  /** Keras' config, camelCase (what getOptimizer({ className, config }) takes back). */
  abstract getConfig(): OptimizerConfig;

  getClassName(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /**
   * Applies one update to every named variable. Names are looked up among the
   * live variables; all gradients are checked before any variable changes.
   */
  applyGradients(grads: NamedGradients): void {
    this.applyPairs(this.resolve('applyGradients', grads));
  }

  /** One update of each variable with its (checked, float32, same-shape) gradient. */
  private applyPairs(pairs: Array<[Variable, Tensor]>): void {
    const t = this.iterations + 1;
    for (const [v, g] of pairs) {
      const slots = this.slotsFor(v).map(ptrOf);
      const gc = contiguous(g);
      if (v.size > 0) backend().optimizerStep(this.step(ptrOf(v), ptrOf(gc), slots, v.size, t));
      if (gc !== g) gc.dispose();
    }
    this.iterations++;
  }

  /**
   * Computes the gradients of the scalar f() with respect to varList (default:
   * every trainable variable), applies them, and returns the cost when
   * returnCost is true (the caller disposes it), else null. Like TF.js.
   */
  minimize(f: () => Tensor, returnCost = false, varList?: Variable[]): Tensor | null {
    if (typeof f !== 'function') fail('minimize', `f must be a function returning a scalar tensor, got ${describe(f)}`);
    if (varList !== undefined && (!Array.isArray(varList) || varList.some((v) => !(v instanceof Variable)))) {
      fail('minimize', `varList must be an array of Variables, got ${describe(varList)}`);
    }
    const vars = varList ?? trainableVariables();
    const { value, grads } = variableGrads(f, vars);
    try {
      // Pair by object, not by name: two live variables may share a name.
      const pairs: Array<[Variable, Tensor]> = [];
      for (const v of vars) if (grads[v.name] !== undefined) pairs.push([v, grads[v.name]]);
      this.applyPairs(pairs);
    } finally {
      Object.values(grads).forEach((g) => g.dispose());
    }
    if (returnCost) return value;
    value.dispose();
    return null;
  }

  /**
   * The optimizer's state for saving: { name: 'iter' } (int32 scalar) first,
   * then `<variable name>/<slot>` for each slot kind and variable, like TF.js.
   * The tensors are copies the caller owns.
   */
  async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [{ name: 'iter', tensor: scalar(this.iterations, 'int32') }];
    this.slotNames().forEach((slot, k) => {
      for (const [v, slots] of this.slots) {
        if (!v.isDisposed) out.push({ name: `${v.name}/${slot}`, tensor: slots[k].clone() });
      }
    });
    return out;
  }

  /**
   * Keras 3's slot names for this optimizer's slots ('velocity' for Adam's v),
   * accepted by setWeights next to ours.
   */
  protected slotAliases(): Record<string, string> {
    return {};
  }

  /**
   * Restores what getWeights returned (matched by name; 'iter' — or Keras'
   * 'iteration' / 'iterations' — sets iterations). Every entry is checked
   * before anything changes, so a bad list leaves the optimizer as it was.
   */
  async setWeights(weights: NamedTensor[]): Promise<void> {
    const fn = 'setWeights';
    if (!Array.isArray(weights)) fail(fn, `weights must be an array of { name, tensor }, got ${describe(weights)}`);
    const names = this.slotNames();
    const aliases = this.slotAliases();
    let iterations: number | undefined;
    const writes: Array<[Variable, number, Tensor]> = [];
    for (const [i, w] of weights.entries()) {
      if (w === null || typeof w !== 'object' || typeof w.name !== 'string' || !(w.tensor instanceof Tensor)) {
        fail(fn, `weights[${i}] must be { name: string, tensor: Tensor }, got ${describe(w)}`);
      }
      w.tensor.assertAlive(fn, `weights[${i}].tensor`);
      if (w.name === 'iter' || w.name === 'iterations' || w.name === 'iteration') {
        const it = Number(w.tensor.dataSync()[0]);
        if (w.tensor.size !== 1 || !Number.isInteger(it) || it < 0) fail(fn, `weights[${i}] ('${w.name}') must be one non-negative integer, got shape ${fmtShape(w.tensor.shape)} value ${it}`);
        iterations = it;
        continue;
      }
      const cut = w.name.lastIndexOf('/');
      const slot = w.name.slice(cut + 1);
      const k = names.indexOf(aliases[slot] ?? slot);
      if (cut < 0 || k < 0) {
        fail(fn, `weights[${i}] is named '${w.name}'; ${this.getClassName()} expects 'iter' or '<variable>/<slot>' with slot one of: ${names.join(', ') || '(none)'}`);
      }
      const varName = w.name.slice(0, cut);
      const v = variableByName(varName);
      if (v === undefined) fail(fn, `weights[${i}] ('${w.name}') names variable '${varName}', but no live variable has that name`);
      if (!sameShape(w.tensor.shape, v.shape) || w.tensor.dtype !== 'float32') {
        fail(fn, `weights[${i}] ('${w.name}') has shape ${fmtShape(w.tensor.shape)} and dtype '${w.tensor.dtype}', expected ${fmtShape(v.shape)} float32 like variable '${varName}'`);
      }
      writes.push([v, k, w.tensor]);
    }
    if (iterations !== undefined) this.iterations = iterations;
    for (const [v, k, t] of writes) if (v.size > 0) backend().copy(t.view(), this.slotsFor(v)[k].storage.ptr);
  }

  /** Frees every slot. The optimizer can still be used: slots are recreated from zero. */
  dispose(): void {
    for (const slots of this.slots.values()) slots.forEach((s) => s.dispose());
    this.slots.clear();
  }

  // ---- internals ----

  private resolve(fn: string, grads: NamedGradients): Array<[Variable, Tensor]> {
    if (grads === null || typeof grads !== 'object') {
      fail(fn, `grads must map variable names to gradient tensors ({ [name]: Tensor } or [{ name, tensor }]), got ${describe(grads)}`);
    }
    const entries: Array<[string, unknown]> = Array.isArray(grads)
      ? grads.map((e, i) => {
          if (e === null || typeof e !== 'object' || typeof e.name !== 'string') fail(fn, `grads[${i}] must be { name: string, tensor: Tensor }, got ${describe(e)}`);
          return [e.name, e.tensor];
        })
      : Object.entries(grads);
    const pairs: Array<[Variable, Tensor]> = [];
    for (const [name, g] of entries) {
      if (g === null || g === undefined) continue; // TF.js skips variables without a gradient
      const v = variableByName(name);
      if (v === undefined) fail(fn, `no live variable is named '${name}' (gradients are keyed by variable name; was it disposed?)`);
      if (!(g instanceof Tensor)) fail(fn, `the gradient for '${name}' must be a Tensor, got ${describe(g)}`);
      g.assertAlive(fn, `the gradient for '${name}'`);
      if (v.dtype !== 'float32') fail(fn, `variable '${name}' has dtype '${v.dtype}'; optimizers update float32 variables`);
      if (g.dtype !== 'float32') fail(fn, `the gradient for '${name}' has dtype '${g.dtype}', expected float32`);
      if (!sameShape(g.shape, v.shape)) {
        fail(fn, `the gradient for '${name}' has shape ${fmtShape(g.shape)}, expected the variable's shape ${fmtShape(v.shape)}`);
      }
      pairs.push([v, g]);
    }
    return pairs;
  }

  private slotsFor(v: Variable): Tensor[] {
    let slots = this.slots.get(v);
    if (slots === undefined) {
      slots = this.slotNames().map((name) => {
        const s = keep(empty(v.shape, 'float32'));
        if (s.size > 0) backend().fill('float32', s.storage.ptr, s.size, this.slotInitialValue(name));
        return s;
      });
      this.slots.set(v, slots);
    }
    return slots;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// ---- config objects ----

/**
 * Merges a user config over the defaults, rejecting unknown keys (a typo such
 * as `lr` would otherwise be ignored silently) and values of the wrong type.
 */
export function readConfig<T extends OptimizerConfig>(fn: string, config: unknown, defaults: T): T {
  if (config === undefined || config === null) return { ...defaults };
  if (typeof config !== 'object' || Array.isArray(config)) {
    fail(fn, `config must be an object like { learningRate: 0.01 }, got ${describe(config)}`);
  }
  const out: OptimizerConfig = { ...defaults };
  for (const [key, value] of Object.entries(config as object)) {
    if (!(key in defaults)) fail(fn, `unknown option '${key}'; valid options: ${Object.keys(defaults).join(', ')}`);
    if (value === undefined) continue;
    const expected = typeof defaults[key];
    if (typeof value !== expected || (expected === 'number' && !Number.isFinite(value))) {
      fail(fn, `${key} must be a ${expected === 'number' ? 'finite number' : expected}, got ${describe(value)}`);
    }
    out[key] = value as number | boolean;
  }
  return out as T;
}

/** Fails unless lo <= value <= hi (hiOpen: value < hi). */
export function checkRange(fn: string, key: string, value: number, lo: number, hi = Infinity, hiOpen = false): void {
  if (value < lo || value > hi || (hiOpen && value === hi)) {
    const range = hi === Infinity ? `>= ${lo}` : `in [${lo}, ${hi}${hiOpen ? ')' : ']'}`;
    fail(fn, `${key} must be ${range}, got ${value}`);
  }
}
