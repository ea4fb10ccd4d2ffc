// Keras weight initializers. The variance-scaling family (glorot, he, lecun)
// follows keras/src/initializers/random_initializers.py: scale / fan with fan
// = fan_in, fan_out or their mean; uniform limit sqrt(3 * variance); normal
// draws a normal truncated at 2 stddev, so its stddev is divided by
// 0.87962566103423978 (the stddev of a standard normal truncated there).
// Every initializer takes an optional seed; without one it draws from the
// global random state, which wt.setRandomSeed makes reproducible.
import { describe, fail, readNumber, readOptions, readSeed } from '../errors';
import { fill, randomNormal, randomUniform, truncatedNormal } from '../ops/create';
import type { Tensor } from '../tensor';

const TRUNCATED_STDDEV = 0.87962566103423978;

export abstract class Initializer {
  abstract readonly className: string;
  /** A new float32 tensor of `shape`. */
  abstract apply(shape: number[]): Tensor;
  abstract getConfig(): Record<string, unknown>;
}

/** Keras' compute_fans: dense kernels [in, out]; conv kernels [...receptive, in, out]. */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

type Mode = 'fanIn' | 'fanOut' | 'fanAvg';
type Distribution = 'uniform' | 'truncatedNormal' | 'normal';
const MODES: readonly Mode[] = ['fanIn', 'fanOut', 'fanAvg'];
const DISTRIBUTIONS: readonly Distribution[] = ['uniform', 'truncatedNormal', 'normal'];

export class VarianceScaling extends Initializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: Mode;
  readonly distribution: Distribution;
  readonly seed?: number;

  constructor(args: { scale?: number; mode?: Mode; distribution?: Distribution; seed?: number } = {}, fn = 'varianceScaling') {
    super();
    const o = readOptions(fn, args, ['scale', 'mode', 'distribution', 'seed']);
    this.scale = readNumber(fn, 'scale', o.scale, 1);
    this.mode = o.mode ?? 'fanIn';
    this.distribution = o.distribution ?? 'truncatedNormal';
    this.seed = readSeed(fn, o.seed);
    if (!(this.scale > 0)) fail(fn, `scale must be positive, got ${describe(o.scale)}`);
    if (!MODES.includes(this.mode)) fail(fn, `mode must be one of ${MODES.map((m) => `'${m}'`).join(', ')}, got ${describe(o.mode)}`);
    if (!DISTRIBUTIONS.includes(this.distribution)) {
      fail(fn, `distribution must be one of ${DISTRIBUTIONS.map((d) => `'${d}'`).join(', ')}, got ${describe(o.distribution)}`);
    }
  }

  apply(shape: number[]): Tensor {
    const { fanIn, fanOut } = computeFans(shape);
    const fan = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, fan);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return randomUniform(shape, -limit, limit, this.seed);
    }
    if (this.distribution === 'normal') return randomNormal(shape, 0, Math.sqrt(variance), this.seed);
    return truncatedNormal(shape, 0, Math.sqrt(variance) / TRUNCATED_STDDEV, this.seed);
  }

  getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

/** A variance-scaling preset that serializes under its own Keras class name. */
function preset(className: string, scale: number, mode: Mode, distribution: Distribution) {
  return class extends VarianceScaling {
    override readonly className = className;
    constructor(args: { seed?: number } = {}) {
      const fn = className[0].toLowerCase() + className.slice(1);
      super({ scale, mode, distribution, seed: readSeed(fn, readOptions(fn, args, ['seed']).seed) }, fn);
    }
    override getConfig(): Record<string, unknown> {
      return { seed: this.seed ?? null };
    }
  };
}

export const GlorotUniform = preset('GlorotUniform', 1, 'fanAvg', 'uniform');
export const GlorotNormal = preset('GlorotNormal', 1, 'fanAvg', 'truncatedNormal');
export const HeUniform = preset('HeUniform', 2, 'fanIn', 'uniform');
export const HeNormal = preset('HeNormal', 2, 'fanIn', 'truncatedNormal');
export const LecunUniform = preset('LecunUniform', 1, 'fanIn', 'uniform');
export const LecunNormal = preset('LecunNormal', 1, 'fanIn', 'truncatedNormal');

export class Constant extends Initializer {
  readonly className: string = 'Constant';
  constructor(readonly value = 0) {
    super();
    if (typeof value !== 'number') fail('constant', `value must be a number, got ${describe(value)}`);
  }
  apply(shape: number[]): Tensor { return fill(shape, this.value, 'float32'); }
  getConfig(): Record<string, unknown> { return { value: this.value }; }
}

