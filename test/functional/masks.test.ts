// Keras masks flow along the graph's edges as along a Sequential stack: a
// layer's computeMask goes with its output to the next calls (here into an
// LSTM, which carries its state over masked steps).
import { beforeAll, describe, expect, test } from 'vitest';
import { maxDiff, randTensor, setup, wt } from './helpers';

beforeAll(setup);

/** Passes values through and masks the timesteps whose features sum to 0 (Embedding maskZero's rule, on floats). */
class ZeroStepMask extends wt.Layer {
  readonly className = 'ZeroStepMask';
  call(x: wt.Tensor): wt.Tensor {
    return x;
  }
  override computeMask(x: wt.Tensor): wt.Tensor {
    return wt.notEqual(wt.sum(wt.abs(x), -1), 0);
  }
}

describe('masks in a functional model', () => {
  test('an LSTM after a mask-making layer sees the mask, as in Sequential', () => {
    const x = randTensor([3, 5, 2], 1);
    // Zero the last two steps of the first sample: padding the mask should skip.
    const padded = wt.mul(x, wt.tensor([1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 5, 1]));
    const masker = new ZeroStepMask({ name: 'zsm' });
    const lstm = wt.layers.lstm({ units: 4, name: 'masked_lstm' });
    const inp = wt.input({ shape: [5, 2], name: 'seq' });
    const out = lstm.apply(masker.apply(inp) as wt.SymbolicTensor) as wt.SymbolicTensor;
    const m = wt.model({ inputs: inp, outputs: out });
    const seq = wt.sequential({ layers: [new ZeroStepMask({ name: 'zsm2', inputShape: [5, 2] }), lstm] });
    const functional = (m.predict(padded) as wt.Tensor).dataSync();
    expect(maxDiff(functional, (seq.predict(padded) as wt.Tensor).dataSync())).toBeLessThan(1e-6);
    // Without the mask the padded steps would change the first sample's state.
    const plain = (lstm.apply(padded) as wt.Tensor).dataSync();
    expect(maxDiff(functional.slice(0, 4), plain.slice(0, 4))).toBeGreaterThan(1e-4);
    expect(maxDiff(functional.slice(4), plain.slice(4))).toBeLessThan(1e-6);
    m.dispose();
  });

  test('Embedding(maskZero) -> LSTM on an int32 input: same as Sequential, and through save/load', async () => {
    const ids = wt.tensor([[3, 1, 4, 0, 0, 0], [5, 9, 2, 6, 5, 3]], [2, 6], 'int32');
    const emb = wt.layers.embedding({ inputDim: 10, outputDim: 3, maskZero: true, name: 'tok_emb' });
    const lstm = wt.layers.lstm({ units: 4, name: 'tok_lstm' });
    const inp = wt.input({ shape: [6], dtype: 'int32', name: 'tokens' });
    const out = lstm.apply(emb.apply(inp) as wt.SymbolicTensor) as wt.SymbolicTensor;
    const m = wt.model({ inputs: inp, outputs: out });
    expect(out.shape).toEqual([null, 4]);
    const seq = wt.sequential({ layers: [emb, lstm] });
    const p = (m.predict(ids) as wt.Tensor).dataSync();
    expect(maxDiff(p, (seq.predict(ids) as wt.Tensor).dataSync())).toBeLessThan(1e-6);
    let saved: wt.ModelArtifacts | undefined;
    await m.save(wt.io.withSaveHandler((a) => { saved = a; }));
    const loaded = (await wt.loadLayersModel(wt.io.fromMemory(saved!))) as wt.LayersModel;
    expect(maxDiff((loaded.predict(ids) as wt.Tensor).dataSync(), p)).toBeLessThan(1e-6);
    m.dispose();
    loaded.dispose();
  });
});
