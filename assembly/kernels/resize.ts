// Bilinear resizing of NHWC images (src/ops/image.ts), four channels per v128.
//
// The source coordinate of each output row and column follows TF (and
// tfjs-core's cpu kernel) exactly, in f64: scale = in / out, or (in - 1) /
// (out - 1) with alignCorners; src = scale * i, or scale * (i + 0.5) - 0.5 with
// halfPixelCenters; the two taps are max(0, floor(src)) and
// min(in - 1, ceil(src)), the weight src - that floor. The value is TF's
// top = tl + (tr - tl) * fx, bottom likewise, top + (bottom - top) * fy.
// The gradient is the adjoint: each dy spread over its four taps with the same
// weights, in output order (deterministic). The columns' taps are computed
// once per call into a small table (12 bytes per output column), the rows'
// once per row.
//
// geom points to i32 [N, H, W, C, OH, OW, alignCorners, halfPixelCenters].

@inline function g(geom: usize, i: i32): i32 {
  return load<i32>(geom + (<usize>i << 2));
}

/** in / out, or (in - 1) / (out - 1) with alignCorners: source pixels per output pixel along an axis. */
@inline function scaleOf(inSize: i32, outSize: i32, align: bool): f64 {
  return align && outSize > 1 ? <f64>(inSize - 1) / <f64>(outSize - 1) : <f64>inSize / <f64>outSize;
}
/** The source position of output index i along an axis. */
@inline function source(i: i32, scale: f64, half: bool): f64 {
  return half ? scale * (<f64>i + 0.5) - 0.5 : scale * <f64>i;
}
@inline function lowTap(src: f64): i32 {
  return max(0, <i32>Math.floor(src));
}
@inline function highTap(src: f64, inSize: i32): i32 {
  return min(inSize - 1, <i32>Math.ceil(src));
}

/**
 * The columns' taps, computed once per call rather than once per row: for each
 * output column, the byte offsets of its two source pixels within a row and
 * its weight ([i32, i32, f32], 12 bytes each). The caller frees it.
 */
function columnTable(W: i32, OW: i32, C: i32, align: bool, half: bool): usize {
  const table = heap.alloc(<usize>max(OW, 1) * 12);
  const scale = scaleOf(W, OW, align);
  for (let c = 0; c < OW; c++) {
    const sx = source(c, scale, half);
    const x0 = lowTap(sx);
    const at = table + <usize>c * 12;
    store<i32>(at, (x0 * C) << 2);
    store<i32>(at, (highTap(sx, W) * C) << 2, 4);
    store<f32>(at, <f32>(sx - <f64>x0), 8);
  }
  return table;
}

/** dst [OW, C] = one source row interpolated along W: tl + (tr - tl) * fx per column (TF's "top" / "bottom"). */
function lerpRow(row: usize, dst: usize, table: usize, OW: i32, C: i32): void {
  let o = dst;
  for (let c = 0; c < OW; c++) {
    const at = table + <usize>c * 12;
    const l0 = row + <usize>load<i32>(at), r0 = row + <usize>load<i32>(at, 4);
    const fx = load<f32>(at, 8);
    const vfx = f32x4.splat(fx);
    let d = 0;
    for (; d + 4 <= C; d += 4) {
      const off = <usize>d << 2;
      const l = v128.load(l0 + off);
      v128.store(o + off, f32x4.add(l, f32x4.mul(f32x4.sub(v128.load(r0 + off), l), vfx)));
    }
    for (; d < C; d++) {
      const off = <usize>d << 2;
      const l = load<f32>(l0 + off);
      store<f32>(o + off, l + (load<f32>(r0 + off) - l) * fx);
    }
    o += <usize>C << 2;
  }
}

/**
 * out [N, OH, OW, C] = x [N, H, W, C] resized bilinearly. Each source row is
 * interpolated along W once into one of two row buffers and reused by every
 * output row that reads it (twice over for a 2x upsampling); each output row
 * is then top + (bottom - top) * fy over OW * C contiguous floats. The
 * arithmetic is TF's, operation for operation.
 */
