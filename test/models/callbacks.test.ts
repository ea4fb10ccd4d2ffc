// Callbacks: hook order and counts, async hooks, stopTraining, EarlyStopping
// (Keras 3 semantics, restoreBestWeights).
import { beforeAll, describe, expect, test } from 'vitest';
import { blobs, setup, wt } from './helpers';

beforeAll(setup);

function model(): wt.Sequential {
  const m = wt.sequential({
    layers: [wt.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }), wt.layers.dense({ units: 3, activation: 'softmax' })],
  });
  m.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

describe('callbacks', () => {
  test('hooks fire in order with the right counts and logs; async hooks are awaited', async () => {
    const { x, y } = blobs(50, 1);
    const m = model();
    const events: string[] = [];
    let asyncDone = 0;
    const cb: wt.Callback = {
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onBatchBegin: (b, logs) => void events.push(`batchBegin ${b} size ${logs?.size}`),
      onBatchEnd: async (b, logs) => {
        await new Promise((r) => setTimeout(r, 1));
        asyncDone++;
        events.push(`batchEnd ${b} ${Object.keys(logs ?? {}).sort().join(',')}`);
      },
      onEpochEnd: (e, logs) => void events.push(`epochEnd ${e} ${Object.keys(logs ?? {}).sort().join(',')}`),
      onTrainEnd: () => void events.push('trainEnd'),
    };
    await m.fit(x, y, { epochs: 3, initialEpoch: 1, batchSize: 20, validationSplit: 0.2, callbacks: [cb], verbose: 0 });
    const epoch = (e: number) => [
      `epochBegin ${e}`,
      'batchBegin 0 size 20', 'batchEnd 0 accuracy,loss',
      'batchBegin 1 size 20', 'batchEnd 1 accuracy,loss',
      `epochEnd ${e} accuracy,loss,val_accuracy,val_loss`,
    ];
    expect(events).toEqual(['trainBegin', ...epoch(1), ...epoch(2), 'trainEnd']);
    expect(asyncDone).toBe(4);
    m.dispose();
  });

  test('batch logs are running sample-weighted means; epoch logs equal the last batch logs', async () => {
    const { x, y } = blobs(50, 2);
    const m = model();
    const batches: wt.Logs[] = [];
    const epochs: wt.Logs[] = [];
    await m.fit(x, y, {
      epochs: 1, batchSize: 20, shuffle: false, verbose: 0,
      callbacks: { onBatchEnd: (_, l) => void batches.push({ ...l }), onEpochEnd: (_, l) => void epochs.push({ ...l }) },
    });
    expect(batches).toHaveLength(3); // 20 + 20 + 10
    expect(epochs[0]).toEqual(batches[2]);
    m.dispose();
  });

  test('setting model.stopTraining in a callback ends fit after that batch', async () => {
    const { x, y } = blobs(60, 3);
    const m = model();
    let batches = 0;
    const h = await m.fit(x, y, {
      epochs: 5, batchSize: 10, verbose: 0,
      callbacks: { onBatchEnd: (b) => { batches++; if (b === 2) m.stopTraining = true; } },
    });
    expect(batches).toBe(3);
    expect(h.epoch).toEqual([0]);
    m.dispose();
  });
});

describe('earlyStopping', () => {
  test('stops after `patience` epochs without improvement of the monitored value', async () => {
    const { x, y } = blobs(60, 4);
    const m = model();
    // A fake monitored log: improves for 3 epochs, then stalls.
    const values = [1.0, 0.8, 0.7, 0.71, 0.705, 0.72, 0.69, 0.5];
    const feed: wt.Callback = { onEpochEnd: (e, logs) => { if (logs) logs.custom = values[e]; } };
    const es = wt.callbacks.earlyStopping({ monitor: 'custom', patience: 2 });
    const h = await m.fit(x, y, { epochs: 8, batchSize: 30, verbose: 0, callbacks: [feed, es] });
    expect(h.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(es.stoppedEpoch).toBe(4);
    expect(es.best).toBe(0.7);
    expect(h.history.custom).toEqual([1.0, 0.8, 0.7, 0.71, 0.705]);
    m.dispose();
  });

  test("mode 'auto' maximises accuracy-like logs; minDelta; restoreBestWeights", async () => {
    const { x, y } = blobs(60, 5);
    const m = model();
    const acc = [0.5, 0.6, 0.605, 0.59, 0.58];
    let bestWeights: number[] = [];
    const feed: wt.Callback = {
      onEpochEnd: (e, logs) => {
        if (logs) logs.val_acc = acc[e];
        if (e === 1) bestWeights = Array.from(m.getWeights()[0].dataSync());
      },
    };
    const es = wt.callbacks.earlyStopping({ monitor: 'val_acc', minDelta: 0.01, patience: 2, restoreBestWeights: true });
    expect(es.mode).toBe('max');
    const h = await m.fit(x, y, { epochs: 5, batchSize: 30, verbose: 0, callbacks: [feed, es] });
    // 0.605 is not better than 0.6 by minDelta 0.01: epochs 2 and 3 stall, stop at 3.
    expect(h.epoch).toEqual([0, 1, 2, 3]);
    expect(es.bestEpoch).toBe(1);
    expect(Array.from(m.getWeights()[0].dataSync())).toEqual(bestWeights);
    m.dispose();
  });

  test('default monitor val_loss; bad arguments fail clearly', async () => {
    expect(wt.callbacks.earlyStopping().monitor).toBe('val_loss');
    expect(wt.callbacks.earlyStopping().mode).toBe('min');
    expect(() => wt.callbacks.earlyStopping({ patience: -1 })).toThrow('earlyStopping: patience must be a non-negative integer, got number -1');
    expect(() => wt.callbacks.earlyStopping({ mode: 'up' as never })).toThrow("earlyStopping: mode must be 'auto', 'min' or 'max', got 'up'");
  });
});
