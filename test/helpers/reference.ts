// Independent reference side of the test suite.
//
// - TF.js (tfjs-core + the plain-JS cpu backend) is the reference for every op
//   TF.js has with the same semantics.
// - Where TF.js differs from our contract (numpy string indexing, dot for
//   rank > 2, uint8, true division of ints, numpy empty-reduction rules, gelu)
//   the reference is plain float64 JS written here.
//
// Nothing in this file imports wasmtensor: the reference must never depend on
// the code under test. (test/helpers/wt.ts holds the wasmtensor-side glue.)
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { expect } from 'vitest';

export { tf };

let tfReady: Promise<boolean> | null = null;
/** Select the TF.js cpu backend (idempotent). */
export async function setupTf(): Promise<void> {
  if (!tfReady) tfReady = tf.setBackend('cpu');
  const ok = await tfReady;
  if (!ok || tf.getBackend() !== 'cpu') throw new Error('tfjs cpu backend unavailable');
}

// ---------------------------------------------------------------- PRNG / data

/** mulberry32: small deterministic PRNG, returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type DType = 'float32' | 'int32' | 'uint8' | 'bool';

export interface RefData {
  shape: number[];
  dtype: DType;
  data: Float32Array | Int32Array | Uint8Array;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export interface GenOpts {
  seed?: number;
  lo?: number;
  hi?: number;
  dtype?: DType;
  /** for float data: keep values away from 0 by at least this much */
  avoidZero?: number;
}

let autoSeed = 1;
/**
 * Random data of a shape. float32 -> Float32Array uniform in [lo, hi);
 * int32 -> Int32Array integers in [lo, hi]; uint8 -> Uint8Array in [lo, hi].
 */
export function randData(shape: number[], opts: GenOpts = {}): RefData {
  const dtype = opts.dtype ?? 'float32';
  const rnd = prng(opts.seed ?? autoSeed++ * 7919);
  const n = sizeOf(shape);
  if (dtype === 'float32') {
    const lo = opts.lo ?? -3;
    const hi = opts.hi ?? 3;
    const d = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let v = lo + (hi - lo) * rnd();
      if (opts.avoidZero && Math.abs(v) < opts.avoidZero) v = v < 0 ? -opts.avoidZero : opts.avoidZero;
      d[i] = v;
    }
    return { shape: [...shape], dtype, data: d };
  }
  const lo = opts.lo ?? (dtype === 'uint8' ? 0 : -20);
  const hi = opts.hi ?? (dtype === 'uint8' ? 255 : 20);
  const d = dtype === 'int32' ? new Int32Array(n) : new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let v = lo + Math.floor((hi - lo + 1) * rnd());
    if (opts.avoidZero && v === 0) v = 1;
    d[i] = v;
  }
  return { shape: [...shape], dtype: dtype === 'bool' ? 'bool' : dtype, data: d };
}

/** TF.js tensor holding the same values (uint8 -> int32: TF.js has no uint8). */
export function tfOf(r: RefData): tf.Tensor {
  if (r.dtype === 'float32') return tf.tensor(r.data as Float32Array, r.shape, 'float32');
  if (r.dtype === 'bool') return tf.tensor(Array.from(r.data), r.shape, 'bool');
  return tf.tensor(Int32Array.from(r.data), r.shape, 'int32');
}

// ---------------------------------------------------------------- comparison

export interface RefValue {
  shape: number[];
  dtype?: string;
  data: ArrayLike<number | boolean>;
}

export interface CloseOpts {
  rtol?: number;
  atol?: number;
  /** expected dtype; defaults to the reference's dtype; false = do not check */
  dtype?: string | false;
  /** label printed on failure */
  msg?: string;
}

function isTfTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor;
}

function refToValue(ref: tf.Tensor | RefValue): RefValue {
  if (isTfTensor(ref)) return { shape: ref.shape.slice(), dtype: ref.dtype, data: ref.dataSync() as ArrayLike<number> };
  return ref;
}

/** Compare flat numeric arrays; NaN matches NaN, +-Infinity must match exactly. */
export function compareValues(
  got: ArrayLike<number | boolean>,
  want: ArrayLike<number | boolean>,
  rtol: number,
  atol: number,
): string | null {
  if (got.length !== want.length) return `length ${got.length} != ${want.length}`;
  let bad = 0;
  let first = '';
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const g = Number(got[i]);
    const w = Number(want[i]);
    let ok: boolean;
    if (Number.isNaN(w)) ok = Number.isNaN(g);
    else if (!Number.isFinite(w)) ok = g === w;
    else {
      const err = Math.abs(g - w);
      ok = err <= atol + rtol * Math.abs(w);
      if (!Number.isFinite(g)) ok = false;
      if (err > worst) worst = err;
    }
    if (!ok) {
      if (bad === 0) first = `first mismatch at flat index ${i}: got ${g}, want ${w}`;
      bad++;
    }
  }
  if (bad) return `${bad}/${want.length} values differ (rtol ${rtol}, atol ${atol}); ${first}; max abs err ${worst}`;
  return null;
}

