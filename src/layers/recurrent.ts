// Recurrent layers: SimpleRNN and LSTM (GRU in gru.ts; Keras / tfjs-layers names, weights
// and gate order). A call is three steps: the input projection for every time
// step as ONE matMul over [T * batch, inDim] (bias fused), the recurrence as
// one op (src/ops/recurrent.ts: a GEMM and a fused SIMD kernel per step), and
// slicing out what the caller asked for (the sequence or the last output,
// plus the final states with returnState).
//
// Defaults: Keras' glorotUniform kernel (as this library's Dense), orthogonal
// recurrent kernel, zeros bias; LSTM's recurrentActivation is 'hardSigmoid',
// tfjs-layers' default (Keras 3 has 'sigmoid'), and unitForgetBias is true
// (Keras; tfjs-layers leaves it off). Saved configs carry every value, so the
// defaults never change a loaded model.
import * as ra from '../../assembly/rnn_opcodes';
import { isRecording } from '../autograd/tape';
import type { Variable } from '../autograd/variable';
import { describe, fail, fmtShape } from '../errors';
import { cast } from '../ops/convert';
import { fill, randomUniform } from '../ops/create';
import { greaterEqual, mul } from '../ops/elementwise';
import { index, slice } from '../ops/indexing';
import { matMul } from '../ops/matmul';
import { lstmRecurrence, rnnRecurrence } from '../ops/recurrent';
import { concat, reshape, transpose } from '../ops/shape';
import type { Tensor } from '../tensor';
import { getInitializer, Initializer } from './initializers';
import { fmtBatchShape, Layer, type CallOptions, type LayerArgs, type Shape } from './layer';
import { Orthogonal } from './orthogonal';
import { getRegularizer, type Regularizer } from './regularizers';

/** The activations a recurrent kernel computes (derivatives from outputs), by Keras / tfjs name. */
const RNN_ACTIVATIONS: Record<string, [string, number]> = {
  tanh: ['tanh', ra.RA_TANH], sigmoid: ['sigmoid', ra.RA_SIGMOID], hardsigmoid: ['hard_sigmoid', ra.RA_HARD_SIGMOID],
  relu: ['relu', ra.RA_RELU], linear: ['linear', ra.RA_LINEAR],
};

/** [Keras name, kernel code] of an activation name (any case, snake or camel). */
export function rnnActivation(fn: string, arg: string, v: unknown, dflt: string): [string, number] {
  if (v === null) return RNN_ACTIVATIONS.linear;
  const name = v === undefined ? dflt : v;
  const found = typeof name === 'string' ? RNN_ACTIVATIONS[name.toLowerCase().replace(/_/g, '')] : undefined;
  if (found === undefined) fail(fn, `${arg} must be one of 'tanh', 'sigmoid', 'hardSigmoid', 'relu', 'linear', got ${describe(v)}`);
  return found;
}

/** 'orthogonal' (not in the general registry) or anything getInitializer takes. */
export function rnnInitializer(fn: string, v: string | Initializer | undefined, dflt: string): Initializer {
  const id = v ?? dflt;
  if (typeof id === 'string' && id.toLowerCase() === 'orthogonal') return new Orthogonal();
  return getInitializer(id, fn);
}

export interface RNNArgs extends LayerArgs {
  units: number;
  activation?: string | null;
  useBias?: boolean;
  kernelInitializer?: string | Initializer;
  recurrentInitializer?: string | Initializer;
  biasInitializer?: string | Initializer;
  kernelRegularizer?: string | Regularizer | null;
  recurrentRegularizer?: string | Regularizer | null;
  biasRegularizer?: string | Regularizer | null;
  /** Fraction of the inputs dropped in training (one mask for all time steps, as Keras). */
  dropout?: number;
  /** Fraction of the recurrent state h_{t-1} dropped in training (one mask for all steps; not yet for GRU). */
  recurrentDropout?: number;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  /** Only false. */
  stateful?: boolean;
  /** Accepted and ignored (the loop is always a fused kernel loop). */
  unroll?: boolean;
}

export interface LSTMArgs extends RNNArgs {
  recurrentActivation?: string | null;
  unitForgetBias?: boolean;
  /** Accepted for Keras compatibility (1 or 2); the computation is the same. */
  implementation?: number;
}

/** call() options of a recurrent layer: a time mask and initial states. */
export interface RNNCallOptions extends CallOptions {
  /** [batch, T], bool or float: 0 / false steps keep the previous state (Keras masking). */
  mask?: Tensor | null;
  /** [h0] (SimpleRNN) or [h0, c0] (LSTM), each [batch, units]. */
  initialState?: Tensor[];
}

const RNN_OPTIONS = ['units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer',
  'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'dropout', 'recurrentDropout',
  'returnSequences', 'returnState', 'goBackwards', 'stateful', 'unroll'];

