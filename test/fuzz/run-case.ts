// Runs one fuzz case on wasmtensor and on TF.js (cpu backend) and compares
// the chain's result and the gradient of sum(chain(x) * g) with respect to x,
// where x is read through the case's strided view. Throws a message that
// replays the case when they differ.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as wt from '../../src/index';
import { values, type Case } from './cases';
import { applyOurs, applyRef, describeStep, shapeAfter } from './ops';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** The shape of the tensor the view is taken from, and the view on each side. */
function bigShape(c: Case): number[] {
  const v = c.view;
  if (v.kind === 'none') return c.shape;
  if (v.kind === 'transpose') {
    const big = new Array<number>(c.shape.length);
    v.perm.forEach((p, i) => (big[p] = c.shape[i]));
    return big;
  }
  return c.shape.map((d, i) => v.offsets[i] + d * v.steps[i]);
}

function viewOurs(big: wt.Tensor, c: Case): wt.Tensor {
  const v = c.view;
  if (v.kind === 'none') return big;
  if (v.kind === 'transpose') return wt.transpose(big, v.perm);
  let x = big.index(v.offsets.map((o, i) => `${o}:${o + c.shape[i] * v.steps[i]}:${v.steps[i]}`).join(','));
  if (v.reverse.some(Boolean)) x = x.index(v.reverse.map((r) => (r ? '::-1' : ':')).join(','));
  return x;
}

function viewRef(big: tf.Tensor, c: Case): tf.Tensor {
  const v = c.view;
  if (v.kind === 'none') return big;
  if (v.kind === 'transpose') return tf.transpose(big, v.perm);
  let x = tf.stridedSlice(big, v.offsets, v.offsets.map((o, i) => o + c.shape[i] * v.steps[i]), v.steps);
  const axes = v.reverse.flatMap((r, i) => (r ? [i] : []));
  if (axes.length > 0) x = tf.reverse(x, axes);
  return x;
}

export function describeCase(c: Case): string {
  const view = c.view.kind === 'none' ? 'contiguous' : c.view.kind === 'transpose' ? `transpose of [${bigShape(c)}] by [${c.view.perm}]` :
    `strided view of [${bigShape(c)}] (offsets [${c.view.offsets}], steps [${c.view.steps}], reversed [${c.view.reverse}])`;
  return `x [${c.shape}] (${view}, seed ${c.seed}) -> ${c.steps.map(describeStep).join(' -> ')}`;
}

export function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} values, TF.js has ${want.length}`);
  let scale = 1;
  for (let i = 0; i < want.length; i++) if (Number.isFinite(want[i])) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    const a = got[i];
    const b = want[i];
    if (Number.isNaN(b) ? Number.isNaN(a) : a === b || Math.abs(a - b) <= 2e-4 * Math.abs(b) + 2e-5 * scale) continue;
    throw new Error(`${what}: element ${i} is ${a}, TF.js says ${b}`);
  }
}

function sameShape(got: readonly number[], want: readonly number[], what: string): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i])) throw new Error(`${what}: shape [${got}], TF.js has [${want}]`);
}

export function runCase(c: Case): void {
  const big = bigShape(c);
  const data = values(size(big), c.seed);
  let outShape = c.shape;
  for (const s of c.steps) outShape = shapeAfter(outShape, s);
  const g = values(size(outShape), c.seed + 1);

  const ours = wt.tidy(() => {
    const x = viewOurs(wt.tensor(data, big), c);
    sameShape(x.shape, c.shape, 'view');
    const chain = (t: wt.Tensor) => c.steps.reduce(applyOurs, t);
    const y = chain(x);
    const dx = wt.grad((t: wt.Tensor) => wt.sum(wt.mul(chain(t), wt.tensor(g, outShape))))(x);
    return { shape: y.shape, y: y.dataSync(), dxShape: dx.shape, dx: dx.dataSync() };
  });
  const ref = tf.tidy(() => {
    const x = viewRef(tf.tensor(data, big), c);
    const chain = (t: tf.Tensor) => c.steps.reduce(applyRef, t);
    const y = chain(x);
    const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(chain(t), tf.tensor(g, outShape))))(x);
    return { shape: y.shape, y: y.dataSync(), dx: dx.dataSync() };
  });
  sameShape(ours.shape, ref.shape, 'result');
  close(ours.y, ref.y, 'result');
  sameShape(ours.dxShape, c.shape, 'gradient');
  close(ours.dx, ref.dx, 'gradient');
}
