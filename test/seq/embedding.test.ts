// Embedding against tfjs-layers' Embedding with the same table: outputs and
// the table's gradient (a scatter-add: repeated indices accumulate) for int32
// and integer-valued float inputs of rank 1-3, maskZero masks, inputLength
// shapes, the Keras defaults, and out-of-range indices (a clear error naming
// the layer, leaving nothing allocated).
import { beforeAll, describe, expect, test } from 'vitest';
import { compareWithTfjs, setup, tf, tfl, wt } from './helpers';

beforeAll(setup);

/** Deterministic indices in [0, n), with repeats. */
function indices(count: number, n: number, seed: number): Int32Array {
  let a = seed >>> 0;
  return Int32Array.from({ length: count }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a % n;
  });
}

describe('vs tfjs-layers', () => {
  test.each([
    { shape: [4, 6], inputDim: 11, outputDim: 5 },
    { shape: [3, 9], inputDim: 3, outputDim: 8 },
    { shape: [7], inputDim: 20, outputDim: 3 },
    { shape: [2, 3, 4], inputDim: 6, outputDim: 7 },
  ])('output and table gradient: $shape indices, inputDim $inputDim, outputDim $outputDim', ({ shape, inputDim, outputDim }) => {
    const idx = indices(shape.reduce((a, b) => a * b, 1), inputDim, inputDim * 7 + outputDim);
    const ours = wt.layers.embedding({ inputDim, outputDim });
    const theirs = tfl.layers.embedding({ inputDim, outputDim });
    const { grads } = compareWithTfjs(ours, theirs, shape, idx);
    // Every index's row gets one dy row per occurrence: rows never used stay 0.
    const used = new Set(idx);
    for (let r = 0; r < inputDim; r++) {
      const row = grads[0].subarray(r * outputDim, (r + 1) * outputDim);
      if (!used.has(r)) expect(Array.from(row).every((v) => v === 0), `row ${r}`).toBe(true);
    }
  });

  test('float inputs holding integers are cast to int32, as tfjs-layers does', () => {
    const idx = indices(15, 9, 3);
    const ours = wt.layers.embedding({ inputDim: 9, outputDim: 4 });
    const theirs = tfl.layers.embedding({ inputDim: 9, outputDim: 4 });
    compareWithTfjs(ours, theirs, [3, 5], idx);
    const asInt = ours.apply(wt.tensor(idx, [3, 5], 'int32')) as wt.Tensor;
    const asFloat = ours.apply(wt.tensor(Float32Array.from(idx), [3, 5])) as wt.Tensor;
    expect(asFloat.dataSync()).toEqual(asInt.dataSync());
  });

  test('in a Sequential model (whose forward casts inputs to float32) it matches tfjs-layers predict', () => {
    const idx = indices(24, 12, 5);
    const ours = wt.sequential({ layers: [wt.layers.embedding({ inputDim: 12, outputDim: 3, inputLength: 6 }), wt.layers.flatten(), wt.layers.dense({ units: 2 })] });
    const theirs = tfl.sequential({ layers: [tfl.layers.embedding({ inputDim: 12, outputDim: 3, inputLength: 6 }), tfl.layers.flatten(), tfl.layers.dense({ units: 2 })] });
    ours.setWeights(theirs.getWeights().map((t) => wt.tensor(t.dataSync() as Float32Array, t.shape)));
    const want = (theirs.predict(tf.tensor(idx, [4, 6], 'int32')) as tf.Tensor).dataSync();
    const got = ours.predict(wt.tensor(idx, [4, 6], 'int32')).dataSync();
    expect(Array.from(got).map((v, i) => Math.abs(v - want[i])).every((d) => d < 1e-6)).toBe(true);
    ours.dispose();
  });

  test('maskZero: computeMask is input != 0, as tfjs-layers computes it; without maskZero it is null', () => {
    const x = [[3, 1, 0, 0], [0, 2, 5, 0]];
    const ours = wt.layers.embedding({ inputDim: 6, outputDim: 2, maskZero: true });
    const theirs = tfl.layers.embedding({ inputDim: 6, outputDim: 2, maskZero: true });
    const mask = ours.computeMask(wt.tensor(x, undefined, 'int32'));
    const want = ((theirs.computeMask(tf.tensor(x, undefined, 'int32')) as tf.Tensor).arraySync() as number[][]).map((r) => r.map((v) => v === 1));
    expect(mask?.dtype).toBe('bool');
    expect(mask?.arraySync()).toEqual(want);
    // Floats (what a Sequential forward passes) give the same mask.
    expect(ours.computeMask(wt.tensor(x))?.arraySync()).toEqual(want);
    expect(wt.layers.embedding({ inputDim: 6, outputDim: 2 }).computeMask(wt.tensor(x, undefined, 'int32'))).toBeNull();
    // The default for other layers: the incoming mask passes through.
    const m = wt.tensor([[true, false]], undefined, 'bool');
    expect(wt.layers.dense({ units: 2 }).computeMask(wt.ones([1, 2, 3]), m)).toBe(m);
    expect(wt.layers.dense({ units: 2 }).computeMask(wt.ones([1, 2, 3]))).toBeNull();
    // Padding index 0 still looks up row 0 (the mask, not the lookup, marks it).
    const y = ours.apply(wt.tensor([[0]], undefined, 'int32')) as wt.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(ours.getWeights()[0].dataSync().subarray(0, 2)));
  });
});

