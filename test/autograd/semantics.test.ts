// What the gradient functions promise beyond each op's rule (TF.js
// semantics): accumulation, explicit dy, value + gradients, variables,
// gradients of gradients, and clear errors.
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { caught, compareValues } from '../helpers/reference';
import { setup, tf, wt } from './gradcheck';

beforeAll(setup);

const close = (got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-5, atol = 1e-6) => {
  const err = compareValues(got, want, rtol, atol);
  if (err) expect.fail(err);
};

describe('gradient semantics', () => {
  test('a tensor used twice accumulates: d/dx sum(x*x + x) = 2x + 1', () => {
    const x = wt.tensor([1.5, -2, 0.25, 3]);
    const g = wt.grad((t) => wt.sum(wt.add(wt.mul(t, t), t)))(x);
    close(g.dataSync(), [4, -3, 1.5, 7]);
  });

  test('a tensor used in several branches of different shapes accumulates', () => {
    // f = sum(x) * mean(x) + sum(exp(x)[1:]); hand-computed gradient.
    const xs = [0.5, -1, 2];
    const x = wt.tensor(xs);
    const g = wt.grad((t) => wt.add(wt.mul(wt.sum(t), wt.mean(t)), wt.sum(wt.index(wt.exp(t), '1:'))))(x);
    const s = xs.reduce((a, b) => a + b, 0);
    const want = xs.map((v, i) => (2 * s) / 3 + (i >= 1 ? Math.exp(v) : 0));
    close(g.dataSync(), want, 1e-5, 1e-6);
  });

  test('without dy, a non-scalar result is seeded with ones (TF.js); f = identity gives ones', () => {
    const xs = [[0.5, -1, 2], [1, 0.25, -0.5]];
    const g = wt.grad((t) => wt.mul(t, t))(wt.tensor(xs));
    const r = tf.grad((t: tf.Tensor) => tf.mul(t, t))(tf.tensor(xs));
    close(g.dataSync(), r.dataSync());
    const x = wt.tensor([3, 4]);
    const id = wt.grad((t) => t)(x);
    expect(id).not.toBe(x);
    close(id.dataSync(), [1, 1]);
    close(x.dataSync(), [3, 4]);
  });

  test('an int32 operand gets no gradient and does not block the float one', () => {
    const k = wt.tensor(new Int32Array([2, -3, 4]));
    const g = wt.grad((t) => wt.sum(wt.mul(t, k)))(wt.tensor([1, 1, 1]));
    close(g.dataSync(), [2, -3, 4]);
  });

  test('grads: one gradient per input, in order', () => {
    const a = wt.tensor([[1, 2], [3, 4]]);
    const b = wt.tensor([0.5, -1]);
    const [ga, gb] = wt.grads((x, y) => wt.sum(wt.mul(wt.mul(x, y), x)))([a, b]);
    const [ra, rb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.mul(x, y), x)))([tf.tensor([[1, 2], [3, 4]]), tf.tensor([0.5, -1])]);
    expect(ga.shape).toEqual([2, 2]);
    expect(gb.shape).toEqual([2]);
    close(ga.dataSync(), ra.dataSync());
    close(gb.dataSync(), rb.dataSync());
  });

  test('grads of the same tensor passed twice: each result is a separate, disposable tensor', () => {
    const x = wt.tensor([1, 2, 3]);
    const [g1, g2] = wt.grads((a, b) => wt.sum(wt.mul(a, b)))([x, x]);
    // Both slots are the same source, so each gets the full gradient 2x, like TF.js.
    const t = tf.tensor([1, 2, 3]);
    const [r1, r2] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, b)))([t, t]);
    expect(g1).not.toBe(g2);
    g1.dispose();
    close(g2.dataSync(), r2.dataSync());
    close(r1.dataSync(), [2, 4, 6]);
  });

  test('dy given explicitly: the gradient is J^T dy (vector-valued f), like tf.grad(f)(x, dy)', () => {
    const xs = [[0.5, -1, 2], [1, 0.25, -0.5]];
    const dys = [[1, 2, 3], [-1, 0.5, 4]];
    const f = (t: wt.Tensor) => wt.mul(wt.exp(t), t);
    const g = wt.grad(f)(wt.tensor(xs), wt.tensor(dys));
    const r = tf.grad((t: tf.Tensor) => tf.mul(tf.exp(t), t))(tf.tensor(xs), tf.tensor(dys));
    expect(g.shape).toEqual([2, 3]);
    close(g.dataSync(), r.dataSync());
    // The same through grads and valueAndGrads.
    const [g2] = wt.grads((t) => f(t))([wt.tensor(xs)], wt.tensor(dys));
    close(g2.dataSync(), r.dataSync());
    const { grads } = wt.valueAndGrads((t) => f(t))([wt.tensor(xs)], wt.tensor(dys));
    close(grads[0].dataSync(), r.dataSync());
  });

  test('dy is returned untouched and a gradient that equals dy is still its own tensor', () => {
    const dy = wt.tensor([1, 2, 3]);
    const g = wt.grad((t) => wt.add(t, 1))(wt.tensor([0, 0, 0]), dy);
    close(g.dataSync(), [1, 2, 3]);
    g.dispose();
    expect(dy.isDisposed).toBe(false);
    close(dy.dataSync(), [1, 2, 3]);
  });

  test('dy with the wrong shape fails, naming both shapes', () => {
    const e = caught(() => wt.grad((t) => wt.mul(t, 2))(wt.tensor([1, 2, 3]), wt.tensor([1, 2])));
    expect(e.message).toMatch(/^grad: /);
    expect(e.message).toMatch(/dy/);
    expect(e.message).toMatch(/\[2\]/);
    expect(e.message).toMatch(/\[3\]/);
  });

  test('valueAndGrad / valueAndGrads: value equals f, gradients match TF.js', () => {
    const xs = [[0.5, -1], [2, 0.25]];
    const f = (t: wt.Tensor) => wt.sum(wt.tanh(wt.matMul(t, t)));
    const { value, grad } = wt.valueAndGrad(f)(wt.tensor(xs));
    const direct = f(wt.tensor(xs));
    expect(value.shape).toEqual([]);
    close(value.dataSync(), direct.dataSync(), 0, 0);
    const r = tf.valueAndGrad((t: tf.Tensor) => tf.sum(tf.tanh(tf.matMul(t, t))))(tf.tensor(xs));
    close(value.dataSync(), r.value.dataSync(), 1e-5, 1e-6);
    close(grad.dataSync(), r.grad.dataSync(), 1e-4, 1e-5);

    const a = wt.tensor([1, 2, 3]);
    const b = wt.tensor([0.5, 0.25, 2]);
    const h = (x: wt.Tensor, y: wt.Tensor) => wt.div(x, y);
    const out = wt.valueAndGrads(h)([a, b]);
    close(out.value.dataSync(), [2, 8, 1.5]);
    const ref = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor) => tf.div(x, y))([tf.tensor([1, 2, 3]), tf.tensor([0.5, 0.25, 2])]);
    close(out.grads[0].dataSync(), ref.grads[0].dataSync());
    close(out.grads[1].dataSync(), ref.grads[1].dataSync());
  });

  test('grads of an input f does not use fail with a clear error', () => {
    const a = wt.tensor([1, 2]);
    const b = wt.tensor([3, 4]);
    const e = caught(() => wt.grads((x, _y) => wt.sum(wt.square(x)))([a, b]));
    expect(e.message).toMatch(/xs\[1\]/);
    expect(e.message).toMatch(/does not depend/);
    // An input reached only through non-differentiable ops (argMax, comparisons) is unconnected too.
    const e2 = caught(() => wt.grad((x) => wt.sum(wt.cast(wt.greater(x, 0), 'float32')))(a));
    expect(e2.message).toMatch(/gradient/);
  });

  test('non-float sources fail clearly', () => {
    const ints = wt.tensor(new Int32Array([1, 2, 3]));
    const e = caught(() => wt.grad((x) => wt.sum(x))(ints));
    expect(e.message).toMatch(/int32/);
    expect(e.message).toMatch(/float32/);
    const e2 = caught(() => wt.grads((x, y) => wt.add(x, y))([wt.tensor([1]), wt.tensor([true], [1], 'bool')]));
    expect(e2.message).toMatch(/xs\[1\]/);
    expect(e2.message).toMatch(/bool/);
  });

  test('bad arguments fail clearly', () => {
    expect(caught(() => wt.grad(42 as never)).message).toMatch(/^grad: f must be a function/);
    expect(caught(() => wt.grads((x) => x)([] as never)).message).toMatch(/xs must be a non-empty array/);
    expect(caught(() => wt.grad((() => 3) as never)(wt.tensor([1]))).message).toMatch(/f must return a Tensor/);
    const disposed = wt.tensor([1]);
    disposed.dispose();
    expect(caught(() => wt.grad((x) => x)(disposed)).message).toMatch(/disposed/);
  });

  test('every error names the function the user called', () => {
    // The convention (src/errors.ts): a message starts with the user-facing function's name.
    const x = wt.tensor([1, 2]);
    const ints = wt.tensor(new Int32Array([1, 2]));
    const unconnected = (_t: wt.Tensor) => wt.sum(wt.square(wt.tensor([1, 2])));
    expect(caught(() => wt.grad(unconnected)(x)).message).toMatch(/^grad: /);
    expect(caught(() => wt.grads(unconnected)([x])).message).toMatch(/^grads: /);
    expect(caught(() => wt.valueAndGrad(unconnected)(x)).message).toMatch(/^valueAndGrad: /);
    expect(caught(() => wt.valueAndGrads(unconnected)([x])).message).toMatch(/^valueAndGrads: /);
    expect(caught(() => wt.grad((t) => t)(ints)).message).toMatch(/^grad: /);
    expect(caught(() => wt.valueAndGrads((t) => t)([x], wt.tensor([1]))).message).toMatch(/^valueAndGrads: /);
  });
});

