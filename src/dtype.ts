// The four dtypes and the promotion rules between them.
import { DT_BOOL, DT_F32, DT_I32, DT_U8 } from '../assembly/opcodes';
import { describe, fail } from './errors';

export type DType = 'float32' | 'int32' | 'uint8' | 'bool';
export type TypedArray = Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'int32', 'uint8', 'bool'];

export function bytesPerElement(dtype: DType): number {
  return dtype === 'float32' || dtype === 'int32' ? 4 : 1;
}

/** The kernel ABI's code for a dtype (assembly/opcodes.ts). */
export function dtypeCode(dtype: DType): number {
  switch (dtype) {
    case 'float32': return DT_F32;
    case 'int32': return DT_I32;
    case 'uint8': return DT_U8;
    case 'bool': return DT_BOOL;
  }
}

export function checkDType(fn: string, arg: string, value: unknown): DType {
  if (typeof value === 'string' && (DTYPES as readonly string[]).includes(value)) return value as DType;
  return fail(fn, `${arg} must be one of ${DTYPES.map((d) => `'${d}'`).join(', ')}, got ${describe(value)}`);
}

export function arrayFor(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(length);
    case 'int32': return new Int32Array(length);
    default: return new Uint8Array(length);
  }
}

/**
 * Result dtype of arithmetic between a and b. uint8 is promoted to int32 (so
 * 200 + 100 is 300, not numpy's wrapped 44); anything with float32 is float32;
 * bool has no arithmetic (cast it first).
 */
export function arithmeticType(fn: string, a: DType, b: DType): 'float32' | 'int32' {
  for (const d of [a, b]) {
    if (d === 'bool') fail(fn, `dtype 'bool' is not supported; cast with .astype('float32') or .astype('int32') first`);
  }
  return a === 'float32' || b === 'float32' ? 'float32' : 'int32';
}
