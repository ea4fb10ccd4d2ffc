// Depthwise 2-D convolution over NHWC images (src/ops/depthwise_conv.ts).
//
// Each channel is convolved with its own filter, so there is no reduction
// across channels and no GEMM: in NHWC the C channels of a pixel and of a
// filter tap are both contiguous, and one v128 holds four channels of each.
// The filter is [fh, fw, C] (the op folds a channel multiplier into C by
// repeating input channels). Taps are clipped to the image per output row and
// column once, so the inner loops carry no bounds checks (zero padding never
// touches memory). Channels go 16 at a time (four accumulators), then 4 (the
// last 4 overlapping the previous block when C % 4 != 0; one by one only for
// C < 4); two neighbouring output pixels inside the image share each filter load.
//
// Backward: the input gradient scatters dy * filter back through the same
// taps; the filter gradient accumulates x * dy per tap over one output row in
// registers before touching df, so df is read and written once per row.
//
// geom points to i32 [N, H, W, C, fh, fw, sh, sw, dh, dw, padTop, padLeft, OH, OW].

// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    return f32x4.relaxed_madd(a, b, c);
  } else {
    return f32x4.add(c, f32x4.mul(a, b));
  }
}

// @ts-ignore: decorator
@inline
function g(geom: usize, i: i32): i32 {
  return load<i32>(geom + (<usize>i << 2));
}

/** The first tap k >= 0 with start + k * dil >= 0. */
// @ts-ignore: decorator
@inline
function firstTap(start: i32, dil: i32): i32 {
  return start >= 0 ? 0 : (dil - 1 - start) / dil;
}

/** One past the last tap k < taps with start + k * dil < size. */
// @ts-ignore: decorator
@inline
function endTap(start: i32, dil: i32, size: i32, taps: i32): i32 {
  const room = size - start;
  return room <= 0 ? 0 : min(taps, (room + dil - 1) / dil);
}

/**
 * One output pixel: out[0..C) = bias + sum over kh < khN, kw < kwN of
 * x[kh * xRowStep + kw * xColStep] * f[kh * fRowStep + kw * pixel] (byte
 * steps; pixel = C * 4).
 */
// @ts-ignore: decorator
@inline
function onePixel(o: usize, x: usize, f: usize, bias: usize, C: i32, pixel: usize, khN: i32, kwN: i32,
  xRowStep: usize, xColStep: usize, fRowStep: usize): void {
  const zero = f32x4.splat(0);
  let c = 0;
  for (; c + 16 <= C; c += 16) {
    const off = <usize>c << 2;
    let acc0 = zero, acc1 = zero, acc2 = zero, acc3 = zero;
    if (bias != 0) {
      acc0 = v128.load(bias + off); acc1 = v128.load(bias + off, 16);
      acc2 = v128.load(bias + off, 32); acc3 = v128.load(bias + off, 48);
    }
    let xr = x + off, fr = f + off;
    for (let kh = 0; kh < khN; kh++) {
      let xp = xr, fp = fr;
      for (let kw = 0; kw < kwN; kw++) {
        acc0 = madd(v128.load(xp), v128.load(fp), acc0);
        acc1 = madd(v128.load(xp, 16), v128.load(fp, 16), acc1);
        acc2 = madd(v128.load(xp, 32), v128.load(fp, 32), acc2);
        acc3 = madd(v128.load(xp, 48), v128.load(fp, 48), acc3);
        xp += xColStep; fp += pixel;
      }
      xr += xRowStep; fr += fRowStep;
    }
    v128.store(o + off, acc0); v128.store(o + off, acc1, 16);
    v128.store(o + off, acc2, 32); v128.store(o + off, acc3, 48);
  }
  // The last block of 4 overlaps the one before when C % 4 != 0: writing a
  // few channels twice beats a scalar tail.
  for (; c < C && C >= 4; c += 4) {
    const off = <usize>min(c, C - 4) << 2;
    let acc = bias != 0 ? v128.load(bias + off) : zero;
    let xr = x + off, fr = f + off;
    for (let kh = 0; kh < khN; kh++) {
      let xp = xr, fp = fr;
      for (let kw = 0; kw < kwN; kw++) {
        acc = madd(v128.load(xp), v128.load(fp), acc);
        xp += xColStep; fp += pixel;
      }
      xr += xRowStep; fr += fRowStep;
    }
    v128.store(o + off, acc);
  }
  for (; c < C; c++) {
    const off = <usize>c << 2;
    let acc: f32 = bias != 0 ? load<f32>(bias + off) : 0;
    let xr = x + off, fr = f + off;
    for (let kh = 0; kh < khN; kh++) {
      let xp = xr, fp = fr;
      for (let kw = 0; kw < kwN; kw++) {
        acc += load<f32>(xp) * load<f32>(fp);
        xp += xColStep; fp += pixel;
      }
      xr += xRowStep; fr += fRowStep;
    }
    store<f32>(o + off, acc);
  }
}

