// Conv1D and the wt.conv1d op. The op against tf.conv1d (forward and
// gradients, and finite differences): 'valid' / 'same', strides, dilation,
// NWC and NCW, one unbatched sequence, and 'causal', whose reference is a
// left tf.pad + 'valid'. Dilated references build the dilated filter from
// tf ops (zeros between the taps) and use an undilated tf.conv1d, since
// TF.js has no gradient for dilated convolution. The layer against
// tfjs-layers' Conv1D with the same weights; tfjs-layers cannot run causal
// padding or channelsFirst Conv1D (it throws / returns NWC), so those run it
// on the padded or transposed input instead.
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGrad, rand as gcRand } from '../autograd/gradcheck';
import { compareWithTfjs, rand, relErr, setup, tf, tfl, wt } from './helpers';

beforeAll(setup);

type Pad = 'valid' | 'same' | 'causal';

/** The filter [k, C, F] with dilation d as an undilated [(k-1)d+1, C, F] filter (zeros between the taps), in tf ops. */
function dilate(filter: tf.Tensor, d: number): tf.Tensor {
  if (d === 1) return filter;
  const [k, c, f] = filter.shape;
  const spread = tf.pad(tf.reshape(filter, [k, 1, c, f]), [[0, 0], [0, d - 1], [0, 0], [0, 0]]);
  return tf.slice(tf.reshape(spread, [k * d, c, f]), [0, 0, 0], [(k - 1) * d + 1, c, f]);
}

/** tf.conv1d with causal padding and dilation through undilated tf ops. */
function reference(x: tf.Tensor, filter: tf.Tensor, stride: number, pad: Pad, format: 'NWC' | 'NCW', dilation: number): tf.Tensor {
  let seq = format === 'NCW' ? tf.transpose(x, x.rank === 3 ? [0, 2, 1] : [1, 0]) : x;
  const k = filter.shape[0];
  if (pad === 'causal') seq = tf.pad(seq, x.rank === 3 ? [[0, 0], [(k - 1) * dilation, 0], [0, 0]] : [[(k - 1) * dilation, 0], [0, 0]]);
  const y = tf.conv1d(seq as tf.Tensor3D, dilate(filter, dilation) as tf.Tensor3D, stride, pad === 'causal' ? 'valid' : pad, 'NWC', 1);
  return format === 'NCW' ? tf.transpose(y, y.rank === 3 ? [0, 2, 1] : [1, 0]) : y;
}

describe('wt.conv1d vs tf.conv1d: forward and gradients', () => {
  const cases: Array<{ x: number[]; k: number; f: number; stride: number; pad: Pad; format: 'NWC' | 'NCW'; dilation: number }> = [
    { x: [2, 9, 3], k: 3, f: 4, stride: 1, pad: 'valid', format: 'NWC', dilation: 1 },
    { x: [2, 10, 3], k: 4, f: 2, stride: 2, pad: 'same', format: 'NWC', dilation: 1 },
    { x: [3, 8, 2], k: 3, f: 3, stride: 3, pad: 'valid', format: 'NWC', dilation: 1 },
    { x: [2, 11, 2], k: 3, f: 3, stride: 1, pad: 'valid', format: 'NWC', dilation: 2 },
    { x: [2, 9, 3], k: 2, f: 2, stride: 1, pad: 'same', format: 'NWC', dilation: 3 },
    { x: [2, 7, 3], k: 3, f: 4, stride: 1, pad: 'causal', format: 'NWC', dilation: 1 },
    { x: [2, 9, 2], k: 3, f: 2, stride: 1, pad: 'causal', format: 'NWC', dilation: 2 },
    { x: [2, 9, 2], k: 2, f: 3, stride: 2, pad: 'causal', format: 'NWC', dilation: 1 },
    { x: [2, 3, 8], k: 3, f: 2, stride: 1, pad: 'valid', format: 'NCW', dilation: 1 },
    { x: [2, 2, 9], k: 3, f: 3, stride: 2, pad: 'same', format: 'NCW', dilation: 1 },
    { x: [2, 3, 8], k: 2, f: 2, stride: 1, pad: 'causal', format: 'NCW', dilation: 2 },
    { x: [7, 3], k: 3, f: 2, stride: 1, pad: 'same', format: 'NWC', dilation: 1 },
  ];
  test.each(cases)('x $x, k $k, f $f, stride $stride, $pad, $format, dilation $dilation', ({ x, k, f, stride, pad, format, dilation }) => {
    const c = format === 'NCW' ? x[x.length - 2] : x[x.length - 1];
    checkGrad({
      inputs: [gcRand(x, { lo: -1, hi: 1 }), gcRand([k, c, f], { lo: -1, hi: 1 })],
      ours: (a, b) => wt.conv1d(a, b, stride, pad, format, dilation),
      ref: (a, b) => reference(a, b, stride, pad, format, dilation),
    });
  });

  test('causal: output t depends on inputs <= t only', () => {
    const x = wt.variable(wt.randomNormal([1, 8, 2], 0, 1, 3), true, 'causal_x');
    const filter = wt.randomNormal([3, 2, 2], 0, 1, 4);
    const dy = wt.zeros([1, 8, 2]).add(wt.oneHot(wt.tensor([4], undefined, 'int32'), 8).reshape([1, 8, 1]));
    const g = wt.variableGrads(() => wt.sum(wt.mul(wt.conv1d(x, filter, 1, 'causal', 'NWC', 2), dy)), [x]).grads.causal_x;
    const perStep = wt.sum(wt.abs(g), [0, 2]).dataSync();
    // Output step 4 with kernel 3, dilation 2 reads steps 0, 2 and 4.
    expect(Array.from(perStep).map((v) => v > 0)).toEqual([true, false, true, false, true, false, false, false]);
    x.dispose();
  });

  test('bad input', () => {
    expect(() => wt.conv1d(wt.ones([1, 5, 3]), wt.ones([2, 4, 1]))).toThrow(/^conv1d: x has 3 input channels \(shape \[1,5,3\], NWC\) but filter expects 4/);
    expect(() => wt.conv1d(wt.ones([1, 5, 3, 1]), wt.ones([2, 3, 1]))).toThrow(/^conv1d: x must have rank 3/);
    expect(() => wt.conv1d(wt.ones([1, 5, 3]), wt.ones([2, 3]))).toThrow(/^conv1d: filter must have rank 3/);
    expect(() => wt.conv1d(wt.ones([1, 5, 3]), wt.ones([2, 3, 1]), 1, 'full' as never)).toThrow(/^conv1d: pad must be 'valid', 'same' or 'causal'/);
    expect(() => wt.conv1d(wt.ones([1, 5, 3]), wt.ones([2, 3, 1]), 0)).toThrow(/^conv1d: stride must be a positive integer/);
    expect(() => wt.conv1d(wt.ones([1, 5, 3]), wt.ones([2, 3, 1]), 2, 'valid', 'NWC', 2)).toThrow(/^conv1d: strides \[1,2\] and dilations \[1,2\] cannot both be greater than 1/);
    expect(() => wt.conv1d(wt.ones([1, 2, 3]), wt.ones([4, 3, 1]))).toThrow(/^conv1d: filter width 4/);
  });
});

