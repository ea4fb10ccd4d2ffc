// Keras SGD, with optional (Nesterov) momentum:
//   v = momentum v - lr g;  w += nesterov ? momentum v - lr g : v
// (TF.js's MomentumOptimizer keeps v / -lr instead: the same steps while lr is constant.)
import type { OptimizerStep } from '../../backends/backend';
import { checkRange, Optimizer, readConfig } from './optimizer';

export interface SGDConfig {
  learningRate?: number;
  momentum?: number;
  nesterov?: boolean;
}

const DEFAULTS = { learningRate: 0.01, momentum: 0, nesterov: false };

export class SGD extends Optimizer {
  static override readonly className = 'SGD';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(config: SGDConfig = {}) {
    const c = readConfig('SGD', config, DEFAULTS);
    checkRange('SGD', 'learningRate', c.learningRate, 0);
    checkRange('SGD', 'momentum', c.momentum, 0, 1);
    super(c.learningRate);
    this.momentum = c.momentum;
    this.nesterov = c.nesterov;
  }

  protected slotNames(): readonly string[] {
    return this.momentum > 0 ? ['momentum'] : [];
  }

  protected step(w: number, g: number, slots: readonly number[], n: number): OptimizerStep {
    if (this.momentum === 0) return { kind: 'sgd', w, g, n, lr: this.learningRate };
    return { kind: 'momentum', w, g, v: slots[0], n, lr: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }

  getConfig() {
    return { learningRate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }
}
