// Keras Adamax (Adam with the infinity norm): m += (g - m)(1-b1);
// u = max(b2 u, |g|); w -= lr m / ((1 - b1^t)(u + eps)).
import type { OptimizerStep } from '../../backends/backend';
import { checkRange, Optimizer, readConfig } from './optimizer';

export interface AdamaxConfig {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

const DEFAULTS = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

export class Adamax extends Optimizer {
  static override readonly className = 'Adamax';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(config: AdamaxConfig = {}) {
    const c = readConfig('Adamax', config, DEFAULTS);
    checkRange('Adamax', 'learningRate', c.learningRate, 0);
    checkRange('Adamax', 'beta1', c.beta1, 0, 1, true);
    checkRange('Adamax', 'beta2', c.beta2, 0, 1);
    checkRange('Adamax', 'epsilon', c.epsilon, 0);
    super(c.learningRate);
    this.beta1 = c.beta1;
    this.beta2 = c.beta2;
    this.epsilon = c.epsilon;
  }

  /** TF.js's weight names: m (first moment), v (weighted infinity norm). */
  protected slotNames(): readonly string[] {
    return ['m', 'v'];
  }

  /** Keras 3's slot names. */
  protected override slotAliases(): Record<string, string> {
    return { momentum: 'm', norm: 'v' };
  }

  protected step(w: number, g: number, slots: readonly number[], n: number, t: number): OptimizerStep {
    const stepSize = this.learningRate / (1 - this.beta1 ** t);
    return { kind: 'adamax', w, g, m: slots[0], u: slots[1], n, stepSize, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  getConfig() {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
