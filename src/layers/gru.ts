// GRU: gates z, r, h; kernel [inDim, 3u], recurrent kernel [u, 3u].
// resetAfter false (default, tfjs-layers' only form): bias [3u], the reset gate
// applies to h_{t-1} before U_h (two GEMMs per step). resetAfter true (Keras
// 3's default, for loading Keras 3 models): bias [2, 3u] = input and recurrent
// biases, the reset gate applies after h_{t-1} · U (one GEMM per step).
import { describe, fail } from '../errors';
import { gruRecurrence, gruResetAfterRecurrence } from '../ops/gru';
import { slice } from '../ops/indexing';
import { reshape } from '../ops/shape';
import type { Tensor } from '../tensor';
import { rnnActivation, RNNBase, type RNNArgs } from './recurrent';

export interface GRUArgs extends RNNArgs {
  /** tfjs-layers' default 'hardSigmoid'. */
  recurrentActivation?: string | null;
  /** Default false (tfjs-layers; tfjs-layers cannot load true). */
  resetAfter?: boolean;
  /** Accepted for Keras compatibility (1 or 2); the computation is the same. */
  implementation?: number;
}

export class GRU extends RNNBase {
  readonly className = 'GRU';
  protected readonly gates = 3;
  readonly recurrentActivationName: string;
  private readonly recurrentActivationCode: number;
  readonly implementation: number;
  readonly resetAfter: boolean;

  constructor(args: GRUArgs) {
    super(args, 'GRU', 'gru', ['recurrentActivation', 'resetAfter', 'implementation']);
    [this.recurrentActivationName, this.recurrentActivationCode] = rnnActivation('gru', 'recurrentActivation', args.recurrentActivation, 'hardSigmoid');
    if (args.resetAfter !== undefined && typeof args.resetAfter !== 'boolean') fail('gru', `resetAfter must be true or false, got ${describe(args.resetAfter)}`);
    this.resetAfter = args.resetAfter ?? false;
    const impl = args.implementation ?? 1;
    if (impl !== 1 && impl !== 2) fail('gru', `implementation must be 1 or 2, got ${describe(args.implementation)}`);
    this.implementation = impl;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  /** Row `i` of the [2, 3u] bias as a [3u] vector. */
  private biasRow(i: number, step: (t: Tensor) => Tensor): Tensor | undefined {
    return this.bias && step(reshape(step(slice(this.bias, [i, 0], [1, -1])), [3 * this.units]));
  }

  protected override inputBias(step: (t: Tensor) => Tensor): Tensor | undefined {
    return this.resetAfter ? this.biasRow(0, step) : this.bias;
  }

  /** recurrentDropout in training is rejected before this (RNNBase.callWithState). */
  protected recurrence(xw: Tensor, recurrent: Tensor, states: (Tensor | null)[], mask: Tensor | null): Tensor {
    if (this.resetAfter) {
      const temps: Tensor[] = [];
      const bRec = this.biasRow(1, (t) => (temps.push(t), t)) ?? null;
      const out = gruResetAfterRecurrence(xw, recurrent, bRec, states[0], { activation: this.activationCode, recurrentActivation: this.recurrentActivationCode, mask });
      for (const t of temps) t.dispose();
      return out;
    }
    return gruRecurrence(xw, recurrent, states[0], { activation: this.activationCode, recurrentActivation: this.recurrentActivationCode, mask });
  }

  protected split(seq: Tensor, T: number, step: (t: Tensor) => Tensor): { hs: Tensor; states: Tensor[] } {
    return { hs: seq, states: [this.lastStep(seq, T, step)] };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, resetAfter: this.resetAfter, implementation: this.implementation };
  }
}
