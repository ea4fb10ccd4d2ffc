// Shared setup for the recurrent-layer tests: our layers and tfjs-layers'
// (cpu backend) built with the same weights, and a gradient comparison of a
// random projection of the outputs.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import { maxAbsDiff, rand, setup, tf, tfl, wt } from '../io/helpers';
import { GRU } from '../../src/layers/gru';
import { LSTM, SimpleRNN, type RNNBase } from '../../src/layers/recurrent';

export { maxAbsDiff, rand, setup, tf, tfl, wt };

export type Kind = 'SimpleRNN' | 'LSTM' | 'GRU';

export function make(kind: Kind, args: Record<string, unknown>): { ours: RNNBase; theirs: tfl.layers.Layer } {
  const ours = kind === 'LSTM' ? new LSTM(args as never) : kind === 'GRU' ? new GRU(args as never) : new SimpleRNN(args as never);
  const theirs = kind === 'LSTM' ? tfl.layers.lstm(args as never) : kind === 'GRU' ? tfl.layers.gru(args as never) : tfl.layers.simpleRNN(args as never);
  return { ours, theirs };
}

/** Builds both for [*, T, inDim] and gives them the same random weights (scale ~0.5). */
export function pair(kind: Kind, args: Record<string, unknown>, inDim: number, seed = 1): { ours: RNNBase; theirs: tfl.layers.Layer } {
  const p = make(kind, args);
  p.ours.build([null, null, inDim]);
  // tfjs-layers' RNN.build leaves the layer unbuilt for apply(): build it by a call.
  p.theirs.apply(tf.zeros([1, 1, inDim]));
  const shapes = p.theirs.getWeights().map((w) => w.shape);
  const values = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), seed * 7 + i, 0.5));
  p.theirs.setWeights(values.map((v, i) => tf.tensor(v, shapes[i])));
  p.ours.setWeights(values.map((v, i) => wt.tensor(v, shapes[i])));
  return p;
}

/** Outputs of one call as flat arrays (tfjs apply, our callWithState). */
export function forward(p: { ours: RNNBase; theirs: tfl.layers.Layer }, x: Float32Array, shape: number[], mask?: Float32Array): { ours: Float32Array[]; theirs: Float32Array[] } {
  const xt = tf.tensor(x, shape);
  const kwargs = mask ? { mask: tf.tensor(mask, shape.slice(0, 2), 'bool') } : {};
  const t = p.theirs.apply(xt, kwargs) as tf.Tensor | tf.Tensor[];
  const theirs = (Array.isArray(t) ? t : [t]).map((v) => v.dataSync() as Float32Array);
  const xo = wt.tensor(x, shape);
  const m = mask ? wt.tensor(mask, shape.slice(0, 2)) : undefined;
  const o = p.ours.callWithState(xo, { mask: m });
  const ours = o.map((v) => v.dataSync() as Float32Array);
  return { ours, theirs };
}
