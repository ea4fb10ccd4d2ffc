// The gradient of a broadcast input: sum the output gradient over the axes
// that broadcasting added or repeated, then give it the input's shape. For
// (32,10) + (10,), the (10,) input's gradient is dy summed over the batch axis.
import { sum } from '../ops/reduce';
import { reshape } from '../ops/shape';
import type { Tensor } from '../tensor';

export function unbroadcast(dy: Tensor, shape: readonly number[]): Tensor {
  const lead = dy.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < dy.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1)) axes.push(i);
  }
  if (axes.length === 0) return dy;
  const summed = sum(dy, axes);
  return reshape(summed, shape.slice());
}
