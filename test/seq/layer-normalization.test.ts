// LayerNormalization against tfjs-layers' LayerNormalization with the same
// gamma and beta: outputs and gradients (input, gamma, beta) on random
// inputs, over the last axis and over several axes, with center / scale off
// and another epsilon; that inference equals training (no moving
// statistics); defaults and bad input.
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGrad, rand as gcRand } from '../autograd/gradcheck';
import { compareWithTfjs, rand, relErr, setup, tf, tfl, wt } from './helpers';

beforeAll(setup);

describe('vs tfjs-layers: outputs and gradients', () => {
  test.each([
    { args: {}, shape: [4, 6] },
    { args: {}, shape: [3, 5, 8] },
    { args: { axis: [1, 2] }, shape: [2, 4, 3] },
    { args: { axis: 1 }, shape: [3, 4, 5] },
  ])('$args on $shape', ({ args, shape }) => {
    const ours = wt.layers.layerNormalization(args as never);
    const theirs = tfl.layers.layerNormalization(args as never);
    const n = shape.reduce((a, b) => a * b, 1);
    compareWithTfjs(ours, theirs, shape, rand(n, n + 1, 2), { tol: 1e-5, gradTol: 2e-4 });
  });

  // tfjs-layers' gradient fails with center or scale off (batchNormalization
  // with a null offset / scale): its forward is compared, and the gradients
  // against tf ops (tf.moments) and finite differences.
  test.each([
    { args: { center: false }, shape: [3, 7] },
    { args: { scale: false, epsilon: 1e-5 }, shape: [2, 3, 6] },
    { args: { center: false, scale: false }, shape: [2, 9] },
  ])('$args on $shape', ({ args, shape }) => {
    const ours = wt.layers.layerNormalization(args as never);
    const theirs = tfl.layers.layerNormalization(args as never);
    const n = shape.reduce((a, b) => a * b, 1);
    compareWithTfjs(ours, theirs, shape, rand(n, n + 1, 2), { grads: false });
    const eps = (args as { epsilon?: number }).epsilon ?? 1e-3;
    const params = ours.getWeights();
    const c = shape[shape.length - 1];
    const gamma = args.scale === false ? null : gcRand([c], { seed: 5 });
    const beta = args.center === false ? null : gcRand([c], { seed: 6 });
    ours.setWeights([gamma, beta].filter((p) => p !== null).map((p) => wt.tensor(p!.data, p!.shape)));
    expect(params.length).toBe([gamma, beta].filter((p) => p !== null).length);
    checkGrad({
      inputs: [gcRand(shape, { seed: n })],
      ours: (x) => ours.apply(x) as wt.Tensor,
      ref: (x) => {
        const { mean, variance } = tf.moments(x, -1, true);
        let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
        if (gamma) y = tf.mul(y, tf.tensor(gamma.data, gamma.shape));
        if (beta) y = tf.add(y, tf.tensor(beta.data, beta.shape));
        return y;
      },
      rtol: 2e-4,
      atol: 2e-5,
    });
  });

  test('training and inference agree; each row has mean 0 and variance 1 / (1 + eps)-ish with default weights', async () => {
    const ln = wt.layers.layerNormalization({ epsilon: 0 });
    const x = wt.randomNormal([5, 16], 3, 2, 11);
    const inference = ln.apply(x) as wt.Tensor;
    const training = ln.apply(x, { training: true }) as wt.Tensor;
    expect(relErr(training.dataSync(), inference.dataSync())).toBe(0);
    expect(Math.max(...Array.from(wt.abs(wt.mean(inference, -1)).dataSync()))).toBeLessThan(1e-5);
    expect(relErr(wt.mean(wt.square(inference), -1).dataSync(), new Float32Array(5).fill(1))).toBeLessThan(1e-4);
  });
});

describe('defaults, shapes, bad input', () => {
  test('Keras defaults: axis -1, epsilon 1e-3, center and scale, ones / zeros', () => {
    const ln = wt.layers.layerNormalization();
    expect([ln.axis, ln.epsilon, ln.center, ln.scale]).toEqual([-1, 1e-3, true, true]);
    expect([ln.gammaInitializer.className, ln.betaInitializer.className]).toEqual(['Ones', 'Zeros']);
    expect(ln.name).toMatch(/^layer_normalization(_\d+)?$/);
    (ln.apply(wt.ones([2, 3, 4])) as wt.Tensor).dispose();
    expect(ln.weights.map((w) => [w.name.split('/')[1], w.shape])).toEqual([['gamma', [4]], ['beta', [4]]]);
    expect(ln.computeOutputShape([null, null, 4])).toEqual([null, null, 4]);
    const multi = wt.layers.layerNormalization({ axis: [-1, -2] });
    (multi.apply(wt.ones([2, 3, 4])) as wt.Tensor).dispose();
    expect(multi.axes).toEqual([1, 2]);
    expect(multi.weights.map((w) => w.shape)).toEqual([[3, 4], [3, 4]]);
  });

  test('regularizers add their penalties', () => {
    const ln = wt.layers.layerNormalization({ gammaRegularizer: 'l2', betaRegularizer: wt.regularizers.l1({ l1: 1 }) });
    (ln.apply(wt.ones([1, 5])) as wt.Tensor).dispose();
    expect(ln.regularizationLoss()?.dataSync()[0]).toBeCloseTo(0.01 * 5, 5);
  });

  test('bad input', () => {
    expect(() => wt.layers.layerNormalization({ axis: 'last' as never })).toThrow(/^layerNormalization: axis must be an integer or a non-empty list of integers, got 'last'/);
    expect(() => wt.layers.layerNormalization({ epsilon: -1 })).toThrow(/^layerNormalization: epsilon must be a finite number >= 0/);
    expect(() => wt.layers.layerNormalization({ center: 1 as never })).toThrow(/^layerNormalization: center must be true or false/);
    expect(() => wt.layers.layerNormalization({ axis: 0, name: 'ln_bad0' }).apply(wt.ones([2, 3]))).toThrow(/^ln_bad0: axis 0 does not name distinct non-batch axes of inputs of shape \[null,3\]/);
    expect(() => wt.layers.layerNormalization({ axis: [1, -1], name: 'ln_bad1' }).apply(wt.ones([2, 3]))).toThrow(/^ln_bad1: axis \[1,-1\] does not name distinct/);
    expect(() => wt.layers.layerNormalization({ name: 'ln_bad2' }).build([null, null])).toThrow(/^ln_bad2: the normalized axes must have known sizes/);
  });
});
