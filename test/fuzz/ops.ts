// The op vocabulary of the differential fuzzer: each step of a random chain
// names one op that wasmtensor and TF.js (tfjs-core, cpu backend) define with
// the same semantics, applied the same way to both. Steps carry everything
// they need (axes, partner data) so a shrunk case replays exactly.
import * as tf from '@tensorflow/tfjs-core';
import * as wt from '../../src/index';

export const UNARY = ['neg', 'abs', 'square', 'tanh', 'sigmoid', 'relu', 'sin', 'cos', 'softplus', 'elu'] as const;
export const BINARY = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'squaredDifference'] as const;
export const REDUCE = ['sum', 'mean', 'max', 'min'] as const;

export type Step =
  | { kind: 'unary'; op: (typeof UNARY)[number] }
  /** `other` broadcasts against the running value: its shape is derived from it (see partnerShape). */
  | { kind: 'binary'; op: (typeof BINARY)[number]; shape: number[]; data: number[]; swap: boolean }
  | { kind: 'reduce'; op: (typeof REDUCE)[number]; axes: number[]; keepDims: boolean }
  | { kind: 'transpose'; perm: number[] }
  | { kind: 'reshape'; shape: number[] }
  | { kind: 'expandDims'; axis: number }
  | { kind: 'softmax' }
  | { kind: 'matMul'; n: number; data: number[] };

const UNBROADCAST_BUG = new Set(['maximum', 'minimum', 'squaredDifference']);

type W = wt.Tensor;
type T = tf.Tensor;

function partnerValues(step: { op: string; data: number[] }): number[] {
  // A divisor stays in [0.5, 2] (its sign kept): no blow-ups near zero that
  // would turn float32 rounding differences into large ones.
  return step.op === 'div' ? step.data.map((v) => Math.sign(v || 1) * (0.5 + Math.abs(v) * 0.75)) : step.data;
}

export function applyOurs(x: W, s: Step): W {
  switch (s.kind) {
    case 'unary': return (wt as unknown as Record<string, (t: W) => W>)[s.op](x);
    case 'binary': {
      const other = wt.tensor(partnerValues(s), s.shape);
      const f = (wt as unknown as Record<string, (a: W, b: W) => W>)[s.op];
      return s.swap ? f(other, x) : f(x, other);
    }
    case 'reduce': return (wt as unknown as Record<string, (t: W, a: number[], k: boolean) => W>)[s.op](x, s.axes, s.keepDims);
    case 'transpose': return wt.transpose(x, s.perm);
    case 'reshape': return wt.reshape(x, s.shape);
    case 'expandDims': return wt.expandDims(x, s.axis);
    case 'softmax': return wt.softmax(x, -1);
    case 'matMul': return wt.matMul(x, wt.tensor(s.data, [x.shape[x.shape.length - 1], s.n]));
  }
}

export function applyRef(x: T, s: Step): T {
  switch (s.kind) {
    case 'unary': return (tf as unknown as Record<string, (t: T) => T>)[s.op](x);
    case 'binary': {
      let other = tf.tensor(partnerValues(s), s.shape);
      const f = (tf as unknown as Record<string, (a: T, b: T) => T>)[s.op];
      if (UNBROADCAST_BUG.has(s.op)) {
        // TF.js's gradients of these ops do not sum over broadcast axes (they
        // throw or return the wrong shape): broadcast explicitly first, so
        // add's gradient does that part (broadcastTo's has no rank-5+ tile gradient).
        const zeros = tf.zeros(shapeAfter(x.shape, s));
        x = tf.add(x, zeros);
        other = tf.add(other, zeros);
      }
      return s.swap ? f(other, x) : f(x, other);
    }
    case 'reduce': {
      if (s.op === 'mean') {
        // numpy's rule, which wasmtensor follows: the mean of nothing is NaN
        // (0 / 0); TF.js returns 0. Same value as tf.mean everywhere else.
        const count = s.axes.reduce((n, a) => n * x.shape[a], 1);
        return tf.div(tf.sum(x, s.axes, s.keepDims), count);
      }
      return (tf as unknown as Record<string, (t: T, a: number[], k: boolean) => T>)[s.op](x, s.axes, s.keepDims);
    }
    case 'transpose': return tf.transpose(x, s.perm);
    case 'reshape': return tf.reshape(x, s.shape);
    case 'expandDims': return tf.expandDims(x, s.axis);
    case 'softmax': return tf.softmax(x, -1);
    case 'matMul': {
      // tf.matMul broadcasts batch dims only between equal ranks: lift the matrix.
      const k = x.shape[x.shape.length - 1];
      const w = tf.tensor(s.data, [k, s.n]);
      if (x.rank === 2) return tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
      const lead = x.shape.slice(0, -2);
      const rows = x.shape[x.shape.length - 2];
      const flat = tf.reshape(x, [lead.reduce((a, d) => a * d, rows), k]);
      return tf.reshape(tf.matMul(flat as tf.Tensor2D, w as tf.Tensor2D), [...lead, rows, s.n]);
    }
  }
}

/** The shape after a step (the generator uses it to build the next step). */
export function shapeAfter(shape: number[], s: Step): number[] {
  switch (s.kind) {
    case 'unary':
    case 'softmax': return shape;
    case 'binary': {
      const r = Math.max(shape.length, s.shape.length);
      const a = [...Array(r - shape.length).fill(1), ...shape];
      const b = [...Array(r - s.shape.length).fill(1), ...s.shape];
      return a.map((d, i) => (d === 1 ? b[i] : d));
    }
    case 'reduce': return s.keepDims ? shape.map((d, i) => (s.axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !s.axes.includes(i));
    case 'transpose': return s.perm.map((p) => shape[p]);
    case 'reshape': return s.shape;
    case 'expandDims': return [...shape.slice(0, s.axis), 1, ...shape.slice(s.axis)];
    case 'matMul': return [...shape.slice(0, -1), s.n];
  }
}

export function describeStep(s: Step): string {
  switch (s.kind) {
    case 'unary': return s.op;
    case 'binary': return `${s.op}(${s.swap ? `[${s.shape}], x` : `x, [${s.shape}]`})`;
    case 'reduce': return `${s.op}(axes [${s.axes}], keepDims ${s.keepDims})`;
    case 'transpose': return `transpose([${s.perm}])`;
    case 'reshape': return `reshape([${s.shape}])`;
    case 'expandDims': return `expandDims(${s.axis})`;
    case 'softmax': return 'softmax(-1)';
    case 'matMul': return `matMul(x, [k,${s.n}])`;
  }
}