describe('Conv1D vs tfjs-layers Conv1D (same weights): outputs and gradients', () => {
  type Row = { name: string; args: Record<string, unknown>; shape: number[]; around?: 'causal' | 'channelsFirst' };
  const rows: Row[] = [
    { name: 'valid, bias, linear', args: { filters: 4, kernelSize: 3 }, shape: [3, 10, 5] },
    { name: 'same, stride 2, relu', args: { filters: 3, kernelSize: 4, strides: 2, padding: 'same', activation: 'relu' }, shape: [2, 11, 3] },
    { name: 'valid, no bias, tanh, kernelSize [2]', args: { filters: 5, kernelSize: [2], useBias: false, activation: 'tanh' }, shape: [2, 6, 4] },
    { name: 'dilation 2 (forward)', args: { filters: 2, kernelSize: 3, dilationRate: 2 }, shape: [2, 12, 3] },
    { name: 'causal, sigmoid', args: { filters: 3, kernelSize: 3, padding: 'causal', activation: 'sigmoid' }, shape: [2, 8, 2], around: 'causal' },
    { name: 'channelsFirst, same', args: { filters: 3, kernelSize: 3, padding: 'same', dataFormat: 'channelsFirst' }, shape: [2, 4, 9], around: 'channelsFirst' },
    { name: 'channelsFirst, valid, stride 2, relu', args: { filters: 2, kernelSize: 2, strides: 2, dataFormat: 'channelsFirst', activation: 'relu' }, shape: [3, 3, 7], around: 'channelsFirst' },
  ];
  test.each(rows.map((r) => [r.name, r] as const))('%s', (_, row) => {
    const ours = wt.layers.conv1d(row.args as never);
    const theirArgs: Record<string, unknown> = { ...row.args };
    let around;
    if (row.around === 'causal') {
      theirArgs.padding = 'valid';
      const left = ((row.args.kernelSize as number) - 1) * ((row.args.dilationRate as number | undefined) ?? 1);
      around = { input: (x: tf.Tensor) => tf.pad(x, [[0, 0], [left, 0], [0, 0]]) };
    } else if (row.around === 'channelsFirst') {
      delete theirArgs.dataFormat;
      around = { input: (x: tf.Tensor) => tf.transpose(x, [0, 2, 1]), output: (y: tf.Tensor) => tf.transpose(y, [0, 2, 1]) };
    }
    const theirs = tfl.layers.conv1d(theirArgs as never);
    const n = row.shape.reduce((a, b) => a * b, 1);
    const dilated = ((row.args.dilationRate as number | undefined) ?? 1) > 1;
    compareWithTfjs(ours, theirs, row.shape, rand(n, n, 1), { around, grads: !dilated });
    // computeOutputShape with a null batch (and null steps) matches the real output.
    const out = (ours.apply(wt.ones(row.shape)) as wt.Tensor).shape;
    expect(ours.computeOutputShape([null, ...row.shape.slice(1)])).toEqual([null, ...out.slice(1)]);
    if (!row.around) expect(ours.computeOutputShape([null, ...row.shape.slice(1)])).toEqual(theirs.computeOutputShape([null, ...row.shape.slice(1)]));
  });

  test('null steps stay null; causal keeps the length; Keras defaults', () => {
    expect(wt.layers.conv1d({ filters: 2, kernelSize: 3 }).computeOutputShape([null, null, 4])).toEqual([null, null, 2]);
    expect(wt.layers.conv1d({ filters: 2, kernelSize: 5, padding: 'causal', dilationRate: 2 }).computeOutputShape([null, 9, 4])).toEqual([null, 9, 2]);
    expect(wt.layers.conv1d({ filters: 2, kernelSize: 3, dataFormat: 'channelsFirst', strides: 2 }).computeOutputShape([null, 4, 9])).toEqual([null, 2, 4]);
    const c = wt.layers.conv1d({ filters: 4, kernelSize: 3 });
    expect([c.strides, c.padding, c.dilationRate, c.dataFormat, c.useBias, c.activation.name]).toEqual([1, 'valid', 1, 'channelsLast', true, 'linear']);
    expect(c.kernelInitializer.className).toBe('GlorotUniform');
    expect(c.name).toMatch(/^conv1d(_\d+)?$/);
    (c.apply(wt.ones([1, 5, 2])) as wt.Tensor).dispose();
    expect(c.getWeights().map((w) => w.shape)).toEqual([[3, 2, 4], [4]]);
    expect(c.getConfig()).toMatchObject({ filters: 4, kernelSize: [3], strides: [1], dilationRate: [1], padding: 'valid' });
  });

  test('bad arguments and inputs', () => {
    expect(() => wt.layers.conv1d({ filters: 0, kernelSize: 3 })).toThrow(/^conv1d: filters must be a positive integer/);
    expect(() => wt.layers.conv1d({ filters: 2, kernelSize: [3, 3] as never })).toThrow(/^conv1d: kernelSize must be a positive integer \(or a list of one\), got \[3,3\]/);
    expect(() => wt.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'full' as never })).toThrow(/^conv1d: padding must be 'valid', 'same' or 'causal'/);
    expect(() => wt.layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow(/^conv1d: strides 2 and dilationRate 2 cannot both be greater than 1/);
    const c = wt.layers.conv1d({ filters: 2, kernelSize: 3, name: 'c1d_bad' });
    expect(() => c.apply(wt.ones([2, 5]))).toThrow(/^c1d_bad: layer 'c1d_bad' expects inputs of rank 3 \(batch, steps, channels\), got shape \[null,5\]/);
    (c.apply(wt.ones([1, 5, 2])) as wt.Tensor).dispose();
    expect(() => c.apply(wt.ones([1, 5, 3]))).toThrow(/^c1d_bad: layer 'c1d_bad' expects inputs of shape \[null,5,2\], got \[null,5,3\]/);
    c.dispose();
  });
});

