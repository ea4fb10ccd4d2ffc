// Concurrency on one thread of JavaScript: fit() yields to the event loop, so
// two fits (or a fit and predicts) interleave at their awaits. Each must give
// exactly what it gives alone. And the worker pool, kept busy by large kernels
// back to back while thread counts change, must finish every call.
import { beforeAll, describe, expect, it } from 'vitest';
import * as wt from '../../src/index';
import { getFlags } from '../../src/flags';

beforeAll(() => wt.ready());

/** A small classifier with fixed initial weights (seeded initializers: no shared random state). */
function makeModel(seed: number): wt.Sequential {
  const m = wt.sequential();
  m.add(wt.layers.dense({ units: 32, activation: 'relu', inputShape: [20], kernelInitializer: wt.initializers.glorotUniform({ seed }) }));
  m.add(wt.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: wt.initializers.glorotUniform({ seed: seed + 1 }) }));
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

function data(seed: number, n: number): [wt.Tensor, wt.Tensor] {
  const x = wt.randomNormal([n, 20], 0, 1, seed);
  const labels = wt.argMax(wt.matMul(x, wt.randomNormal([20, 4], 0, 1, seed + 1)), 1);
  return [x, wt.oneHot(labels, 4)];
}

const fitArgs = { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 } as const;

async function trainAlone(seed: number): Promise<{ loss: number[]; weights: number[][] }> {
  const m = makeModel(seed);
  const [x, y] = data(seed, 512);
  const h = await m.fit(x, y, fitArgs);
  return { loss: h.history.loss, weights: m.getWeights().map((w) => Array.from(w.dataSync())) };
}

describe('concurrency', () => {
  it('two models trained at once (interleaved awaits) end exactly as each does alone', async () => {
    const aloneA = await trainAlone(11);
    const aloneB = await trainAlone(23);
    const [mA, mB] = [makeModel(11), makeModel(23)];
    const [[xA, yA], [xB, yB]] = [data(11, 512), data(23, 512)];
    let interleaved = 0;
    let last = '';
    const tag = (name: string) => ({ onBatchEnd: () => { if (last !== name) interleaved++; last = name; } });
    const [hA, hB] = await Promise.all([
      mA.fit(xA, yA, { ...fitArgs, callbacks: [tag('A'), { onBatchEnd: () => new Promise((r) => setTimeout(r, 0)) }] }),
      mB.fit(xB, yB, { ...fitArgs, callbacks: [tag('B'), { onBatchEnd: () => new Promise((r) => setTimeout(r, 0)) }] }),
    ]);
    expect(interleaved).toBeGreaterThan(10); // they really ran interleaved
    expect(hA.history.loss).toEqual(aloneA.loss);
    expect(hB.history.loss).toEqual(aloneB.loss);
    expect(mA.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(aloneA.weights);
    expect(mB.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(aloneB.weights);
  });

  it('predict during fit (on the model being trained and on another) changes nothing', async () => {
    const alone = await trainAlone(5);
    const m = makeModel(5);
    const other = makeModel(99);
    const [x, y] = data(5, 512);
    const probe = wt.randomNormal([7, 20], 0, 1, 3);
    const otherBefore = Array.from(other.predict(probe).dataSync());
    let predictions = 0;
    const h = await m.fit(x, y, {
      ...fitArgs,
      callbacks: [{
        onBatchEnd: async () => {
          wt.tidy(() => { m.predict(probe); other.predict(probe); });
          predictions++;
          await new Promise((r) => setTimeout(r, 0));
        },
      }],
    });
    expect(predictions).toBe(3 * 32);
    expect(h.history.loss).toEqual(alone.loss);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(alone.weights);
    expect(Array.from(other.predict(probe).dataSync())).toEqual(otherBefore);
  });

  it('the worker pool: large kernels back to back while the thread count changes never hang and stay correct', async () => {
    const saved = { threadsMinMatMul: getFlags().threadsMinMatMul, threadsMinElements: getFlags().threadsMinElements };
    const threadsBefore = wt.getThreads();
    wt.setFlags({ threadsMinMatMul: 0, threadsMinElements: 0 }); // every call goes through the pool
    try {
      const a = wt.randomNormal([96, 80], 0, 1, 1);
      const b = wt.randomNormal([80, 72], 0, 1, 2);
      await wt.setThreads(1);
      const want = Array.from(wt.matMul(a, b).dataSync());
      const wantSum = wt.sum(wt.relu(a)).dataSync()[0];
      for (let round = 0; round < 30; round++) {
        await wt.setThreads(1 + (round % 3));
        for (let i = 0; i < 5; i++) {
          const got = wt.tidy(() => Array.from(wt.matMul(a, b).dataSync()));
          expect(got).toEqual(want);
          expect(wt.tidy(() => wt.sum(wt.relu(a)).dataSync()[0])).toBeCloseTo(wantSum, 3);
        }
      }
    } finally {
      wt.setFlags(saved);
      await wt.setThreads(threadsBefore);
    }
  });
});
