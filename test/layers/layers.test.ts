// Layers: Dense forward vs tfjs-layers with identical weights, activations,
// initializer statistics (Keras formulas), naming, Dropout, Flatten,
// regularizer penalties and configs.
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import * as wt from '../../src/index';

beforeAll(async () => {
  await wt.ready();
  await tf.setBackend('cpu');
});

const rand = (n: number, seed: number, scale = 1) => {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return ((a / 2 ** 32) * 2 - 1) * scale;
  });
};

function close(got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
  expect(worst).toBeLessThan(tol);
}

describe('Dense', () => {
  test.each(['relu', 'sigmoid', 'tanh', 'softmax', 'linear', 'elu', 'selu', 'softplus', 'relu6'])(
    'forward with activation %s matches tfjs-layers (same weights)',
    (activation) => {
      const [b, k, n] = [7, 13, 9];
      const kernel = rand(k * n, 1, 0.8);
      const bias = rand(n, 2, 0.5);
      const x = rand(b * k, 3, 2);
      const ours = wt.layers.dense({ units: n, activation, inputShape: [k] });
      ours.build([null, k]);
      const theirs = tfl.layers.dense({ units: n, activation: activation as never, inputShape: [k] });
      theirs.build([null, k]);
      theirs.setWeights([tf.tensor(kernel, [k, n]), tf.tensor(bias, [n])]);
      ours.kernel!.assign(wt.tensor(kernel, [k, n]));
      ours.bias!.assign(wt.tensor(bias, [n]));
      const got = ours.apply(wt.tensor(x, [b, k]));
      const want = theirs.apply(tf.tensor(x, [b, k])) as tf.Tensor;
      expect(got.shape).toEqual(want.shape);
      close(got.dataSync(), want.dataSync() as Float32Array);
      ours.dispose();
    },
  );

  test('rank-3 input applies to the last axis; useBias false; gelu and leaky_relu by formula', () => {
    const d = wt.layers.dense({ units: 3, useBias: false, activation: 'leaky_relu', kernelInitializer: 'ones' });
    const x = wt.tensor(rand(2 * 4 * 5, 4), [2, 4, 5]);
    const y = d.apply(x);
    expect(y.shape).toEqual([2, 4, 3]);
    expect(d.weights.map((w) => w.name)).toEqual([`${d.name}/kernel`]);
    const xs = x.dataSync();
    const ys = y.dataSync();
    for (let r = 0; r < 8; r++) {
      const s = Array.from(xs.slice(r * 5, r * 5 + 5)).reduce((a, v) => a + v, 0);
      for (let j = 0; j < 3; j++) expect(ys[r * 3 + j]).toBeCloseTo(s > 0 ? s : 0.2 * s, 5);
    }
    const g = wt.layers.dense({ units: 1, activation: 'gelu', kernelInitializer: 'ones', inputShape: [1] });
    const gy = g.apply(wt.tensor([[-1], [0.5], [2]])).dataSync();
    const erf = (v: number) => { // Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7)
      const t = 1 / (1 + 0.3275911 * Math.abs(v));
      const p = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-v * v);
      return v >= 0 ? p : -p;
    };
    [-1, 0.5, 2].forEach((v, i) => expect(gy[i]).toBeCloseTo(0.5 * v * (1 + erf(v / Math.SQRT2)), 5));
    d.dispose();
    g.dispose();
  });

  test('names are numbered per class like Keras; variable names are unique', () => {
    const a = wt.layers.dense({ units: 2, name: 'probe' });
    a.build([null, 3]);
    expect(a.kernel!.name).toBe('probe/kernel');
    const b = wt.layers.dense({ units: 2, name: 'probe' });
    expect(() => b.build([null, 3])).toThrow("probe: a live variable is already named 'probe/kernel'");
    a.dispose();
    b.build([null, 3]);
    b.dispose();
    const n1 = wt.layers.flatten().name;
    const n2 = wt.layers.flatten().name;
    expect(n1).toMatch(/^flatten(_\d+)?$/);
    expect(Number(n2.split('_')[1] ?? 0)).toBe(Number(n1.split('_')[1] ?? 0) + 1);
    expect(wt.layers.dropout({ rate: 0.1 }).name).toMatch(/^dropout(_\d+)?$/);
    expect(wt.layers.activation({ activation: 'relu' }).name).toMatch(/^activation(_\d+)?$/);
  });

  test('getConfig and countParams', () => {
    const d = wt.layers.dense({ units: 10, activation: 'softmax', inputShape: [784], kernelRegularizer: wt.regularizers.l2() });
    d.build([null, 784]);
    expect(d.countParams()).toBe(7850);
    expect(d.getConfig()).toMatchObject({
      units: 10, activation: 'softmax', useBias: true, batchInputShape: [null, 784],
      kernelInitializer: { className: 'GlorotUniform' }, biasInitializer: { className: 'Zeros' },
      kernelRegularizer: { className: 'L2', config: { l2: 0.01 } },
    });
    d.dispose();
  });
});