/**
 * Compare a wasmtensor tensor with a reference (TF.js tensor or {shape, dtype, data}).
 * Shapes must be equal, dtype must equal opts.dtype ?? ref.dtype (unless false),
 * values within atol + rtol*|want|. Integer/bool dtypes are compared exactly.
 */
export function expectClose(ours: any, ref: tf.Tensor | RefValue, opts: CloseOpts = {}): void {
  const r = refToValue(ref);
  const label = opts.msg ? `${opts.msg}: ` : '';
  expect(Array.isArray(ours.shape), `${label}shape is an array`).toBe(true);
  expect([...ours.shape], `${label}shape`).toEqual([...r.shape]);
  const wantDtype = opts.dtype === undefined ? r.dtype : opts.dtype;
  if (wantDtype) expect(ours.dtype, `${label}dtype`).toBe(wantDtype);
  const exact = ours.dtype === 'int32' || ours.dtype === 'uint8' || ours.dtype === 'bool';
  const rtol = exact ? 0 : (opts.rtol ?? 1e-5);
  const atol = exact ? 0 : (opts.atol ?? 1e-6);
  const got = ours.dataSync() as ArrayLike<number>;
  const err = compareValues(got, r.data, rtol, atol);
  if (err) {
    const show = (a: ArrayLike<number | boolean>) =>
      Array.from(a as ArrayLike<number>).slice(0, 8).map(Number).join(', ');
    expect.fail(`${label}${err}\n  got  [${show(got)}${got.length > 8 ? ', ...' : ''}]\n  want [${show(r.data)}${r.data.length > 8 ? ', ...' : ''}]`);
  }
}

/** Flatten a nested JS array (numbers / booleans) row-major. */
export function flatten(a: unknown): number[] {
  if (!Array.isArray(a)) return [Number(a)];
  const out: number[] = [];
  const rec = (x: unknown) => {
    if (Array.isArray(x)) for (const y of x) rec(y);
    else out.push(Number(x));
  };
  rec(a);
  return out;
}

/** Shape of a (rectangular) nested JS array. */
export function shapeOfNested(a: unknown): number[] {
  const s: number[] = [];
  let x = a;
  while (Array.isArray(x)) {
    s.push(x.length);
    x = x[0];
  }
  return s;
}

/** Build a nested array from flat data and shape (for arraySync comparisons). */
export function nest(data: ArrayLike<number>, shape: number[]): unknown {
  if (shape.length === 0) return data[0];
  let pos = 0;
  const rec = (d: number): unknown => {
    const n = shape[d];
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(d === shape.length - 1 ? data[pos++] : rec(d + 1));
    return out;
  };
  return rec(0);
}

export function stridesOf(shape: readonly number[]): number[] {
  const st = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) st[i] = st[i + 1] * shape[i + 1];
  return st;
}

// ---------------------------------------------------------------- numpy basic indexing (float64 JS)

