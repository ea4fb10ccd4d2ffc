// GEMM: matMul vs TF.js cpu on odd sizes (not only tile multiples), all four
// transpose combinations, batched with broadcast batch dims, one 512^3 case;
// dot with numpy/Keras semantics vs a float64 JS reference (the seed's shape table).
// Tolerance: rtol 1e-5 / atol 1e-5 for K < 64, rtol 1e-4 / atol 1e-4 for larger K
// (we accumulate in float32, the reference in float64). Batched cases use the
// float64 JS reference (TF.js cpu mis-broadcasts e.g. (4,1,6,3)x(5,3,2)).
import { beforeAll, describe, expect, it } from 'vitest';
import { expectClose, randData, refDot, refMatMul, tf, tfOf } from './helpers/reference';
import { setupBoth, W, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

const tolFor = (k: number) => (k < 64 ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-4, atol: 1e-4 });

// (M, N, K) sample from {1,3,4,8,17,33,129,255}: every size appears in every position
const MNK: [number, number, number][] = [
  [1, 1, 1], [1, 17, 33], [3, 1, 8], [4, 4, 4], [8, 8, 8], [17, 3, 1],
  [33, 129, 3], [129, 33, 17], [255, 4, 129], [3, 255, 4], [4, 8, 255],
  [17, 17, 17], [33, 33, 33], [129, 1, 255], [8, 129, 129], [255, 255, 8],
];

describe('matMul vs tfjs', () => {
  it('odd sizes, all four transpose combinations', () => {
    let seed = 1;
    for (const [m, n, k] of MNK) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          const a = randData(ta ? [k, m] : [m, k], { seed: seed++, lo: -1, hi: 1 });
          const b = randData(tb ? [n, k] : [k, n], { seed: seed++, lo: -1, hi: 1 });
          expectClose(w.matMul(W(a), W(b), ta, tb), tf.matMul(tfOf(a), tfOf(b), ta, tb), {
            ...tolFor(k),
            msg: `matMul M=${m} N=${n} K=${k} transposeA=${ta} transposeB=${tb}`,
          });
        }
      }
    }
  });

  it('method form and non-contiguous operands (x.T, stepped views)', () => {
    const a = randData([17, 9], { seed: 3, lo: -1, hi: 1 });
    const b = randData([17, 5], { seed: 4, lo: -1, hi: 1 });
    const ref = tf.matMul(tfOf(a), tfOf(b), true, false);
    expectClose(w.matMul(W(a).T, W(b)), ref, { msg: 'a.T x b' });
    expectClose(W(a).T.matMul(W(b)), ref, { msg: 'method' });
    const c = randData([10, 6], { seed: 5, lo: -1, hi: 1 });
    const cs = tf.stridedSlice(tfOf(c), [0, 0], [10, 6], [2, 1]); // (5,6)
    const d = randData([6, 7], { seed: 6, lo: -1, hi: 1 });
    expectClose(w.matMul(W(c).index('::2'), W(d)), tf.matMul(cs, tfOf(d)), { msg: "index('::2')" });
  });

  it('batched: (2,3,M,K)x(K,N) broadcast, (2,M,K)x(2,K,N), (1,M,K)x(3,K,N), transposes', () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[2, 3, 17, 9], [9, 5], false, false],
      [[2, 3, 4, 33], [33, 129], false, false],
      [[2, 17, 8], [2, 8, 3], false, false],
      [[2, 8, 17], [2, 3, 8], true, true],
      [[1, 5, 7], [3, 7, 4], false, false],
      [[3, 7, 5], [1, 4, 7], true, true],
      [[4, 1, 6, 3], [5, 3, 2], false, false],
      [[2, 3, 4], [4, 5], false, false],
    ];
    cases.forEach(([sa, sb, ta, tb], i) => {
      const a = randData(sa, { seed: 50 + i, lo: -1, hi: 1 });
      const b = randData(sb, { seed: 70 + i, lo: -1, hi: 1 });
      const k = ta ? sa[sa.length - 2] : sa[sa.length - 1];
      expectClose(w.matMul(W(a), W(b), ta, tb), { ...refMatMul(a, b, ta, tb), dtype: 'float32' }, {
        ...tolFor(k),
        msg: `batched ${JSON.stringify(sa)} x ${JSON.stringify(sb)} ta=${ta} tb=${tb}`,
      });
    });
  });

  it('512 x 512 x 512', () => {
    const a = randData([512, 512], { seed: 91, lo: -1, hi: 1 });
    const b = randData([512, 512], { seed: 92, lo: -1, hi: 1 });
    expectClose(w.matMul(W(a), W(b)), tf.matMul(tfOf(a), tfOf(b)), { rtol: 1e-4, atol: 1e-4 });
  });

  it('int32 operands: exact values, or a clear error naming matMul and int32 (never a wrong answer)', () => {
    const a = randData([5, 7], { dtype: 'int32', lo: -9, hi: 9, seed: 95 });
    const b = randData([7, 3], { dtype: 'int32', lo: -9, hi: 9, seed: 96 });
    let y: any;
    try {
      y = w.matMul(W(a), W(b));
    } catch (e) {
      expect((e as Error).message).toMatch(/^matMul:.*int32/);
      return;
    }
    expectClose(y, tf.matMul(tfOf(a), tfOf(b)), { dtype: false });
  });

  it('K = 0 gives zeros, M = 0 gives an empty result', () => {
    expectClose(w.matMul(w.zeros([3, 0]), w.zeros([0, 2])), { shape: [3, 2], dtype: 'float32', data: [0, 0, 0, 0, 0, 0] });
    expect(w.matMul(w.zeros([0, 4]), w.ones([4, 2])).shape).toEqual([0, 2]);
  });
});

