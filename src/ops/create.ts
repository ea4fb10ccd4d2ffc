// Tensor creation: from JS values, constants, ranges, identity, one-hot and
// seedable random numbers. Filling runs in wasm; only converting the user's
// nested arrays walks elements in JS (that is input parsing, not compute).
import { arrayFor, checkDType, type DType, type TypedArray } from '../dtype';
import { backend } from '../engine';
import { describe, fail, fmtShape } from '../errors';
import { checkShape, sizeOf } from '../shape';
import { Tensor, type NestedArray, type TensorLike } from '../tensor';
import { empty, ptrOf, requireTensor } from './alloc';
import { cast } from './convert';
import { max as reduceMax, min as reduceMin } from './reduce';

/** Creates a tensor from nested arrays, a typed array or a number; float32 unless the data or dtype says otherwise. */
export function tensor(values: TypedArray | NestedArray | Float64Array | ArrayLike<number>, shape?: number[], dtype?: DType): Tensor {
  const fn = 'tensor';
  if (dtype !== undefined) checkDType(fn, 'dtype', dtype);
  if (values instanceof Tensor) fail(fn, 'values is already a Tensor; use .clone() to copy it');
  let flat: ArrayLike<number | boolean>;
  let inferred: number[];
  let dataType: DType;
  if (ArrayBuffer.isView(values)) {
    const typed = values as unknown as ArrayLike<number>;
    flat = typed;
    inferred = [typed.length];
    dataType = values instanceof Int32Array ? 'int32' : values instanceof Uint8Array || values instanceof Uint8ClampedArray ? 'uint8' : 'float32';
  } else if (typeof values === 'number' || typeof values === 'boolean') {
    flat = [values];
    inferred = [];
    dataType = typeof values === 'boolean' ? 'bool' : 'float32';
  } else if (Array.isArray(values)) {
    inferred = inferShape(values);
    flat = flattenChecked(values, inferred);
    dataType = flat.length > 0 && typeof flat[0] === 'boolean' ? 'bool' : 'float32';
  } else {
    return fail(fn, `values must be a number, a nested array or a typed array, got ${describe(values)}`);
  }
  const finalShape = shape === undefined ? inferred : checkShape(fn, shape);
  if (sizeOf(finalShape) !== flat.length) {
    fail(fn, `${flat.length} values cannot fill shape ${fmtShape(finalShape)} (size ${sizeOf(finalShape)})`);
  }
  const finalType = dtype ?? dataType;
  const out = empty(finalShape, finalType);
  if (flat.length > 0) backend().write(ptrOf(out), toTypedArray(flat, finalType));
  return out;
}

export function scalar(value: number | boolean, dtype?: DType): Tensor {
  if (typeof value !== 'number' && typeof value !== 'boolean') fail('scalar', `value must be a number or boolean, got ${describe(value)}`);
  return tensor(value, [], dtype);
}

function inferShape(values: NestedArray[]): number[] {
  const shape: number[] = [];
  let level: NestedArray = values;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  return shape;
}

/** Flattens nested arrays, failing on ragged rows or non-numeric leaves. */
function flattenChecked(values: NestedArray[], shape: number[]): (number | boolean)[] {
  const out: (number | boolean)[] = [];
  const walk = (node: NestedArray, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number' && typeof node !== 'boolean') {
        fail('tensor', `element at ${path || 'the top level'} is ${describe(node)}, expected a number or boolean (ragged nested array?)`);
      }
      out.push(node);
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[depth]) {
      const got = Array.isArray(node) ? `length ${node.length}` : describe(node);
      fail('tensor', `ragged nested array: element ${path} has ${got}, expected length ${shape[depth]} like the first one at that depth`);
    }
    for (let i = 0; i < node.length; i++) walk(node[i], depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, '');
  return out;
}

function toTypedArray(flat: ArrayLike<number | boolean>, dtype: DType): TypedArray {
  if (dtype === 'float32' && flat instanceof Float32Array) return flat;
  if (dtype === 'int32' && flat instanceof Int32Array) return flat;
  if (dtype === 'uint8' && flat instanceof Uint8Array) return flat;
  const out = arrayFor(dtype, flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = Number(flat[i]);
    // Same rules as cast(): bool is v != 0, uint8 saturates, int32 truncates (NaN -> 0).
    out[i] = dtype === 'bool' ? (v !== 0 ? 1 : 0) : dtype === 'uint8' ? Math.min(255, Math.max(0, Math.trunc(v) || 0)) : v;
  }
  return out;
}