export type IndexItem =
  | { kind: 'int'; i: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { kind: 'ellipsis' };

/** Parse a numpy basic-index string like '10:100, :, -1' or '..., ::-2'. */
export function parseIndex(spec: string): IndexItem[] {
  const s = spec.trim();
  if (s === '') return [];
  return s.split(',').map((raw) => {
    const p = raw.trim();
    if (p === '...') return { kind: 'ellipsis' } as const;
    if (!p.includes(':')) {
      if (!/^[-+]?\d+$/.test(p)) throw new Error(`refIndex: bad item '${p}'`);
      return { kind: 'int', i: parseInt(p, 10) } as const;
    }
    const parts = p.split(':');
    if (parts.length > 3) throw new Error(`refIndex: bad slice '${p}'`);
    const num = (t: string | undefined) => (t === undefined || t.trim() === '' ? null : parseInt(t.trim(), 10));
    return { kind: 'slice', start: num(parts[0]), stop: num(parts[1]), step: num(parts[2]) } as const;
  });
}

/** numpy slice.indices(len): [start, step, count]. */
export function sliceIndices(
  len: number,
  start: number | null,
  stop: number | null,
  step: number | null,
): [number, number, number] {
  const st = step ?? 1;
  if (st === 0) throw new Error('slice step cannot be zero');
  let a: number;
  let b: number;
  if (st > 0) {
    a = start === null ? 0 : start < 0 ? Math.max(0, start + len) : Math.min(start, len);
    b = stop === null ? len : stop < 0 ? Math.max(0, stop + len) : Math.min(stop, len);
  } else {
    a = start === null ? len - 1 : start < 0 ? Math.max(-1, start + len) : Math.min(start, len - 1);
    b = stop === null ? -1 : stop < 0 ? Math.max(-1, stop + len) : Math.min(stop, len - 1);
  }
  const count = st > 0 ? Math.max(0, Math.ceil((b - a) / st)) : Math.max(0, Math.ceil((a - b) / -st));
  return [a, st, count];
}

/**
 * Reference numpy basic indexing on flat row-major data.
 * Returns the result shape and values (as plain numbers).
 */
export function refIndex(data: ArrayLike<number>, shape: number[], spec: string | IndexItem[]): { shape: number[]; data: number[] } {
  let items = typeof spec === 'string' ? parseIndex(spec) : spec;
  const nEll = items.filter((x) => x.kind === 'ellipsis').length;
  if (nEll > 1) throw new Error('refIndex: more than one ellipsis');
  const nAxes = items.filter((x) => x.kind !== 'ellipsis').length;
  if (nAxes > shape.length) throw new Error('refIndex: too many indices');
  const fill: IndexItem[] = Array.from({ length: shape.length - nAxes }, () => ({ kind: 'slice', start: null, stop: null, step: null }) as IndexItem);
  if (nEll) {
    const k = items.findIndex((x) => x.kind === 'ellipsis');
    items = [...items.slice(0, k), ...fill, ...items.slice(k + 1)];
  } else items = [...items, ...fill];
  const strides = stridesOf(shape);
  let offset = 0;
  const outShape: number[] = [];
  const outStrides: number[] = [];
  items.forEach((it, ax) => {
    const len = shape[ax];
    if (it.kind === 'int') {
      const i = it.i < 0 ? it.i + len : it.i;
      if (i < 0 || i >= len) throw new Error(`refIndex: index ${it.i} is out of bounds for axis ${ax} with size ${len}`);
      offset += i * strides[ax];
    } else if (it.kind === 'slice') {
      const [a, st, cnt] = sliceIndices(len, it.start, it.stop, it.step);
      outShape.push(cnt);
      outStrides.push(st * strides[ax]);
      if (cnt > 0) offset += a * strides[ax];
    }
  });
  const n = sizeOf(outShape);
  const out: number[] = new Array(n);
  const idx = new Array(outShape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let off = offset;
    for (let d = 0; d < idx.length; d++) off += idx[d] * outStrides[d];
    out[k] = Number(data[off]);
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d] < outShape[d]) break;
      idx[d] = 0;
    }
  }
  return { shape: outShape, data: out };
}

/** Random valid numpy basic-index string for a shape (ints, slices incl. negative steps, '...'). */
export function randomIndexSpec(shape: number[], rnd: () => number): string {
  const ri = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const nAx = ri(0, shape.length);
  // with an ellipsis at `pos`, items before it index axes 0..pos-1 and the
  // items after it index the last nAx-pos axes
  const ell = rnd() < 0.3 ? ri(0, nAx) : -1;
  const axes: number[] = [];
  for (let j = 0; j < nAx; j++) axes.push(ell >= 0 && j >= ell ? shape.length - (nAx - j) : j);
  const parts: string[] = axes.map((ax) => {
    const len = shape[ax];
    const r = rnd();
    if (r < 0.2 && len > 0) return String(ri(-len, len - 1));
    if (r < 0.3) return ':';
    const pick = () => (rnd() < 0.25 ? '' : String(ri(-len - 2, len + 2)));
    const step = rnd() < 0.4 ? '' : String([1, 2, 3, -1, -2, -3][ri(0, 5)]);
    return step === '' ? `${pick()}:${pick()}` : `${pick()}:${pick()}:${step}`;
  });
  if (ell >= 0) parts.splice(ell, 0, '...');
  return parts.join(', ');
}

// ---------------------------------------------------------------- other float64 references

/** erf to ~1e-12 (Taylor series for |x| < 3, continued fraction for erfc beyond). */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const c = term / (2 * n + 1);
      sum += c;
      if (Math.abs(c) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(ax) via Lentz continued fraction
  const tiny = 1e-300;
  let f = ax;
  let C = ax;
  let D = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    D = ax + an * D;
    D = D === 0 ? tiny : 1 / D;
    C = ax + an / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x > 0 ? 1 - erfc : erfc - 1;
}

