// Keras Adagrad: acc += g^2; w -= lr g / sqrt(acc + eps); acc starts at
// initialAccumulatorValue.
import type { OptimizerStep } from '../../backends/backend';
import { checkRange, Optimizer, readConfig } from './optimizer';

export interface AdagradConfig {
  learningRate?: number;
  initialAccumulatorValue?: number;
  epsilon?: number;
}

const DEFAULTS = { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 };

export class Adagrad extends Optimizer {
  static override readonly className = 'Adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(config: AdagradConfig = {}) {
    const c = readConfig('Adagrad', config, DEFAULTS);
    checkRange('Adagrad', 'learningRate', c.learningRate, 0);
    checkRange('Adagrad', 'initialAccumulatorValue', c.initialAccumulatorValue, 0);
    checkRange('Adagrad', 'epsilon', c.epsilon, 0);
    super(c.learningRate);
    this.initialAccumulatorValue = c.initialAccumulatorValue;
    this.epsilon = c.epsilon;
  }

  protected slotNames(): readonly string[] {
    return ['accumulator'];
  }

  protected override slotInitialValue(): number {
    return this.initialAccumulatorValue;
  }

  protected step(w: number, g: number, slots: readonly number[], n: number): OptimizerStep {
    return { kind: 'adagrad', w, g, acc: slots[0], n, lr: this.learningRate, epsilon: this.epsilon };
  }

  getConfig() {
    return { learningRate: this.learningRate, initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
