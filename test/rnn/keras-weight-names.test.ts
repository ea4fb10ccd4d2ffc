// Weight names as tensorflowjs_converter writes them from Python Keras: a
// recurrent layer's weights sit under its cell ('lstm/lstm_cell/kernel',
// 'bidirectional/forward_lstm/lstm_cell/kernel'), while tfjs-layers and we
// write 'lstm/kernel'. A manifest using Keras' names loads and predicts the same.
import { beforeAll, expect, test } from 'vitest';
import { setup, wt } from '../models/helpers';

beforeAll(setup);

async function artifactsOf(model: wt.Sequential): Promise<any> {
  let saved: any;
  await model.save(wt.io.withSaveHandler(async (a: any) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved;
}

test("LSTM and Bidirectional(GRU) weights under Keras' cell scope load and predict the same", async () => {
  wt.setRandomSeed(4);
  const model = wt.sequential({
    layers: [
      wt.layers.lstm({ units: 5, returnSequences: true, inputShape: [6, 3], name: 'lstm' }),
      wt.layers.bidirectional({ layer: wt.layers.gru({ units: 4, name: 'gru' }), name: 'bidirectional' }),
      wt.layers.dense({ units: 2, name: 'dense' }),
    ],
  });
  const x = wt.randomUniform([7, 6, 3], -1, 1, 'float32', 9);
  const expected = model.predict(x).dataSync();
  const a = await artifactsOf(model);
  const names = a.weightSpecs.map((s: any) => s.name);
  expect(names).toContain('lstm/kernel');
  const cell = (name: string) => name
    .replace(/^lstm\/(kernel|recurrent_kernel|bias)$/, 'lstm/lstm_cell/$1')
    .replace(/^(bidirectional\/(forward|backward)_gru)\/(kernel|recurrent_kernel|bias)$/, '$1/gru_cell/$3');
  const renamed = a.weightSpecs.map((s: any) => ({ ...s, name: cell(s.name) }));
  expect(renamed.map((s: any) => s.name)).toContain('lstm/lstm_cell/kernel');
  expect(renamed.filter((s: any) => s.name.includes('_cell/')).length).toBe(3 + 6);
  model.dispose();
  const loaded = await wt.loadLayersModel(wt.io.fromMemory({ ...a, weightSpecs: renamed }));
  const got = loaded.predict(x).dataSync();
  expect(Array.from(got)).toEqual(Array.from(expected));
  loaded.dispose();
});