// ---- constants ----

export function fill(shape: number[], value: number | boolean, dtype?: DType): Tensor {
  const s = checkShape('fill', shape);
  if (typeof value !== 'number' && typeof value !== 'boolean') fail('fill', `value must be a number, got ${describe(value)}`);
  const dt = dtype === undefined ? (typeof value === 'boolean' ? 'bool' : 'float32') : checkDType('fill', 'dtype', dtype);
  const out = empty(s, dt);
  const v = Number(value);
  if (out.size > 0) backend().fill(dt, out.storage.ptr, out.size, dt === 'bool' ? (v !== 0 ? 1 : 0) : dt === 'uint8' ? Math.min(255, Math.max(0, v | 0)) : v);
  return out;
}

export function zeros(shape: number[], dtype: DType = 'float32'): Tensor { return fill(shape, 0, dtype); }
export function ones(shape: number[], dtype: DType = 'float32'): Tensor { return fill(shape, 1, dtype); }
export function zerosLike(x: Tensor): Tensor { requireTensor('zerosLike', 'x', x); return fill(x.shape.slice(), 0, x.dtype); }
export function onesLike(x: Tensor): Tensor { requireTensor('onesLike', 'x', x); return fill(x.shape.slice(), 1, x.dtype); }

/** numpy arange: range(stop) or range(start, stop, step); TF.js's tf.range(start, stop, step, dtype). */
export function range(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  const fn = 'range';
  if (stop === undefined) [start, stop] = [0, start];
  for (const [name, v] of [['start', start], ['stop', stop], ['step', step]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, `${name} must be a finite number, got ${describe(v)}`);
  }
  if (step === 0) fail(fn, 'step must not be 0');
  checkDType(fn, 'dtype', dtype);
  if (dtype !== 'float32' && dtype !== 'int32') fail(fn, `dtype must be 'float32' or 'int32', got '${dtype}'`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const out = empty([n], dtype);
  if (n > 0) backend().range(dtype, out.storage.ptr, n, start, step);
  return out;
}

/** Identity matrix: eye(n, m = n, k = 0) with numpy's diagonal offset k. */
export function eye(n: number, m?: number, k = 0, dtype: DType = 'float32'): Tensor {
  const fn = 'eye';
  const cols = m ?? n;
  for (const [name, v] of [['n', n], ['m', cols]] as const) {
    if (!Number.isInteger(v) || v < 0) fail(fn, `${name} must be a non-negative integer, got ${describe(v)}`);
  }
  if (!Number.isInteger(k)) fail(fn, `k (diagonal offset) must be an integer, got ${describe(k)}`);
  const out = empty([n, cols], 'float32');
  if (out.size > 0) backend().eye(out.storage.ptr, n, cols, k);
  return dtype === 'float32' ? out : castAndDispose(out, dtype);
}

function castAndDispose(t: Tensor, dtype: DType): Tensor {
  const out = cast(t, dtype);
  t.dispose();
  return out;
}

/** One-hot encoding of integer labels (int32 or uint8): shape [...indices.shape, depth], int32 like TF.js. */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0, dtype: DType = 'int32'): Tensor {
  const fn = 'oneHot';
  if (!Number.isInteger(depth) || depth < 0) fail(fn, `depth must be a non-negative integer, got ${describe(depth)}`);
  checkDType(fn, 'dtype', dtype);
  const labels = indices instanceof Tensor ? indices : tensor(indices as NestedArray, undefined, 'int32');
  labels.assertAlive(fn, 'indices');
  if (labels.dtype !== 'int32' && labels.dtype !== 'uint8') {
    fail(fn, `indices must have dtype 'int32' or 'uint8', got '${labels.dtype}'`);
  }
  const asInt = labels.dtype === 'int32' && labels.isContiguous ? labels : cast(labels, 'int32');
  const out = empty([...labels.shape, depth], 'float32');
  if (out.size > 0) backend().oneHot(ptrOf(asInt), out.storage.ptr, labels.size, depth, onValue, offValue);
  if (asInt !== labels) asInt.dispose();
  if (labels !== indices) labels.dispose();
  return dtype === 'float32' ? out : castAndDispose(out, dtype);
}

