// The IDX file format of the MNIST distribution (http://yann.lecun.com/exdb/mnist/):
//   bytes 0-1  zero (magic)
//   byte  2    element type: 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double
//   byte  3    number of dims
//   then one big-endian u32 per dim, then the elements, big-endian, row-major.
// A file is accepted only when its length is exactly header + product(dims) *
// itemsize: truncated downloads and files with trailing bytes both fail, and
// nothing proportional to the declared size is allocated before that check.
import { fail } from '../errors';

export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxTensor {
  dtype: IdxDType;
  shape: number[];
  /** Row-major elements; for uint8 a view of the input bytes (no copy). */
  data: IdxData;
}

interface IdxType {
  dtype: IdxDType;
  itemsize: number;
  make: (length: number) => IdxData;
  read: (view: DataView, byteOffset: number) => number;
}

const TYPES: Record<number, IdxType> = {
  0x08: { dtype: 'uint8', itemsize: 1, make: (n) => new Uint8Array(n), read: (v, o) => v.getUint8(o) },
  0x09: { dtype: 'int8', itemsize: 1, make: (n) => new Int8Array(n), read: (v, o) => v.getInt8(o) },
  0x0b: { dtype: 'int16', itemsize: 2, make: (n) => new Int16Array(n), read: (v, o) => v.getInt16(o) },
  0x0c: { dtype: 'int32', itemsize: 4, make: (n) => new Int32Array(n), read: (v, o) => v.getInt32(o) },
  0x0d: { dtype: 'float32', itemsize: 4, make: (n) => new Float32Array(n), read: (v, o) => v.getFloat32(o) },
  0x0e: { dtype: 'float64', itemsize: 8, make: (n) => new Float64Array(n), read: (v, o) => v.getFloat64(o) },
};

const hex = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

/** Parses one IDX file. Throws `parseIdx: ...` naming what is wrong and where. */
export function parseIdx(bytes: Uint8Array): IdxTensor {
  const fn = 'parseIdx';
  if (!(bytes instanceof Uint8Array)) fail(fn, `bytes must be a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length < 4) fail(fn, `file is ${bytes.length} bytes, shorter than the 4-byte IDX magic number`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    fail(fn, `bad magic number: the first two bytes must be 0x00 0x00, got ${hex(bytes[0])} ${hex(bytes[1])} (not an IDX file, or still gzipped?)`);
  }
  const type = TYPES[bytes[2]];
  if (type === undefined) {
    const known = Object.entries(TYPES).map(([code, t]) => `${hex(Number(code))} ${t.dtype}`).join(', ');
    fail(fn, `unsupported element type ${hex(bytes[2])} in byte 2; expected one of ${known}`);
  }
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    fail(fn, `header declares ${rank} dims (${headerBytes} header bytes) but the file has only ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const dim = view.getUint32(4 + 4 * d);
    shape.push(dim);
    size *= dim; // a double: exact up to 2^53, and beyond that it still cannot equal a real file length
  }
  const expected = size * type.itemsize;
  const actual = bytes.length - headerBytes;
  if (expected !== actual) {
    const what = actual < expected ? 'truncated file' : 'trailing bytes after the data';
    fail(fn, `${what}: dims [${shape.join(',')}] of ${type.dtype} need ${expected} data bytes after the ${headerBytes}-byte header, the file has ${actual}`);
  }
  if (type.dtype === 'uint8') return { dtype: 'uint8', shape, data: bytes.subarray(headerBytes) };
  return { dtype: type.dtype, shape, data: decodeBigEndian(view, headerBytes, size, type) };
}

// Wider types are stored big-endian; hosts are little-endian in practice, so
// each element is read through DataView. Only MNIST's uint8 path is hot, and it
// copies nothing.
function decodeBigEndian(view: DataView, start: number, size: number, type: IdxType): IdxData {
  const out = type.make(size);
  for (let i = 0, o = start; i < size; i++, o += type.itemsize) out[i] = type.read(view, o);
  return out;
}