function flag(fn: string, arg: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') fail(fn, `${arg} must be true or false, got ${describe(v)}`);
  return v;
}

function rate(fn: string, arg: string, v: unknown): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(fn, `${arg} must be a number in [0, 1), got ${describe(v)}`);
  return v;
}

/** What SimpleRNN and LSTM share: arguments, weights, input checks, output assembly. */
export abstract class RNNBase extends Layer {
  readonly units: number;
  readonly activationName: string;
  protected readonly activationCode: number;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly unroll: boolean;
  kernel?: Variable;
  recurrentKernel?: Variable;
  bias?: Variable;
  /** Gates per step: 1 (SimpleRNN), 3 (GRU), 4 (LSTM). */
  protected abstract readonly gates: number;
  private dropCalls = 0;

  constructor(args: RNNArgs, className: string, protected readonly fn: string, options: readonly string[]) {
    super(args, className, [...RNN_OPTIONS, ...options]);
    if (!Number.isInteger(args.units) || args.units <= 0) fail(fn, `units must be a positive integer, got ${describe(args.units)}`);
    this.units = args.units;
    [this.activationName, this.activationCode] = rnnActivation(fn, 'activation', args.activation, 'tanh');
    this.useBias = flag(fn, 'useBias', args.useBias, true);
    this.kernelInitializer = rnnInitializer(fn, args.kernelInitializer, 'glorotUniform');
    this.recurrentInitializer = rnnInitializer(fn, args.recurrentInitializer, 'orthogonal');
    this.biasInitializer = rnnInitializer(fn, args.biasInitializer, 'zeros');
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, fn);
    this.recurrentRegularizer = getRegularizer(args.recurrentRegularizer, fn);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, fn);
    this.dropout = rate(fn, 'dropout', args.dropout);
    this.recurrentDropout = rate(fn, 'recurrentDropout', args.recurrentDropout);
    this.returnSequences = flag(fn, 'returnSequences', args.returnSequences, false);
    this.returnState = flag(fn, 'returnState', args.returnState, false);
    this.goBackwards = flag(fn, 'goBackwards', args.goBackwards, false);
    if (flag(fn, 'stateful', args.stateful, false)) fail(fn, 'stateful: true is not supported (states are not kept between calls); pass initialState instead');
    this.unroll = flag(fn, 'unroll', args.unroll, false);
  }

  private inputDim(inputShape: Shape): number {
    const d = inputShape[2];
    if (inputShape.length !== 3 || d === null || d === undefined) {
      fail(this.name, `${this.className} needs inputs [batch, timesteps, features] with known features, got shape ${fmtBatchShape(inputShape)}`);
    }
    return d;
  }

  override build(inputShape: Shape): void {
    const inDim = this.inputDim(inputShape);
    const k = this.gates * this.units;
    this.kernel = this.addWeight('kernel', [inDim, k], { initializer: this.kernelInitializer, regularizer: this.kernelRegularizer });
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, k], { initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer });
    if (this.useBias) this.bias = this.addWeight('bias', this.biasShape(), { initializer: this.biasInitializerFor(), regularizer: this.biasRegularizer });
    super.build(inputShape);
  }

  /** [k * units]; GRU with resetAfter has [2, 3 * units] (input and recurrent biases). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** The bias added to the input projection (GRU with resetAfter: row 0 of its bias). */
  protected inputBias(step: (t: Tensor) => Tensor): Tensor | undefined {
    void step;
    return this.bias;
  }

  /** LSTM's unitForgetBias replaces it. */
  protected biasInitializerFor(): Initializer {
    return this.biasInitializer;
  }

  override checkInputShape(fn: string, inputShape: Shape): void {
    const kernel = this.kernel;
    if (kernel === undefined) return;
    if (inputShape.length !== 3 || inputShape[2] !== kernel.shape[0]) {
      fail(fn, `layer '${this.name}' expects inputs [batch, timesteps, ${kernel.shape[0]}], got ${fmtBatchShape(inputShape)}`);
    }
  }

  override computeOutputShape(inputShape: Shape): Shape {
    return this.returnSequences ? [inputShape[0], inputShape[1], this.units] : [inputShape[0], this.units];
  }

  /** Keras: the mask follows the sequence when one is returned; a last output has none. */
  override computeMask(input: Tensor, mask?: Tensor | null): Tensor | null {
    void input;
    return this.returnSequences ? mask ?? null : null;
  }

  /** The output (the sequence, or the last step's output). With returnState, callWithState gives the states too. */
  call(x: Tensor, options: RNNCallOptions = {}): Tensor {
    const [out, ...states] = this.callWithState(x, options);
    for (const s of states) if (s !== out) s.dispose();
    return out;
  }

  /** [output, ...final states] (tfjs-layers' apply with returnState: [output, h] or [output, h, c]). */
  callWithState(x: Tensor, options: RNNCallOptions = {}): Tensor[] {
    const kernel = this.kernel;
    const recurrent = this.recurrentKernel;
    if (kernel === undefined || recurrent === undefined) return fail(this.name, 'the layer is not built; call build(inputShape) or apply(x) first');
    const inDim = kernel.shape[0];
    if (x.rank !== 3 || x.shape[2] !== inDim) fail(this.name, `expected input [batch, timesteps, ${inDim}], got shape ${fmtShape(x.shape)}`);
    const [B, T] = x.shape;
    if (T === 0) fail(this.name, `input ${fmtShape(x.shape)} has no time steps`);
    const dropsState = options.training === true && this.recurrentDropout > 0;
    if (dropsState && this.gates === 3) {
      fail(this.name, `recurrentDropout ${this.recurrentDropout} in training is not supported for GRU yet; use dropout, or recurrentDropout: 0`);
    }
    const temps: Tensor[] = [];
    const step = (t: Tensor): Tensor => (temps.push(t), t);
    const states = this.initialStates(options.initialState, B); // checked before any temporary exists
    const mask = this.timeMask(options.mask, B, T, step);
    let xs = this.goBackwards ? step(index(x, ':, ::-1')) : x;
    if (options.training && this.dropout > 0) xs = step(this.dropInputs(xs, step));
    // Time-major rows, so that every step's [batch, k*units] block of xw is contiguous.
    const rows = step(reshape(step(transpose(xs, [1, 0, 2])), [T * B, inDim]));
    const xw = step(reshape(step(matMul(rows, kernel, false, false, { bias: this.inputBias(step) })), [T, B, this.gates * this.units]));
    const recurrentMask = dropsState ? step(this.dropMask([B, this.units], this.recurrentDropout, step)) : null;
    const seq = step(this.recurrence(xw, recurrent, states, mask, recurrentMask));
    const result = this.outputs(seq, T, step);
    for (const t of temps) if (!result.includes(t)) t.dispose();
    return result;
  }

  /** [T, B] float32 time-major (reversed with goBackwards), or null. */
  private timeMask(mask: Tensor | null | undefined, B: number, T: number, step: (t: Tensor) => Tensor): Tensor | null {
    if (mask === undefined || mask === null) return null;
    if (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== T) {
      fail(this.name, `mask must be [batch, timesteps] = ${fmtShape([B, T])}, got ${fmtShape(mask.shape)}`);
    }
    mask.assertAlive(this.name, 'mask');
    const f = mask.dtype === 'float32' ? mask : step(cast(mask, 'float32'));
    const ordered = this.goBackwards ? step(index(f, ':, ::-1')) : f;
    return step(transpose(ordered, [1, 0]));
  }

  private initialStates(given: Tensor[] | undefined, B: number): (Tensor | null)[] {
    const n = this.gates === 4 ? 2 : 1;
    if (given === undefined) return new Array<Tensor | null>(n).fill(null);
    if (!Array.isArray(given) || given.length !== n) fail(this.name, `initialState must be an array of ${n} tensors [batch, units], got ${describe(given)}`);
    for (const s of given) {
      if (s?.rank !== 2 || s.shape[0] !== B || s.shape[1] !== this.units) fail(this.name, `an initial state must be ${fmtShape([B, this.units])}, got ${s ? fmtShape(s.shape) : describe(s)}`);
    }
    return given;
  }

  /** Keep-mask / (1 - rate): one draw per call, shared by every time step (Keras). */
  private dropMask(shape: number[], rate: number, step: (t: Tensor) => Tensor): Tensor {
    const u = step(randomUniform(shape, 0, 1));
    const keep = step(cast(step(greaterEqual(u, rate)), 'float32'));
    return mul(keep, 1 / (1 - rate));
  }

  /** x * mask with one [batch, 1, features] mask for every step. */
  private dropInputs(x: Tensor, step: (t: Tensor) => Tensor): Tensor {
    const m = this.dropMask([x.shape[0], 1, x.shape[2]], this.dropout, step);
    const out = mul(x, m);
    if (!isRecording()) m.dispose();
    return out;
  }

  /** The last step of a [T, B, u] view, [B, u]. */
  protected lastStep(hs: Tensor, T: number, step: (t: Tensor) => Tensor): Tensor {
    return reshape(step(slice(hs, [T - 1, 0, 0], [1, -1, -1])), hs.shape.slice(1));
  }

  /** recurrentMask: [batch, units] (scaled) in training with recurrentDropout, else null. */
  protected abstract recurrence(xw: Tensor, recurrent: Tensor, states: (Tensor | null)[], mask: Tensor | null, recurrentMask: Tensor | null): Tensor;

  /** hs [T, B, u] and the final states from the recurrence's result. */
  protected abstract split(seq: Tensor, T: number, step: (t: Tensor) => Tensor): { hs: Tensor; states: Tensor[] };

  private outputs(seq: Tensor, T: number, step: (t: Tensor) => Tensor): Tensor[] {
    const { hs, states } = this.split(seq, T, step);
    const out = this.returnSequences ? transpose(hs, [1, 0, 2]) : states[0];
    return this.returnState ? [out, ...states] : [out];
  }

  override getConfig(): Record<string, unknown> {
    const ser = (x: Initializer | Regularizer) => ({ className: x.className, config: x.getConfig() });
    return {
      ...super.getConfig(), units: this.units, activation: this.activationName, useBias: this.useBias,
      kernelInitializer: ser(this.kernelInitializer), recurrentInitializer: ser(this.recurrentInitializer), biasInitializer: ser(this.biasInitializer),
      kernelRegularizer: this.kernelRegularizer && ser(this.kernelRegularizer), recurrentRegularizer: this.recurrentRegularizer && ser(this.recurrentRegularizer),
      biasRegularizer: this.biasRegularizer && ser(this.biasRegularizer), dropout: this.dropout, recurrentDropout: this.recurrentDropout,
      returnSequences: this.returnSequences, returnState: this.returnState, goBackwards: this.goBackwards, stateful: false, unroll: this.unroll,
    };
  }
}