/** Keras to_categorical: float32 one-hot rows; numClasses defaults to max(label) + 1. */
export function toCategorical(labels: TensorLike, numClasses?: number): Tensor {
  const t = labels instanceof Tensor ? labels : tensor(labels as NestedArray, undefined, 'int32');
  t.assertAlive('toCategorical', 'labels');
  if (t.dtype === 'bool') fail('toCategorical', `labels must be integers, got dtype 'bool'`);
  const ints = t.dtype === 'int32' || t.dtype === 'uint8' ? t : cast(t, 'int32');
  if (numClasses !== undefined && !(Number.isInteger(numClasses) && numClasses >= 0)) {
    fail('toCategorical', `numClasses must be a non-negative integer, got ${describe(numClasses)}`);
  }
  let classes = numClasses ?? 0;
  if (t.size > 0) {
    // Keras raises on a label outside [0, numClasses); oneHot alone would write an all-zero row.
    const [lo, hi] = [reduceMin(ints), reduceMax(ints)].map((r) => { const v = Number(r.dataSync()[0]); r.dispose(); return v; });
    if (numClasses === undefined) classes = hi + 1;
    if (lo < 0 || hi >= classes) {
      if (ints !== t) ints.dispose();
      if (t !== labels) t.dispose();
      fail('toCategorical', `labels must be class indices in [0, ${classes}), got ${lo < 0 ? lo : hi}`);
    }
  }
  const out = oneHot(ints, classes, 1, 0, 'float32');
  if (ints !== t) ints.dispose();
  if (t !== labels) t.dispose();
  return out;
}

// ---- random ----

let globalSeed = Math.floor(Math.random() * 2 ** 32);
let draws = 0;

/** Makes every later unseeded random call reproducible (like keras.utils.set_random_seed). */
export function setRandomSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0) fail('setRandomSeed', `seed must be a non-negative integer, got ${describe(seed)}`);
  globalSeed = seed;
  draws = 0;
}

function seedFor(fn: string, seed: number | undefined): number {
  if (seed === undefined) return (globalSeed * 1_000_003 + ++draws) % 2 ** 53;
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 53) fail(fn, `seed must be a non-negative integer below 2^53, got ${describe(seed)}`);
  return seed;
}

type DTypeOrSeed = DType | number | undefined;

/** TF.js puts dtype before seed; a number in that place is taken as the seed. */
function dtypeAndSeed(fn: string, a: DTypeOrSeed, b: number | undefined): [DType, number | undefined] {
  if (typeof a === 'number') return ['float32', a];
  const dtype = a === undefined ? 'float32' : checkDType(fn, 'dtype', a);
  if (dtype !== 'float32' && dtype !== 'int32') fail(fn, `dtype must be 'float32' or 'int32', got '${dtype}'`);
  return [dtype, b];
}

function random(fn: string, kind: 'uniform' | 'normal' | 'truncatedNormal', shape: number[], a: number, b: number, dtypeOrSeed: DTypeOrSeed, seed?: number): Tensor {
  const s = checkShape(fn, shape);
  const [dtype, chosenSeed] = dtypeAndSeed(fn, dtypeOrSeed, seed);
  const out = empty(s, 'float32');
  if (out.size > 0) backend().random(kind, out.storage.ptr, out.size, a, b, seedFor(fn, chosenSeed));
  return dtype === 'float32' ? out : castAndDispose(out, dtype);
}

export function randomNormal(shape: number[], mean = 0, stdDev = 1, dtypeOrSeed?: DTypeOrSeed, seed?: number): Tensor {
  if (!(stdDev >= 0)) fail('randomNormal', `stdDev must be >= 0, got ${stdDev}`);
  return random('randomNormal', 'normal', shape, mean, stdDev, dtypeOrSeed, seed);
}

export function truncatedNormal(shape: number[], mean = 0, stdDev = 1, dtypeOrSeed?: DTypeOrSeed, seed?: number): Tensor {
  if (!(stdDev >= 0)) fail('truncatedNormal', `stdDev must be >= 0, got ${stdDev}`);
  return random('truncatedNormal', 'truncatedNormal', shape, mean, stdDev, dtypeOrSeed, seed);
}

export function randomUniform(shape: number[], minval = 0, maxval = 1, dtypeOrSeed?: DTypeOrSeed, seed?: number): Tensor {
  if (!(maxval >= minval)) fail('randomUniform', `maxval (${maxval}) must be >= minval (${minval})`);
  return random('randomUniform', 'uniform', shape, minval, maxval, dtypeOrSeed, seed);
}

