// parseIdx on hand-built IDX byte arrays: every expected value below is written
// out by hand from the format (big-endian header and elements), not produced by
// our own writer.
import { describe, expect, it } from 'vitest';
import { parseIdx } from '../../src/index';

/** Header bytes: 0, 0, type, rank, then big-endian u32 dims. */
function header(type: number, dims: number[]): number[] {
  const out = [0, 0, type, dims.length];
  for (const d of dims) out.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return out;
}
const bytes = (...parts: number[][]): Uint8Array => new Uint8Array(parts.flat());

describe('parseIdx: valid files', () => {
  it('ubyte 3-D: shape, dtype, values, and a view (no copy) of the input', () => {
    const file = bytes(header(0x08, [2, 2, 3]), [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const t = parseIdx(file);
    expect(t.dtype).toBe('uint8');
    expect(t.shape).toEqual([2, 2, 3]);
    expect(t.data).toBeInstanceOf(Uint8Array);
    expect(Array.from(t.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    expect(t.data.buffer).toBe(file.buffer);
    expect(t.data.byteOffset).toBe(16);
  });

  it('ubyte 1-D with a dim above 255 (big-endian u32 dims)', () => {
    const file = bytes([0, 0, 8, 1, 0, 0, 1, 2], new Array(258).fill(7));
    const t = parseIdx(file);
    expect(t.shape).toEqual([258]);
    expect(t.data.length).toBe(258);
    expect(t.data[257]).toBe(7);
  });

  it('a view into a larger buffer (non-zero byteOffset) parses the same', () => {
    const big = bytes([9, 9, 9], header(0x08, [2]), [4, 5]);
    const t = parseIdx(big.subarray(3));
    expect(t.shape).toEqual([2]);
    expect(Array.from(t.data)).toEqual([4, 5]);
  });

  it('signed byte (0x09)', () => {
    const t = parseIdx(bytes(header(0x09, [3]), [0x7f, 0x80, 0xff]));
    expect(t.dtype).toBe('int8');
    expect(Array.from(t.data)).toEqual([127, -128, -1]);
  });

  it('short (0x0B), big-endian', () => {
    const t = parseIdx(bytes(header(0x0b, [2]), [0x01, 0x02, 0xff, 0xfe]));
    expect(t.dtype).toBe('int16');
    expect(Array.from(t.data)).toEqual([258, -2]);
  });

  it('int (0x0C), big-endian, 2-D', () => {
    const t = parseIdx(bytes(header(0x0c, [1, 2]), [0x00, 0x01, 0x00, 0x00, 0xff, 0xff, 0xff, 0xfd]));
    expect(t.dtype).toBe('int32');
    expect(t.shape).toEqual([1, 2]);
    expect(t.data).toBeInstanceOf(Int32Array);
    expect(Array.from(t.data)).toEqual([65536, -3]);
  });

  it('float (0x0D) and double (0x0E), big-endian', () => {
    // 1.5f = 0x3FC00000, -2f = 0xC0000000; 0.1 = 0x3FB999999999999A
    const f = parseIdx(bytes(header(0x0d, [2]), [0x3f, 0xc0, 0, 0, 0xc0, 0, 0, 0]));
    expect(f.dtype).toBe('float32');
    expect(Array.from(f.data)).toEqual([1.5, -2]);
    const d = parseIdx(bytes(header(0x0e, [1]), [0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a]));
    expect(d.dtype).toBe('float64');
    expect(d.data[0]).toBe(0.1);
  });

  it('rank 0: a single element', () => {
    const t = parseIdx(bytes([0, 0, 8, 0], [42]));
    expect(t.shape).toEqual([]);
    expect(Array.from(t.data)).toEqual([42]);
  });
});

describe('parseIdx: rejects malformed files with clear errors', () => {
  it('fewer than 4 bytes', () => {
    expect(() => parseIdx(new Uint8Array([0, 0, 8]))).toThrow(/^parseIdx: file is 3 bytes, shorter than the 4-byte IDX magic/);
  });

  it('bad magic (e.g. a gzipped file)', () => {
    expect(() => parseIdx(bytes([0x1f, 0x8b, 8, 0], [1, 2, 3]))).toThrow(/^parseIdx: bad magic number.*0x1f 0x8b.*gzipped/);
  });

  it('unsupported element type', () => {
    expect(() => parseIdx(bytes(header(0x0a, [1]), [1]))).toThrow(/^parseIdx: unsupported element type 0x0a.*0x08 uint8/);
  });

  it('header shorter than its dims count', () => {
    expect(() => parseIdx(bytes([0, 0, 8, 3], [0, 0, 0, 1, 0, 0]))).toThrow(/^parseIdx: header declares 3 dims \(16 header bytes\) but the file has only 10 bytes/);
  });

  it('truncated data: says expected vs actual bytes', () => {
    const file = bytes(header(0x08, [2, 3]), [1, 2, 3, 4, 5]);
    expect(() => parseIdx(file)).toThrow('parseIdx: truncated file: dims [2,3] of uint8 need 6 data bytes after the 12-byte header, the file has 5');
  });

  it('truncated wide type counts bytes, not elements', () => {
    const file = bytes(header(0x0c, [2]), [0, 0, 0, 1, 0, 0, 0]);
    expect(() => parseIdx(file)).toThrow(/need 8 data bytes .* has 7/);
  });

  it('trailing bytes after the data', () => {
    const file = bytes(header(0x08, [2]), [1, 2, 3]);
    expect(() => parseIdx(file)).toThrow('parseIdx: trailing bytes after the data: dims [2] of uint8 need 2 data bytes after the 8-byte header, the file has 3');
  });

  it('absurd declared dims with a tiny file fail fast, without allocating', () => {
    // 4 dims of 0xFFFFFFFF doubles: ~3.4e38 elements declared, 4 data bytes present.
    const file = bytes(header(0x0e, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]), [1, 2, 3, 4]);
    const started = performance.now();
    const heapBefore = process.memoryUsage().arrayBuffers;
    expect(() => parseIdx(file)).toThrow(/^parseIdx: truncated file: dims \[4294967295,4294967295,4294967295,4294967295\] of float64 need .* the file has 4$/);
    expect(performance.now() - started).toBeLessThan(50);
    expect(process.memoryUsage().arrayBuffers - heapBefore).toBeLessThan(1 << 20);
    // One huge dim that a typed-array constructor would accept (1 GiB) is also refused up front.
    expect(() => parseIdx(bytes(header(0x08, [1 << 30]), [0]))).toThrow(/need 1073741824 data bytes .* has 1$/);
  });

  it('a non-Uint8Array argument', () => {
    expect(() => parseIdx([0, 0, 8, 0, 1] as unknown as Uint8Array)).toThrow(/^parseIdx: bytes must be a Uint8Array/);
  });
});