export class SimpleRNN extends RNNBase {
  readonly className = 'SimpleRNN';
  protected readonly gates = 1;

  constructor(args: RNNArgs) {
    super(args, 'SimpleRNN', 'simpleRNN', []);
  }

  protected recurrence(xw: Tensor, recurrent: Tensor, states: (Tensor | null)[], mask: Tensor | null, recurrentMask: Tensor | null): Tensor {
    return rnnRecurrence(xw, recurrent, states[0], { activation: this.activationCode, recurrentActivation: ra.RA_LINEAR, mask, recurrentMask });
  }

  protected split(seq: Tensor, T: number, step: (t: Tensor) => Tensor): { hs: Tensor; states: Tensor[] } {
    return { hs: seq, states: [this.lastStep(seq, T, step)] };
  }
}

export class LSTM extends RNNBase {
  readonly className = 'LSTM';
  protected readonly gates = 4;
  readonly recurrentActivationName: string;
  private readonly recurrentActivationCode: number;
  readonly unitForgetBias: boolean;
  readonly implementation: number;

  constructor(args: LSTMArgs) {
    super(args, 'LSTM', 'lstm', ['recurrentActivation', 'unitForgetBias', 'implementation']);
    // tfjs-layers' default (Keras 3 uses 'sigmoid'): models built here and in tfjs agree.
    [this.recurrentActivationName, this.recurrentActivationCode] = rnnActivation('lstm', 'recurrentActivation', args.recurrentActivation, 'hardSigmoid');
    this.unitForgetBias = flag('lstm', 'unitForgetBias', args.unitForgetBias, true);
    const impl = args.implementation ?? 1;
    if (impl !== 1 && impl !== 2) fail('lstm', `implementation must be 1 or 2, got ${describe(args.implementation)}`);
    this.implementation = impl;
  }