describe('gradients of gradients', () => {
  test('grad(grad(x^3)) = 6x', () => {
    const x = wt.tensor([0.5, -1, 2]);
    const d1 = (t: wt.Tensor) => wt.grad((u) => wt.sum(wt.mul(wt.mul(u, u), u)))(t);
    const g2 = wt.grad((t) => wt.sum(d1(t)))(x);
    close(g2.dataSync(), [3, -6, 12]);
  });
  test('grad(grad(sin)) = -sin, via pow and via sin, against TF.js', () => {
    const xs = [0.3, -1.2, 2];
    const g2 = wt.grad((t) => wt.sum(wt.grad((u) => wt.sum(wt.sin(u)))(t)))(wt.tensor(xs));
    close(g2.dataSync(), xs.map((v) => -Math.sin(v)), 1e-5, 1e-6);
    const ours = wt.grad((t) => wt.sum(wt.grad((u) => wt.sum(wt.pow(u, 4)))(t)))(wt.tensor(xs));
    const ref = tf.grad((t: tf.Tensor) => tf.sum(tf.grad((u: tf.Tensor) => tf.sum(tf.pow(u, 4)))(t)))(tf.tensor(xs));
    close(ours.dataSync(), ref.dataSync(), 1e-5, 1e-5);
  });
});

