// The fused Dense backward (src/ops/matMul with a bias/activation epilogue
// under a gradient tape): one recorded node whose backward runs the activation
// gradient kernel, the two GEMMs and one column reduction for the bias. Its
// gradients are checked against the same expression built from separate ops
// (matMul -> add -> activation, the path it replaced) and against tf.grad; a
// 20-step training run must give the losses of a hand-written training loop on
// separate ops (to 1e-6) and of tfjs-layers' trainOnBatch.
import { beforeAll, describe, expect, test } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as op from '../../assembly/opcodes';
import { beginTape, releaseTape, withTape } from '../../src/autograd/tape';
import { matMul } from '../../src/ops/matmul';
import { expectClose, randData, tf, tfOf } from '../helpers/reference';
import { setupBoth, W, wt } from '../helpers/wt';

beforeAll(setupBoth);

const w = wt as any;
const ACTS: Record<string, { code: number; ours: (x: any) => any; theirs: (x: any) => any }> = {
  linear: { code: op.ACT_NONE, ours: (x) => x, theirs: (x) => x },
  relu: { code: op.U_RELU, ours: w.relu, theirs: tf.relu },
  relu6: { code: op.U_RELU6, ours: w.relu6, theirs: (x) => tf.clipByValue(x, 0, 6) },
  sigmoid: { code: op.U_SIGMOID, ours: w.sigmoid, theirs: tf.sigmoid },
  tanh: { code: op.U_TANH, ours: w.tanh, theirs: tf.tanh },
  // gelu's gradient needs its input: it keeps the separate-ops path under a tape.
  gelu: { code: op.U_GELU, ours: (x) => w.gelu(x), theirs: null as never },
};

interface Case { act: string; aShape: number[]; bShape: number[]; tA?: boolean; tB?: boolean; bias?: boolean }

const CASES: Case[] = [
  ...Object.keys(ACTS).map((act) => ({ act, aShape: [13, 21], bShape: [21, 10], bias: true })),
  { act: 'relu', aShape: [13, 21], bShape: [21, 10], bias: false },
  { act: 'linear', aShape: [5, 7], bShape: [7, 3], bias: true },
  { act: 'relu', aShape: [21, 13], bShape: [10, 21], tA: true, tB: true, bias: true },
  { act: 'tanh', aShape: [13, 21], bShape: [10, 21], tB: true, bias: true },
  // A batched input with a shared kernel: the bias gradient sums over both leading axes.
  { act: 'relu', aShape: [3, 6, 9], bShape: [9, 5], bias: true },
  { act: 'sigmoid', aShape: [1, 17], bShape: [17, 4], bias: true },
];

/** A fixed, non-uniform upstream gradient: sum(y * weights). */
function weighting(shape: number[]): Float32Array {
  const n = shape.reduce((p, d) => p * d, 1);
  return Float32Array.from({ length: n }, (_, i) => ((i * 37) % 11) / 5 - 1);
}

describe('fused Dense backward', () => {
  test.each(CASES)('$act a$aShape b$bShape tA=$tA tB=$tB bias=$bias', (c) => {
    const act = ACTS[c.act];
    const n = c.tB ? c.bShape[c.bShape.length - 2] : c.bShape[c.bShape.length - 1];
    const ra = randData(c.aShape, { seed: 1, lo: -1, hi: 1 });
    const rb = randData(c.bShape, { seed: 2, lo: -1, hi: 1 });
    const rbias = randData([n], { seed: 3, lo: -0.5, hi: 0.5 });
    const outShape = [...c.aShape.slice(0, -2), c.tA ? c.aShape[c.aShape.length - 1] : c.aShape[c.aShape.length - 2], n];
    const wgt = weighting(outShape);
    w.tidy(() => {
      const a = W(ra), b = W(rb), bias = W(rbias);
      const inputs = c.bias ? [a, b, bias] : [a, b];
      const weights = w.tensor(wgt, outShape);
      const fused = w.grads((x: any, k: any, bb?: any) =>
        w.sum(w.mul(matMul(x, k, c.tA, c.tB, { bias: bb, activation: act.code }), weights)))(inputs);
      const separate = w.grads((x: any, k: any, bb?: any) => {
        let z = w.matMul(x, k, c.tA, c.tB);
        if (bb) z = w.add(z, bb);
        return w.sum(w.mul(act.ours(z), weights));
      })(inputs);
      fused.forEach((g: any, i: number) => expectClose(g, { shape: separate[i].shape, dtype: 'float32', data: separate[i].dataSync() }, { rtol: 1e-5, atol: 1e-6, msg: `input ${i} vs separate ops` }));
      if (c.act === 'gelu') return;
      const tw = tf.tensor(wgt, outShape);
      const tfInputs = c.bias ? [tfOf(ra), tfOf(rb), tfOf(rbias)] : [tfOf(ra), tfOf(rb)];
      const want = tf.grads((x: any, k: any, bb?: any) => {
        // (tf.matMul wants equal ranks: repeat the shared kernel over the batch.)
        const kk = x.rank > k.rank ? tf.broadcastTo(k, [...x.shape.slice(0, -2), ...k.shape]) : k;
        let z = tf.matMul(x, kk, c.tA, c.tB);
        if (bb) z = tf.add(z, bb);
        return tf.sum(tf.mul(act.theirs(z), tw));
      })(tfInputs);
      fused.forEach((g: any, i: number) => expectClose(g, want[i], { rtol: 1e-4, atol: 1e-5, msg: `input ${i} vs tf.grads` }));
    });
  });

  test('a Dense layer records one tape node for relu/sigmoid/tanh/linear (the fused path), three for gelu', () => {
    const recorded = (activation: string) => w.tidy(() => {
      const layer = w.layers.dense({ units: 4, activation, inputShape: [3] });
      const x = w.ones([2, 3]);
      layer.apply(x);
      const tape = beginTape();
      try {
        layer.trainableWeights.forEach((v: any) => tape.watch(v));
        withTape(tape, () => layer.apply(x));
        return tape.nodes.map((node) => node.op);
      } finally {
        releaseTape(tape);
      }
    });
    for (const act of ['relu', 'sigmoid', 'tanh', 'linear', 'relu6']) expect(recorded(act), act).toEqual(['matMul']);
    expect(recorded('gelu')).toEqual(['matMul', 'add', 'gelu']);
  });

  test('a first layer: gradients for the kernel and bias only, vs tf.grads; no tensors left behind', () => {
    const before = w.memory().numTensors;
    const x = W(randData([8, 6], { seed: 4 }));
    const [k0, b0] = [W(randData([6, 4], { seed: 5 })), W(randData([4], { seed: 6 }))];
    const k = w.variable(k0, true, 'fd_k');
    const b = w.variable(b0, true, 'fd_b');
    const { value, grads } = w.variableGrads(() => w.sum(matMul(x, k, false, false, { bias: b, activation: op.U_RELU })), [k, b]);
    expect(Object.keys(grads).sort()).toEqual(['fd_b', 'fd_k']);
    const want = tf.grads((kk: any, bb: any) => tf.sum(tf.relu(tf.add(tf.matMul(tfOf(randData([8, 6], { seed: 4 })), kk), bb))))([
      tfOf(randData([6, 4], { seed: 5 })), tfOf(randData([4], { seed: 6 })),
    ]);
    expectClose(grads.fd_k, want[0], { rtol: 1e-5, atol: 1e-6 });
    expectClose(grads.fd_b, want[1], { rtol: 1e-5, atol: 1e-6 });
    [value, grads.fd_k, grads.fd_b, x, k, b, k0, b0].forEach((t: any) => t.dispose());
    expect(w.memory().numTensors).toBe(before);
  });
});

