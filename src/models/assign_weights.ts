// model.setWeights(weights) for Sequential and LayersModel: every check runs
// before the first assignment, so a bad list leaves every weight as it was.
import type { Variable } from '../autograd/variable';
import { tidy } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { cast } from '../ops/convert';
import { Tensor } from '../tensor';

/** Assigns weights[i] to own[i] (float32; other dtypes are cast); counts and shapes must match. */
export function assignWeights(fn: string, own: readonly Variable[], weights: unknown): void {
  if (!Array.isArray(weights) || weights.length !== own.length) {
    fail(fn, `expected an array of ${own.length} tensors (${own.map((w) => `${w.name} ${fmtShape(w.shape)}`).join(', ')}), got ${Array.isArray(weights) ? weights.length : describe(weights)}`);
  }
  weights.forEach((w, i) => {
    if (!(w instanceof Tensor)) fail(fn, `weights[${i}] must be a Tensor, got ${describe(w)}`);
    if (w.shape.length !== own[i].shape.length || w.shape.some((d, k) => d !== own[i].shape[k])) {
      fail(fn, `weights[${i}] has shape ${fmtShape(w.shape)}, but '${own[i].name}' has shape ${fmtShape(own[i].shape)}`);
    }
  });
  (weights as Tensor[]).forEach((w, i) => own[i].assign(w.dtype === 'float32' ? w : tidy(() => cast(w, 'float32'))));
}
