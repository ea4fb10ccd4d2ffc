// Every optimizer runs 4 steps on the same variables and gradients as a
// float64 implementation of Keras' formula and, where TF.js's optimizer
// computes the same update, as tf.train.* on the cpu backend. Shapes cover the
// SIMD body plus a tail ([2,9] = 18 elements), a tail only ([3]) and a scalar.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { expectClose, floats, setup, tf, value, wt } from './util';
import { keras, type KerasRule, type Slots } from './keras-reference';

const SHAPES: number[][] = [[2, 9], [3], []];
const SIZES = SHAPES.map((s) => s.reduce((a, b) => a * b, 1));
const STEPS = 4;
const INIT = SIZES.map((n, k) => floats(n, 100 + k));
const GRADS = Array.from({ length: STEPS }, (_, step) => SIZES.map((n, k) => floats(n, 1000 * (step + 1) + k, -2, 2)));

interface Case {
  label: string;
  ours: () => wt.Optimizer;
  keras: KerasRule;
  /** TF.js's optimizer where its update is the same formula (with the same epsilon). */
  tfjs?: () => tf.Optimizer;
}

const CASES: Case[] = [
  { label: 'SGD', ours: () => new wt.SGD({ learningRate: 0.1 }), keras: keras.sgd(0.1), tfjs: () => tf.train.sgd(0.1) },
  { label: 'SGD defaults', ours: () => wt.optimizers.get('sgd'), keras: keras.sgd() },
  // TF.js's MomentumOptimizer accumulates g instead of -lr g: compared with Keras' formula only.
  { label: 'SGD momentum', ours: () => new wt.SGD({ learningRate: 0.1, momentum: 0.9 }), keras: keras.sgd(0.1, 0.9) },
  { label: 'SGD nesterov', ours: () => wt.train.momentum(0.05, 0.8, true), keras: keras.sgd(0.05, 0.8, true) },
  { label: 'RMSprop defaults', ours: () => wt.optimizers.get('RMSprop'), keras: keras.rmsprop(), tfjs: () => tf.train.rmsprop(0.001, 0.9, 0, 1e-7, false) },
  {
    label: 'RMSprop momentum',
    ours: () => wt.train.rmsprop(0.01, 0.8, 0.5, 1e-6),
    keras: keras.rmsprop(0.01, 0.8, 0.5, 1e-6),
    tfjs: () => tf.train.rmsprop(0.01, 0.8, 0.5, 1e-6, false),
  },
  // TF.js's centered RMSProp takes sqrt(ms - (mg^2 + eps)) (eps subtracted; NaN here): Keras only.
  { label: 'RMSprop momentum centered', ours: () => wt.train.rmsprop(0.01, 0.8, 0.5, 1e-6, true), keras: keras.rmsprop(0.01, 0.8, 0.5, 1e-6, true) },
  { label: 'RMSprop centered', ours: () => new wt.RMSprop({ learningRate: 0.01, centered: true }), keras: keras.rmsprop(0.01, 0.9, 0, 1e-7, true) },
  { label: 'Adam', ours: () => new wt.Adam({ learningRate: 0.01 }), keras: keras.adam(0.01) },
  // TF.js adds epsilon to sqrt(v / (1 - b2^t)) where Keras adds it to sqrt(v): with a small gradient
  // that differs by ~eps / sqrt(v), so the TF.js comparison uses an epsilon too small to matter.
  {
    label: 'Adam tiny epsilon',
    ours: () => new wt.Adam({ learningRate: 0.01, epsilon: 1e-12 }),
    keras: keras.adam(0.01, 0.9, 0.999, 1e-12),
    tfjs: () => tf.train.adam(0.01, 0.9, 0.999, 1e-12),
  },
  { label: 'Adam custom', ours: () => wt.train.adam(0.02, 0.8, 0.95, 1e-4), keras: keras.adam(0.02, 0.8, 0.95, 1e-4) },
  { label: 'Adamax', ours: () => new wt.Adamax({ learningRate: 0.01 }), keras: keras.adamax(0.01), tfjs: () => tf.train.adamax(0.01, 0.9, 0.999, 1e-7, 0) },
  // TF.js's Adagrad uses the backend epsilon (1e-7 on cpu), Keras' default.
  { label: 'Adagrad', ours: () => wt.train.adagrad(0.1, 0.2), keras: keras.adagrad(0.1, 0.2), tfjs: () => tf.train.adagrad(0.1, 0.2) },
  { label: 'Adagrad defaults', ours: () => new wt.Adagrad(), keras: keras.adagrad() },
  // TF.js's Adadelta divides by the accumulated squared gradient of the previous step (Keras: this
  // step's), a different update: compared with Keras only.
  { label: 'Adadelta', ours: () => new wt.Adadelta({ learningRate: 1.0 }), keras: keras.adadelta(1.0) },
  { label: 'Adadelta defaults', ours: () => wt.optimizers.get('adadelta'), keras: keras.adadelta() },
];

