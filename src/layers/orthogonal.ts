// The Orthogonal initializer (Keras, tfjs-layers): the recurrent kernels'
// default. A normal draw [max, min] is orthonormalised column by column
// (modified Gram-Schmidt, tfjs-layers' linalg.gramSchmidt), transposed when
// the shape is wider than tall, times `gain`. The QR runs in plain JS on a
// Float64Array: it happens once per weight at build time, never in training,
// and on [units, 4*units] it is a few milliseconds.
import { describe, fail, readOptions, readSeed } from '../errors';
import { randomNormal, tensor } from '../ops/create';
import type { Tensor } from '../tensor';
import { Initializer } from './initializers';

export class Orthogonal extends Initializer {
  readonly className = 'Orthogonal';
  readonly gain: number;
  readonly seed?: number;

  constructor(args: { gain?: number; seed?: number } = {}) {
    super();
    const fn = 'orthogonal';
    const o = readOptions(fn, args, ['gain', 'seed']);
    const gain = o.gain ?? 1;
    if (typeof gain !== 'number' || !Number.isFinite(gain)) fail(fn, `gain must be a finite number, got ${describe(gain)}`);
    this.gain = gain;
    this.seed = readSeed(fn, o.seed);
  }

  apply(shape: number[]): Tensor {
    if (shape.length < 2) fail('orthogonal', `needs a shape of rank >= 2, got [${shape.join(',')}]`);
    const cols = shape[shape.length - 1];
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const n = Math.max(rows, cols);
    const m = Math.min(rows, cols);
    const draw = randomNormal([n, m], 0, 1, this.seed);
    const a = Float64Array.from(draw.dataSync() as Float32Array);
    draw.dispose();
    // Column j of a (stride m) made orthogonal to columns 0..j-1, then unit length.
    for (let j = 0; j < m; j++) {
      for (let p = 0; p < j; p++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += a[i * m + j] * a[i * m + p];
        for (let i = 0; i < n; i++) a[i * m + j] -= d * a[i * m + p];
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += a[i * m + j] * a[i * m + j];
      const s = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let i = 0; i < n; i++) a[i * m + j] *= s;
    }
    const out = new Float32Array(rows * cols);
    // q is [n, m]; rows >= cols keeps it, rows < cols takes q^T ([m, n] = [rows, cols]).
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const v = this.gain * a[i * m + j];
        if (rows >= cols) out[i * cols + j] = v;
        else out[j * cols + i] = v;
      }
    }
    return tensor(out, shape.slice(), 'float32');
  }

  getConfig(): Record<string, unknown> {
    return { gain: this.gain, seed: this.seed ?? null };
  }
}
