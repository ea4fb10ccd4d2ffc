// Keras weight regularizers: a penalty on a weight tensor that fit() adds to
// the loss (so its gradient reaches the weight through the same tape).
// L1: l1 * sum(|w|); L2: l2 * sum(w^2); defaults 0.01 like Keras.
import { describe, fail, readOptions } from '../errors';
import { abs, add, mul, square } from '../ops/elementwise';
import { sum } from '../ops/reduce';
import type { Tensor } from '../tensor';

export class Regularizer {
  readonly className: string;
  constructor(readonly l1 = 0, readonly l2 = 0, className = 'L1L2') {
    for (const [name, v] of [['l1', l1], ['l2', l2]] as const) {
      if (typeof v !== 'number' || !(v >= 0)) fail(className, `${name} must be a non-negative number, got ${describe(v)}`);
    }
    this.className = className;
  }

  /** The scalar penalty for w. */
  apply(w: Tensor): Tensor {
    const l1 = this.l1 > 0 ? mul(sum(abs(w)), this.l1) : null;
    const l2 = this.l2 > 0 ? mul(sum(square(w)), this.l2) : null;
    if (l1 && l2) return add(l1, l2);
    return l1 ?? l2 ?? mul(sum(w), 0);
  }

  getConfig(): Record<string, unknown> {
    if (this.className === 'L1') return { l1: this.l1 };
    if (this.className === 'L2') return { l2: this.l2 };
    return { l1: this.l1, l2: this.l2 };
  }
}

/** Factories (`wt.regularizers.l2({ l2: 1e-4 })`); Keras' L1L2 defaults both to 0. */
export const regularizers = {
  l1: (args?: { l1?: number }) => new Regularizer(readOptions('l1', args, ['l1']).l1 ?? 0.01, 0, 'L1'),
  l2: (args?: { l2?: number }) => new Regularizer(0, readOptions('l2', args, ['l2']).l2 ?? 0.01, 'L2'),
  l1l2: (args?: { l1?: number; l2?: number }) => {
    const o = readOptions('l1l2', args, ['l1', 'l2']);
    return new Regularizer(o.l1 ?? 0, o.l2 ?? 0, 'L1L2');
  },
};

const VALID = "'l1', 'l2', 'l1l2' (or 'l1_l2'), or a Regularizer";

export function getRegularizer(identifier: string | Regularizer | null | undefined, fn = 'getRegularizer'): Regularizer | null {
  if (identifier === undefined || identifier === null) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier !== 'string') return fail(fn, `regularizer must be ${VALID}, got ${describe(identifier)}`);
  const key = identifier.toLowerCase().replace(/_/g, '') as keyof typeof regularizers;
  if (!(key in regularizers)) fail(fn, `unknown regularizer '${identifier}'; valid: ${VALID}`);
  return regularizers[key]();
}
