// Gradients of the shape ops, numpy indexing, slice, cast and clone, against
// TF.js tf.grads and finite differences (tolerances in gradcheck.ts).
import { beforeAll, describe, expect, test } from 'vitest';
import { refIndex, sizeOf } from '../helpers/reference';
import { checkGrad, input, ourGrads, rand, setup, tf, wt } from './gradcheck';

beforeAll(setup);

describe('shape ops', () => {
  test('reshape (with -1), and reshape of a non-contiguous view (copies)', () => {
    checkGrad({ inputs: [rand([2, 3, 4])], ours: (x) => wt.reshape(x, [4, -1]), ref: (x) => tf.reshape(x, [4, -1]) });
    checkGrad({
      inputs: [rand([3, 4])],
      ours: (x) => wt.reshape(wt.transpose(x), [2, 6]),
      ref: (x) => tf.reshape(tf.transpose(x), [2, 6]),
    });
  });
  test('transpose (default and a permutation)', () => {
    checkGrad({ inputs: [rand([2, 3, 4])], ours: (x) => wt.transpose(x), ref: (x) => tf.transpose(x) });
    checkGrad({ inputs: [rand([2, 3, 4])], ours: (x) => wt.transpose(x, [1, 2, 0]), ref: (x) => tf.transpose(x, [1, 2, 0]) });
  });
  test('expandDims (axis 1 and -1)', () => {
    checkGrad({ inputs: [rand([3, 4])], ours: (x) => wt.expandDims(x, 1), ref: (x) => tf.expandDims(x, 1) });
    checkGrad({ inputs: [rand([3, 4])], ours: (x) => wt.expandDims(x, -1), ref: (x) => tf.expandDims(x, -1) });
  });
  test('squeeze (all size-1 axes, and one axis)', () => {
    checkGrad({ inputs: [rand([1, 3, 1, 4])], ours: (x) => wt.squeeze(x), ref: (x) => tf.squeeze(x) });
    checkGrad({ inputs: [rand([1, 3, 1, 4])], ours: (x) => wt.squeeze(x, 2), ref: (x) => tf.squeeze(x, [2]) });
  });
  test('broadcastTo sums the gradient over repeated axes', () => {
    const [g] = checkGrad({ inputs: [rand([3])], ours: (x) => wt.broadcastTo(x, [2, 4, 3]), ref: (x) => tf.broadcastTo(x, [2, 4, 3]) });
    expect(g.shape).toEqual([3]);
    checkGrad({ inputs: [rand([2, 1, 3])], ours: (x) => wt.broadcastTo(x, [2, 5, 3]), ref: (x) => tf.broadcastTo(x, [2, 5, 3]) });
  });
  test('concat along axis 0 and axis 1 (unequal sizes)', () => {
    checkGrad({
      inputs: [rand([2, 3]), rand([1, 3]), rand([3, 3])],
      ours: (a, b, c) => wt.concat([a, b, c], 0),
      ref: (a, b, c) => tf.concat([a, b, c], 0),
    });
    checkGrad({
      inputs: [rand([2, 1, 4]), rand([2, 3, 4])],
      ours: (a, b) => wt.concat([a, b], 1),
      ref: (a, b) => tf.concat([a, b], 1),
    });
  });
  test('concat of the same tensor twice accumulates', () =>
    checkGrad({ inputs: [rand([2, 3])], ours: (a) => wt.concat([a, a], 1), ref: (a) => tf.concat([a, a], 1) }));
  test('stack along axis 0 and axis -1', () => {
    checkGrad({ inputs: [rand([2, 3]), rand([2, 3])], ours: (a, b) => wt.stack([a, b]), ref: (a, b) => tf.stack([a, b]) });
    checkGrad({
      inputs: [rand([2, 3]), rand([2, 3]), rand([2, 3])],
      ours: (a, b, c) => wt.stack([a, b, c], -1),
      ref: (a, b, c) => tf.stack([a, b, c], -1),
    });
  });
});

