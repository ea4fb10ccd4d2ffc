// Functional models in the TF.js Layers format: a round trip through our
// own save/load (weights, graph, optimizer state), and interop both ways with
// tfjs-layers through the converter's on-disk layout.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { removeTempDirs, tempDir, tfjsFileLoader, tfjsFileSaver } from '../io/helpers';
import { maxDiff, weightDiff, randTensor, setup, tf, tfl, toTf, wt } from './helpers';

beforeAll(setup);
afterAll(removeTempDirs);

/** Two inputs, a shared layer, a merge, two outputs: every part of the format at once. */
function build(prefix: string): wt.LayersModel {
  const a = wt.input({ shape: [3], name: `${prefix}a` });
  const b = wt.input({ shape: [3], name: `${prefix}b` });
  const shared = wt.layers.dense({ units: 4, activation: 'relu', name: `${prefix}shared` });
  const sa = shared.apply(a) as wt.SymbolicTensor;
  const sb = shared.apply(b) as wt.SymbolicTensor;
  const cat = wt.layers.concatenate({ name: `${prefix}cat` }).apply([sa, sb]) as wt.SymbolicTensor;
  const avg = wt.layers.average({ name: `${prefix}avg` }).apply([sa, sb]) as wt.SymbolicTensor;
  const out1 = wt.layers.dense({ units: 2, activation: 'softmax', name: `${prefix}cls` }).apply(cat) as wt.SymbolicTensor;
  const out2 = wt.layers.dense({ units: 1, name: `${prefix}reg` }).apply(avg) as wt.SymbolicTensor;
  return wt.model({ inputs: [a, b], outputs: [out1, out2], name: `${prefix}net` });
}

function predictions(m: { predict(x: never): unknown }, xs: unknown[]): Float32Array[] {
  return (m.predict(xs as never) as Array<{ dataSync(): Float32Array }>).map((t) => t.dataSync() as Float32Array);
}

