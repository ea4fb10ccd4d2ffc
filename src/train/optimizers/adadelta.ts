// Keras Adadelta: accGrad = rho accGrad + (1-rho) g^2;
// d = -sqrt(accUpdate + eps) g / sqrt(accGrad + eps);
// accUpdate = rho accUpdate + (1-rho) d^2; w += lr d.
import type { OptimizerStep } from '../../backends/backend';
import { checkRange, Optimizer, readConfig } from './optimizer';

export interface AdadeltaConfig {
  learningRate?: number;
  rho?: number;
  epsilon?: number;
}

const DEFAULTS = { learningRate: 0.001, rho: 0.95, epsilon: 1e-7 };

export class Adadelta extends Optimizer {
  static override readonly className = 'Adadelta';
  readonly rho: number;
  readonly epsilon: number;

  constructor(config: AdadeltaConfig = {}) {
    const c = readConfig('Adadelta', config, DEFAULTS);
    checkRange('Adadelta', 'learningRate', c.learningRate, 0);
    checkRange('Adadelta', 'rho', c.rho, 0, 1);
    checkRange('Adadelta', 'epsilon', c.epsilon, 0);
    super(c.learningRate);
    this.rho = c.rho;
    this.epsilon = c.epsilon;
  }

  /** TF.js's weight names. */
  protected slotNames(): readonly string[] {
    return ['accum_grad', 'accum_var'];
  }

  /** Keras 3's slot names. */
  protected override slotAliases(): Record<string, string> {
    return { accumulated_grad: 'accum_grad', accumulated_delta_var: 'accum_var' };
  }

  protected step(w: number, g: number, slots: readonly number[], n: number): OptimizerStep {
    return { kind: 'adadelta', w, g, accGrad: slots[0], accUpdate: slots[1], n, lr: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }

  getConfig() {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }
}
