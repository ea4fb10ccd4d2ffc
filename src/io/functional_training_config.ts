// The training config of a functional model: per-output losses and metrics
// keyed by output name (as tfjs-layers writes a dict), plus loss_weights.
// Each output's entry is written and read by the Sequential code
// (training_config.ts), so names and checks stay the same.
import { fail } from '../errors';
import { describe } from '../layers/describe';
import type { FunctionalCompileArgs, FunctionalCompiled } from '../models/functional_training';
import { compileArgsFrom, toTrainingConfig } from './training_config';
import type { TrainingConfig } from './types';

export function toFunctionalTrainingConfig(fn: string, compiled: FunctionalCompiled, outputNames: string[]): TrainingConfig {
  const per = compiled.outputs.map((c, i) => toTrainingConfig(fn, c, compiled.outputArgs[i]));
  const byName = <T>(f: (i: number) => T) => Object.fromEntries(outputNames.map((n, i) => [n, f(i)]));
  const config: TrainingConfig & { loss_weights?: Record<string, number> } = {
    loss: outputNames.length === 1 ? (per[0].loss as string) : byName((i) => per[i].loss as string),
    metrics: outputNames.length === 1 ? per[0].metrics : metricsByOutput(outputNames, per.map((p) => p.metrics as string[])),
    optimizer_config: per[0].optimizer_config,
  };
  if (compiled.lossWeights.some((w) => w !== 1)) config.loss_weights = byName((i) => compiled.lossWeights[i]);
  return config;
}

/**
 * { output: metric } as tfjs-layers types it (one name; its own save fails on
 * lists), a list only where an output has several, outputs without metrics left out.
 */
function metricsByOutput(names: string[], metrics: string[][]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  names.forEach((n, i) => {
    if (metrics[i].length > 0) out[n] = metrics[i].length === 1 ? metrics[i][0] : metrics[i];
  });
  return out;
}

/** A per-output entry: the same for all outputs, a list in output order, or keyed by output name. */
function pick(fn: string, what: string, v: unknown, names: string[], i: number): unknown {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) {
    // A flat list of metric names is for every output; a list of losses is one per output.
    if (what === 'metrics' && !v.some((m) => Array.isArray(m))) return v;
    if (v.length !== names.length) fail(fn, `trainingConfig.${what} has ${v.length} entries, but the model has ${names.length} outputs`);
    return v[i];
  }
  if (typeof v === 'object' && !('class_name' in v)) {
    const rec = v as Record<string, unknown>;
    if (names.length === 1 && !(names[0] in rec) && what === 'metrics') return Object.values(rec).flat();
    return rec[names[i]];
  }
  return v;
}

export function functionalCompileArgsFrom(fn: string, tc: unknown, outputNames: string[]): FunctionalCompileArgs {
  if (tc === null || typeof tc !== 'object') fail(fn, `trainingConfig must be an object { loss, metrics, optimizer_config }, got ${describe(tc)}`);
  const t = tc as TrainingConfig & { loss_weights?: unknown };
  const per = outputNames.map((n, i) => {
    const loss = pick(fn, 'loss', t.loss, outputNames, i);
    if (loss === undefined) fail(fn, `trainingConfig.loss has no loss for output '${n}'`);
    return compileArgsFrom(fn, { loss, metrics: pick(fn, 'metrics', t.metrics, outputNames, i) ?? [], optimizer_config: t.optimizer_config });
  });
  const lw = t.loss_weights;
  let lossWeights: number[] | undefined;
  if (lw !== undefined && lw !== null) {
    lossWeights = outputNames.map((n, i) => {
      const w = Array.isArray(lw) ? lw[i] : typeof lw === 'object' ? (lw as Record<string, unknown>)[n] : undefined;
      if (typeof w !== 'number' || !Number.isFinite(w)) fail(fn, `trainingConfig.loss_weights has no number for output '${n}', got ${describe(w)}`);
      return w;
    });
  }
  return {
    optimizer: per[0].optimizer,
    loss: per.map((p) => p.loss),
    metrics: per.map((p) => (p.metrics ?? []) as string[]),
    lossWeights,
  };
}