export function geluRef(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** Row-major float64 matmul of (m,k)x(k,n). */
export function refMatMul2d(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const av = a[i * k + p];
      for (let j = 0; j < n; j++) out[i * n + j] += av * b[p * n + j];
    }
  return out;
}

/**
 * TF.js/numpy matmul reference in float64 with optional transposes and numpy
 * broadcasting of the batch dims (TF.js cpu gets some broadcast batch cases
 * wrong, e.g. (4,1,6,3)x(5,3,2), so batched tests use this).
 */
export function refMatMul(a: RefValue, b: RefValue, ta = false, tb = false): { shape: number[]; data: number[] } {
  const A = Array.from(a.data as ArrayLike<number>, Number);
  const B = Array.from(b.data as ArrayLike<number>, Number);
  const ar = a.shape.length, br = b.shape.length;
  const [ra, ca] = [a.shape[ar - 2], a.shape[ar - 1]];
  const [rb, cb] = [b.shape[br - 2], b.shape[br - 1]];
  const m = ta ? ca : ra, k = ta ? ra : ca;
  const k2 = tb ? cb : rb, n = tb ? rb : cb;
  if (k !== k2) throw new Error('refMatMul: inner mismatch');
  const ba = a.shape.slice(0, -2), bb = b.shape.slice(0, -2);
  const nb = Math.max(ba.length, bb.length);
  const pa = [...Array(nb - ba.length).fill(1), ...ba], pb = [...Array(nb - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => {
    if (d !== pb[i] && d !== 1 && pb[i] !== 1) throw new Error('refMatMul: batch mismatch');
    return d === 1 ? pb[i] : d;
  });
  const out: number[] = [];
  const nBatch = sizeOf(batch);
  const sa = stridesOf(pa), sb = stridesOf(pb);
  for (let t = 0; t < nBatch; t++) {
    let rem = t, oa = 0, ob = 0;
    for (let d = nb - 1; d >= 0; d--) {
      const i = rem % batch[d];
      rem = Math.floor(rem / batch[d]);
      if (pa[d] !== 1) oa += i * sa[d];
      if (pb[d] !== 1) ob += i * sb[d];
    }
    const baseA = oa * ra * ca, baseB = ob * rb * cb;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = ta ? A[baseA + p * ca + i] : A[baseA + i * ca + p];
          const bv = tb ? B[baseB + j * cb + p] : B[baseB + p * cb + j];
          s += av * bv;
        }
        out.push(s);
      }
  }
  return { shape: [...batch, m, n], data: out };
}

/**
 * numpy dot reference (float64): N-d · 1-d sums over the last axis of a;
 * N-d · M-d (M >= 2) sums over last of a and second-to-last of b.
 */
export function refDot(a: RefValue, b: RefValue): { shape: number[]; data: number[] } {
  const A = Array.from(a.data as ArrayLike<number>, Number);
  const B = Array.from(b.data as ArrayLike<number>, Number);
  const as = a.shape;
  const bs = b.shape;
  if (as.length === 0 || bs.length === 0) {
    const s = as.length === 0 ? A[0] : B[0];
    const other = as.length === 0 ? { sh: bs, d: B } : { sh: as, d: A };
    return { shape: [...other.sh], data: other.d.map((v) => v * s) };
  }
  const k = as[as.length - 1];
  if (bs.length === 1) {
    if (bs[0] !== k) throw new Error('refDot: mismatch');
    const rows = A.length / k;
    const out: number[] = [];
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[r * k + p] * B[p];
      out.push(s);
    }
    return { shape: as.slice(0, -1), data: out };
  }
  const kb = bs[bs.length - 2];
  const n = bs[bs.length - 1];
  if (kb !== k) throw new Error('refDot: mismatch');
  const bBatch = B.length / (kb * n);
  const rows = A.length / k;
  const out: number[] = [];
  for (let r = 0; r < rows; r++)
    for (let bb = 0; bb < bBatch; bb++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A[r * k + p] * B[bb * kb * n + p * n + j];
        out.push(s);
      }
  return { shape: [...as.slice(0, -1), ...bs.slice(0, -2), n], data: out };
}

/** All subsets of [0..rank) (for reductions over every axis combination). */
export function axisSubsets(rank: number): number[][] {
  const out: number[][] = [];
  for (let m = 1; m < 1 << rank; m++) {
    const s: number[] = [];
    for (let i = 0; i < rank; i++) if (m & (1 << i)) s.push(i);
    out.push(s);
  }
  return out;
}

/** Shape after reducing `axes` (non-negative) with keepDims. */
export function reducedShape(shape: number[], axes: number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(d);
  });
  return out;
}

/** Collect an error thrown by fn (fails the test if nothing is thrown). */
export function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  return expect.fail('expected an error to be thrown') as never;
}