describe('dot (numpy / Keras semantics) vs float64 reference', () => {
  // the seed's shape table plus the 2-d and N-d x M-d cases
  const TABLE: [number[], number[], number[]][] = [
    [[5], [5], []], // vector . vector -> scalar
    [[3, 5], [5], [3]], // matrix . vector -> vector
    [[5], [5, 4], [4]], // vector . matrix
    [[3, 5], [5, 4], [3, 4]], // (m,k).(k,n) -> (m,n)
    [[2, 3, 4, 5], [5], [2, 3, 4]], // (a,b,c,d).(d,) -> (a,b,c)
    [[2, 3, 4, 5], [5, 6], [2, 3, 4, 6]], // (a,b,c,d).(d,e) -> (a,b,c,e)
    [[2, 3, 4], [5, 4, 6], [2, 3, 5, 6]], // N-d . M-d: sum over last of a, second-last of b
    [[1, 129], [129, 1], [1, 1]],
  ];

  it('shape table and values', () => {
    TABLE.forEach(([sa, sb, out], i) => {
      const a = randData(sa, { seed: 120 + i, lo: -1, hi: 1 });
      const b = randData(sb, { seed: 140 + i, lo: -1, hi: 1 });
      const ref = refDot(a, b);
      expect(ref.shape).toEqual(out);
      const y = w.dot(W(a), W(b));
      expect(y.shape, `dot ${JSON.stringify(sa)} . ${JSON.stringify(sb)}`).toEqual(out);
      expectClose(y, { ...ref, dtype: 'float32' }, { rtol: 1e-5, atol: 1e-5, msg: `dot ${JSON.stringify(sa)} . ${JSON.stringify(sb)}` });
    });
  });

  it('dot(x, y) != dot(y, x) for matrices; vector . vector is a 0-d scalar', () => {
    const x = w.tensor([[1, 2], [3, 4]]);
    const y = w.tensor([[0, 1], [1, 0]]);
    expect(w.dot(x, y).arraySync()).toEqual([[2, 1], [4, 3]]);
    expect(w.dot(y, x).arraySync()).toEqual([[3, 4], [1, 2]]);
    const s = w.dot(w.tensor([1, 2, 3]), w.tensor([4, 5, 6]));
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.arraySync()).toBe(32);
  });

  it('geometric view: rotation by 90 degrees is a dot with [[cos,-sin],[sin,cos]]', () => {
    const th = Math.PI / 2;
    const R = w.tensor([[Math.cos(th), -Math.sin(th)], [Math.sin(th), Math.cos(th)]]);
    const v = w.tensor([1, 0]);
    expectClose(w.dot(R, v), { shape: [2], dtype: 'float32', data: [0, 1] }, { atol: 1e-6 });
  });
});
