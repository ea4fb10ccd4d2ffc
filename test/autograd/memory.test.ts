// Memory behaviour of the gradient functions: only the results survive a
// call, training steps run flat, and with no gradient function running the
// ops record nothing (nothing is retained for a backward pass).
import { beforeAll, describe, expect, test } from 'vitest';
import * as wt from '../../src/index';

beforeAll(() => wt.ready());

const live = () => wt.memory().numTensors;

/** A function touching most op families: broadcasting, matMul, index, softmax, reductions. */
function model(x: wt.Tensor, w: wt.Tensor, b: wt.Tensor): wt.Tensor {
  const h = wt.relu(wt.add(wt.matMul(x, w), b));
  const p = wt.softmax(wt.index(h, ':, 1:'));
  return wt.add(wt.mean(wt.square(wt.sub(p, 0.25))), wt.mul(wt.sum(wt.abs(wt.reshape(w, [-1]))), 1e-3));
}

function inputs() {
  const x = wt.tensor([[1, -2, 0.5, 3], [0.25, 1, -1, 2], [2, 2, -0.5, -1]]);
  const w = wt.tensor([[0.1, -0.2, 0.3, 0.4, -0.5], [0.2, 0.1, -0.1, 0.3, 0.2], [-0.3, 0.2, 0.1, -0.4, 0.1], [0.05, 0.3, -0.2, 0.1, 0.2]]);
  const b = wt.tensor([0.1, 0.2, -0.1, 0.05, 0]);
  return { x, w, b };
}

describe('only the returned tensors survive a gradient call', () => {
  test('grad: +1 tensor (the gradient), and its bytes', () => {
    const { x, w, b } = inputs();
    const before = wt.memory();
    const g = wt.grad((t) => model(x, t, b))(w);
    const after = wt.memory();
    expect(after.numTensors - before.numTensors).toBe(1);
    expect(after.numBytes - before.numBytes).toBe(4 * g.size);
    g.dispose();
    expect(wt.memory().numTensors).toBe(before.numTensors);
    expect(wt.memory().numBytes).toBe(before.numBytes);
    [x, w, b].forEach((t) => t.dispose());
  });

  test('grads: +1 per input; valueAndGrad: +2; valueAndGrads: +1 + inputs', () => {
    const { x, w, b } = inputs();
    let n = live();
    const gs = wt.grads((a, c) => model(x, a, c))([w, b]);
    expect(live() - n).toBe(2);
    gs.forEach((t) => t.dispose());
    n = live();
    const vg = wt.valueAndGrad((a) => model(x, a, b))(w);
    expect(live() - n).toBe(2);
    vg.value.dispose();
    vg.grad.dispose();
    n = live();
    const vgs = wt.valueAndGrads((p, a, c) => model(p, a, c))([x, w, b]);
    expect(live() - n).toBe(4);
    [vgs.value, ...vgs.grads].forEach((t) => t.dispose());
    expect(live()).toBe(n);
    [x, w, b].forEach((t) => t.dispose());
  });

  test('explicit dy, views and a gradient equal to an input leave nothing extra', () => {
    const x = wt.tensor([[1, 2, 3], [4, 5, 6]]);
    const dy = wt.tensor([[1, 0, 2], [0.5, 1, 1]]);
    const n = live();
    const g1 = wt.grad((t) => wt.transpose(wt.transpose(t)))(x, dy); // the gradient is dy itself
    const g2 = wt.grad((t) => wt.mul(wt.index(t, ':, ::-1'), 1))(x, wt.index(dy, ':, ::-1'));
    expect(live() - n).toBe(3); // g1, g2 and the index view of dy passed in
    expect(g1).not.toBe(dy);
    g1.dispose();
    expect(Array.from(dy.dataSync())).toEqual([1, 0, 2, 0.5, 1, 1]);
    expect(Array.from(g2.dataSync())).toEqual([1, 0, 2, 0.5, 1, 1]);
    g2.dispose();
    [x, dy].forEach((t) => t.dispose());
  });

  test('variableGrads: +1 for the value and +1 per reached variable', () => {
    const { x, w, b } = inputs();
    const vw = wt.variable(w, true, 'mem_w');
    const vb = wt.variable(b, true, 'mem_b');
    const n = live();
    const { value, grads } = wt.variableGrads(() => model(x, vw, vb), [vw, vb]);
    expect(live() - n).toBe(3);
    [value, grads.mem_w, grads.mem_b].forEach((t) => t.dispose());
    expect(live()).toBe(n);
    [x, w, b, vw, vb].forEach((t) => t.dispose());
  });

  test('a gradient call whose f throws leaves nothing behind', () => {
    const { x, w, b } = inputs();
    const n = wt.memory();
    expect(() =>
      wt.grad((t) => {
        model(x, t, b);
        throw new Error('boom');
      })(w),
    ).toThrow('boom');
    expect(wt.memory().numTensors).toBe(n.numTensors);
    expect(wt.memory().numBytes).toBe(n.numBytes);
    // ...and the tape is closed: a later grad still works.
    const g = wt.grad((t) => wt.sum(wt.square(t)))(b);
    expect(Array.from(g.dataSync())).toEqual(Array.from(b.dataSync()).map((v) => Math.fround(2 * v)));
    [g, x, w, b].forEach((t) => t.dispose());
  });
});