let unique = 0;

/** Final weights after STEPS updates with our optimizer (half the cases pass gradients as a list). */
function runOurs(c: Case, asList: boolean): Float32Array[] {
  const opt = c.ours();
  const tag = `opt${unique++}`;
  const vars = SHAPES.map((s, k) => wt.variable(wt.tensor(INIT[k], s), true, `${tag}/w${k}`));
  for (let step = 0; step < STEPS; step++) {
    const grads = vars.map((v, k) => ({ name: v.name, tensor: wt.tensor(GRADS[step][k], SHAPES[k]) }));
    opt.applyGradients(asList ? grads : Object.fromEntries(grads.map((g) => [g.name, g.tensor])));
    grads.forEach((g) => g.tensor.dispose());
  }
  expect(opt.iterations).toBe(STEPS);
  const out = vars.map((v) => v.dataSync() as Float32Array);
  vars.forEach((v) => v.dispose());
  opt.dispose();
  return out;
}

function runKeras(rule: KerasRule): Float64Array[] {
  return SHAPES.map((_, k) => {
    const w = Float64Array.from(INIT[k]);
    const slots: Slots = {};
    for (let step = 0; step < STEPS; step++) rule(w, Float64Array.from(GRADS[step][k]), slots, step + 1);
    return w;
  });
}

function runTfjs(make: () => tf.Optimizer): Float32Array[] {
  const opt = make();
  const tag = `tf${unique++}`;
  const vars = SHAPES.map((s, k) => tf.variable(tf.tensor(INIT[k], s), true, `${tag}/w${k}`));
  for (let step = 0; step < STEPS; step++) {
    const grads: Record<string, tf.Tensor> = {};
    vars.forEach((v, k) => (grads[v.name] = tf.tensor(GRADS[step][k], SHAPES[k])));
    opt.applyGradients(grads);
    Object.values(grads).forEach((g) => g.dispose());
  }
  const out = vars.map((v) => v.dataSync() as Float32Array);
  vars.forEach((v) => v.dispose());
  opt.dispose();
  return out;
}

/** Compares the total update (w - w0), so that small learning rates are still checked tightly. */
function expectSameUpdates(ours: ArrayLike<number>[], ref: ArrayLike<number>[], label: string): void {
  ref.forEach((r, k) => {
    const dOurs = Array.from(ours[k], (v, i) => v - INIT[k][i]);
    const dRef = Array.from(r, (v, i) => v - INIT[k][i]);
    const scale = Math.max(...dRef.map(Math.abs));
    expect(scale, `${label} w${k}: the reference moved`).toBeGreaterThan(0);
    expectClose(dOurs, dRef, 1e-6 + 2e-5 * scale, 0, `${label} w${k}`);
  });
}

beforeAll(setup);

describe('updates match Keras (float64) and TF.js', () => {
  CASES.forEach((c, i) => {
    test(c.label, () => {
      const ours = runOurs(c, i % 2 === 1);
      expectSameUpdates(ours, runKeras(c.keras), `${c.label} vs Keras`);
      if (c.tfjs) expectSameUpdates(ours, runTfjs(c.tfjs), `${c.label} vs tf.train`);
    });
  });
});

