// Cases the differential fuzzer found, shrunk, kept as plain tests.
import { beforeAll, describe, expect, it } from 'vitest';
import { setupBoth, wt } from '../helpers/wt';
import { runCase } from './run-case';

beforeAll(setupBoth);

describe('fuzzer regressions', () => {
  // matMul returned before recording its tape node when the product was empty,
  // so grad() said the result did not depend on x. TF.js gives zeros.
  it('the gradient through an empty matMul: x [0,2] · w [2,1]', () => {
    runCase({ shape: [0, 2], view: { kind: 'none' }, seed: 0, steps: [{ kind: 'matMul', n: 1, data: [-0.93, -2] }, { kind: 'unary', op: 'neg' }] });
    runCase({ shape: [2, 2, 0], view: { kind: 'none' }, seed: 0, steps: [{ kind: 'matMul', n: 1, data: [] }, { kind: 'unary', op: 'neg' }] });
  });

  it('an empty batch through a fused Dense epilogue: gradients for kernel and bias are zeros', () => {
    const dense = wt.layers.dense({ units: 2, activation: 'relu', inputShape: [3] });
    dense.apply(wt.ones([1, 3])).dispose();
    const x = wt.zeros([0, 3]);
    const { value, grads } = wt.variableGrads(() => wt.sum(dense.apply(x)), dense.trainableWeights);
    const shapes = Object.values(grads).map((g) => g.shape);
    expect(shapes).toEqual([[3, 2], [2]]);
    for (const g of Object.values(grads)) expect(Array.from(g.dataSync())).toEqual(new Array(g.size).fill(0));
    expect(value.arraySync()).toBe(0);
    x.dispose();
    dense.dispose();
  });
});
