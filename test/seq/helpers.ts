// Shared checks for the sequence-layer tests: run one of our layers and the
// tfjs-layers layer of the same configuration on the same input with the same
// weights (setWeights on both), and compare the outputs and the gradients of
// S = sum(y * w) (w a fixed random weighting) with respect to the input and
// to every trainable weight.
import { expect } from 'vitest';
import * as tfl from '@tensorflow/tfjs-layers';
import { rand, relErr, setup, tf, wt } from '../models/helpers';

export { rand, relErr, setup, tf, tfl, wt };

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** A reference for layers tfjs-layers cannot run as they are (causal padding, channelsFirst Conv1D): maps the input and output around `theirs`. */
export interface Around {
  input?: (x: tf.Tensor) => tf.Tensor;
  output?: (y: tf.Tensor) => tf.Tensor;
}

export interface Compared {
  output: Float32Array;
  grads: Float32Array[];
}

let uid = 0;

/**
 * Builds both layers on `x`, gives them the same random weights, and checks
 * output and gradients (input gradient only for float inputs). Returns ours.
 */
export function compareWithTfjs(ours: wt.Layer, theirs: tfl.layers.Layer, shape: number[], x: Float32Array | Int32Array,
  opts: { tol?: number; gradTol?: number; grads?: boolean; around?: Around; weightScale?: number } = {}): Compared {
  const dtype = x instanceof Int32Array ? 'int32' : 'float32';
  const tx = tf.tensor(x, shape, dtype);
  const around = opts.around ?? {};
  const run = (input: tf.Tensor) => {
    const mapped = around.input ? around.input(input) : input;
    const y = theirs.apply(mapped) as tf.Tensor;
    return around.output ? around.output(y) : y;
  };
  run(tx); // builds
  const wx = wt.tensor(x, shape, dtype);
  (ours.apply(wx) as wt.Tensor).dispose(); // builds
  const shapes = theirs.getWeights().map((t) => t.shape);
  expect(ours.getWeights().map((t) => t.shape), 'weight shapes').toEqual(shapes);
  const init = shapes.map((s, i) => rand(size(s), 100 + i + shape.length, opts.weightScale ?? 0.5));
  theirs.setWeights(init.map((v, i) => tf.tensor(v, shapes[i])));
  ours.setWeights(init.map((v, i) => wt.tensor(v, shapes[i])));

  const want = run(tx);
  const got = ours.apply(wx) as wt.Tensor;
  expect(got.shape, 'output shape').toEqual(want.shape);
  const output = got.dataSync() as Float32Array;
  expect(relErr(output, want.dataSync() as Float32Array), 'output').toBeLessThan(opts.tol ?? 1e-5);
  if (opts.grads === false) return { output, grads: [] };

  const w = rand(size(want.shape), 7 + want.size);
  const tw = tf.tensor(w, want.shape);
  const wwt = wt.tensor(w, want.shape);
  const theirVars: tf.Variable[] = theirs.trainableWeights.map((v) => v.read() as tf.Variable);
  const id = uid++;
  const tfInput = dtype === 'float32' ? tf.variable(tx, true, `seq_x_${id}`) : null;
  const tfVars = [...(tfInput ? [tfInput] : []), ...theirVars];
  const tfGrads = tf.variableGrads(() => tf.sum(tf.mul(run(tfInput ?? tx), tw)) as tf.Scalar, tfVars).grads;
  const wtInput = dtype === 'float32' ? wt.variable(wx, true, `seq_x_${id}`) : null;
  const wtVars = [...(wtInput ? [wtInput] : []), ...ours.trainableWeights];
  const wtGrads = wt.variableGrads(() => wt.sum(wt.mul(ours.apply(wtInput ?? wx) as wt.Tensor, wwt)), wtVars).grads;
  const grads = wtVars.map((v, i) => {
    const g = wtGrads[v.name].dataSync() as Float32Array;
    const r = tfGrads[tfVars[i].name].dataSync() as Float32Array;
    expect(relErr(g, r), `gradient of ${v.name}`).toBeLessThan(opts.gradTol ?? 1e-4);
    return g;
  });
  wtInput?.dispose();
  tfInput?.dispose();
  return { output, grads };
}