test('gather keeps its indices for the backward even when the caller disposes them (the layer disposes its reshaped view)', () => {
  const table = wt.variable(wt.randomNormal([6, 3], 0, 1, 2), true, 'gather_keep_table');
  const { grads } = wt.variableGrads(() => {
    const idx = wt.tensor([1, 1, 4], undefined, 'int32');
    const rows = wt.gather(table, idx);
    idx.dispose();
    // Allocations after the dispose would reuse the freed indices' memory.
    wt.ones([64]).dispose();
    return wt.sum(rows);
  }, [table]);
  expect(Array.from(wt.sum(grads.gather_keep_table, 1).dataSync())).toEqual([0, 6, 0, 0, 3, 0]);
  table.dispose();
});

test('in a Sequential model the maskZero mask reaches GlobalAveragePooling1D: padding steps do not count', () => {
  const emb = wt.layers.embedding({ inputDim: 5, outputDim: 2, maskZero: true, inputLength: 4 });
  const model = wt.sequential({ layers: [emb, wt.layers.globalAveragePooling1d()] });
  const table = wt.tensor([[9, 9], [1, 2], [3, 4], [5, 6], [7, 8]]);
  emb.setWeights([table]);
  const y = model.predict(wt.tensor([[1, 3, 0, 0], [4, 0, 0, 0]], undefined, 'int32'));
  expect(y.arraySync()).toEqual([[3, 4], [7, 8]]);
  model.dispose();
});

