// Weight bytes <-> named values. The layout is TF.js': each weight's values,
// row-major and little-endian, one after another in manifest order (float32
// and int32 4 bytes, bool 1 byte; quantized weights 1 or 2 bytes). Decoding
// checks every declared size against the bytes that are really there BEFORE
// it creates anything, so a manifest claiming a huge tensor cannot make us
// allocate it.
import { fail } from '../errors';
import { describe } from '../layers/describe';
import { Tensor } from '../tensor';
import type { WeightDType, WeightQuantization, WeightSpec } from './types';

/** No single weight may exceed what one wasm allocation holds. */
export const MAX_WEIGHT_BYTES = 2 ** 30;

export interface DecodedWeight {
  spec: WeightSpec;
  /** Dequantized values: float32 (or int32 / bool as 0-1 bytes). */
  values: Float32Array | Int32Array | Uint8Array;
}

const STORED_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

export function fmtSpec(s: WeightSpec): string {
  return `'${s.name}' [${Array.isArray(s.shape) ? s.shape.join(',') : '?'}] ${s.quantization ? `${s.dtype} quantized to ${s.quantization.dtype}` : s.dtype}`;
}

/** Checks one manifest entry's form and returns its stored byte length (no allocation). */
export function specBytes(fn: string, spec: unknown, where: string): number {
  if (spec === null || typeof spec !== 'object') fail(fn, `${where} must be { name, shape, dtype }, got ${describe(spec)}`);
  const s = spec as WeightSpec;
  if (typeof s.name !== 'string' || s.name === '') fail(fn, `${where} needs a non-empty string name, got ${describe(s.name)}`);
  if (!Array.isArray(s.shape) || s.shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    fail(fn, `weight '${s.name}' has shape ${JSON.stringify(s.shape)}; expected an array of non-negative integers`);
  }
  if (s.dtype !== 'float32' && s.dtype !== 'int32' && s.dtype !== 'bool') {
    fail(fn, `weight '${s.name}' has dtype ${describe(s.dtype)}; supported: 'float32', 'int32', 'bool'`);
  }
  const q = s.quantization;
  if (q !== undefined && q !== null) checkQuantization(fn, s.name, s.dtype, q);
  const per = STORED_BYTES[q ? q.dtype : s.dtype];
  // Multiply in floating point: an absurd shape gives a huge number, never a wrapped one.
  const bytes = s.shape.reduce((n, d) => n * d, 1) * per;
  if (bytes > MAX_WEIGHT_BYTES) {
    fail(fn, `weight ${fmtSpec(s)} declares ${bytes} bytes, more than the ${MAX_WEIGHT_BYTES} bytes (1 GiB) one weight may have; the manifest is corrupt or not meant for this runtime`);
  }
  return bytes;
}

function checkQuantization(fn: string, name: string, dtype: WeightDType, q: WeightQuantization): void {
  if (q.dtype !== 'uint8' && q.dtype !== 'uint16' && q.dtype !== 'float16') {
    fail(fn, `weight '${name}' has quantization dtype ${describe(q.dtype)}; supported: 'uint8', 'uint16', 'float16'`);
  }
  if (dtype !== 'float32') fail(fn, `weight '${name}' is quantized but has dtype '${dtype}'; only float32 weights can be quantized`);
  if (q.dtype !== 'float16' && !(Number.isFinite(q.scale) && Number.isFinite(q.min))) {
    fail(fn, `weight '${name}' has ${q.dtype} quantization without finite scale and min`);
  }
}

/** IEEE half -> float. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function decodeOne(spec: WeightSpec, bytes: ArrayBuffer): DecodedWeight['values'] {
  const q = spec.quantization;
  if (!q) {
    if (spec.dtype === 'float32') return new Float32Array(bytes);
    if (spec.dtype === 'int32') return new Int32Array(bytes);
    return new Uint8Array(bytes).map((b) => (b ? 1 : 0));
  }
  const stored = q.dtype === 'uint8' ? new Uint8Array(bytes) : new Uint16Array(bytes);
  const out = new Float32Array(stored.length);
  if (q.dtype === 'float16') for (let i = 0; i < out.length; i++) out[i] = halfToFloat(stored[i]);
  else for (let i = 0; i < out.length; i++) out[i] = stored[i] * (q.scale as number) + (q.min as number);
  return out;
}

/**
 * Splits `data` into the weights `specs` describe. Fails, naming the
 * weights, when the bytes are fewer or more than the specs declare.
 */
export function decodeWeights(fn: string, data: ArrayBuffer, specs: WeightSpec[], source = 'the weight data'): DecodedWeight[] {
  if (!Array.isArray(specs)) fail(fn, `weightSpecs must be an array, got ${describe(specs)}`);
  const sizes = specs.map((s, i) => specBytes(fn, s, `weightSpecs[${i}]`));
  const declared = sizes.reduce((a, b) => a + b, 0);
  if (declared !== data.byteLength) {
    const list = specs.length <= 6 ? specs.map(fmtSpec).join(', ') : `${specs.length} weights`;
    fail(fn, `the weights manifest declares ${declared} bytes (${list}), but ${source} holds ${data.byteLength} bytes${declared > data.byteLength ? ': the shard is truncated or belongs to another model' : ''}`);
  }
  const out: DecodedWeight[] = [];
  let offset = 0;
  specs.forEach((spec, i) => {
    // slice() copies, so every typed array starts aligned whatever precedes it.
    out.push({ spec, values: decodeOne(spec, data.slice(offset, offset + sizes[i])) });
    offset += sizes[i];
  });
  return out;
}

/** Named tensors -> one buffer and its specs (what model.save writes). */
export function encodeWeights(named: Array<{ name: string; tensor: Tensor }>, group?: string): { data: ArrayBuffer; specs: WeightSpec[] } {
  const fn = 'io.encodeWeights';
  if (!Array.isArray(named)) fail(fn, `named must be an array of { name, tensor }, got ${describe(named)}`);
  named.forEach((w, i) => {
    if (w === null || typeof w !== 'object' || typeof w.name !== 'string' || !(w.tensor instanceof Tensor)) {
      fail(fn, `named[${i}] must be { name: string, tensor: Tensor }, got ${describe(w)}`);
    }
    w.tensor.assertAlive(fn, `named[${i}].tensor`);
  });
  const specs: WeightSpec[] = [];
  const parts: Uint8Array[] = [];
  for (const { name, tensor } of named) {
    const dtype = tensor.dtype;
    if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') fail('save', `weight '${name}' has dtype '${dtype}'; the format stores float32, int32 and bool`);
    const values = tensor.dataSync();
    parts.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    specs.push({ name, shape: tensor.shape.slice(), dtype, ...(group ? { group } : {}) });
  }
  return { data: concatBuffers(parts), specs };
}

export function concatBuffers(parts: ArrayLike<number>[] | Uint8Array[]): ArrayBuffer {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p as Uint8Array, at);
    at += p.length;
  }
  return out.buffer;
}
