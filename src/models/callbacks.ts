// Training callbacks (Keras / TF.js hooks), the History every fit returns,
// the progress logger and EarlyStopping. A callback is any object with some
// of the hooks; each may return a Promise, which fit awaits.
import { describe, fail, readOptions } from '../errors';
import type { Tensor } from '../tensor';
import { defaultStream, ProgressBar, type ProgressOptions } from './progress';
import { TerminateOnNaN } from './terminate_on_nan';

export type Logs = Record<string, number>;

/** What callbacks may touch on the model being trained. */
export interface CallbackModel {
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(weights: Tensor[]): void;
}

export interface TrainingParams {
  epochs: number;
  /** Steps (batches) per epoch. */
  steps: number;
  samples: number;
  batchSize: number;
  verbose: number;
}

export interface Callback {
  setModel?(model: CallbackModel): void;
  setParams?(params: TrainingParams): void;
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
}

type Hook = 'onTrainBegin' | 'onTrainEnd' | 'onEpochBegin' | 'onEpochEnd' | 'onBatchBegin' | 'onBatchEnd';

/** Calls a hook on every callback in order; awaits only the ones that return a Promise. */
export async function callHook(callbacks: readonly Callback[], hook: Hook, ...args: [number, Logs] | [Logs]): Promise<void> {
  for (const cb of callbacks) {
    const f = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof f !== 'function') continue;
    const r = f.apply(cb, args);
    if (r instanceof Promise) await r;
  }
}

/** The per-epoch record fit() returns (Keras' History callback). */
export class History implements Callback {
  /** Epoch indices (0-based, from initialEpoch). */
  epoch: number[] = [];
  /** Per-epoch values: loss, metrics, then val_loss, val_<metric>. */
  history: Record<string, number[]> = {};
  params: Partial<TrainingParams> = {};

  setParams(params: TrainingParams): void {
    if (params === null || typeof params !== 'object') fail('History', `params must be an object { epochs, steps, samples, batchSize, verbose }, got ${describe(params)}`);
    this.params = { ...params };
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

/** Keras' display order: training values alphabetically, then val_* alphabetically. */
export function displayOrder(logs: Logs): Array<[string, number]> {
  const entries = Object.entries(logs).filter(([k]) => k !== 'batch' && k !== 'size');
  const train = entries.filter(([k]) => !k.startsWith('val_')).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const val = entries.filter(([k]) => k.startsWith('val_')).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [...train, ...val];
}

/** Prints `Epoch i/n` and the progress bar (verbose 1) or one line per epoch (verbose 2). */
export class ProgressLogger implements Callback {
  private bar: ProgressBar | null = null;
  private params: TrainingParams | null = null;
  private readonly options: ProgressOptions;

  constructor(readonly verbose: 1 | 2, options: ProgressOptions = {}) {
    this.options = { ...options, stream: options.stream ?? defaultStream() };
  }

  setParams(params: TrainingParams): void {
    this.params = params;
  }

  onEpochBegin(epoch: number): void {
    const p = this.params;
    if (!p) return;
    this.options.stream?.write(`Epoch ${epoch + 1}/${p.epochs}\n`);
    this.bar = new ProgressBar(p.steps, this.verbose, this.options);
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    this.bar?.update(batch + 1, displayOrder(logs));
  }

  onEpochEnd(_epoch: number, logs: Logs = {}): void {
    if (!this.bar || !this.params) return;
    this.bar.update(this.params.steps, displayOrder(logs), true);
    this.bar = null;
  }
}

export interface EarlyStoppingArgs {
  /** The log to watch (default 'val_loss'). */
  monitor?: string;
  /** Changes smaller than this do not count as improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max' or 'auto' (max for names containing 'acc' or ending in 'auc'). */
  mode?: 'auto' | 'min' | 'max';
  /** Stop only when the monitored value fails to beat this too. */
  baseline?: number;
  /** At the stop, restore the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts (default 0). */
  startFromEpoch?: number;
  verbose?: number;
}

/** Keras 3's EarlyStopping: sets model.stopTraining after `patience` epochs without improvement. */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: number;
  model: CallbackModel | null = null;
  wait = 0;
  /** The epoch at which training was stopped, or 0. */
  stoppedEpoch = 0;
  best: number | null = null;
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;

  constructor(options: EarlyStoppingArgs = {}) {
    const fn = 'earlyStopping';
    const args = readOptions(fn, options, ['monitor', 'minDelta', 'patience', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch', 'verbose']);
    this.monitor = args.monitor ?? 'val_loss';
    if (typeof this.monitor !== 'string') fail(fn, `monitor must be a log name such as 'val_loss', got ${describe(args.monitor)}`);
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) fail(fn, `patience must be a non-negative integer, got ${describe(args.patience)}`);
    const mode = args.mode ?? 'auto';
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') fail(fn, `mode must be 'auto', 'min' or 'max', got ${describe(args.mode)}`);
    const m = this.monitor;
    this.mode = mode !== 'auto' ? mode : m.includes('acc') || m.endsWith('auc') ? 'max' : 'min';
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = args.startFromEpoch ?? 0;
    this.verbose = args.verbose ?? 0;
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  private improves(value: number, reference: number | null | undefined): boolean {
    if (reference === null || reference === undefined) return true;
    return this.mode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.disposeBest();
  }

  private disposeBest(): void {
    this.bestWeights?.forEach((w) => w.dispose());
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs = {}): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      const available = Object.keys(logs).join(', ');
      console.warn(`earlyStopping: monitor '${this.monitor}' is not in the logs (available: ${available}); early stopping is skipped`);
      return;
    }
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null && this.model) {
      this.bestWeights = this.model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights && this.model) {
        this.disposeBest();
        this.bestWeights = this.model.getWeights();
      }
      if (this.baseline === undefined || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      if (this.model) this.model.stopTraining = true;
      if (this.restoreBestWeights && this.bestWeights && this.model) this.model.setWeights(this.bestWeights);
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    this.disposeBest();
  }
}

export const callbacks = {
  earlyStopping: (args?: EarlyStoppingArgs) => new EarlyStopping(args),
  terminateOnNaN: (log?: (message: string) => void) => new TerminateOnNaN(log),
};
