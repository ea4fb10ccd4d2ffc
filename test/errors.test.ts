// Bad input gets a clear error (op name + shapes/dims), never a wrong answer or
// a crash; after every error the runtime still computes correctly.
import { beforeAll, describe, expect, it } from 'vitest';
import { caught, expectClose, randData, tf, tfOf } from './helpers/reference';
import { setupBoth, W, wt } from './helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

/** A follow-up computation that must still be right after an error. */
function stillWorks() {
  const a = randData([3, 4], { seed: 1 });
  const b = randData([4, 2], { seed: 2 });
  expectClose(w.add(w.matMul(W(a), W(b)), 1), tf.add(tf.matMul(tfOf(a), tfOf(b)), 1), { msg: 'follow-up after error' });
  expect(w.tensor([[1, 2], [3, 4]]).index('1').arraySync()).toEqual([3, 4]);
}

describe('errors', () => {
  it('broadcast mismatch names the op and both shapes', () => {
    const e = caught(() => w.add(w.ones([3, 4]), w.ones([5])));
    expect(e).toBeInstanceOf(Error);
    expect(e.message).toMatch(/^add: shapes \[3,4\] and \[5\] cannot be broadcast together/);
    const e2 = caught(() => w.mul(w.ones([2, 3]), w.ones([3, 2])));
    expect(e2.message).toMatch(/^mul: .*\[2,3\].*\[3,2\]/);
    const e3 = caught(() => w.ones([2, 3]).sub(w.ones([4])));
    expect(e3.message).toMatch(/^sub: .*\[2,3\].*\[4\]/);
    const e4 = caught(() => w.greater(w.ones([2]), w.ones([3])));
    expect(e4.message).toMatch(/^greater: .*\[2\].*\[3\]/);
    stillWorks();
  });

  it('matMul inner-dimension mismatch names matMul, both shapes and "inner"', () => {
    const e = caught(() => w.matMul(w.ones([3, 4]), w.ones([5, 6])));
    expect(e.message).toMatch(/^matMul:/);
    expect(e.message).toContain('inner');
    expect(e.message).toMatch(/\[3,\s?4\]/);
    expect(e.message).toMatch(/\[5,\s?6\]/);
    const e2 = caught(() => w.matMul(w.ones([3, 4]), w.ones([3, 4]), false, false));
    expect(e2.message).toContain('matMul');
    // incompatible batch dims
    const e3 = caught(() => w.matMul(w.ones([2, 3, 4]), w.ones([3, 4, 5])));
    expect(e3.message).toContain('matMul');
    stillWorks();
  });

  it('dot mismatch names dot and both shapes', () => {
    const e = caught(() => w.dot(w.ones([3]), w.ones([4])));
    expect(e.message).toMatch(/^dot:/);
    expect(e.message).toMatch(/\[3\]/);
    expect(e.message).toMatch(/\[4\]/);
    const e2 = caught(() => w.dot(w.ones([2, 3, 4, 5]), w.ones([4, 6])));
    expect(e2.message).toMatch(/^dot:/);
    expect(e2.message).toMatch(/\[2,\s?3,\s?4,\s?5\]/);
    expect(e2.message).toMatch(/\[4,\s?6\]/);
    stillWorks();
  });

  it('reshape to an incompatible size names the size and the target shape', () => {
    const e = caught(() => w.ones([3, 4]).reshape([5, 3]));
    expect(e.message).toMatch(/^reshape:/);
    expect(e.message).toContain('12');
    expect(e.message).toMatch(/\[5,\s?3\]/);
    const e2 = caught(() => w.reshape(w.ones([7]), [2, -1]));
    expect(e2.message).toMatch(/^reshape:/);
    expect(e2.message).toContain('7');
    const e3 = caught(() => w.reshape(w.ones([4]), [-1, -1]));
    expect(e3.message).toMatch(/^reshape:/);
    stillWorks();
  });

  it('index out of range uses numpy wording', () => {
    const x = w.ones([3, 4]);
    const e = caught(() => x.index('5'));
    expect(e.message).toMatch(/^index:/);
    expect(e.message).toContain('index 5 is out of bounds for axis 0 with size 3');
    const e2 = caught(() => x.index(':, -5'));
    expect(e2.message).toContain('out of bounds');
    expect(e2.message).toContain('axis 1');
    const e3 = caught(() => x.index(3));
    expect(e3.message).toContain('out of bounds');
    const e4 = caught(() => x.index('0, 0, 0'));
    expect(e4.message).toMatch(/index/);
    stillWorks();
  });

  it('malformed index string names the offending text', () => {
    const x = w.ones([3, 4]);
    for (const bad of ['1:2:3:4', 'a', '1;2', '..., ...', '1.5']) {
      const e = caught(() => x.index(bad));
      expect(e.message, bad).toMatch(/index/);
      expect(e.message, bad).toContain(bad === '..., ...' ? '...' : bad.split(',')[0].trim());
    }
    stillWorks();
  });

  it('zero slice step is an error (numpy: slice step cannot be zero)', () => {
    const e = caught(() => w.ones([3, 4]).index('::0'));
    expect(e.message).toMatch(/^index:/);
    expect(e.message).toContain('zero');
    stillWorks();
  });

  it('slice out of range is an error', () => {
    const e = caught(() => w.ones([3, 4]).slice([2, 0], [2, 4]));
    expect(e.message).toMatch(/slice/);
    stillWorks();
  });

  it('wrong dtype: matMul on bool, arithmetic on bool', () => {
    const b = w.greater(w.ones([2, 2]), 0);
    expect(b.dtype).toBe('bool');
    const e = caught(() => w.matMul(b, b));
    expect(e.message).toContain('matMul');
    expect(e.message).toContain('bool');
    const e2 = caught(() => w.add(b, w.ones([2, 2])));
    expect(e2.message).toMatch(/^add:/);
    expect(e2.message).toContain('bool');
    const e3 = caught(() => w.neg(b));
    expect(e3.message).toContain('neg');
    expect(e3.message).toContain('bool');
    stillWorks();
  });

  it('ragged nested arrays', () => {
    const e = caught(() => w.tensor([[1, 2], [3]]));
    expect(e.message).toMatch(/tensor/);
    expect(e.message).toMatch(/ragged/);
    const e2 = caught(() => w.tensor([[[1], [2]], [[3], [4, 5]]]));
    expect(e2.message).toMatch(/ragged/);
    // data length vs shape mismatch
    const e3 = caught(() => w.tensor([1, 2, 3], [2, 2]));
    expect(e3.message).toMatch(/tensor/);
    stillWorks();
  });

  it('use of a disposed tensor', () => {
    const x = w.ones([2, 2]);
    x.dispose();
    expect(caught(() => x.dataSync()).message).toContain('disposed');
    expect(caught(() => w.add(x, 1)).message).toContain('disposed');
    expect(caught(() => x.index('0')).message).toContain('disposed');
    expect(caught(() => x.reshape([4])).message).toContain('disposed');
    stillWorks();
  });

  it('bad axis / bad perm', () => {
    expect(caught(() => w.sum(w.ones([2, 3]), 2)).message).toMatch(/sum/);
    expect(caught(() => w.transpose(w.ones([2, 3]), [0, 0])).message).toMatch(/transpose/);
    expect(caught(() => w.concat([w.ones([2, 3]), w.ones([3, 3])], 1)).message).toMatch(/concat/);
    stillWorks();
  });
});
