// Keras RMSprop: ms = rho ms + (1-rho) g^2; w -= lr g / sqrt(ms + eps)
// (epsilon inside the square root, as in Keras and TF.js), with optional
// momentum and centering (ms - mg^2 in place of ms).
import type { OptimizerStep } from '../../backends/backend';
import { checkRange, Optimizer, readConfig } from './optimizer';

export interface RMSpropConfig {
  learningRate?: number;
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

const DEFAULTS = { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false };

export class RMSprop extends Optimizer {
  static override readonly className = 'RMSprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(config: RMSpropConfig = {}) {
    const c = readConfig('RMSprop', config, DEFAULTS);
    checkRange('RMSprop', 'learningRate', c.learningRate, 0);
    checkRange('RMSprop', 'rho', c.rho, 0, 1);
    checkRange('RMSprop', 'momentum', c.momentum, 0, 1);
    checkRange('RMSprop', 'epsilon', c.epsilon, 0);
    super(c.learningRate);
    this.rho = c.rho;
    this.momentum = c.momentum;
    this.epsilon = c.epsilon;
    this.centered = c.centered;
  }

  /** TF.js's weight names: rms (mean square), momentum, mg (mean gradient). */
  protected slotNames(): readonly string[] {
    return ['rms', ...(this.momentum > 0 ? ['momentum'] : []), ...(this.centered ? ['mg'] : [])];
  }

  /** Keras 3's slot names. */
  protected override slotAliases(): Record<string, string> {
    return { velocity: 'rms', average_gradient: 'mg' };
  }

  protected step(w: number, g: number, slots: readonly number[], n: number): OptimizerStep {
    const mom = this.momentum > 0 ? slots[1] : 0;
    const mg = this.centered ? slots[slots.length - 1] : 0;
    return {
      kind: 'rmsprop', w, g, ms: slots[0], mg, mom, n,
      lr: this.learningRate, rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered,
    };
  }

  getConfig() {
    return { learningRate: this.learningRate, rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