describe('shapes, defaults, config', () => {
  test('output shapes follow tfjs-layers, with and without inputLength', () => {
    const plain = wt.layers.embedding({ inputDim: 5, outputDim: 3 });
    expect(plain.batchInputShape).toEqual([null, null]);
    expect(plain.computeOutputShape([null, 7])).toEqual([null, 7, 3]);
    expect(plain.computeOutputShape([null, null])).toEqual([null, null, 3]);
    const fixed = wt.layers.embedding({ inputDim: 5, outputDim: 3, inputLength: 4 });
    const theirs = tfl.layers.embedding({ inputDim: 5, outputDim: 3, inputLength: 4 });
    expect(fixed.batchInputShape).toEqual([null, 4]);
    expect(fixed.computeOutputShape([null, null])).toEqual(theirs.computeOutputShape([null, null]));
    expect(fixed.computeOutputShape([2, 4])).toEqual([2, 4, 3]);
    expect(() => fixed.computeOutputShape([null, 5])).toThrow(/inputLength \[4\], but got inputs of shape \[null,5\]/);
    expect(wt.layers.embedding({ inputDim: 5, outputDim: 3, inputShape: [6] }).batchInputShape).toEqual([null, 6]);
    // Sequences of another length after the first call (no inputLength): accepted, as in Keras.
    (plain.apply(wt.tensor([[1, 2, 3]], undefined, 'int32')) as wt.Tensor).dispose();
    expect((plain.apply(wt.tensor([[1, 2, 3, 4, 0]], undefined, 'int32')) as wt.Tensor).shape).toEqual([1, 5, 3]);
  });

  test('Keras defaults: randomUniform(-0.05, 0.05) table, no mask, name embedding', () => {
    const e = wt.layers.embedding({ inputDim: 300, outputDim: 20 });
    expect(e.name).toMatch(/^embedding(_\d+)?$/);
    expect(e.maskZero).toBe(false);
    expect(e.embeddingsInitializer.className).toBe('RandomUniform');
    (e.apply(wt.tensor([1], undefined, 'int32')) as wt.Tensor).dispose();
    const table = e.getWeights()[0];
    expect(table.shape).toEqual([300, 20]);
    expect(wt.max(table).dataSync()[0]).toBeLessThanOrEqual(0.05);
    expect(wt.min(table).dataSync()[0]).toBeGreaterThanOrEqual(-0.05);
    expect(Math.abs(wt.mean(table).dataSync()[0])).toBeLessThan(0.005);
    expect(e.getConfig()).toMatchObject({ inputDim: 300, outputDim: 20, maskZero: false, inputLength: null });
  });

  test('the regularizer adds its penalty on the table', () => {
    const e = wt.layers.embedding({ inputDim: 4, outputDim: 2, embeddingsRegularizer: wt.regularizers.l2({ l2: 0.5 }), embeddingsInitializer: 'ones' });
    (e.apply(wt.tensor([0], undefined, 'int32')) as wt.Tensor).dispose();
    expect(e.regularizationLoss()?.dataSync()[0]).toBeCloseTo(0.5 * 8, 5);
  });
});

describe('bad input', () => {
  const layer = () => {
    const e = wt.layers.embedding({ inputDim: 5, outputDim: 2, name: `emb_bad_${Math.random().toString(36).slice(2, 8)}` });
    (e.apply(wt.tensor([[0]], undefined, 'int32')) as wt.Tensor).dispose();
    return e;
  };

  test.each([
    ['an index = inputDim', [[1, 5]], 'int32', /input index 5 \(flat position 1\) is out of range \[0, 5\); the layer's inputDim is 5/],
    ['a negative index', [[-1, 2]], 'int32', /input index -1 \(flat position 0\) is out of range \[0, 5\)/],
    ['a large float index', [[2, 3, 17.0]], 'float32', /input index 17 \(flat position 2\) is out of range \[0, 5\)/],
  ])('%s: an error naming the layer, nothing left allocated', (_, x, dtype, message) => {
    const e = layer();
    const input = wt.tensor(x as number[][], undefined, dtype as 'int32');
    const before = wt.memory().numTensors;
    expect(() => e.apply(input)).toThrow(new RegExp(`^${e.name}: ${message.source}`));
    expect(wt.memory().numTensors).toBe(before);
    // Also inside fit/predict: the model forwards the layer's error.
    const model = wt.sequential({ layers: [e, wt.layers.globalAveragePooling1d()] });
    expect(() => model.predict(input)).toThrow(new RegExp(`^${e.name}: `));
  });

  test('bool inputs and bad arguments', () => {
    expect(() => layer().apply(wt.tensor([[true]], undefined, 'bool'))).toThrow(/expects integer indices \(int32, or floats holding integers\), got dtype 'bool'/);
    expect(() => wt.layers.embedding({ inputDim: 0, outputDim: 2 })).toThrow(/^embedding: inputDim must be a positive integer, got number 0/);
    expect(() => wt.layers.embedding({ inputDim: 3 } as never)).toThrow(/^embedding: outputDim must be a positive integer, got undefined/);
    expect(() => wt.layers.embedding({ inputDim: 3, outputDim: 2, maskZero: 1 } as never)).toThrow(/^embedding: maskZero must be true or false/);
    expect(() => wt.layers.embedding({ inputDim: 3, outputDim: 2, inputLength: 0 })).toThrow(/^embedding: inputLength must be a positive integer or a list of them/);
    expect(() => wt.layers.embedding({ inputDim: 3, outputDim: 2, input_dim: 3 } as never)).toThrow(/^Embedding: unknown option 'input_dim'/);
    expect(() => wt.layers.embedding(null as never)).toThrow(/^embedding: args must be an object with inputDim and outputDim/);
  });
});
