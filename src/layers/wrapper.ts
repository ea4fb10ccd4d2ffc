// What the wrapper layers (Bidirectional, TimeDistributed) share: their
// weights live in the layers they wrap, so every weight accessor delegates to
// those, in order (tfjs-layers' getWeights order).
import type { Variable } from '../autograd/variable';
import { describe, fail } from '../errors';
import { add } from '../ops/elementwise';
import type { Tensor } from '../tensor';
import { Layer } from './layer';

export abstract class Wrapper extends Layer {
  /** The wrapped layers that own the weights. */
  protected abstract get inner(): Layer[];

  override get weights(): Variable[] { return this.inner.flatMap((l) => l.weights); }
  override get trainableWeights(): Variable[] { return this.inner.flatMap((l) => l.trainableWeights); }
  override get nonTrainableWeights(): Variable[] { return this.inner.flatMap((l) => l.nonTrainableWeights); }
  override get trainable(): boolean { return super.trainable; }
  override set trainable(value: boolean) {
    super.trainable = value;
    for (const l of this.inner) l.trainable = value;
  }
  override getWeights(): Tensor[] { return this.inner.flatMap((l) => l.getWeights()); }
  override countParams(): number { return this.inner.reduce((n, l) => n + l.countParams(), 0); }

  /** Every shape is checked (by the wrapped layers) before any weight changes. */
  override setWeights(weights: Tensor[]): void {
    const counts = this.inner.map((l) => l.weights.length);
    const total = counts.reduce((a, b) => a + b, 0);
    if (!Array.isArray(weights) || weights.length !== total) {
      fail(`${this.name}.setWeights`, `expected an array of ${total} tensors (${counts.join(' + ')} for the wrapped layers), got ${Array.isArray(weights) ? weights.length : describe(weights)}`);
    }
    let at = 0;
    const parts = counts.map((n) => weights.slice(at, (at += n)));
    // Check all parts first: a bad shape in the second must leave the first unchanged.
    this.inner.forEach((l, i) => parts[i].forEach((w, k) => {
      const v = l.weights[k];
      if (!Array.isArray(w?.shape) || w.shape.length !== v.shape.length || w.shape.some((d, j) => d !== v.shape[j])) {
        fail(`${this.name}.setWeights`, `weights[${counts.slice(0, i).reduce((a, b) => a + b, 0) + k}] has shape [${w?.shape?.join(',')}], but '${v.name}' has shape [${v.shape.join(',')}]`);
      }
    }));
    this.inner.forEach((l, i) => l.setWeights(parts[i]));
  }

  override regularizationLoss(): Tensor | null {
    let total: Tensor | null = null;
    for (const l of this.inner) {
      const p = l.regularizationLoss();
      if (p !== null) total = total === null ? p : add(total, p);
    }
    return total;
  }

  override dispose(): void {
    for (const l of this.inner) l.dispose();
    super.dispose();
  }
}
