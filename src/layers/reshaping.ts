// Reshape and Permute: rearrange each sample, never the batch axis. Reshape's
// targetShape may hold one -1 (inferred, as in Keras); Permute's dims are
// 1-based, as in Keras ([2, 1] swaps the two axes after the batch).
import { describe, fail } from '../errors';
import { reshape, transpose } from '../ops/shape';
import type { Tensor } from '../tensor';
import { fmtBatchShape, Layer, type LayerArgs, type Shape } from './layer';

const shown = (v: unknown) => (Array.isArray(v) ? JSON.stringify(v) : describe(v));

export function readTargetShape(fn: string, t: unknown): number[] {
  const ok = Array.isArray(t) && t.every((d) => d === -1 || (Number.isInteger(d) && d > 0)) && t.filter((d) => d === -1).length <= 1;
  if (!ok) fail(fn, `targetShape must be an array of positive integers with at most one -1, got ${shown(t)}`);
  return t.slice();
}

export function readDims(fn: string, d: unknown): number[] {
  const ok = Array.isArray(d) && d.length > 0 && [...d].sort((a, b) => a - b).every((v, i) => v === i + 1);
  if (!ok) fail(fn, `dims must be a permutation of 1..n (1-based; the batch axis is not included), got ${shown(d)}`);
  return d.slice();
}

export interface ReshapeArgs extends LayerArgs {
  /** The shape of one sample; one entry may be -1. */
  targetShape: number[];
}

export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args, 'Reshape', ['targetShape']);
    this.targetShape = readTargetShape('reshape', args.targetShape);
  }

  /** The sample shape for inputs whose samples have `size` elements; fails when it does not fit. */
  private resolve(sampleShape: readonly (number | null)[]): number[] {
    const size = sampleShape.reduce<number>((a, d) => a * (d as number), 1);
    const known = this.targetShape.reduce((a, d) => (d === -1 ? a : a * d), 1);
    const fits = this.targetShape.includes(-1) ? size % known === 0 : size === known;
    if (!fits) {
      fail(this.name, `cannot reshape samples of shape ${fmtBatchShape(sampleShape)} (${size} elements) into targetShape ${fmtBatchShape(this.targetShape)}`);
    }
    return this.targetShape.map((d) => (d === -1 ? size / known : d));
  }

  override computeOutputShape(inputShape: Shape): Shape {
    const sample = inputShape.slice(1);
    if (sample.some((d) => d === null)) return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? null : d))];
    return [inputShape[0], ...this.resolve(sample)];
  }

  call(x: Tensor): Tensor {
    if (x.rank < 1) fail(this.name, 'Reshape needs a batch axis, got a 0-d tensor');
    return reshape(x, [x.shape[0], ...this.resolve(x.shape.slice(1))]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), targetShape: this.targetShape.slice() };
  }
}

export interface PermuteArgs extends LayerArgs {
  /** A permutation of 1..rank-1 (the batch axis 0 stays first). */
  dims: number[];
}

export class Permute extends Layer {
  readonly className = 'Permute';
  readonly dims: number[];

  constructor(args: PermuteArgs) {
    super(args, 'Permute', ['dims']);
    this.dims = readDims('permute', args.dims);
  }

  private checkRank(rank: number, shape: readonly (number | null)[]): void {
    if (rank !== this.dims.length + 1) {
      fail(this.name, `dims ${fmtBatchShape(this.dims)} need inputs of rank ${this.dims.length + 1}, got shape ${fmtBatchShape(shape)}`);
    }
  }

  override computeOutputShape(inputShape: Shape): Shape {
    this.checkRank(inputShape.length, inputShape);
    return [inputShape[0], ...this.dims.map((d) => inputShape[d])];
  }

  call(x: Tensor): Tensor {
    this.checkRank(x.rank, x.shape);
    return transpose(x, [0, ...this.dims]);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), dims: this.dims.slice() };
  }
}