export class Zeros extends Constant {
  override readonly className = 'Zeros';
  constructor() { super(0); }
  override getConfig(): Record<string, unknown> { return {}; }
}

export class Ones extends Constant {
  override readonly className = 'Ones';
  constructor() { super(1); }
  override getConfig(): Record<string, unknown> { return {}; }
}

/** Keras defaults: mean 0, stddev 0.05. */
export class RandomNormal extends Initializer {
  readonly className: string = 'RandomNormal';
  readonly mean: number;
  readonly stddev: number;
  readonly seed?: number;
  constructor(args: { mean?: number; stddev?: number; seed?: number } = {}, fn = 'randomNormal') {
    super();
    const o = readOptions(fn, args, ['mean', 'stddev', 'seed']);
    this.mean = readNumber(fn, 'mean', o.mean, 0);
    this.stddev = readNumber(fn, 'stddev', o.stddev, 0.05);
    this.seed = readSeed(fn, o.seed);
  }
  apply(shape: number[]): Tensor { return randomNormal(shape, this.mean, this.stddev, this.seed); }
  getConfig(): Record<string, unknown> { return { mean: this.mean, stddev: this.stddev, seed: this.seed ?? null }; }
}

/** Keras defaults: mean 0, stddev 0.05, values beyond 2 stddev redrawn. */
export class TruncatedNormal extends RandomNormal {
  override readonly className: string = 'TruncatedNormal';
  constructor(args: { mean?: number; stddev?: number; seed?: number } = {}) {
    super(args, 'truncatedNormal');
  }
  override apply(shape: number[]): Tensor { return truncatedNormal(shape, this.mean, this.stddev, this.seed); }
}

/** Keras defaults: [-0.05, 0.05). */
export class RandomUniform extends Initializer {
  readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  readonly seed?: number;
  constructor(args: { minval?: number; maxval?: number; seed?: number } = {}) {
    super();
    const fn = 'randomUniform';
    const o = readOptions(fn, args, ['minval', 'maxval', 'seed']);
    this.minval = readNumber(fn, 'minval', o.minval, -0.05);
    this.maxval = readNumber(fn, 'maxval', o.maxval, 0.05);
    this.seed = readSeed(fn, o.seed);
  }
  apply(shape: number[]): Tensor { return randomUniform(shape, this.minval, this.maxval, this.seed); }
  getConfig(): Record<string, unknown> { return { minval: this.minval, maxval: this.maxval, seed: this.seed ?? null }; }
}

type Seeded = { seed?: number };

/** Factories, as in TF.js (`wt.initializers.glorotUniform({ seed: 1 })`). */
export const initializers = {
  glorotUniform: (args?: Seeded) => new GlorotUniform(args),
  glorotNormal: (args?: Seeded) => new GlorotNormal(args),
  heUniform: (args?: Seeded) => new HeUniform(args),
  heNormal: (args?: Seeded) => new HeNormal(args),
  lecunUniform: (args?: Seeded) => new LecunUniform(args),
  lecunNormal: (args?: Seeded) => new LecunNormal(args),
  zeros: (args?: Record<string, never>) => (readOptions('zeros', args, []), new Zeros()),
  ones: (args?: Record<string, never>) => (readOptions('ones', args, []), new Ones()),
  constant: (args: { value: number }) => new Constant(readOptions('constant', args, ['value']).value),
  randomNormal: (args?: { mean?: number; stddev?: number; seed?: number }) => new RandomNormal(args),
  randomUniform: (args?: { minval?: number; maxval?: number; seed?: number }) => new RandomUniform(args),
  truncatedNormal: (args?: { mean?: number; stddev?: number; seed?: number }) => new TruncatedNormal(args),
  varianceScaling: (args?: { scale?: number; mode?: Mode; distribution?: Distribution; seed?: number }) => new VarianceScaling(args),
};

const BY_KEY = new Map<string, () => Initializer>(
  Object.entries(initializers)
    .filter(([name]) => name !== 'constant')
    .map(([name, make]) => [name.toLowerCase(), make as () => Initializer]),
);
const VALID = Object.keys(initializers).filter((n) => n !== 'constant').map((n) => `'${n}'`).join(', ') +
  " (Keras snake_case such as 'glorot_uniform' also accepted), or an Initializer";

/** An initializer from a name (camelCase or snake_case) or an instance. */
export function getInitializer(identifier: string | Initializer, fn = 'getInitializer'): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier !== 'string') return fail(fn, `initializer must be a name (${VALID}), got ${describe(identifier)}`);
  const make = BY_KEY.get(identifier.toLowerCase().replace(/_/g, ''));
  if (make === undefined) fail(fn, `unknown initializer '${identifier}'; valid: ${VALID}`);
  return make();
}