export function resize_bilinear_f32(x: usize, out: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3), OH = g(geom, 4), OW = g(geom, 5);
  const align = g(geom, 6) != 0, half = g(geom, 7) != 0;
  const table = columnTable(W, OW, C, align, half);
  const rowBytes = <usize>OW * <usize>C << 2;
  const slotBytes = max(rowBytes, 16);
  const slot0 = heap.alloc(slotBytes * 2), slot1 = slot0 + slotBytes;
  let held0 = -1, held1 = -1; // which source row (n * H + y) each slot holds
  const scaleY = scaleOf(H, OH, align);
  const count = OW * C;
  let o = out;
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < OH; r++) {
      const sy = source(r, scaleY, half);
      const y0 = lowTap(sy);
      const k0 = n * H + y0, k1 = n * H + highTap(sy, H);
      const fy = <f32>(sy - <f64>y0);
      // Fill what is missing, never evicting the other row this output row needs.
      if (held0 != k0 && held1 != k0) {
        if (held0 == k1) { lerpRow(x + (<usize>(k0 * W * C) << 2), slot1, table, OW, C); held1 = k0; }
        else { lerpRow(x + (<usize>(k0 * W * C) << 2), slot0, table, OW, C); held0 = k0; }
      }
      if (held0 != k1 && held1 != k1) {
        if (held0 == k0) { lerpRow(x + (<usize>(k1 * W * C) << 2), slot1, table, OW, C); held1 = k1; }
        else { lerpRow(x + (<usize>(k1 * W * C) << 2), slot0, table, OW, C); held0 = k1; }
      }
      const top = held0 == k0 ? slot0 : slot1;
      const bottom = held0 == k1 ? slot0 : slot1;
      const vfy = f32x4.splat(fy);
      let i = 0;
      for (; i + 4 <= count; i += 4) {
        const off = <usize>i << 2;
        const t = v128.load(top + off);
        v128.store(o + off, f32x4.add(t, f32x4.mul(f32x4.sub(v128.load(bottom + off), t), vfy)));
      }
      for (; i < count; i++) {
        const off = <usize>i << 2;
        const t = load<f32>(top + off);
        store<f32>(o + off, t + (load<f32>(bottom + off) - t) * fy);
      }
      o += rowBytes;
    }
  }
  heap.free(slot0);
  heap.free(table);
}

/** dx [N, H, W, C] = the adjoint of resize_bilinear_f32 applied to dy [N, OH, OW, C]. */
export function resize_bilinear_grad_f32(dy: usize, dx: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3), OH = g(geom, 4), OW = g(geom, 5);
  const align = g(geom, 6) != 0, half = g(geom, 7) != 0;
  memory.fill(dx, 0, <usize>N * <usize>H * <usize>W * <usize>C << 2);
  const table = columnTable(W, OW, C, align, half);
  const scaleY = scaleOf(H, OH, align);
  let src = dy;
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < OH; r++) {
      const sy = source(r, scaleY, half);
      const y0 = lowTap(sy), y1 = highTap(sy, H);
      const fy = <f32>(sy - <f64>y0);
      const gy: f32 = 1 - fy;
      const top = dx + (<usize>((n * H + y0) * W * C) << 2);
      const bottom = dx + (<usize>((n * H + y1) * W * C) << 2);
      for (let c = 0; c < OW; c++) {
        const at = table + <usize>c * 12;
        const left = <usize>load<i32>(at), right = <usize>load<i32>(at, 4);
        const fx = load<f32>(at, 8);
        const gx: f32 = 1 - fx;
        // The four taps' weights; taps that coincide (at an edge) each get their share.
        const wtl = gy * gx, wtr = gy * fx, wbl = fy * gx, wbr = fy * fx;
        const tl0 = top + left, tr0 = top + right, bl0 = bottom + left, br0 = bottom + right;
        let d = 0;
        for (; d + 4 <= C; d += 4) {
          const off = <usize>d << 2;
          const v = v128.load(src + off);
          v128.store(tl0 + off, f32x4.add(v128.load(tl0 + off), f32x4.mul(v, f32x4.splat(wtl))));
          v128.store(tr0 + off, f32x4.add(v128.load(tr0 + off), f32x4.mul(v, f32x4.splat(wtr))));
          v128.store(bl0 + off, f32x4.add(v128.load(bl0 + off), f32x4.mul(v, f32x4.splat(wbl))));
          v128.store(br0 + off, f32x4.add(v128.load(br0 + off), f32x4.mul(v, f32x4.splat(wbr))));
        }
        for (; d < C; d++) {
          const off = <usize>d << 2;
          const v = load<f32>(src + off);
          store<f32>(tl0 + off, load<f32>(tl0 + off) + v * wtl);
          store<f32>(tr0 + off, load<f32>(tr0 + off) + v * wtr);
          store<f32>(bl0 + off, load<f32>(bl0 + off) + v * wbl);
          store<f32>(br0 + off, load<f32>(br0 + off) + v * wbr);
        }
        src += <usize>C << 2;
      }
    }
  }
  heap.free(table);
}