/**
 * TF.js has no numpy indexing: the reference gathers the flat elements that
 * the float64 numpy reference (test/helpers/reference.ts refIndex) selects.
 * tf.gather's gradient scatters (and sums) dy back into those elements.
 */
function refIndexOp(shape: number[], spec: string): (x: tf.Tensor) => tf.Tensor {
  const picked = refIndex(Array.from({ length: sizeOf(shape) }, (_, i) => i), shape, spec);
  return (x) => tf.reshape(tf.gather(tf.reshape(x, [-1]), tf.tensor1d(picked.data, 'int32')), picked.shape);
}

describe('index (numpy basic indexing)', () => {
  const X = [4, 5, 3];
  const specs = ['1:3', '::-1', '1, ::-2', '..., -1', '-1, 1:4, ::-1', '::2, 4:0:-2, 1', '2', ':, 1:-1', '3:1:-1, ..., 0:2'];
  for (const spec of specs) {
    test(`x.index('${spec}')`, () => checkGrad({ inputs: [rand(X)], ours: (x) => wt.index(x, spec), ref: refIndexOp(X, spec), fdSamples: 16 }));
  }
  test('integer arguments and a newaxis', () => {
    const one = refIndexOp(X, '2, :, 1');
    checkGrad({ inputs: [rand(X)], ours: (x) => wt.index(x, 2, ':', 1), ref: one });
    checkGrad({ inputs: [rand([3, 4])], ours: (x) => wt.index(x, 'newaxis, 1:, ::-1'), ref: (x) => tf.expandDims(refIndexOp([3, 4], '1:, ::-1')(x), 0) });
  });
  test('overlapping selections of one tensor accumulate', () =>
    checkGrad({
      inputs: [rand([4, 3])],
      ours: (x) => wt.add(wt.index(x, '0:3'), wt.index(x, '::-1').index('0:3')),
      ref: (x) => tf.add(refIndexOp([4, 3], '0:3')(x), refIndexOp([4, 3], '3:0:-1')(x)),
    }));
  test('an index of an index (a view of a view)', () =>
    checkGrad({
      inputs: [rand([6, 4])],
      ours: (x) => wt.index(wt.index(x, '::-1, 1:'), '::2'),
      ref: refIndexOp([6, 4], '5::-2, 1:'),
    }));
  test('selected elements get dy, the rest exactly 0', () => {
    const w = input([2], [3, 7]);
    const [g] = ourGrads({ inputs: [input([2, 3], [1, 2, 3, 4, 5, 6])], ours: (x) => wt.index(x, ':, -1'), ref: (x) => x }, w);
    expect(Array.from(g.data)).toEqual([0, 0, 3, 0, 0, 7]);
  });
});

describe('slice (TF.js semantics)', () => {
  test('begin/size, size -1 and missing trailing axes', () => {
    checkGrad({ inputs: [rand([4, 5, 3])], ours: (x) => wt.slice(x, [1, 0, 1], [2, 3, 2]), ref: (x) => tf.slice(x, [1, 0, 1], [2, 3, 2]) });
    checkGrad({ inputs: [rand([4, 5, 3])], ours: (x) => wt.slice(x, [1, 2], [-1, 2]), ref: (x) => tf.slice(x, [1, 2], [-1, 2]) });
    checkGrad({ inputs: [rand([6])], ours: (x) => wt.slice(x, 2, 3), ref: (x) => tf.slice(x, 2, 3) });
  });
});

describe('cast and clone', () => {
  test('cast float32 -> float32 passes dy through', () =>
    checkGrad({ inputs: [rand([3, 4])], ours: (x) => wt.mul(wt.cast(x, 'float32'), x), ref: (x) => tf.mul(tf.cast(x, 'float32'), x) }));
  test('clone (also of a strided view)', () => {
    checkGrad({ inputs: [rand([3, 4])], ours: (x) => wt.clone(x), ref: (x) => tf.clone(x) });
    checkGrad({ inputs: [rand([3, 4])], ours: (x) => wt.clone(wt.transpose(x)), ref: (x) => tf.clone(tf.transpose(x)) });
  });
});
