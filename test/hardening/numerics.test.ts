// Flag checkNumerics (throws on the first NaN/Inf an op makes, naming the op)
// and the terminateOnNaN callback (ends fit on a NaN loss).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as wt from '../../src/index';

beforeAll(() => wt.ready());
afterEach(() => wt.setFlags({ checkNumerics: false }));

function caught(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('checkNumerics', () => {
  it('is off by default: log(0) is -Infinity, as in numpy and TF.js', () => {
    expect(wt.getFlags().checkNumerics).toBe(false);
    expect(Array.from(wt.log(wt.tensor([1, 0])).dataSync())).toEqual([0, -Infinity]);
  });

  it('names the op, the value and where it is', () => {
    wt.setFlags({ checkNumerics: true });
    expect(caught(() => wt.log(wt.tensor([1, 2, 0]))).message).toBe(
      'log: produced -Infinity at flat index 2 of its result (shape [3]); flag checkNumerics is on');
    expect(caught(() => wt.div(wt.tensor([[1, 1], [1, 1]]), wt.tensor([1, 0]))).message).toMatch(/^div: produced Infinity at flat index 1 /);
    expect(caught(() => wt.sqrt(wt.tensor([4, -1]))).message).toMatch(/^sqrt: produced NaN at flat index 1 /);
    expect(caught(() => wt.sum(wt.tensor([3e38, 3e38]))).message).toMatch(/^sum: produced Infinity/);
    const big = wt.fill([5, 40], 1e20);
    expect(caught(() => wt.matMul(big, big, false, true)).message).toMatch(/^matMul: produced Infinity at flat index 0 of its result \(shape \[5,5\]\)/);
    expect(caught(() => wt.softmax(wt.tensor([[0, NaN]]))).message).toMatch(/^softmax: produced NaN/);
  });

  it('checks gradients too: the op of the backward pass that overflows is named', () => {
    wt.setFlags({ checkNumerics: true });
    // d/dx sqrt(x) at 0 is 1 / (2 sqrt(0)) = Infinity.
    expect(caught(() => wt.grad((x) => wt.sum(wt.sqrt(x)))(wt.tensor([1, 0]))).message).toMatch(/produced Infinity at flat index 1/);
  });

  it('frees the bad result, leaves the inputs intact and the runtime working after a throw', () => {
    const x = wt.tensor([1, 2, 3]);
    const shifted = wt.sub(x, 1);
    const before = wt.memory();
    wt.setFlags({ checkNumerics: true });
    for (let i = 0; i < 20; i++) expect(() => wt.log(shifted)).toThrow(/^log: produced -Infinity at flat index 0/);
    expect(wt.memory().numTensors).toBe(before.numTensors);
    expect(wt.memory().numBytes).toBe(before.numBytes);
    expect(Array.from(wt.exp(x).dataSync()).map((v) => +v.toFixed(3))).toEqual([2.718, 7.389, 20.086]);
    expect(Array.from(shifted.dataSync())).toEqual([0, 1, 2]);
  });

  it('finite results pass through untouched, integer results are not checked', () => {
    wt.setFlags({ checkNumerics: true });
    expect(Array.from(wt.add(wt.tensor([1, 2]), 1).dataSync())).toEqual([2, 3]);
    expect(Array.from(wt.argMax(wt.tensor([[1, 5, 2]]), 1).dataSync())).toEqual([1]);
    // A NaN past the SIMD blocks and inside one are both found.
    for (const n of [4, 7, 64, 65]) {
      for (const at of [0, n - 1, Math.floor(n / 2)]) {
        const v = new Float32Array(n).fill(1);
        v[at] = NaN;
        wt.setFlags({ checkNumerics: false });
        const t = wt.tensor(v);
        wt.setFlags({ checkNumerics: true });
        expect(caught(() => wt.neg(t)).message).toMatch(new RegExp(`^neg: produced NaN at flat index ${at} `));
      }
    }
  });

  it('setFlags validates it', () => {
    expect(() => wt.setFlags({ checkNumerics: 1 as unknown as boolean })).toThrow('setFlags: checkNumerics must be true or false, got number 1');
    expect(() => wt.setFlags({ threadsMinMatMul: true as unknown as number })).toThrow('setFlags: threadsMinMatMul must be a non-negative number');
  });
});

describe('terminateOnNaN', () => {
  it('stops fit after the first batch with a NaN loss, with a message, and history keeps the finite epochs', async () => {
    wt.setRandomSeed(3);
    const model = wt.sequential();
    model.add(wt.layers.dense({ units: 1, inputShape: [2] }));
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const x = new Float32Array(64 * 2).map((_, i) => (i % 7) / 7);
    const xs = wt.tensor(x, [64, 2]);
    const ys = wt.tensor(new Float32Array(64).map((_, i) => i % 3), [64, 1]);
    const messages: string[] = [];
    const stop = wt.callbacks.terminateOnNaN((m) => messages.push(m));
    await model.fit(xs, ys, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0, callbacks: [stop] });
    expect(stop.stoppedBatch).toBe(-1);
    expect(messages).toEqual([]);
    const bad = new Float32Array(x);
    bad[2 * 32] = NaN; // first row of batch 2
    const xsBad = wt.tensor(bad, [64, 2]);
    const history = await model.fit(xsBad, ys, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0, callbacks: [stop] });
    expect(stop.stoppedEpoch).toBe(0);
    expect(stop.stoppedBatch).toBe(2);
    expect(history.epoch.length).toBeLessThanOrEqual(1);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^terminateOnNaN: epoch 1, batch 2: invalid loss NaN, terminating training/);
  });
});