describe('20 training steps (784-style MLP at small size, rmsprop, categorical CE)', () => {
  const [n, d, h, c, steps] = [32, 20, 24, 5, 20];
  const shapes = [[d, h], [h], [h, c], [c]];
  const init = shapes.map((s, i) => randData(s, { seed: 40 + i, lo: -0.4, hi: 0.4 }).data as Float32Array);
  const xs = randData([steps, n, d], { seed: 50, lo: 0, hi: 1 }).data as Float32Array;
  const labels = Int32Array.from({ length: steps * n }, (_, i) => (i * 7 + (i >> 3)) % c);
  const oneHot = Float32Array.from({ length: steps * n * c }, (_, i) => (labels[Math.floor(i / c)] === i % c ? 1 : 0));
  const batch = (s: number) => [xs.subarray(s * n * d, (s + 1) * n * d), oneHot.subarray(s * n * c, (s + 1) * n * c)];

  /** Sequential.fit one batch at a time (the fused path): the loss of every step. */
  async function oursFit(): Promise<number[]> {
    const model = w.sequential({
      layers: [w.layers.dense({ units: h, activation: 'relu', inputShape: [d] }), w.layers.dense({ units: c, activation: 'softmax' })],
    });
    model.setWeights(init.map((v, i) => w.tensor(v, shapes[i])));
    model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      const [bx, by] = batch(s);
      const hist = await model.fit(w.tensor(bx, [n, d]), w.tensor(by, [n, c]), { epochs: 1, batchSize: n, shuffle: false, verbose: 0 });
      losses.push(hist.history.loss[0]);
    }
    model.dispose();
    return losses;
  }

  /** The same training written with separate ops (matMul, add, relu) and the RMSprop optimizer. */
  function plainOps(): number[] {
    const vars = init.map((v, i) => w.variable(w.tensor(v, shapes[i]), true, `plain_${i}`));
    const opt = new w.RMSprop();
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      const [bx, by] = batch(s);
      w.tidy(() => {
        const x = w.tensor(bx, [n, d]);
        const y = w.tensor(by, [n, c]);
        const { value, grads } = w.variableGrads(() => {
          const hid = w.relu(w.add(w.matMul(x, vars[0]), vars[1]));
          const logits = w.add(w.matMul(hid, vars[2]), vars[3]);
          return w.mean(w.softmaxCrossEntropyWithLogits(y, logits));
        }, vars);
        opt.applyGradients(grads);
        losses.push(value.dataSync()[0]);
      });
    }
    vars.forEach((v: any) => v.dispose());
    return losses;
  }

  async function tfjsLayers(): Promise<number[]> {
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ units: h, activation: 'relu', inputShape: [d] }), tfl.layers.dense({ units: c, activation: 'softmax' })],
    });
    model.setWeights(init.map((v, i) => tf.tensor(v, shapes[i])));
    model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      const [bx, by] = batch(s);
      losses.push((await model.trainOnBatch(tf.tensor(bx, [n, d]), tf.tensor(by, [n, c]))) as number);
    }
    return losses;
  }

  test('same losses as the separate-ops loop (1e-6) and as tfjs-layers trainOnBatch', async () => {
    const ours = await oursFit();
    const plain = plainOps();
    const theirs = await tfjsLayers();
    ours.forEach((l, i) => expect(Math.abs(l - plain[i]), `step ${i}: ${l} vs ${plain[i]}`).toBeLessThanOrEqual(1e-6));
    // TF.js' RMSprop puts epsilon outside the sqrt (Keras inside): losses drift apart slowly.
    ours.forEach((l, i) => expect(Math.abs(l - theirs[i]), `step ${i}: ${l} vs tfjs ${theirs[i]}`).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(theirs[i]))));
    expect(ours[steps - 1]).toBeLessThan(ours[0]);
  });
});
