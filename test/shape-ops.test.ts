// Shape ops vs TF.js cpu: reshape (-1), transpose (default and perm, .T),
// expandDims, squeeze, concat, stack, flatten, on contiguous tensors and views.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, randData, tf, tfOf } from './helpers/reference';
import { setupBoth, W, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

describe('shape ops vs tfjs', () => {
  it('reshape with -1, function and method, of views', () => {
    const r = randData([4, 6, 5], { seed: 1 });
    for (const target of [[120], [-1], [6, -1], [2, 3, 4, 5], [-1, 5, 4], [1, 120, 1]]) {
      expectClose(W(r).reshape(target), tf.reshape(tfOf(r), target), { msg: `reshape ${target}` });
      expectClose(w.reshape(W(r), target), tf.reshape(tfOf(r), target), { msg: `wt.reshape ${target}` });
    }
    // reshape of a non-contiguous view must use logical order
    expectClose(W(r).T.reshape([-1, 4]), tf.reshape(tf.transpose(tfOf(r)), [-1, 4]), { msg: 'T.reshape' });
    expectClose(w.transpose(W(r), [1, 0, 2]).reshape([6, 20]), tf.reshape(tf.transpose(tfOf(r), [1, 0, 2]), [6, 20]), { msg: 'perm.reshape' });
    expect(w.scalar(3).reshape([1, 1]).arraySync()).toEqual([[3]]);
    expect(w.tensor([7]).reshape([]).shape).toEqual([]);
    expect(w.zeros([0, 3]).reshape([3, 0]).shape).toEqual([3, 0]);
  });

  it('transpose: default reverses axes, every perm of a 4-d tensor, .T', () => {
    const r = randData([2, 3, 4, 5], { seed: 2 });
    expectClose(w.transpose(W(r)), tf.transpose(tfOf(r)));
    expectClose(W(r).T, tf.transpose(tfOf(r)));
    const perms: number[][] = [];
    const rec = (p: number[]) => {
      if (p.length === 4) perms.push(p);
      else for (let i = 0; i < 4; i++) if (!p.includes(i)) rec([...p, i]);
    };
    rec([]);
    for (const p of perms) expectClose(w.transpose(W(r), p), tf.transpose(tfOf(r), p), { msg: `perm ${p}` });
    // transpose of a transpose, of int32, of 1-d and 0-d
    expectClose(w.transpose(w.transpose(W(r), [3, 1, 0, 2]), [2, 0, 3, 1]), tf.transpose(tf.transpose(tfOf(r), [3, 1, 0, 2]), [2, 0, 3, 1]));
    const i = randData([3, 7], { dtype: 'int32', seed: 3 });
    expectClose(W(i).T, tf.transpose(tfOf(i)));
    expect(w.tensor([1, 2, 3]).T.arraySync()).toEqual([1, 2, 3]);
    expect(w.scalar(2).T.arraySync()).toBe(2);
  });

  it('expandDims / squeeze', () => {
    const r = randData([3, 1, 4, 1], { seed: 4 });
    for (const ax of [0, 1, 2, 4, -1, -5]) expectClose(w.expandDims(W(r), ax), tf.expandDims(tfOf(r), ax), { msg: `expandDims ${ax}` });
    expectClose(w.squeeze(W(r)), tf.squeeze(tfOf(r)));
    expectClose(w.squeeze(W(r), [1]), tf.squeeze(tfOf(r), [1]));
    expectClose(w.squeeze(W(r), [-1]), tf.squeeze(tfOf(r), [-1]));
    expect(w.squeeze(w.zeros([1, 1])).shape).toEqual([]);
  });

  it('concat along every axis, with views and int32', () => {
    const a = randData([2, 3, 4], { seed: 5 });
    const b = randData([2, 3, 4], { seed: 6 });
    for (const ax of [0, 1, 2, -1]) {
      const c = randData([2, 3, 4].map((d, i) => (i === (ax + 3) % 3 ? 5 : d)), { seed: 7 + ax });
      expectClose(w.concat([W(a), W(b), W(c)], ax), tf.concat([tfOf(a), tfOf(b), tfOf(c)], ax), { msg: `concat axis ${ax}` });
    }
    expectClose(w.concat([W(a).T, W(b).T], 0), tf.concat([tf.transpose(tfOf(a)), tf.transpose(tfOf(b))], 0), { msg: 'concat views' });
    const i = randData([3], { dtype: 'int32', seed: 8 });
    expectClose(w.concat([W(i), W(i)]), tf.concat([tfOf(i), tfOf(i)]), { msg: 'concat int32, default axis 0' });
    expectClose(w.concat([w.zeros([0, 2]), w.ones([2, 2])], 0), tf.concat([tf.zeros([0, 2]), tf.ones([2, 2])], 0), { msg: 'concat empty' });
  });

  it('stack along every axis', () => {
    const a = randData([3, 4], { seed: 9 });
    const b = randData([3, 4], { seed: 10 });
    for (const ax of [0, 1, 2, -1]) {
      expectClose(w.stack([W(a), W(b)], ax), tf.stack([tfOf(a), tfOf(b)], ax), { msg: `stack axis ${ax}` });
    }
    expectClose(w.stack([w.scalar(1), w.scalar(2)]), tf.stack([tf.scalar(1), tf.scalar(2)]));
  });

  it('flatten', () => {
    const r = randData([3, 4, 5], { seed: 11 });
    expectClose(W(r).flatten(), tf.reshape(tfOf(r), [-1]));
    expectClose(w.transpose(W(r), [2, 0, 1]).flatten(), tf.reshape(tf.transpose(tfOf(r), [2, 0, 1]), [-1]), { msg: 'flatten view' });
    expect(w.scalar(4).flatten().shape).toEqual([1]);
  });
});
