// Gradients of the elementwise ops, each against TF.js tf.grads and against
// finite differences (see gradcheck.ts for the tolerances). Inputs sit away
// from each op's kinks and outside its singular domain.
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGrad, distinct, input, ourGrads, rand, setup, tf, wt, type Input } from './gradcheck';

beforeAll(setup);

const S = [3, 5];

/** a and b drawn from one set of distinct values, so maximum/minimum never tie. */
function untied(shape: number[]): [Input, Input] {
  const both = distinct([2, ...shape], 0.07);
  const n = both.data.length / 2;
  return [input(shape, both.data.subarray(0, n)), input(shape, both.data.subarray(n))];
}

/** a = (q + frac) * b with frac in [0.2, 0.8]: a / b is never within h of an integer (mod, floorDiv jumps). */
function awayFromJumps(n: number, bSign = 1): [Input, Input] {
  const b = rand([n], { lo: 0.8, hi: 1.6 });
  const q = rand([n], { lo: -3, hi: 3 });
  const frac = rand([n], { lo: 0.2, hi: 0.8 });
  const bs = b.data.map((v) => v * bSign);
  const a = bs.map((v, i) => (Math.floor(q.data[i]) + frac.data[i]) * v);
  return [input([n], a), input([n], bs)];
}

describe('the checker itself', () => {
  // x*0 + square(a constant copy of x): the forward value is x^2 but the gradient is 0.
  const detached = (x: wt.Tensor) => wt.add(wt.mul(x, 0), wt.square(wt.tensor(x.dataSync(), [...x.shape])));
  test('rejects a wrong gradient through the TF.js comparison', () => {
    expect(() => checkGrad({ inputs: [rand([4])], ours: detached, ref: tf.square })).toThrow(/vs TF\.js tf\.grads/);
  });
  test('rejects a wrong gradient through the finite differences when TF.js agrees with it', () => {
    const tfDetached = (x: tf.Tensor) => tf.add(tf.mul(x, 0), tf.square(tf.tensor(x.dataSync(), x.shape)));
    expect(() => checkGrad({ inputs: [rand([4])], ours: detached, ref: tfDetached })).toThrow(/finite difference/);
  });
});

describe('binary ops', () => {
  test('add', () => checkGrad({ inputs: [rand(S), rand(S)], ours: wt.add, ref: tf.add }));
  test('sub', () => checkGrad({ inputs: [rand(S), rand(S)], ours: wt.sub, ref: tf.sub }));
  test('mul', () => checkGrad({ inputs: [rand(S), rand(S)], ours: wt.mul, ref: tf.mul }));
  test('div (|b| >= 0.5)', () =>
    checkGrad({ inputs: [rand(S), rand(S, { awayFromZero: 0.5 })], ours: wt.div, ref: tf.div }));
  test('maximum (no ties)', () => checkGrad({ inputs: untied(S), ours: wt.maximum, ref: tf.maximum }));
  test('minimum (no ties)', () => checkGrad({ inputs: untied(S), ours: wt.minimum, ref: tf.minimum }));
  test('maximum/minimum ties send the gradient to a, like TF.js', () => {
    const a = input([3], [1, 2, 3]);
    const b = input([3], [1, 0, 3]);
    for (const [ours, ref] of [[wt.maximum, tf.maximum], [wt.minimum, tf.minimum]] as const) {
      const [ga, gb] = ourGrads({ inputs: [a, b], ours, ref }, input([3], [1, 1, 1]));
      const [ra, rb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(ref(x, y)))([tf.tensor(a.data), tf.tensor(b.data)]);
      expect(Array.from(ga.data)).toEqual(Array.from(ra.dataSync()));
      expect(Array.from(gb.data)).toEqual(Array.from(rb.dataSync()));
    }
  });
  test('pow (a > 0, both operands)', () =>
    checkGrad({ inputs: [rand(S, { lo: 0.4, hi: 2 }), rand(S, { lo: -1.5, hi: 2.5 })], ours: wt.pow, ref: tf.pow }));
  test('pow with a negative base and an integer exponent (gradient for a only)', () =>
    checkGrad({
      inputs: [rand(S, { awayFromZero: 0.2 }), input([], [3])],
      wrt: [0],
      ours: wt.pow,
      ref: tf.pow,
    }));
  test('pow with a plain-number exponent', () =>
    checkGrad({ inputs: [rand(S)], ours: (x) => wt.pow(x, 2), ref: (x) => tf.pow(x, tf.scalar(2)) }));
  test('squaredDifference', () => checkGrad({ inputs: [rand(S), rand(S)], ours: wt.squaredDifference, ref: tf.squaredDifference }));
  test('mod (positive and negative divisors)', () => {
    checkGrad({ inputs: awayFromJumps(12), ours: wt.mod, ref: tf.mod });
    checkGrad({ inputs: awayFromJumps(12, -1), ours: wt.mod, ref: tf.mod });
  });
});

