// im2col and col2im for NHWC convolution (src/ops/conv.ts).
//
// conv2d = im2col(x) · filter: each output pixel (n, oh, ow) becomes one row
// of fh*fw*C values ordered (kh, kw, c) — the row-major order of a TF.js
// filter [fh, fw, inC, outC] reshaped to [fh*fw*inC, outC] — so the packed
// GEMM does the rest. In NHWC one filter tap reads C contiguous floats, so
// every tap is a SIMD copy (or a zero fill where the tap falls in the padding).
// col2im is the adjoint: it adds each row's taps back into a zeroed image
// (taps of neighbouring pixels overlap, so it accumulates).
//
// geom points to i32 [N, H, W, C, fh, fw, sh, sw, dh, dw, padTop, padLeft, OH, OW].

/** dst[0..n) = src[0..n), four floats at a time. */
@inline function copyF32(dst: usize, src: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) v128.store(dst + (<usize>k << 2), v128.load(src + (<usize>k << 2)));
  for (; k < n; k++) store<f32>(dst + (<usize>k << 2), load<f32>(src + (<usize>k << 2)));
}

/** dst[0..n) += src[0..n), four floats at a time. */
@inline function addF32(dst: usize, src: usize, n: i32): void {
  let k = 0;
  for (; k + 4 <= n; k += 4) {
    const off = <usize>k << 2;
    v128.store(dst + off, f32x4.add(v128.load(dst + off), v128.load(src + off)));
  }
  for (; k < n; k++) {
    const off = <usize>k << 2;
    store<f32>(dst + off, load<f32>(dst + off) + load<f32>(src + off));
  }
}

@inline function g(geom: usize, i: i32): i32 {
  return load<i32>(geom + (<usize>i << 2));
}

/** cols [N*OH*OW, fh*fw*C] from x [N, H, W, C]; taps outside the image are zeros. */
export function im2col_f32(x: usize, cols: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3);
  const fh = g(geom, 4), fw = g(geom, 5), sh = g(geom, 6), sw = g(geom, 7);
  const dh = g(geom, 8), dw = g(geom, 9), padTop = g(geom, 10), padLeft = g(geom, 11);
  const OH = g(geom, 12), OW = g(geom, 13);
  const tapBytes = <usize>C << 2;
  let dst = cols;
  for (let n = 0; n < N; n++) {
    const image = x + <usize>n * <usize>H * <usize>W * tapBytes;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const iw0 = ow * sw - padLeft;
        // Undilated taps of one filter row that all fall inside the image are
        // fw*C contiguous floats in NHWC: one copy instead of fw (what matters
        // for few channels, such as a first layer's C = 1 or 3).
        const rowInside = dw === 1 && iw0 >= 0 && iw0 + fw <= W;
        for (let kh = 0; kh < fh; kh++) {
          const ih = oh * sh - padTop + kh * dh;
          const rowOk = ih >= 0 && ih < H;
          if (rowOk && rowInside) {
            copyF32(dst, image + (<usize>ih * <usize>W + <usize>iw0) * tapBytes, fw * C);
            dst += <usize>fw * tapBytes;
            continue;
          }
          for (let kw = 0; kw < fw; kw++) {
            const iw = iw0 + kw * dw;
            if (rowOk && iw >= 0 && iw < W) {
              copyF32(dst, image + (<usize>ih * <usize>W + <usize>iw) * tapBytes, C);
            } else {
              memory.fill(dst, 0, tapBytes);
            }
            dst += tapBytes;
          }
        }
      }
    }
  }
}

/** dx [N, H, W, C] = the adjoint of im2col applied to cols; dx is zeroed here. */
export function col2im_f32(cols: usize, dx: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3);
  const fh = g(geom, 4), fw = g(geom, 5), sh = g(geom, 6), sw = g(geom, 7);
  const dh = g(geom, 8), dw = g(geom, 9), padTop = g(geom, 10), padLeft = g(geom, 11);
  const OH = g(geom, 12), OW = g(geom, 13);
  const tapBytes = <usize>C << 2;
  memory.fill(dx, 0, <usize>N * <usize>H * <usize>W * tapBytes);
  let src = cols;
  for (let n = 0; n < N; n++) {
    const image = dx + <usize>n * <usize>H * <usize>W * tapBytes;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let kh = 0; kh < fh; kh++) {
          const ih = oh * sh - padTop + kh * dh;
          const rowOk = ih >= 0 && ih < H;
          for (let kw = 0; kw < fw; kw++) {
            const iw = ow * sw - padLeft + kw * dw;
            if (rowOk && iw >= 0 && iw < W) addF32(image + (<usize>ih * <usize>W + <usize>iw) * tapBytes, src, C);
            src += tapBytes;
          }
        }
      }
    }
  }
}
