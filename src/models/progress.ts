// Keras' progress bar (keras/src/utils/progbar.py), line for line:
//
//   Epoch 1/5
//   469/469 ━━━━━━━━━━━━━━━━━━━━ 6s 12ms/step - accuracy: 0.9258 - loss: 0.2601
//
// A 20-character bar, the ETA while running and the elapsed seconds at the
// end, the time per step (s/ms/us, excluding the first step, which includes
// warm-up), then ` - name: value` with 4 decimals. On a TTY the line is
// rewritten in place with \r (at most every `interval` ms, the done part of
// the bar in green like Keras); elsewhere one line per epoch is printed.
// verbose 2 prints Keras' compact form: `469/469 - 6s - 12ms/step - loss: ...`.
import { describe, fail } from '../errors';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Default: process.stdout in Node, console.log (one line per epoch) elsewhere. */
  stream?: ProgressStream;
  /** Milliseconds; default performance.now / Date.now. */
  now?: () => number;
  /** Minimum milliseconds between in-place rewrites on a TTY (default 100). */
  interval?: number;
}

const WIDTH = 20;
const BAR = '━';

/** stdout without importing a Node module: works in Node, falls back to console.log lines. */
export function defaultStream(): ProgressStream {
  const proc = (globalThis as { process?: { stdout?: ProgressStream } }).process;
  if (proc?.stdout && typeof proc.stdout.write === 'function') return proc.stdout;
  return { write: (text: string) => console.log(text.replace(/\n$/, '')), isTTY: false };
}

export function defaultNow(): () => number {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  return perf ? () => perf.now() : () => Date.now();
}

/** Keras' value format: 4 decimals, or .4e for tiny values (0.0000e+00 style). */
export function formatValue(v: number): string {
  if (Math.abs(v) > 1e-3 || !Number.isFinite(v)) return v.toFixed(4);
  const [mantissa, exp] = v.toExponential(4).split('e');
  const sign = exp.startsWith('-') ? '-' : '+';
  return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(2, '0')}`;
}

/** Keras' _format_time: ' 12ms/step'. */
export function formatStepTime(seconds: number, unit = 'step'): string {
  if (seconds >= 1 || seconds === 0) return ` ${Math.round(seconds)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${Math.round(seconds * 1e3)}ms/${unit}`;
  return ` ${Math.round(seconds * 1e6)}us/${unit}`;
}

/** Keras' ETA: '4s', '1:05', '1:01:05' (truncated seconds). */
export function formatEta(seconds: number): string {
  const s = Math.floor(seconds);
  if (seconds > 3600) return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  if (seconds > 60) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  return `${s}s`;
}

export class ProgressBar {
  private readonly stream: ProgressStream;
  private readonly now: () => number;
  private readonly interval: number;
  private readonly start: number;
  private afterFirstStep: number | null = null;
  private lastUpdate = -Infinity;
  private prevWidth = 0;
  private finished = false;

  constructor(readonly target: number, readonly verbose: 1 | 2, options: ProgressOptions = {}) {
    const fn = 'ProgressBar';
    if (!Number.isInteger(target) || target < 0) fail(fn, `target must be a non-negative integer (steps), got ${describe(target)}`);
    if (verbose !== 1 && verbose !== 2) fail(fn, `verbose must be 1 (a bar) or 2 (a line per epoch), got ${describe(verbose)}`);
    if (options === null || typeof options !== 'object') fail(fn, `options must be an object { stream?, now?, interval? }, got ${describe(options)}`);
    if (options.stream !== undefined && typeof options.stream?.write !== 'function') fail(fn, `options.stream must have a write(text) method, got ${describe(options.stream)}`);
    if (options.now !== undefined && typeof options.now !== 'function') fail(fn, `options.now must be a function returning milliseconds, got ${describe(options.now)}`);
    if (options.interval !== undefined && !(options.interval >= 0)) fail(fn, `options.interval must be a non-negative number of milliseconds, got ${describe(options.interval)}`);
    this.stream = options.stream ?? defaultStream();
    this.now = options.now ?? defaultNow();
    this.interval = options.interval ?? 100;
    this.start = this.now();
  }

  private get dynamic(): boolean {
    return this.stream.isTTY === true;
  }

  /** Seconds per step, not counting the first step once a second one has finished. */
  private stepDuration(current: number, now: number): number {
    if (current === 0) return 0;
    const t = this.afterFirstStep !== null && current > 1
      ? (now - this.afterFirstStep) / (current - 1)
      : (now - this.start) / current;
    if (current === 1) this.afterFirstStep = now;
    return t / 1000;
  }

  /** Reports `current` steps done with these (already averaged) values, in display order. */
  update(current: number, values: Array<[string, number]>, finalize = false): void {
    if (this.finished) return;
    const now = this.now();
    const perStep = this.stepDuration(current, now);
    if (finalize) this.finished = true;
    const digits = String(this.target).length;
    const count = `${String(current).padStart(digits)}/${this.target}`;
    const metrics = values.map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join('');
    const elapsed = `${Math.round((now - this.start) / 1000)}s`;
    if (this.verbose === 2) {
      if (finalize) this.stream.write(`${count} - ${elapsed} -${formatStepTime(perStep)}${metrics}\n`);
      return;
    }
    if (!this.dynamic) {
      if (finalize) this.stream.write(`${count} ${BAR.repeat(WIDTH)} ${elapsed}${formatStepTime(perStep)}${metrics}\n`);
      return;
    }
    if (!finalize && now - this.lastUpdate < this.interval) return;
    this.lastUpdate = now;
    const done = Math.floor((WIDTH * current) / this.target);
    const time = finalize ? elapsed : formatEta(perStep * (this.target - current));
    const plain = `${count} ${BAR.repeat(WIDTH)} ${time}${formatStepTime(perStep)}${metrics}`;
    let text = `\x1b[1m${count}\x1b[0m `;
    if (done > 0) text += `\x1b[32m${BAR.repeat(done)}\x1b[0m`;
    text += `\x1b[37m${BAR.repeat(WIDTH - done)}\x1b[0m ${time}${formatStepTime(perStep)}${metrics}`;
    const pad = Math.max(0, this.prevWidth - plain.length);
    this.prevWidth = plain.length;
    this.stream.write(`\r${text}${' '.repeat(pad)}${finalize ? '\n' : ''}`);
  }
}