/**
 * Two horizontally adjacent output pixels whose windows are both wholly
 * inside the image columns (x2 = x + the byte distance between them): each
 * filter vector is loaded once for both, 8 accumulators + 4 filter vectors
 * stay within the 15 xmm registers V8 gives wasm. Needs C >= 4 (the last
 * block of 4 overlaps as in onePixel).
 */
// @ts-ignore: decorator
@inline
function twoPixels(o: usize, x: usize, next: usize, f: usize, bias: usize, C: i32, pixel: usize, khN: i32, kwN: i32,
  xRowStep: usize, xColStep: usize, fRowStep: usize): void {
  const zero = f32x4.splat(0);
  let c = 0;
  for (; c + 16 <= C; c += 16) {
    const off = <usize>c << 2;
    let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    if (bias != 0) {
      a0 = v128.load(bias + off); a1 = v128.load(bias + off, 16);
      a2 = v128.load(bias + off, 32); a3 = v128.load(bias + off, 48);
    }
    let b0 = a0, b1 = a1, b2 = a2, b3 = a3;
    let xr = x + off, fr = f + off;
    for (let kh = 0; kh < khN; kh++) {
      let xp = xr, fp = fr;
      for (let kw = 0; kw < kwN; kw++) {
        const f0 = v128.load(fp), f1 = v128.load(fp, 16), f2 = v128.load(fp, 32), f3 = v128.load(fp, 48);
        a0 = madd(v128.load(xp), f0, a0);
        a1 = madd(v128.load(xp, 16), f1, a1);
        a2 = madd(v128.load(xp, 32), f2, a2);
        a3 = madd(v128.load(xp, 48), f3, a3);
        const xq = xp + next;
        b0 = madd(v128.load(xq), f0, b0);
        b1 = madd(v128.load(xq, 16), f1, b1);
        b2 = madd(v128.load(xq, 32), f2, b2);
        b3 = madd(v128.load(xq, 48), f3, b3);
        xp += xColStep; fp += pixel;
      }
      xr += xRowStep; fr += fRowStep;
    }
    v128.store(o + off, a0); v128.store(o + off, a1, 16);
    v128.store(o + off, a2, 32); v128.store(o + off, a3, 48);
    const o2 = o + pixel + off;
    v128.store(o2, b0); v128.store(o2, b1, 16);
    v128.store(o2, b2, 32); v128.store(o2, b3, 48);
  }
  for (; c < C; c += 4) {
    const off = <usize>min(c, C - 4) << 2;
    let a0 = bias != 0 ? v128.load(bias + off) : zero;
    let b0 = a0;
    let xr = x + off, fr = f + off;
    for (let kh = 0; kh < khN; kh++) {
      let xp = xr, fp = fr;
      for (let kw = 0; kw < kwN; kw++) {
        const f0 = v128.load(fp);
        a0 = madd(v128.load(xp), f0, a0);
        b0 = madd(v128.load(xp + next), f0, b0);
        xp += xColStep; fp += pixel;
      }
      xr += xRowStep; fr += fRowStep;
    }
    v128.store(o + off, a0);
    v128.store(o + pixel + off, b0);
  }
}

/** out [N, OH, OW, C] = sum over taps of x * filter [fh, fw, C] (+ bias [C] when bias != 0). */
export function depthwise_f32(x: usize, filter: usize, bias: usize, out: usize, geom: usize): void {
  depthwise_rows_f32(x, filter, bias, out, geom, 0, g(geom, 0) * g(geom, 12));
}

