// Keras Adam: m += (g - m)(1-b1); v += (g^2 - v)(1-b2);
// w -= m alpha / (sqrt(v) + eps), alpha = lr sqrt(1 - b2^t) / (1 - b1^t).
// (TF.js adds eps to the bias-corrected sqrt(v) instead: within ~eps of this.)
import type { OptimizerStep } from '../../backends/backend';
import { checkRange, Optimizer, readConfig } from './optimizer';

export interface AdamConfig {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

const DEFAULTS = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

export class Adam extends Optimizer {
  static override readonly className = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: AdamConfig = {}) {
    const c = readConfig('Adam', config, DEFAULTS);
    checkRange('Adam', 'learningRate', c.learningRate, 0);
    checkRange('Adam', 'beta1', c.beta1, 0, 1, true);
    checkRange('Adam', 'beta2', c.beta2, 0, 1, true);
    checkRange('Adam', 'epsilon', c.epsilon, 0);
    super(c.learningRate);
    this.beta1 = c.beta1;
    this.beta2 = c.beta2;
    this.epsilon = c.epsilon;
  }

  protected slotNames(): readonly string[] {
    return ['m', 'v'];
  }

  /** Keras 3's slot names. */
  protected override slotAliases(): Record<string, string> {
    return { momentum: 'm', velocity: 'v' };
  }

  protected step(w: number, g: number, slots: readonly number[], n: number, t: number): OptimizerStep {
    const alpha = (this.learningRate * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    return { kind: 'adam', w, g, m: slots[0], v: slots[1], n, alpha, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  getConfig() {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
