// wt.pad against tfjs-core's cpu tf.pad: values and gradients (tf.grads and
// finite differences) on random shapes and paddings of ranks 1-4, constant
// values, non-float dtypes, strided inputs, the gradient of the gradient,
// and argument errors.
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGrad, rand, setup, tf, wt } from '../autograd/gradcheck';
import { prng } from '../helpers/reference';

beforeAll(setup);

type Pads = Array<[number, number]>;

/** Random shapes (sizes 1-5) and paddings (0-3 per side) of each rank, from a fixed seed. */
function cases(): Array<{ shape: number[]; paddings: Pads; value: number }> {
  const rnd = prng(2024);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const out = [];
  for (let rank = 1; rank <= 4; rank++) {
    for (let k = 0; k < 3; k++) {
      const shape = Array.from({ length: rank }, () => int(1, 5));
      const paddings = shape.map((): [number, number] => [int(0, 3), int(0, 3)]);
      out.push({ shape, paddings, value: k === 2 ? int(-3, 3) + 0.5 : 0 });
    }
  }
  return out;
}

describe('pad vs tfjs-core cpu', () => {
  for (const { shape, paddings, value } of cases()) {
    test(`x [${shape}] paddings ${JSON.stringify(paddings)} value ${value}`, () => {
      checkGrad({
        inputs: [rand(shape)],
        ours: (x) => wt.pad(x, paddings, value),
        ref: (x) => tf.pad(x, paddings, value),
      });
    });
  }

  test('zero padding on every axis is a copy; padding a size-0 axis gives the constant', () => {
    const x = wt.tensor([[1, 2], [3, 4]]);
    const same = wt.pad(x, [[0, 0], [0, 0]]);
    expect(same.arraySync()).toEqual([[1, 2], [3, 4]]);
    expect(same.storage).not.toBe(x.storage);
    expect(wt.pad(wt.zeros([0, 2]), [[1, 0], [0, 1]], 7).arraySync()).toEqual([[7, 7, 7]]);
    expect(wt.pad(wt.scalar(3), []).arraySync()).toBe(3);
  });

  test('int32, uint8 and bool keep their dtype', () => {
    const cases: Array<[wt.Tensor, number]> = [
      [wt.tensor([1, 2], [2], 'int32'), -1], [wt.tensor([1, 2], [2], 'uint8'), 9], [wt.tensor([true, false]), 1],
    ];
    for (const [x, v] of cases) {
      const y = wt.pad(x, [[1, 2]], v);
      const want = tf.pad(tf.tensor(Array.from(x.dataSync()), [2], x.dtype === 'bool' ? 'bool' : 'int32'), [[1, 2]], v);
      expect(y.dtype).toBe(x.dtype);
      expect(Array.from(y.dataSync())).toEqual(Array.from(want.dataSync()));
    }
  });

  test('a strided view as input (transposed, sliced with a step)', () => {
    const base = wt.randomNormal([4, 6, 3]);
    const x = wt.index(wt.transpose(base, [2, 0, 1]), ':, ::2, 1:');
    const paddings: Pads = [[1, 0], [2, 1], [0, 3]];
    const got = wt.pad(x, paddings, -2).dataSync();
    const want = tf.pad(tf.tensor(x.dataSync() as Float32Array, x.shape.slice()), paddings, -2).dataSync();
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  test('gradient of the gradient: the slice of dy is differentiated back into a pad', () => {
    // d/dx of sum(grad(sum(pad(x)^2 * w))) = 2 * w[interior] per element.
    const x = wt.tensor([[1, 2, 3], [4, 5, 6]]);
    const w = wt.randomNormal([4, 6], 0, 1, 3);
    const paddings: Pads = [[1, 1], [2, 1]];
    const inner = wt.grad((t: wt.Tensor) => wt.sum(wt.mul(wt.square(wt.pad(t, paddings)), w)));
    const outer = wt.grad((t: wt.Tensor) => wt.sum(inner(t)))(x);
    const want = wt.mul(wt.slice(w, [1, 2], [2, 3]), 2);
    const a = outer.dataSync(), b = want.dataSync();
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
  });

  test('bad arguments name pad and what was expected', () => {
    const x = wt.ones([2, 3]);
    expect(() => wt.pad(x, [[1, 1]])).toThrow(/^pad: paddings must hold one \[before, after\] pair .* \(rank 2\), got \[\[1,1\]\]/);
    expect(() => wt.pad(x, [[1, 1], [-1, 0]])).toThrow(/^pad: paddings must hold .* got \[\[1,1\],\[-1,0\]\]/);
    expect(() => wt.pad(x, [[1, 1], [0.5, 0]])).toThrow(/^pad: paddings must hold/);
    expect(() => wt.pad(x, 'same' as never)).toThrow(/^pad: paddings must hold .* got 'same'/);
    expect(() => wt.pad(x, [[0, 0], [0, 0]], 'a' as never)).toThrow(/^pad: constantValue must be a number, got 'a'/);
    expect(() => wt.pad('x' as never, [])).toThrow(/^pad: x must be a Tensor, a number or an array, got 'x'/);
  });
});