describe('optimizer mechanics', () => {
  afterEach(() => expect(tf.memory().numTensors).toBeLessThan(100));

  test('a non-contiguous gradient (a transposed view) is used as its values', () => {
    const v = wt.variable(wt.zeros([2, 3]), true, 'nc_w');
    const g = wt.tensor([[1, 2], [3, 4], [5, 6]]);
    new wt.SGD({ learningRate: 1 }).applyGradients({ nc_w: g.T });
    expectClose(v.dataSync(), [-1, -3, -5, -2, -4, -6], 0);
    v.dispose();
    g.dispose();
  });

  test('slots are created once: later steps allocate nothing', () => {
    const v = wt.variable(wt.ones([37]), true, 'alloc_w');
    const g = wt.ones([37]);
    const opt = new wt.RMSprop({ momentum: 0.5, centered: true });
    opt.applyGradients({ alloc_w: g });
    const before = wt.memory();
    for (let i = 0; i < 5; i++) opt.applyGradients({ alloc_w: g });
    const after = wt.memory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    opt.dispose();
    expect(wt.memory().numBytes).toBe(before.numBytes - 3 * 37 * 4);
    v.dispose();
    g.dispose();
  });

  test('minimize matches tf.train.sgd().minimize and returns the cost', () => {
    const target = [0.5, -1, 2];
    const w = wt.variable(wt.tensor([1, 2, 3]), true, 'min_w');
    const frozen = wt.variable(wt.tensor([7]), true, 'min_frozen');
    const t = wt.tensor(target);
    const opt = new wt.SGD({ learningRate: 0.1 });
    const f = () => wt.add(wt.sum(wt.square(wt.sub(w, t))), wt.sum(frozen));
    const tw = tf.variable(tf.tensor([1, 2, 3]), true, 'tf_min_w');
    const tt = tf.tensor(target);
    const topt = tf.train.sgd(0.1);
    for (let i = 0; i < 3; i++) {
      const cost = opt.minimize(f, true, [w]) as wt.Tensor;
      const tcost = topt.minimize(() => tf.sum(tf.square(tf.sub(tw, tt))), true, [tw]) as tf.Scalar;
      expect(value(cost)).toBeCloseTo(value(tcost) + 7, 4);
      cost.dispose();
      tcost.dispose();
    }
    expectClose(w.dataSync(), tw.dataSync(), 1e-6, 1e-6, 'minimize');
    expect(value(frozen)).toBe(7); // not in varList
    expect(opt.minimize(f)).toBeNull();
    expect(opt.iterations).toBe(4);
    [w, frozen, t].forEach((x) => x.dispose());
    [tw, tt].forEach((x) => x.dispose());
  });

  test('getWeights lists iterations first, then slots by kind; setWeights restores the state', async () => {
    const v = wt.variable(wt.tensor([1, -2, 3, 0.5, 4]), true, 'ws_w');
    const b = wt.variable(wt.tensor([0.1]), true, 'ws_b');
    const grads = () => ({ ws_w: wt.tensor([0.3, -0.2, 0.1, 1, -1]), ws_b: wt.tensor([0.7]) });
    const a = new wt.Adam({ learningRate: 0.05 });
    for (let i = 0; i < 2; i++) a.applyGradients(grads());
    const weights = await a.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', 'ws_w/m', 'ws_b/m', 'ws_w/v', 'ws_b/v']);
    expect(weights[0].tensor.dtype).toBe('int32');
    expect(value(weights[0].tensor)).toBe(2);

    const restored = new wt.Adam({ learningRate: 0.05 });
    await restored.setWeights(weights);
    expect(restored.iterations).toBe(2);
    const w0 = v.dataSync();
    a.applyGradients(grads());
    const viaOriginal = v.dataSync();
    v.assign(wt.tensor(w0));
    restored.applyGradients(grads());
    expectClose(v.dataSync(), viaOriginal, 0, 0, 'restored optimizer steps like the original');
    await expect(restored.setWeights([{ name: 'ws_w/bogus', tensor: weights[1].tensor }])).rejects.toThrow(
      /setWeights: .*'ws_w\/bogus'.*one of: m, v/,
    );
    await expect(restored.setWeights([{ name: 'ws_w/m', tensor: wt.zeros([2]) }])).rejects.toThrow(/shape \[2\].*expected \[5\]/);
    weights.forEach((w) => w.tensor.dispose());
    [a, restored].forEach((o) => o.dispose());
    [v, b].forEach((x) => x.dispose());
  });

  test('config round trip: getConfig, getClassName, and TF.js / Keras serializations', () => {
    const r = new wt.RMSprop({ learningRate: 0.01, rho: 0.8, centered: true });
    expect(r.getClassName()).toBe('RMSprop');
    expect(r.getConfig()).toEqual({ learningRate: 0.01, rho: 0.8, momentum: 0, epsilon: 1e-7, centered: true });
    expect(wt.optimizers.get({ className: r.getClassName(), config: r.getConfig() }).getConfig()).toEqual(r.getConfig());

    const tfr = tf.train.rmsprop(0.02, 0.7, 0.3, 1e-6, true);
    const fromTf = wt.optimizers.get({ className: tfr.getClassName(), config: tfr.getConfig() as Record<string, unknown> });
    expect(fromTf).toBeInstanceOf(wt.RMSprop);
    expect(fromTf.getConfig()).toEqual({ learningRate: 0.02, rho: 0.7, momentum: 0.3, epsilon: 1e-6, centered: true });
    tfr.dispose();
    const tfm = tf.train.momentum(0.1, 0.9, true);
    expect(wt.optimizers.get({ className: tfm.getClassName(), config: tfm.getConfig() as Record<string, unknown> }).getConfig()).toEqual({
      learningRate: 0.1, momentum: 0.9, nesterov: true,
    });
    tfm.dispose();

    const kerasAdam = {
      className: 'Adam',
      config: {
        name: 'adam', learning_rate: 0.002, weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null,
        use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null,
        gradient_accumulation_steps: null, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-7, amsgrad: false,
      },
    };
    expect(wt.optimizers.get(kerasAdam).getConfig()).toEqual({ learningRate: 0.002, beta1: 0.8, beta2: 0.99, epsilon: 1e-7 });
    expect(() => wt.optimizers.get({ className: 'Adam', config: { amsgrad: true } })).toThrow(/getOptimizer: option 'amsgrad'/);
  });

  test('names resolve in any case; instances pass through', () => {
    for (const [name, cls] of [
      ['sgd', wt.SGD], ['SGD', wt.SGD], ['rmsprop', wt.RMSprop], ['RMSprop', wt.RMSprop], ['RMSPROP', wt.RMSprop],
      ['adam', wt.Adam], ['Adamax', wt.Adamax], ['adagrad', wt.Adagrad], ['ADADELTA', wt.Adadelta],
    ] as const) {
      expect(wt.optimizers.get(name), name).toBeInstanceOf(cls);
    }
    const opt = new wt.Adam();
    expect(wt.optimizers.get(opt)).toBe(opt);
    expect(new wt.Adam().getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    expect(new wt.SGD().getConfig()).toEqual({ learningRate: 0.01, momentum: 0, nesterov: false });
    expect(new wt.Adagrad().getConfig()).toEqual({ learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 });
    expect(new wt.Adadelta().getConfig()).toEqual({ learningRate: 0.001, rho: 0.95, epsilon: 1e-7 });
    expect(new wt.Adamax().getConfig()).toEqual({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  });

  test('clear errors', () => {
    expect(() => wt.optimizers.get('adamw')).toThrow(
      "getOptimizer: unknown optimizer 'adamw'; valid names: 'sgd', 'rmsprop', 'adam', 'adamax', 'adagrad', 'adadelta'",
    );
    expect(() => wt.optimizers.get({ className: 'Nadam', config: {} })).toThrow(/getOptimizer: unknown optimizer className 'Nadam'/);
    expect(() => wt.optimizers.get(42 as never)).toThrow(/getOptimizer: optimizer must be a name/);
    expect(() => new wt.SGD({ lr: 0.1 } as never)).toThrow("SGD: unknown option 'lr'; valid options: learningRate, momentum, nesterov");
    expect(() => new wt.Adam({ beta1: 1 })).toThrow('Adam: beta1 must be in [0, 1), got 1');
    expect(() => new wt.RMSprop({ learningRate: '0.1' } as never)).toThrow(/RMSprop: learningRate must be a finite number, got '0.1'/);

    const v = wt.variable(wt.zeros([2, 2]), true, 'err_w');
    const opt = new wt.SGD();
    expect(() => opt.applyGradients({ no_such_variable: wt.zeros([2]) })).toThrow(/applyGradients: no live variable is named 'no_such_variable'/);
    expect(() => opt.applyGradients({ err_w: wt.zeros([4]) })).toThrow(
      "applyGradients: the gradient for 'err_w' has shape [4], expected the variable's shape [2,2]",
    );
    expect(() => opt.applyGradients({ err_w: wt.zeros([2, 2], 'int32') })).toThrow(/gradient for 'err_w' has dtype 'int32'/);
    expect(() => opt.applyGradients([{ name: 'err_w', tensor: 5 } as never])).toThrow(/the gradient for 'err_w' must be a Tensor/);
    expect(opt.iterations).toBe(0);
    v.dispose();
    expect(() => opt.applyGradients({ err_w: wt.zeros([2, 2]) })).toThrow(/no live variable is named 'err_w'/);
  });
});
