// GRU, as tfjs-layers has it: gates z, r, h; kernel [inDim, 3u], recurrent
// kernel [u, 3u], bias [3u]; reset_after = false (the reset gate applies to
// h_{t-1} before U_h). Keras 3's default reset_after = true (a second,
// recurrent bias) is rejected with a clear error, as tfjs-layers does.
import { describe, fail } from '../errors';
import { gruRecurrence } from '../ops/gru';
import type { Tensor } from '../tensor';
import { rnnActivation, RNNBase, type RNNArgs } from './recurrent';

export interface GRUArgs extends RNNArgs {
  /** tfjs-layers' default 'hardSigmoid'. */
  recurrentActivation?: string | null;
  /** Only false (tfjs-layers' only form). */
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
  readonly resetAfter = false;

  constructor(args: GRUArgs) {
    super(args, 'GRU', 'gru', ['recurrentActivation', 'resetAfter', 'implementation']);
    [this.recurrentActivationName, this.recurrentActivationCode] = rnnActivation('gru', 'recurrentActivation', args.recurrentActivation, 'hardSigmoid');
    if (args.resetAfter !== undefined && args.resetAfter !== false) {
      fail('gru', `resetAfter must be false (the reset gate before the recurrent product, as tfjs-layers), got ${describe(args.resetAfter)}`);
    }
    const impl = args.implementation ?? 1;
    if (impl !== 1 && impl !== 2) fail('gru', `implementation must be 1 or 2, got ${describe(args.implementation)}`);
    this.implementation = impl;
  }

  /** recurrentDropout in training is rejected before this (RNNBase.callWithState). */
  protected recurrence(xw: Tensor, recurrent: Tensor, states: (Tensor | null)[], mask: Tensor | null): Tensor {
    return gruRecurrence(xw, recurrent, states[0], { activation: this.activationCode, recurrentActivation: this.recurrentActivationCode, mask });
  }

  protected split(seq: Tensor, T: number, step: (t: Tensor) => Tensor): { hs: Tensor; states: Tensor[] } {
    return { hs: seq, states: [this.lastStep(seq, T, step)] };
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, resetAfter: false, implementation: this.implementation };
  }
}