/**
 * depthwise_f32 for the output rows [rowLo, rowHi) of the N * OH rows (image
 * n, row oh = row / OH, row % OH): the unit the worker pool splits the
 * forward into (rows write disjoint bytes of out).
 */
export function depthwise_rows_f32(x: usize, filter: usize, bias: usize, out: usize, geom: usize, rowLo: i32, rowHi: i32): void {
  const H = g(geom, 1), W = g(geom, 2), C = g(geom, 3);
  const fh = g(geom, 4), fw = g(geom, 5), sh = g(geom, 6), sw = g(geom, 7);
  const dh = g(geom, 8), dw = g(geom, 9), padTop = g(geom, 10), padLeft = g(geom, 11);
  const OH = g(geom, 12), OW = g(geom, 13);
  const pixel = <usize>C << 2;
  const xRowStep = <usize>dh * <usize>W * pixel, xColStep = <usize>dw * pixel;
  const fRowStep = <usize>fw * pixel;
  const next = <usize>sw * pixel;
  const span = (fw - 1) * dw;
  let o = out + <usize>rowLo * <usize>OW * pixel;
  for (let row = rowLo; row < rowHi; row++) {
    const n = row / OH, oh = row % OH;
    const image = x + <usize>n * <usize>H * <usize>W * pixel;
    const ih0 = oh * sh - padTop;
    const kh0 = firstTap(ih0, dh), kh1 = endTap(ih0, dh, H, fh);
    const khN = max(kh1 - kh0, 0);
    // Tap (kh, kw) reads x at row ih0 + kh*dh, column iw0 + kw*dw.
    const rowBase = image + <usize>(ih0 + kh0 * dh) * <usize>W * pixel;
    const fRow = filter + <usize>(kh0 * fw) * pixel;
    let ow = 0;
    while (ow < OW) {
      const iw0 = ow * sw - padLeft;
      // Pairs inside the image columns share their filter loads.
      if (C >= 4 && ow + 1 < OW && iw0 >= 0 && iw0 + sw + span < W) {
        twoPixels(o, rowBase + <usize>iw0 * pixel, next, fRow, bias, C, pixel, khN, fw, xRowStep, xColStep, fRowStep);
        o += pixel << 1;
        ow += 2;
        continue;
      }
      const kw0 = firstTap(iw0, dw), kw1 = endTap(iw0, dw, W, fw);
      onePixel(o, rowBase + <usize>(iw0 + kw0 * dw) * pixel, fRow + <usize>kw0 * pixel, bias, C, pixel,
        khN, max(kw1 - kw0, 0), xRowStep, xColStep, fRowStep);
      o += pixel;
      ow++;
    }
  }
}

/** dst[0..C) += src[0..C) * f[0..C), four channels at a time. */
// @ts-ignore: decorator
@inline
function addProduct(dst: usize, src: usize, f: usize, C: i32): void {
  let c = 0;
  for (; c + 4 <= C; c += 4) {
    const off = <usize>c << 2;
    v128.store(dst + off, madd(v128.load(src + off), v128.load(f + off), v128.load(dst + off)));
  }
  for (; c < C; c++) {
    const off = <usize>c << 2;
    store<f32>(dst + off, load<f32>(dst + off) + load<f32>(src + off) * load<f32>(f + off));
  }
}

/** dx [N, H, W, C] (zeroed here) = the adjoint of depthwise_f32 in x, applied to dy [N, OH, OW, C]. */
export function depthwise_grad_input_f32(dy: usize, filter: usize, dx: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3);
  const fh = g(geom, 4), fw = g(geom, 5), sh = g(geom, 6), sw = g(geom, 7);
  const dh = g(geom, 8), dw = g(geom, 9), padTop = g(geom, 10), padLeft = g(geom, 11);
  const OH = g(geom, 12), OW = g(geom, 13);
  const pixel = <usize>C << 2;
  memory.fill(dx, 0, <usize>N * <usize>H * <usize>W * pixel);
  let src = dy;
  for (let n = 0; n < N; n++) {
    const image = dx + <usize>n * <usize>H * <usize>W * pixel;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - padTop;
      const kh0 = firstTap(ih0, dh), kh1 = endTap(ih0, dh, H, fh);
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - padLeft;
        const kw0 = firstTap(iw0, dw), kw1 = endTap(iw0, dw, W, fw);
        for (let kh = kh0; kh < kh1; kh++) {
          const row = image + <usize>(ih0 + kh * dh) * <usize>W * pixel;
          const frow = filter + <usize>(kh * fw) * pixel;
          for (let kw = kw0; kw < kw1; kw++) {
            addProduct(row + <usize>(iw0 + kw * dw) * pixel, src, frow + <usize>kw * pixel, C);
          }
        }
        src += pixel;
      }
    }
  }
}