describe('broadcasting reduces the gradient to each operand shape', () => {
  test('(32,10) + (10,): the bias gradient sums dy over the batch axis', () => {
    const a = rand([32, 10]);
    const b = rand([10]);
    const w = rand([32, 10], { seed: 5 });
    const [ga, gb] = ourGrads({ inputs: [a, b], ours: wt.add, ref: tf.add }, w);
    expect(ga.shape).toEqual([32, 10]);
    expect(gb.shape).toEqual([10]);
    // Hand-computed: d/da sum((a + b) * w) = w; d/db_j = sum_i w_ij (float64 sum).
    ga.data.forEach((v, i) => expect(v).toBe(w.data[i]));
    for (let j = 0; j < 10; j++) {
      let s = 0;
      for (let i = 0; i < 32; i++) s += w.data[i * 10 + j];
      expect(Math.abs(gb.data[j] - s)).toBeLessThan(1e-5 * 32);
    }
    checkGrad({ inputs: [a, b], ours: wt.add, ref: tf.add, fdSamples: 12 });
  });
  test('(5,1,4) * (1,3,1)', () => {
    const [ga, gb] = checkGrad({ inputs: [rand([5, 1, 4]), rand([1, 3, 1])], ours: wt.mul, ref: tf.mul });
    expect(ga.shape).toEqual([5, 1, 4]);
    expect(gb.shape).toEqual([1, 3, 1]);
  });
  test('(2,3) - (3,) and (4,1) / (1,3)', () => {
    checkGrad({ inputs: [rand([2, 3]), rand([3])], ours: wt.sub, ref: tf.sub });
    checkGrad({ inputs: [rand([4, 1]), rand([1, 3], { awayFromZero: 0.5 })], ours: wt.div, ref: tf.div });
  });
  test('a 0-d operand on either side', () => {
    const [, gs] = checkGrad({ inputs: [rand([2, 3]), rand([])], ours: wt.mul, ref: tf.mul });
    expect(gs.shape).toEqual([]);
    const [g0] = checkGrad({ inputs: [rand([]), rand([2, 3])], ours: wt.sub, ref: tf.sub });
    expect(g0.shape).toEqual([]);
  });
  test('maximum and pow broadcast too', () => {
    const [a, b] = untied([4, 3]);
    // TF.js's Maximum gradient does not reduce a broadcast operand: broadcast explicitly on its side.
    checkGrad({ inputs: [a, input([3], b.data.subarray(0, 3))], ours: wt.maximum, ref: (x, y) => tf.maximum(x, tf.broadcastTo(y, [4, 3])) });
    checkGrad({ inputs: [rand([4, 3], { lo: 0.5, hi: 2 }), rand([3], { lo: -1, hi: 2 })], ours: wt.pow, ref: tf.pow });
  });
});

