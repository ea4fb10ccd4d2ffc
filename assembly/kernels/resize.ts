// Bilinear resizing of NHWC images (src/ops/image.ts), four channels per v128.
//
// The source coordinate of each output row and column follows TF (and
// tfjs-core's cpu kernel) exactly, in f64: scale = in / out, or (in - 1) /
// (out - 1) with alignCorners; src = scale * i, or scale * (i + 0.5) - 0.5 with
// halfPixelCenters; the two taps are max(0, floor(src)) and
// min(in - 1, ceil(src)), the weight src - that floor. The value is TF's
// top = tl + (tr - tl) * fx, bottom likewise, top + (bottom - top) * fy.
// The gradient is the adjoint: each dy spread over its four taps with the same
// weights, in output order (deterministic).
//
// geom points to i32 [N, H, W, C, OH, OW, alignCorners, halfPixelCenters].

@inline function g(geom: usize, i: i32): i32 {
  return load<i32>(geom + (<usize>i << 2));
}

/** The source position of output index i along an axis of `inSize` resized to `outSize`. */
@inline function source(i: i32, inSize: i32, outSize: i32, align: bool, half: bool): f64 {
  const scale = align && outSize > 1 ? <f64>(inSize - 1) / <f64>(outSize - 1) : <f64>inSize / <f64>outSize;
  return half ? scale * (<f64>i + 0.5) - 0.5 : scale * <f64>i;
}
@inline function lowTap(src: f64): i32 {
  return max(0, <i32>Math.floor(src));
}
@inline function highTap(src: f64, inSize: i32): i32 {
  return min(inSize - 1, <i32>Math.ceil(src));
}

/** out [N, OH, OW, C] = x [N, H, W, C] resized bilinearly. */
export function resize_bilinear_f32(x: usize, out: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3), OH = g(geom, 4), OW = g(geom, 5);
  const align = g(geom, 6) != 0, half = g(geom, 7) != 0;
  let o = out;
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < OH; r++) {
      const sy = source(r, H, OH, align, half);
      const y0 = lowTap(sy), y1 = highTap(sy, H);
      const fy = <f32>(sy - <f64>y0);
      const top = x + (<usize>((n * H + y0) * W * C) << 2);
      const bottom = x + (<usize>((n * H + y1) * W * C) << 2);
      const vfy = f32x4.splat(fy);
      for (let c = 0; c < OW; c++) {
        const sx = source(c, W, OW, align, half);
        const x0 = lowTap(sx), x1 = highTap(sx, W);
        const fx = <f32>(sx - <f64>x0);
        const left = <usize>(x0 * C) << 2, right = <usize>(x1 * C) << 2;
        const vfx = f32x4.splat(fx);
        let d = 0;
        for (; d + 4 <= C; d += 4) {
          const off = <usize>d << 2;
          const tl = v128.load(top + left + off), tr = v128.load(top + right + off);
          const bl = v128.load(bottom + left + off), br = v128.load(bottom + right + off);
          const t = f32x4.add(tl, f32x4.mul(f32x4.sub(tr, tl), vfx));
          const b = f32x4.add(bl, f32x4.mul(f32x4.sub(br, bl), vfx));
          v128.store(o + off, f32x4.add(t, f32x4.mul(f32x4.sub(b, t), vfy)));
        }
        for (; d < C; d++) {
          const off = <usize>d << 2;
          const tl = load<f32>(top + left + off), tr = load<f32>(top + right + off);
          const bl = load<f32>(bottom + left + off), br = load<f32>(bottom + right + off);
          const t = tl + (tr - tl) * fx;
          const b = bl + (br - bl) * fx;
          store<f32>(o + off, t + (b - t) * fy);
        }
        o += <usize>C << 2;
      }
    }
  }
}

/** dx [N, H, W, C] = the adjoint of resize_bilinear_f32 applied to dy [N, OH, OW, C]. */
export function resize_bilinear_grad_f32(dy: usize, dx: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3), OH = g(geom, 4), OW = g(geom, 5);
  const align = g(geom, 6) != 0, half = g(geom, 7) != 0;
  memory.fill(dx, 0, <usize>N * <usize>H * <usize>W * <usize>C << 2);
  let src = dy;
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < OH; r++) {
      const sy = source(r, H, OH, align, half);
      const y0 = lowTap(sy), y1 = highTap(sy, H);
      const fy = <f32>(sy - <f64>y0);
      const top = dx + (<usize>((n * H + y0) * W * C) << 2);
      const bottom = dx + (<usize>((n * H + y1) * W * C) << 2);
      for (let c = 0; c < OW; c++) {
        const sx = source(c, W, OW, align, half);
        const x0 = lowTap(sx), x1 = highTap(sx, W);
        const fx = <f32>(sx - <f64>x0);
        // The four taps' weights; taps that coincide (at an edge) each get their share.
        const gy: f32 = 1 - fy, gx: f32 = 1 - fx;
        const wtl = gy * gx, wtr = gy * fx, wbl = fy * gx, wbr = fy * fx;
        const left = <usize>(x0 * C) << 2, right = <usize>(x1 * C) << 2;
        let d = 0;
        for (; d + 4 <= C; d += 4) {
          const off = <usize>d << 2;
          const v = v128.load(src + off);
          v128.store(top + left + off, f32x4.add(v128.load(top + left + off), f32x4.mul(v, f32x4.splat(wtl))));
          v128.store(top + right + off, f32x4.add(v128.load(top + right + off), f32x4.mul(v, f32x4.splat(wtr))));
          v128.store(bottom + left + off, f32x4.add(v128.load(bottom + left + off), f32x4.mul(v, f32x4.splat(wbl))));
          v128.store(bottom + right + off, f32x4.add(v128.load(bottom + right + off), f32x4.mul(v, f32x4.splat(wbr))));
        }
        for (; d < C; d++) {
          const off = <usize>d << 2;
          const v = load<f32>(src + off);
          store<f32>(top + left + off, load<f32>(top + left + off) + v * wtl);
          store<f32>(top + right + off, load<f32>(top + right + off) + v * wtr);
          store<f32>(bottom + left + off, load<f32>(bottom + left + off) + v * wbl);
          store<f32>(bottom + right + off, load<f32>(bottom + right + off) + v * wbr);
        }
        src += <usize>C << 2;
      }
    }
  }
}