test('training: conv1d(causal) -> globalMaxPooling1d -> dense, one step vs tfjs-layers trainOnBatch (valid conv there on the padded input)', async () => {
  const [n, t, c] = [6, 9, 3];
  const x = rand(n * t * c, 5, 1);
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const ours = wt.sequential({ layers: [
    wt.layers.conv1d({ filters: 4, kernelSize: 3, padding: 'causal', activation: 'relu', inputShape: [t, c] }),
    wt.layers.globalMaxPooling1d(), wt.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
  const theirs = tfl.sequential({ layers: [
    tfl.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [t + 2, c] }),
    tfl.layers.globalMaxPooling1d(), tfl.layers.dense({ units: 3, activation: 'softmax' }),
  ] });
  const shapes = theirs.getWeights().map((w) => w.shape);
  const init = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 20 + i, 0.5));
  theirs.setWeights(init.map((v, i) => tf.tensor(v, shapes[i])));
  ours.setWeights(init.map((v, i) => wt.tensor(v, shapes[i])));
  theirs.compile({ optimizer: tf.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy' });
  const padded = tf.pad(tf.tensor(x, [n, t, c]), [[0, 0], [2, 0], [0, 0]]);
  const wantLoss = (await theirs.trainOnBatch(padded, tf.tensor(labels, [n], 'float32'))) as number;
  ours.compile({ optimizer: new wt.SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
  const h = await ours.fit(wt.tensor(x, [n, t, c]), wt.tensor(labels, [n], 'int32'), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
  expect(Math.abs(h.history.loss[0] - wantLoss)).toBeLessThan(1e-5);
  const want = theirs.getWeights().map((w) => w.dataSync() as Float32Array);
  ours.getWeights().forEach((w, i) => expect(relErr(w.dataSync(), want[i]), `weight ${i}`).toBeLessThan(1e-4));
  ours.dispose();
});