describe('variableGrads', () => {
  const made: wt.Variable[] = [];
  const v = (init: number[], trainable = true, name?: string) => {
    const out = wt.variable(wt.tensor(init), trainable, name);
    made.push(out);
    return out;
  };
  afterEach(() => {
    made.splice(0).forEach((t) => t.dispose());
  });

  test('gradients of every trainable variable, keyed by name, matching tf.variableGrads', () => {
    const a = v([1, 2, 3], true, 'a');
    const b = v([0.5, -0.5, 2], true, 'b');
    const c = v([4, 5, 6], false, 'c');
    const f = () => wt.sum(wt.mul(wt.mul(a, b), c));
    const { value, grads } = wt.variableGrads(f);
    expect(Object.keys(grads).sort()).toEqual(['a', 'b']);
    const ta = tf.variable(tf.tensor([1, 2, 3]), true, 'tf_a');
    const tb = tf.variable(tf.tensor([0.5, -0.5, 2]), true, 'tf_b');
    const tc = tf.variable(tf.tensor([4, 5, 6]), false, 'tf_c');
    const r = tf.variableGrads(() => tf.sum(tf.mul(tf.mul(ta, tb), tc)) as tf.Scalar, [ta, tb, tc]);
    close(value.dataSync(), r.value.dataSync());
    close(grads.a.dataSync(), r.grads.tf_a.dataSync());
    close(grads.b.dataSync(), r.grads.tf_b.dataSync());
    [ta, tb, tc].forEach((t) => t.dispose());
  });

  test('varList restricts the variables; unnamed variables get unique names', () => {
    const a = v([1, 2]);
    const b = v([3, 4]);
    expect(a.name).not.toBe(b.name);
    const { grads } = wt.variableGrads(() => wt.sum(wt.mul(a, b)), [b]);
    expect(Object.keys(grads)).toEqual([b.name]);
    close(grads[b.name].dataSync(), [1, 2]);
  });

  test('a non-trainable variable listed in varList gets no gradient (TF.js prunes it)', () => {
    const a = v([1, 2], true, 'a');
    const frozen = v([3, 4], false, 'frozen');
    const { grads } = wt.variableGrads(() => wt.sum(wt.mul(a, frozen)), [a, frozen]);
    close(grads.a.dataSync(), [3, 4]);
    expect(grads.frozen instanceof wt.Tensor).toBe(false);
  });

  test('assign() changes the values the next gradient sees', () => {
    const a = v([1, 2], true, 'a');
    a.assign(wt.tensor([5, -1]));
    const { grads } = wt.variableGrads(() => wt.sum(wt.square(a)), [a]);
    close(grads.a.dataSync(), [10, -2]);
  });

  test('f must return a scalar', () => {
    const a = v([1, 2], true, 'a');
    expect(caught(() => wt.variableGrads(() => wt.mul(a, 2))).message).toMatch(/^variableGrads: .*scalar/);
  });

  test('a result that uses none of the variables fails clearly, like TF.js', () => {
    // TF.js: "Cannot find a connection between any variable and the result of the loss function".
    const a = v([1, 2], true, 'a');
    const e = caught(() => wt.variableGrads(() => wt.sum(wt.tensor([1, 2])), [a]));
    expect(e.message).toMatch(/^variableGrads: /);
  });
});