describe('training steps run flat', () => {
  test('200 variableGrads + assign steps: numTensors, numBytes and wasm memory stay flat, loss falls', () => {
    const { x, w, b } = inputs();
    const vw = wt.variable(w, true, 'flat_w');
    const vb = wt.variable(b, true, 'flat_b');
    const step = () => {
      const { value, grads } = wt.variableGrads(() => model(x, vw, vb), [vw, vb]);
      for (const v of [vw, vb]) {
        const next = wt.tidy(() => wt.sub(v, wt.mul(grads[v.name], 0.5)));
        v.assign(next);
        next.dispose();
      }
      const loss = value.dataSync()[0];
      [value, ...Object.values(grads)].forEach((t) => t.dispose());
      return loss;
    };
    const first = step();
    for (let i = 0; i < 9; i++) step();
    const base = wt.memory();
    let last = first;
    for (let i = 0; i < 200; i++) last = step();
    const end = wt.memory();
    expect(end.numTensors).toBe(base.numTensors);
    expect(end.numBytes).toBe(base.numBytes);
    expect(end.wasmBytes).toBe(base.wasmBytes);
    expect(last).toBeLessThan(first);
    // The same step wrapped in tidy(), without explicit disposal.
    for (let i = 0; i < 50; i++) wt.tidy(() => void step());
    expect(wt.memory().numTensors).toBe(base.numTensors);
    [x, w, b, vw, vb].forEach((t) => t.dispose());
  });
});

describe('with no gradient function running, ops record nothing', () => {
  test('many ops outside grad: tidy() frees all of them, and a later grad works', () => {
    const { x, w, b } = inputs();
    const base = wt.memory();
    wt.tidy(() => {
      for (let i = 0; i < 100; i++) model(x, w, b);
    });
    expect(wt.memory().numTensors).toBe(base.numTensors);
    expect(wt.memory().numBytes).toBe(base.numBytes);
    const g = wt.grad((t) => wt.sum(wt.mul(t, t)))(b);
    expect(live() - base.numTensors).toBe(1);
    expect(Array.from(g.dataSync())).toEqual(Array.from(b.dataSync()).map((v) => Math.fround(2 * v)));
    [g, x, w, b].forEach((t) => t.dispose());
  });

  test('tensors used by ops outside grad are not retained: they can be garbage-collected', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, 'vitest.config.ts runs the tests with --expose-gc').toBeTypeOf('function');
    const refs: WeakRef<wt.Tensor>[] = [];
    (() => {
      const { x, w, b } = inputs();
      const y = wt.tidy(() => model(x, w, b));
      for (const t of [x, w, b, y]) {
        refs.push(new WeakRef(t));
        t.dispose();
      }
    })();
    // WeakRef targets stay alive until the current job ends; then collect.
    await new Promise((r) => setTimeout(r, 0));
    gc!();
    await new Promise((r) => setTimeout(r, 0));
    gc!();
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true, true, true]);
  });

  test('after a grad call returns, its tape no longer records later ops', async () => {
    const gc = (globalThis as { gc?: () => void }).gc!;
    const refs: WeakRef<wt.Tensor>[] = [];
    (() => {
      const x = wt.tensor([1, 2, 3]);
      const g = wt.grad((t) => wt.sum(wt.exp(t)))(x);
      // x was a source of the finished tape: ops on it now must not reach that tape.
      const y = wt.mul(wt.exp(x), g);
      for (const t of [x, g, y]) {
        refs.push(new WeakRef(t));
        t.dispose();
      }
    })();
    await new Promise((r) => setTimeout(r, 0));
    gc();
    await new Promise((r) => setTimeout(r, 0));
    gc();
    expect(refs.map((r) => r.deref() === undefined)).toEqual([true, true, true]);
  });
});