describe('functional save/load', () => {
  test('the topology is what tfjs-layers writes: Functional, inbound_nodes, input_layers, output_layers', async () => {
    const m = build('t_');
    let saved: wt.ModelArtifacts | undefined;
    await m.save(wt.io.withSaveHandler((art) => { saved = art; }));
    const topo = saved!.modelTopology as { class_name: string; config: { layers: Array<Record<string, unknown>>; input_layers: unknown; output_layers: unknown } };
    expect(topo.class_name).toBe('Functional');
    const byName = Object.fromEntries(topo.config.layers.map((l) => [l.name, l]));
    expect(byName.t_a.class_name).toBe('InputLayer');
    expect(byName.t_a.inbound_nodes).toEqual([]);
    expect(byName.t_shared.inbound_nodes).toEqual([[['t_a', 0, 0, {}]], [['t_b', 0, 0, {}]]]);
    expect(byName.t_cat.inbound_nodes).toEqual([[['t_shared', 0, 0, {}], ['t_shared', 1, 0, {}]]]);
    expect(topo.config.input_layers).toEqual([['t_a', 0, 0], ['t_b', 0, 0]]);
    expect(topo.config.output_layers).toEqual([['t_cls', 0, 0], ['t_reg', 0, 0]]);
    m.dispose();
  });

  test('round trip: same graph, weights and predictions; training resumes with the optimizer state', async () => {
    const m = build('r_');
    const xa = randTensor([6, 3], 1);
    const xb = randTensor([6, 3], 2);
    const yc = wt.utils.toCategorical(wt.tensor([0, 1, 1, 0, 1, 0], [6], 'int32'), 2);
    const yr = randTensor([6, 1], 3);
    m.compile({ optimizer: 'adam', loss: ['categoricalCrossentropy', 'mse'], metrics: { r_cls: ['accuracy'] } });
    await m.fit([xa, xb], [yc, yr], { epochs: 2, batchSize: 3, verbose: 0, shuffle: false });
    let saved: wt.ModelArtifacts | undefined;
    await m.save(wt.io.withSaveHandler((art) => { saved = art; }), { includeOptimizer: true });
    const loaded = (await wt.loadLayersModel(wt.io.fromMemory(saved!))) as wt.LayersModel;
    expect(loaded).toBeInstanceOf(wt.LayersModel);
    expect(loaded.layers.map((l) => l.className)).toEqual(m.layers.map((l) => l.className));
    expect(loaded.inputNames).toEqual(['r_a', 'r_b']);
    // The original is alive, so the loaded weight-bearing layers got fresh names.
    expect(loaded.outputNames.length).toBe(2);
    const p = predictions(m, [xa, xb]);
    const q = predictions(loaded, [xa, xb]);
    p.forEach((v, i) => expect(maxDiff(v, q[i])).toBe(0));
    expect(loaded.metricsNames).toEqual(['loss', `${loaded.outputNames[0]}_loss`, `${loaded.outputNames[1]}_loss`, `${loaded.outputNames[0]}_accuracy`]);
    await m.fit([xa, xb], [yc, yr], { epochs: 1, batchSize: 3, verbose: 0, shuffle: false });
    await loaded.fit([xa, xb], [yc, yr], { epochs: 1, batchSize: 3, verbose: 0, shuffle: false });
    const after = predictions(m, [xa, xb]);
    const resumed = predictions(loaded, [xa, xb]);
    after.forEach((v, i) => expect(maxDiff(v, resumed[i])).toBeLessThan(1e-6));
    m.dispose();
    loaded.dispose();
  });

  test('ours -> tfjs-layers: tf.loadLayersModel reads the files and predicts the same', async () => {
    const m = build('o_');
    const dir = await tempDir();
    await m.save(`file://${dir}`);
    const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
    expect(theirs.layers.map((l) => l.name).sort()).toEqual(m.layers.map((l) => l.name).sort());
    const xa = randTensor([4, 3], 5);
    const xb = randTensor([4, 3], 6);
    const p = predictions(m, [xa, xb]);
    const q = (theirs.predict([toTf(xa), toTf(xb)]) as tf.Tensor[]).map((t) => t.dataSync());
    p.forEach((v, i) => expect(maxDiff(v, q[i])).toBeLessThan(1e-6));
    m.dispose();
  });

  test('tfjs-layers -> ours: tfl.model saved by tfjs loads as a LayersModel with the same outputs', async () => {
    const a = tfl.input({ shape: [3], name: 'ta' });
    const b = tfl.input({ shape: [3], name: 'tb' });
    const shared = tfl.layers.dense({ units: 4, activation: 'relu', name: 'tshared' });
    const sa = shared.apply(a) as tfl.SymbolicTensor;
    const sb = shared.apply(b) as tfl.SymbolicTensor;
    const sum = tfl.layers.add({ name: 'tsum' }).apply([sa, sb]) as tfl.SymbolicTensor;
    const mx = tfl.layers.maximum({ name: 'tmax' }).apply([sa, sb]) as tfl.SymbolicTensor;
    const mul = tfl.layers.multiply({ name: 'tmul' }).apply([sum, mx]) as tfl.SymbolicTensor;
    const cat = tfl.layers.concatenate({ name: 'tcat' }).apply([mul, sa]) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 2, name: 'tout' }).apply(cat) as tfl.SymbolicTensor;
    const theirs = tfl.model({ inputs: [a, b], outputs: out, name: 'tfjs_net' });
    const dir = await tempDir();
    await theirs.save(tfjsFileSaver(dir));
    const ours = (await wt.loadLayersModel(`file://${dir}/model.json`)) as wt.LayersModel;
    expect(ours).toBeInstanceOf(wt.LayersModel);
    expect(ours.name).toBe('tfjs_net');
    expect(ours.layers.map((l) => l.className)).toEqual(['InputLayer', 'InputLayer', 'Dense', 'Add', 'Maximum', 'Multiply', 'Concatenate', 'Dense']);
    const xa = randTensor([5, 3], 7);
    const xb = randTensor([5, 3], 8);
    const p = ours.predict([xa, xb]) as wt.Tensor;
    const q = theirs.predict([toTf(xa), toTf(xb)]) as tf.Tensor;
    expect(maxDiff(p.dataSync(), q.dataSync())).toBeLessThan(1e-5);
    ours.dispose();
  });

  test("Keras 3's form loads: inbound_nodes as { args: [keras tensors], kwargs }, batch_shape, a single input as one ref", async () => {
    const x = wt.input({ shape: [3], name: 'k3_in' });
    const d1 = wt.layers.dense({ units: 2, name: 'k3_d1' }).apply(x) as wt.SymbolicTensor;
    const d2 = wt.layers.dense({ units: 2, name: 'k3_d2' }).apply(x) as wt.SymbolicTensor;
    const sum = wt.layers.add({ name: 'k3_add' }).apply([d1, d2]) as wt.SymbolicTensor;
    const m = wt.model({ inputs: x, outputs: sum, name: 'k3' });
    let saved: wt.ModelArtifacts | undefined;
    await m.save(wt.io.withSaveHandler((art) => { saved = art; }));
    type Ref = [string, number, number, object];
    const topo = saved!.modelTopology as { config: { layers: Array<{ class_name: string; config: Record<string, unknown>; inbound_nodes: Ref[][] | unknown[] }>; input_layers: unknown; output_layers: unknown } };
    const kt = (r: Ref) => ({ class_name: '__keras_tensor__', config: { shape: [null, 2], dtype: 'float32', keras_history: r.slice(0, 3) } });
    for (const l of topo.config.layers) {
      if (l.class_name === 'InputLayer') {
        l.config.batch_shape = l.config.batch_input_shape;
        delete l.config.batch_input_shape;
      }
      l.inbound_nodes = (l.inbound_nodes as Ref[][]).map((refs) => ({ args: [l.class_name === 'Add' ? refs.map(kt) : kt(refs[0])], kwargs: {} }));
    }
    topo.config.input_layers = ['k3_in', 0, 0];
    topo.config.output_layers = ['k3_add', 0, 0];
    const loaded = (await wt.loadLayersModel(wt.io.fromMemory(saved!))) as wt.LayersModel;
    const xs = randTensor([4, 3], 12);
    expect(maxDiff((loaded.predict(xs) as wt.Tensor).dataSync(), (m.predict(xs) as wt.Tensor).dataSync())).toBe(0);
    m.dispose();
    loaded.dispose();
  });

  test('training configs both ways: per-output losses and metrics survive tfjs-layers and back', async () => {
    const m = build('tc_');
    m.compile({ optimizer: wt.train.adam(0.01), loss: { tc_cls: 'categoricalCrossentropy', tc_reg: 'meanSquaredError' }, metrics: { tc_cls: ['accuracy'] } });
    const xa = randTensor([4, 3], 13);
    const xb = randTensor([4, 3], 14);
    const yc = wt.utils.toCategorical(wt.tensor([0, 1, 1, 0], [4], 'int32'), 2);
    const yr = randTensor([4, 1], 15);
    await m.fit([xa, xb], [yc, yr], { epochs: 1, batchSize: 4, verbose: 0 });
    const dir = await tempDir();
    await m.save(`file://${dir}`, { includeOptimizer: true });
    const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
    const ev = theirs.evaluate([toTf(xa), toTf(xb)], [toTf(yc), toTf(yr)]) as tf.Scalar[];
    expect(ev.length).toBeGreaterThan(1);
    const back = await tempDir();
    await theirs.save(tfjsFileSaver(back), { includeOptimizer: true });
    const again = (await wt.loadLayersModel(`file://${back}/model.json`)) as wt.LayersModel;
    // m is alive, so the reloaded layers got fresh names ('tc_cls_1'); the metrics follow them.
    const [cls, reg] = again.outputNames;
    expect(again.metricsNames).toEqual(['loss', `${cls}_loss`, `${reg}_loss`, `${cls}_accuracy`]);
    const ours = (m.evaluate([xa, xb], [yc, yr]) as wt.Tensor[]).map((t) => t.dataSync()[0]);
    const reloaded = (again.evaluate([xa, xb], [yc, yr]) as wt.Tensor[]).map((t) => t.dataSync()[0]);
    expect(maxDiff(ours, reloaded)).toBeLessThan(1e-5);
    m.dispose();
    again.dispose();
  });

  test("class_name 'Model' (older Keras / tfjs) loads too", async () => {
    const m = build('k_');
    let saved: wt.ModelArtifacts | undefined;
    await m.save(wt.io.withSaveHandler((art) => { saved = art; }));
    (saved!.modelTopology as { class_name: string }).class_name = 'Model';
    m.dispose();
    const loaded = await wt.loadLayersModel(wt.io.fromMemory(saved!));
    expect(loaded).toBeInstanceOf(wt.LayersModel);
    (loaded as wt.LayersModel).dispose();
  });

  test('ours loaded in tfjs-layers: one fit step there equals one here', async () => {
    // Guards the weight order across formats: tfjs matches by name and orders its layers by depth.
    const m = build('w_');
    const dir = await tempDir();
    await m.save(`file://${dir}`);
    const theirs = await tfl.loadLayersModel(tfjsFileLoader(dir));
    const xa = randTensor([4, 3], 9);
    const xb = randTensor([4, 3], 10);
    const yc = wt.utils.toCategorical(wt.tensor([0, 1, 1, 0], [4], 'int32'), 2);
    const yr = randTensor([4, 1], 11);
    m.compile({ optimizer: wt.train.sgd(0.1), loss: ['categoricalCrossentropy', 'mse'] });
    theirs.compile({ optimizer: tf.train.sgd(0.1), loss: ['categoricalCrossentropy', 'meanSquaredError'] });
    await m.fit([xa, xb], [yc, yr], { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    await theirs.fit([toTf(xa), toTf(xb)], [toTf(yc), toTf(yr)], { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    expect(weightDiff(m, theirs)).toBeLessThan(1e-5);
    m.dispose();
  });
});