describe('unary ops', () => {
  const unary = (ours: (x: wt.Tensor) => wt.Tensor, ref: (x: tf.Tensor) => tf.Tensor, x: Input) => checkGrad({ inputs: [x], ours, ref });
  test('neg', () => unary(wt.neg, tf.neg, rand(S)));
  test('abs (|x| >= 0.1)', () => unary(wt.abs, tf.abs, rand(S, { awayFromZero: 0.1 })));
  test('square', () => unary(wt.square, tf.square, rand(S)));
  test('relu (|x| >= 0.1)', () => unary(wt.relu, tf.relu, rand(S, { awayFromZero: 0.1 })));
  test('exp', () => unary(wt.exp, tf.exp, rand(S)));
  test('log (x > 0)', () => unary(wt.log, tf.log, rand(S, { lo: 0.3, hi: 3 })));
  test('sqrt (x > 0)', () => unary(wt.sqrt, tf.sqrt, rand(S, { lo: 0.3, hi: 3 })));
  test('rsqrt (x > 0)', () => unary(wt.rsqrt, tf.rsqrt, rand(S, { lo: 0.3, hi: 3 })));
  test('reciprocal (|x| >= 0.3)', () => unary(wt.reciprocal, tf.reciprocal, rand(S, { awayFromZero: 0.3 })));
  test('sin', () => unary(wt.sin, tf.sin, rand(S, { lo: -3, hi: 3 })));
  test('cos', () => unary(wt.cos, tf.cos, rand(S, { lo: -3, hi: 3 })));
  test('expm1', () => unary(wt.expm1, tf.expm1, rand(S)));
  test('log1p (x > -0.6)', () => unary(wt.log1p, tf.log1p, rand(S, { lo: -0.6, hi: 3 })));
  test('erf', () => unary(wt.erf, tf.erf, rand(S)));
  test('sigmoid', () => unary(wt.sigmoid, tf.sigmoid, rand(S, { lo: -4, hi: 4 })));
  test('tanh', () => unary(wt.tanh, tf.tanh, rand(S)));
  test('relu6 (away from 0 and 6)', () => {
    const x = rand([4, 5], { lo: -2, hi: 8, awayFromZero: 0.1 });
    x.data.forEach((v, i) => (Math.abs(v - 6) < 0.1 ? (x.data[i] = v < 6 ? 5.8 : 6.2) : 0));
    unary(wt.relu6, tf.relu6, x);
  });
  test('elu (alpha 1 vs tf.elu; alpha 0.5 vs the composed formula)', () => {
    unary(wt.elu, tf.elu, rand(S, { awayFromZero: 0.1 }));
    const alpha = 0.5;
    unary(
      (x) => wt.elu(x, alpha),
      // relu(x) + alpha (exp(min(x, 0)) - 1): TF.js cannot differentiate through tf.where's condition.
      (x) => tf.add(tf.relu(x), tf.mul(tf.sub(tf.exp(tf.minimum(x, 0)), 1), alpha)),
      rand(S, { awayFromZero: 0.1 }),
    );
  });
  test('selu', () => unary(wt.selu, tf.selu, rand(S, { awayFromZero: 0.1 })));
  test('softplus', () => unary(wt.softplus, tf.softplus, rand(S, { lo: -4, hi: 4 })));
  test('gelu, exact erf form (0.5 x (1 + erf(x / sqrt 2)))', () =>
    unary(
      (x) => wt.gelu(x),
      (x) => tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)),
      rand(S, { lo: -3, hi: 3 }),
    ));
  test('gelu, tanh approximation', () =>
    unary(
      (x) => wt.gelu(x, true),
      (x) => {
        const u = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI));
        return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(u), 1));
      },
      rand(S, { lo: -3, hi: 3 }),
    ));
  test('leakyRelu (default alpha 0.2, and 0.1)', () => {
    unary(wt.leakyRelu, (x) => tf.leakyRelu(x, 0.2), rand(S, { awayFromZero: 0.1 }));
    unary((x) => wt.leakyRelu(x, 0.1), (x) => tf.leakyRelu(x, 0.1), rand(S, { awayFromZero: 0.1 }));
  });
  test('clipByValue (away from the bounds)', () => {
    const x = rand([4, 6], { lo: -2, hi: 2 });
    x.data.forEach((v, i) => {
      for (const bound of [-0.7, 1.1]) if (Math.abs(v - bound) < 0.1) x.data[i] = bound + 0.15;
    });
    unary((t) => wt.clipByValue(t, -0.7, 1.1), (t) => tf.clipByValue(t, -0.7, 1.1), x);
  });
  test('a 0-d input and a strided (transposed) view input', () => {
    unary(wt.exp, tf.exp, rand([]));
    unary((x) => wt.sin(wt.transpose(x)), (x) => tf.sin(tf.transpose(x)), rand([3, 4]));
  });
});

describe('piecewise-constant ops have zero gradients', () => {
  // Inputs sit at least 0.1 from every jump, so the finite differences are exactly 0 too.
  const offGrid = (): Input => {
    const x = rand([3, 4], { lo: -3, hi: 3 });
    x.data.forEach((v, i) => {
      const f = v - Math.floor(v);
      if (f < 0.1 || f > 0.9 || Math.abs(f - 0.5) < 0.1) x.data[i] = Math.floor(v) + 0.3;
    });
    return x;
  };
  const zeroCase = (ours: (x: wt.Tensor) => wt.Tensor, ref: (x: tf.Tensor) => tf.Tensor) => {
    const [g] = checkGrad({ inputs: [offGrid()], ours, ref });
    expect(Array.from(g.data).every((v) => v === 0)).toBe(true);
  };
  test('floor', () => zeroCase(wt.floor, tf.floor));
  test('ceil', () => zeroCase(wt.ceil, tf.ceil));
  test('round', () => zeroCase(wt.round, tf.round));
  test('sign', () => zeroCase(wt.sign, tf.sign));
  test('floorDiv (both operands)', () => {
    // TF.js's FloorDiv gradient is RealDiv's; floor(a / b) is the same function with TF.js's zero gradient.
    const [ga, gb] = checkGrad({ inputs: awayFromJumps(10), ours: wt.floorDiv, ref: (a, b) => tf.floor(tf.div(a, b)), h: 1e-3 });
    expect([...ga.data, ...gb.data].every((v) => v === 0)).toBe(true);
  });
});
