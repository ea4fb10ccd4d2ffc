// Materialise a strided view into contiguous memory (the TypeScript side uses
// it for transposes, slices with steps, broadcasts and anything a kernel
// cannot read through strides).
//
// Row by row (see strided.ts) with the inner stride choosing the loop:
// 1 -> memory.copy, 0 -> fill, else a gather. When the last two dims are a
// transpose (inner stride s != 1 and the dim before it has stride 1, i.e.
// out[i][j] = x[i + j*s]), 4-byte elements go through a tiled 4x4 SIMD
// transpose instead: a 1024x1024 transpose is common (x.T, matMul
// gradients) and the element gather would miss the cache on every read.
import { dim, strideOf, rowCount, rowOffset, runLength, runStep } from './strided';

/** Gathers n elements of `size` bytes (1 or 4) from x with stride s (elements). */
@inline function copyRow(x: usize, s: i32, out: usize, n: i32, size: i32): void {
  if (s == 1) {
    memory.copy(out, x, <usize>n * <usize>size);
  } else if (size == 4) {
    if (s == 0) {
      const v = v128.load32_splat(x);
      let i = 0;
      for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
      for (; i < n; i++) v128.store32_lane(out + (<usize>i << 2), v, 0);
    } else {
      const step = <usize>s << 2;
      for (let i = 0; i < n; i++) store<u32>(out + (<usize>i << 2), load<u32>(x + <usize>i * step));
    }
  } else {
    if (s == 0) memory.fill(out, load<u8>(x), <usize>n);
    else for (let i = 0; i < n; i++) store<u8>(out + <usize>i, load<u8>(x + <usize>i * <usize>s));
  }
}

// ---- 2-D transpose of 32-bit elements --------------------------------------------

const TILE_I = 16; // output rows per tile
const TILE_J = 16; // output columns per tile

/**
 * out (rows x cols, contiguous) = transpose of the source with cols rows of
 * pitch ld elements: out[i][j] = src[j * ld + i].
 */
function transpose32(src: usize, out: usize, rows: i32, cols: i32, ld: i32): void {
  const srcPitch = <usize>ld << 2, outPitch = <usize>cols << 2;
  for (let i0 = 0; i0 < rows; i0 += TILE_I) {
    const i1 = min(i0 + TILE_I, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE_J) {
      const j1 = min(j0 + TILE_J, cols);
      let i = i0;
      for (; i + 4 <= i1; i += 4) {
        let j = j0;
        for (; j + 4 <= j1; j += 4) {
          // 4 source rows j..j+3, columns i..i+3 -> 4 output rows i..i+3, columns j..j+3
          const s = src + <usize>j * srcPitch + (<usize>i << 2);
          const r0 = v128.load(s), r1 = v128.load(s + srcPitch);
          const r2 = v128.load(s + 2 * srcPitch), r3 = v128.load(s + 3 * srcPitch);
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
          const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
          const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
          const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
          const d = out + <usize>i * outPitch + (<usize>j << 2);
          v128.store(d, i64x2.shuffle(t0, t1, 0, 2)); // a0 b0 c0 d0
          v128.store(d + outPitch, i64x2.shuffle(t0, t1, 1, 3)); // a1 b1 c1 d1
          v128.store(d + 2 * outPitch, i64x2.shuffle(t2, t3, 0, 2));
          v128.store(d + 3 * outPitch, i64x2.shuffle(t2, t3, 1, 3));
        }
        for (; j < j1; j++) { // leftover source rows
          for (let k = i; k < i + 4; k++) {
            store<u32>(out + <usize>k * outPitch + (<usize>j << 2), load<u32>(src + <usize>j * srcPitch + (<usize>k << 2)));
          }
        }
      }
      for (; i < i1; i++) { // leftover output rows
        for (let j = j0; j < j1; j++) {
          store<u32>(out + <usize>i * outPitch + (<usize>j << 2), load<u32>(src + <usize>j * srcPitch + (<usize>i << 2)));
        }
      }
    }
  }
}

/** Materialise a strided view: meta = [shape(rank), strides(rank)], elemBytes 1 or 4. */
export function copy_strided(x: usize, out: usize, elemBytes: i32, rank: i32, meta: usize): void {
  const n = dim(meta, rank - 1);
  const s = strideOf(meta, rank, 0, rank - 1);
  const rows = rowCount(rank, meta);
  const size = <usize>elemBytes;
  if (elemBytes == 4 && rank >= 2 && s > 1 && strideOf(meta, rank, 0, rank - 2) == 1 && n >= 4) {
    // batch of 2-D transposes over dims 0..rank-3
    const m = dim(meta, rank - 2);
    const batches = m == 0 ? 0 : rows / m;
    for (let b = 0; b < batches; b++) {
      const off = rowOffset(b * m, rank, meta, 0);
      transpose32(x + (<usize>off << 2), out + <usize>b * <usize>m * <usize>n * 4, m, n, s);
    }
    return;
  }
  const len = runLength(rank, meta), step = runStep(rank, meta, 0);
  const rowBytes = <usize>n * size;
  let off = 0, j = 0;
  for (let r = 0; r < rows; r++) {
    copyRow(x + <usize>off * size, s, out + <usize>r * rowBytes, n, elemBytes);
    if (++j < len) off += step;
    else { j = 0; off = rowOffset(r + 1, rank, meta, 0); }
  }
}