describe('activations', () => {
  test('snake_case and camelCase names; unknown names list the valid ones', () => {
    expect(wt.activations.get('leaky_relu')).toBe(wt.activations.leakyRelu);
    expect(wt.activations.get('leakyRelu')).toBe(wt.activations.leakyRelu);
    expect(wt.activations.get('ReLU')).toBe(wt.activations.relu);
    expect(wt.activations.get(undefined)).toBe(wt.activations.linear);
    expect(() => wt.layers.dense({ units: 2, activation: 'swishy' })).toThrow(
      /^dense: unknown activation 'swishy'; valid: 'linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'gelu', 'relu6', 'leaky_relu'/,
    );
  });

  test('softmax is over the last axis and matches tf.softmax', () => {
    const x = rand(12, 9, 3);
    close(wt.activations.softmax(wt.tensor(x, [3, 4])).dataSync(), tf.softmax(tf.tensor(x, [3, 4])).dataSync() as Float32Array);
  });
});

describe('initializers (Keras formulas)', () => {
  const stats = (t: wt.Tensor) => {
    const d = t.dataSync();
    let s = 0, s2 = 0, lo = Infinity, hi = -Infinity;
    for (const v of d) { s += v; s2 += v * v; lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const mean = s / d.length;
    return { mean, std: Math.sqrt(s2 / d.length - mean * mean), lo, hi };
  };

  test('glorotUniform: U(-sqrt(6/(in+out)), +), seeded', () => {
    const limit = Math.sqrt(6 / (300 + 200));
    const a = wt.initializers.glorotUniform({ seed: 7 }).apply([300, 200]);
    const s = stats(a);
    expect(s.lo).toBeGreaterThanOrEqual(-limit);
    expect(s.hi).toBeLessThanOrEqual(limit);
    expect(s.hi).toBeGreaterThan(limit * 0.99);
    expect(s.std).toBeCloseTo(limit / Math.sqrt(3), 3);
    expect(Array.from(wt.initializers.glorotUniform({ seed: 7 }).apply([300, 200]).dataSync())).toEqual(Array.from(a.dataSync()));
  });

  test('glorotNormal / heNormal / lecunNormal: truncated at 2 sigma, stddev sqrt(scale/fan)', () => {
    const cases: Array<[wt.Initializer, number]> = [
      [wt.initializers.glorotNormal({ seed: 1 }), Math.sqrt(2 / 700)],
      [wt.initializers.heNormal({ seed: 2 }), Math.sqrt(2 / 400)],
      [wt.initializers.lecunNormal({ seed: 3 }), Math.sqrt(1 / 400)],
    ];
    for (const [init, std] of cases) {
      const s = stats(init.apply([400, 300]));
      expect(Math.abs(s.mean)).toBeLessThan(std * 0.02);
      expect(s.std / std).toBeGreaterThan(0.98);
      expect(s.std / std).toBeLessThan(1.02);
      // Truncated at 2 stddev of the underlying normal (std / 0.8796).
      expect(Math.max(-s.lo, s.hi)).toBeLessThanOrEqual((2 * std) / 0.87962566103423978 + 1e-6);
    }
  });

  test('heUniform, lecunUniform, constants, random*, names', () => {
    expect(stats(wt.initializers.heUniform({ seed: 1 }).apply([50, 60])).hi).toBeLessThanOrEqual(Math.sqrt(6 / 50));
    expect(stats(wt.initializers.lecunUniform({ seed: 1 }).apply([50, 60])).hi).toBeLessThanOrEqual(Math.sqrt(3 / 50));
    expect(wt.initializers.constant({ value: 2.5 }).apply([2]).arraySync()).toEqual([2.5, 2.5]);
    expect(wt.initializers.ones().apply([2]).arraySync()).toEqual([1, 1]);
    expect(stats(wt.initializers.randomUniform({ seed: 3 }).apply([1000])).hi).toBeLessThanOrEqual(0.05);
    expect(stats(wt.initializers.randomNormal({ seed: 3 }).apply([20000])).std).toBeCloseTo(0.05, 2);
    expect(stats(wt.initializers.truncatedNormal({ seed: 3 }).apply([1000])).hi).toBeLessThanOrEqual(0.1);
    const d = wt.layers.dense({ units: 2, kernelInitializer: 'he_normal', biasInitializer: 'ones', inputShape: [3] });
    d.build([null, 3]);
    expect(d.bias!.arraySync()).toEqual([1, 1]);
    d.dispose();
    expect(() => wt.layers.dense({ units: 2, kernelInitializer: 'glorot' })).toThrow(/^dense: unknown initializer 'glorot'; valid: 'glorotUniform'/);
  });
});

describe('Dropout, Flatten, regularizers', () => {
  test('dropout: identity at inference; in training zeroes ~rate and scales by 1/(1-rate); seeded', () => {
    const layer = wt.layers.dropout({ rate: 0.25, seed: 5 });
    const x = wt.ones([100, 100]);
    expect(layer.apply(x)).toBe(x);
    const y = layer.apply(x, { training: true }).dataSync();
    let zeros = 0;
    for (const v of y) {
      if (v === 0) zeros++;
      else expect(v).toBeCloseTo(1 / 0.75, 6);
    }
    expect(zeros / y.length).toBeGreaterThan(0.23);
    expect(zeros / y.length).toBeLessThan(0.27);
    const again = wt.layers.dropout({ rate: 0.25, seed: 5 }).apply(x, { training: true }).dataSync();
    expect(Array.from(again)).toEqual(Array.from(y));
    expect(() => wt.layers.dropout({ rate: 1 })).toThrow('dropout: rate must be a number in [0, 1), got number 1');
  });

  test('dropout gradient flows through kept units only', () => {
    const layer = wt.layers.dropout({ rate: 0.5, seed: 11 });
    const x = wt.variable(wt.ones([4, 8]), true, 'dropout_probe');
    const { grads, value } = wt.variableGrads(() => wt.sum(layer.apply(x, { training: true })), [x]);
    const g = grads['dropout_probe'].dataSync();
    const kept = g.filter((v) => v !== 0).length;
    expect(value.dataSync()[0]).toBeCloseTo(kept * 2, 4);
    for (const v of g) expect(v === 0 || Math.abs(v - 2) < 1e-6).toBe(true);
    x.dispose();
  });

  test('flatten keeps the batch axis', () => {
    const f = wt.layers.flatten();
    expect(f.apply(wt.zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect(f.computeOutputShape([null, 28, 28])).toEqual([null, 784]);
  });

  test('l1 / l2 / l1l2 penalties (Keras defaults 0.01)', () => {
    const w = wt.tensor([[1, -2], [3, -0.5]]);
    expect(wt.regularizers.l2().apply(w).dataSync()[0]).toBeCloseTo(0.01 * (1 + 4 + 9 + 0.25), 6);
    expect(wt.regularizers.l1().apply(w).dataSync()[0]).toBeCloseTo(0.01 * 6.5, 6);
    expect(wt.regularizers.l1l2({ l1: 0.1, l2: 0.2 }).apply(w).dataSync()[0]).toBeCloseTo(0.65 + 0.2 * 14.25, 5);
  });
});
