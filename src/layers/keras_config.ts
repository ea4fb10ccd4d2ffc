// Initializers and regularizers as Keras serializes them in a layer config:
// { class_name, config } with snake_case keys and values ('fan_avg',
// 'truncated_normal'). Reading also takes what tfjs-layers writes (its
// VarianceScaling 'normal' is a truncated normal) and Keras 3's extra
// `module` / `registered_name` keys.
import { fail } from '../errors';
import { describe } from './describe';
import {
  Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Initializer, LecunNormal, LecunUniform,
  Ones, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, Zeros,
} from './initializers';
import { Regularizer } from './regularizers';

/** A Keras-serialized object. */
export interface KerasObject {
  class_name: string;
  config: Record<string, unknown>;
  module?: string;
  registered_name?: string | null;
}

export function isKerasObject(v: unknown): v is KerasObject {
  return v !== null && typeof v === 'object' && typeof (v as KerasObject).class_name === 'string';
}

const MODE_TO_KERAS: Record<string, string> = { fanIn: 'fan_in', fanOut: 'fan_out', fanAvg: 'fan_avg' };
const DIST_TO_KERAS: Record<string, string> = { uniform: 'uniform', truncatedNormal: 'truncated_normal', normal: 'untruncated_normal' };
const MODE_FROM: Record<string, 'fanIn' | 'fanOut' | 'fanAvg'> = { fanin: 'fanIn', fanout: 'fanOut', fanavg: 'fanAvg' };
// Keras 2 and tfjs-layers both mean a truncated normal by 'normal'.
const DIST_FROM: Record<string, 'uniform' | 'truncatedNormal' | 'normal'> = {
  uniform: 'uniform', truncatednormal: 'truncatedNormal', normal: 'truncatedNormal', untruncatednormal: 'normal',
};

const key = (s: string) => s.toLowerCase().replace(/_/g, '');

/** Keras seeds are ints or null. */
function seedOf(config: Record<string, unknown>): number | undefined {
  const s = config.seed;
  return typeof s === 'number' && Number.isInteger(s) && s >= 0 ? s : undefined;
}

export function serializeInitializer(init: Initializer): KerasObject {
  const c = init.getConfig();
  if (init.className === 'VarianceScaling') {
    return { class_name: 'VarianceScaling', config: { ...c, mode: MODE_TO_KERAS[c.mode as string], distribution: DIST_TO_KERAS[c.distribution as string] } };
  }
  return { class_name: init.className, config: { ...c } };
}

const SEEDED_PRESETS: Record<string, new (args: { seed?: number }) => Initializer> = {
  glorotuniform: GlorotUniform, glorotnormal: GlorotNormal, heuniform: HeUniform, henormal: HeNormal,
  lecununiform: LecunUniform, lecunnormal: LecunNormal,
};
const VALID_INITIALIZERS = 'GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, VarianceScaling, Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal';

/** An Initializer from its Keras serialization (`where` names it in errors: "layer 'dense' kernel_initializer"). */
export function deserializeInitializer(fn: string, where: string, obj: unknown): Initializer {
  if (typeof obj === 'string') return fail(fn, `${where} is the string '${obj}'; expected { class_name, config } as Keras writes it`);
  if (!isKerasObject(obj)) return fail(fn, `${where} must be { class_name, config }, got ${describe(obj)}`);
  const c = (obj.config ?? {}) as Record<string, unknown>;
  const k = key(obj.class_name);
  const num = (name: string, dflt: number) => {
    const v = c[name] ?? dflt;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, `${where} ('${obj.class_name}') has ${name} ${describe(v)}; expected a finite number`);
    return v;
  };
  if (k in SEEDED_PRESETS) return new SEEDED_PRESETS[k]({ seed: seedOf(c) });
  switch (k) {
    case 'zeros': return new Zeros();
    case 'ones': return new Ones();
    case 'constant': return new Constant(num('value', 0));
    case 'randomnormal': return new RandomNormal({ mean: num('mean', 0), stddev: num('stddev', 0.05), seed: seedOf(c) });
    case 'truncatednormal': return new TruncatedNormal({ mean: num('mean', 0), stddev: num('stddev', 0.05), seed: seedOf(c) });
    case 'randomuniform': return new RandomUniform({ minval: num('minval', -0.05), maxval: num('maxval', 0.05), seed: seedOf(c) });
    case 'variancescaling': {
      const mode = MODE_FROM[key(String(c.mode ?? 'fan_in'))];
      const distribution = DIST_FROM[key(String(c.distribution ?? 'truncated_normal'))];
      if (mode === undefined) fail(fn, `${where} has mode ${describe(c.mode)}; expected 'fan_in', 'fan_out' or 'fan_avg'`);
      if (distribution === undefined) fail(fn, `${where} has distribution ${describe(c.distribution)}; expected 'uniform', 'truncated_normal' or 'untruncated_normal'`);
      return new VarianceScaling({ scale: num('scale', 1), mode, distribution, seed: seedOf(c) });
    }
    default:
      return fail(fn, `${where} has unknown initializer class '${obj.class_name}'; supported: ${VALID_INITIALIZERS}`);
  }
}

/** Always as L1L2: the one regularizer class both Keras and tfjs-layers (which has no L1 / L2) read. */
export function serializeRegularizer(r: Regularizer | null): KerasObject | null {
  return r === null ? null : { class_name: 'L1L2', config: { l1: r.l1, l2: r.l2 } };
}

/** A Regularizer (or null) from its Keras serialization: L1, L2, L1L2 (TF.js' l1l2 too). */
export function deserializeRegularizer(fn: string, where: string, obj: unknown): Regularizer | null {
  if (obj === null || obj === undefined) return null;
  if (!isKerasObject(obj)) return fail(fn, `${where} must be null or { class_name, config }, got ${describe(obj)}`);
  const c = (obj.config ?? {}) as Record<string, unknown>;
  const val = (name: string, dflt: number) => {
    const v = c[name] ?? dflt;
    if (typeof v !== 'number' || !(v >= 0)) fail(fn, `${where} ('${obj.class_name}') has ${name} ${describe(v)}; expected a non-negative number`);
    return v;
  };
  switch (key(obj.class_name)) {
    case 'l1': return new Regularizer(val('l1', 0.01), 0, 'L1');
    case 'l2': return new Regularizer(0, val('l2', 0.01), 'L2');
    case 'l1l2': return new Regularizer(val('l1', 0), val('l2', 0), 'L1L2');
    default: return fail(fn, `${where} has unknown regularizer class '${obj.class_name}'; supported: L1, L2, L1L2`);
  }
}
