// Keras' TerminateOnNaN: ends fit() after the first batch whose loss is NaN
// or infinite, instead of training on (and saving) a diverged model. Once
// the running loss is NaN every later batch is wasted work.
import { describe, fail } from '../errors';
import type { Callback, CallbackModel, Logs } from './callbacks';

export class TerminateOnNaN implements Callback {
  /** Where training stopped (0-based), or -1 while the loss stayed finite. */
  stoppedEpoch = -1;
  stoppedBatch = -1;
  private model: CallbackModel | null = null;
  private epoch = 0;

  /** `log` receives the message (default console.warn); pass () => {} to stay quiet. */
  constructor(private readonly log: (message: string) => void = (m) => console.warn(m)) {
    if (typeof log !== 'function') fail('terminateOnNaN', `log must be a function (message: string) => void, got ${describe(log)}`);
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    this.stoppedEpoch = this.epoch;
    this.stoppedBatch = batch;
    this.log(`terminateOnNaN: epoch ${this.epoch + 1}, batch ${batch}: invalid loss ${loss}, terminating training ` +
      `(lower the learning rate, check the inputs for NaN, or set wt.setFlags({ checkNumerics: true }) to find the op that made it)`);
    if (this.model) this.model.stopTraining = true;
  }
}