/** df [fh, fw, C] (zeroed here) = the adjoint of depthwise_f32 in the filter: sum of x * dy per tap. */
export function depthwise_grad_filter_f32(x: usize, dy: usize, df: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3);
  const fh = g(geom, 4), fw = g(geom, 5), sh = g(geom, 6), sw = g(geom, 7);
  const dh = g(geom, 8), dw = g(geom, 9), padTop = g(geom, 10), padLeft = g(geom, 11);
  const OH = g(geom, 12), OW = g(geom, 13);
  const pixel = <usize>C << 2;
  const zero = f32x4.splat(0);
  memory.fill(df, 0, <usize>fh * <usize>fw * pixel);
  for (let n = 0; n < N; n++) {
    const image = x + <usize>n * <usize>H * <usize>W * pixel;
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * sh - padTop;
      const kh0 = firstTap(ih0, dh), kh1 = endTap(ih0, dh, H, fh);
      const dyRow = dy + (<usize>n * <usize>OH + <usize>oh) * <usize>OW * pixel;
      for (let kh = kh0; kh < kh1; kh++) {
        const xRow = image + <usize>(ih0 + kh * dh) * <usize>W * pixel;
        for (let kw = 0; kw < fw; kw++) {
          // The output columns whose tap kw falls inside the image: ow*sw - padLeft + kw*dw in [0, W).
          const shift = kw * dw - padLeft;
          const ow0 = shift >= 0 ? 0 : (sw - 1 - shift) / sw;
          const ow1 = W - shift <= 0 ? 0 : min(OW, (W - shift + sw - 1) / sw);
          if (ow0 >= ow1) continue;
          const tap = df + <usize>(kh * fw + kw) * pixel;
          const xStep = <usize>sw * pixel;
          const x0 = xRow + <usize>(ow0 * sw + shift) * pixel;
          const d0 = dyRow + <usize>ow0 * pixel;
          let c = 0;
          for (; c + 16 <= C; c += 16) {
            const off = <usize>c << 2;
            let acc0 = zero, acc1 = zero, acc2 = zero, acc3 = zero;
            let xp = x0 + off, dp = d0 + off;
            for (let ow = ow0; ow < ow1; ow++) {
              acc0 = madd(v128.load(xp), v128.load(dp), acc0);
              acc1 = madd(v128.load(xp, 16), v128.load(dp, 16), acc1);
              acc2 = madd(v128.load(xp, 32), v128.load(dp, 32), acc2);
              acc3 = madd(v128.load(xp, 48), v128.load(dp, 48), acc3);
              xp += xStep; dp += pixel;
            }
            const t = tap + off;
            v128.store(t, f32x4.add(v128.load(t), acc0));
            v128.store(t, f32x4.add(v128.load(t, 16), acc1), 16);
            v128.store(t, f32x4.add(v128.load(t, 32), acc2), 32);
            v128.store(t, f32x4.add(v128.load(t, 48), acc3), 48);
          }
          for (; c + 4 <= C; c += 4) {
            const off = <usize>c << 2;
            let acc = zero;
            let xp = x0 + off, dp = d0 + off;
            for (let ow = ow0; ow < ow1; ow++) {
              acc = madd(v128.load(xp), v128.load(dp), acc);
              xp += xStep; dp += pixel;
            }
            v128.store(tap + off, f32x4.add(v128.load(tap + off), acc));
          }
          for (; c < C; c++) {
            const off = <usize>c << 2;
            let acc: f32 = 0;
            let xp = x0 + off, dp = d0 + off;
            for (let ow = ow0; ow < ow1; ow++) {
              acc += load<f32>(xp) * load<f32>(dp);
              xp += xStep; dp += pixel;
            }
            store<f32>(tap + off, load<f32>(tap + off) + acc);
          }
        }
      }
    }
  }
}