  /** Keras' unit_forget_bias: the forget gate's bias starts at 1, the rest from the bias initializer. */
  protected override biasInitializerFor(): Initializer {
    if (!this.unitForgetBias) return this.biasInitializer;
    const base = this.biasInitializer;
    const units = this.units;
    return new (class extends Initializer {
      readonly className = base.className;
      apply(shape: number[]): Tensor {
        void shape; // always [4 * units]
        const parts = [base.apply([units]), fill([units], 1, 'float32'), base.apply([2 * units])];
        const bias = concat(parts, 0);
        for (const p of parts) p.dispose();
        return bias;
      }
      getConfig(): Record<string, unknown> { return base.getConfig(); }
    })();
  }

  protected recurrence(xw: Tensor, recurrent: Tensor, states: (Tensor | null)[], mask: Tensor | null, recurrentMask: Tensor | null): Tensor {
    return lstmRecurrence(xw, recurrent, states[0], states[1], { activation: this.activationCode, recurrentActivation: this.recurrentActivationCode, mask, recurrentMask });
  }

  protected split(seq: Tensor, T: number, step: (t: Tensor) => Tensor): { hs: Tensor; states: Tensor[] } {
    const [, , B, u] = seq.shape;
    const hs = step(reshape(step(slice(seq, [0, 0, 0, 0], [1, T, B, u])), [T, B, u]));
    const cs = step(reshape(step(slice(seq, [1, 0, 0, 0], [1, T, B, u])), [T, B, u]));
    return { hs, states: [this.lastStep(hs, T, step), this.lastStep(cs, T, step)] };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, unitForgetBias: this.unitForgetBias, implementation: this.implementation };
  }
}
