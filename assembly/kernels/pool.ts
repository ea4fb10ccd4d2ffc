// 2-D max and average pooling over NHWC images (src/ops/pool.ts).
//
// In NHWC the C channels of one pixel are contiguous, so each output pixel is
// computed four channels at a time: the window is walked once per channel
// vector. Max pooling also records, per output element, the flat index into x
// of the winning input (the first maximum, as TF.js), which its gradient uses
// to route dy back. Average pooling divides by the number of taps inside the
// image (padding is not counted, as TF.js 'same').
//
// geom points to i32 [N, H, W, C, fh, fw, sh, sw, padTop, padLeft, OH, OW].

@inline function g(geom: usize, i: i32): i32 {
  return load<i32>(geom + (<usize>i << 2));
}

/** out [N, OH, OW, C] = window maxima of x [N, H, W, C]; idx (int32, same shape) = flat x index of each. */
export function maxpool_f32(x: usize, out: usize, idx: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3);
  const fh = g(geom, 4), fw = g(geom, 5), sh = g(geom, 6), sw = g(geom, 7);
  const padTop = g(geom, 8), padLeft = g(geom, 9), OH = g(geom, 10), OW = g(geom, 11);
  let o: usize = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = max(oh * sh - padTop, 0);
      const h1 = min(oh * sh - padTop + fh, H);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = max(ow * sw - padLeft, 0);
        const w1 = min(ow * sw - padLeft + fw, W);
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let vbest = f32x4.splat(-Infinity);
          // Before any tap the index is the window's first tap (what an all -inf window reports).
          const first = ((n * H + h0) * W + w0) * C + c;
          let vidx = i32x4.add(i32x4.splat(first), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) {
              const at = ((n * H + ih) * W + iw) * C + c;
              const v = v128.load(x + (<usize>at << 2));
              const better = f32x4.gt(v, vbest);
              vbest = v128.bitselect(v, vbest, better);
              const vat = i32x4.add(i32x4.splat(at), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0));
              vidx = v128.bitselect(vat, vidx, better);
            }
          }
          v128.store(out + ((o + <usize>c) << 2), vbest);
          v128.store(idx + ((o + <usize>c) << 2), vidx);
        }
        for (; c < C; c++) {
          let best: f32 = -Infinity;
          let bi = ((n * H + h0) * W + w0) * C + c;
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) {
              const at = ((n * H + ih) * W + iw) * C + c;
              const v = load<f32>(x + (<usize>at << 2));
              if (v > best) { best = v; bi = at; }
            }
          }
          store<f32>(out + ((o + <usize>c) << 2), best);
          store<i32>(idx + ((o + <usize>c) << 2), bi);
        }
        o += <usize>C;
      }
    }
  }
}

/** dx[idx[i]] += dy[i] for n outputs; dx (xSize floats) is zeroed here. */
export function maxpool_grad_f32(dy: usize, idx: usize, dx: usize, n: i32, xSize: i32): void {
  memory.fill(dx, 0, <usize>xSize << 2);
  for (let i = 0; i < n; i++) {
    const at = dx + (<usize>load<i32>(idx + (<usize>i << 2)) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(dy + (<usize>i << 2)));
  }
}

/** out [N, OH, OW, C] = window means of x [N, H, W, C] over the taps inside the image. */
export function avgpool_f32(x: usize, out: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3);
  const fh = g(geom, 4), fw = g(geom, 5), sh = g(geom, 6), sw = g(geom, 7);
  const padTop = g(geom, 8), padLeft = g(geom, 9), OH = g(geom, 10), OW = g(geom, 11);
  let o: usize = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = max(oh * sh - padTop, 0);
      const h1 = min(oh * sh - padTop + fh, H);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = max(ow * sw - padLeft, 0);
        const w1 = min(ow * sw - padLeft + fw, W);
        const inv: f32 = 1 / <f32>max((h1 - h0) * (w1 - w0), 1);
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let vsum = f32x4.splat(0);
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) {
              vsum = f32x4.add(vsum, v128.load(x + (<usize>(((n * H + ih) * W + iw) * C + c) << 2)));
            }
          }
          v128.store(out + ((o + <usize>c) << 2), f32x4.mul(vsum, f32x4.splat(inv)));
        }
        for (; c < C; c++) {
          let s: f32 = 0;
          for (let ih = h0; ih < h1; ih++) {
            for (let iw = w0; iw < w1; iw++) s += load<f32>(x + (<usize>(((n * H + ih) * W + iw) * C + c) << 2));
          }
          store<f32>(out + ((o + <usize>c) << 2), s * inv);
        }
        o += <usize>C;
      }
    }
  }
}

/** dx [N, H, W, C] = the adjoint of avgpool_f32 applied to dy [N, OH, OW, C]; dx is zeroed here. */
export function avgpool_grad_f32(dy: usize, dx: usize, geom: usize): void {
  const N = g(geom, 0), H = g(geom, 1), W = g(geom, 2), C = g(geom, 3);
  const fh = g(geom, 4), fw = g(geom, 5), sh = g(geom, 6), sw = g(geom, 7);
  const padTop = g(geom, 8), padLeft = g(geom, 9), OH = g(geom, 10), OW = g(geom, 11);
  memory.fill(dx, 0, <usize>N * <usize>H * <usize>W * <usize>C << 2);
  let o: usize = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = max(oh * sh - padTop, 0);
      const h1 = min(oh * sh - padTop + fh, H);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = max(ow * sw - padLeft, 0);
        const w1 = min(ow * sw - padLeft + fw, W);
        const inv: f32 = 1 / <f32>max((h1 - h0) * (w1 - w0), 1);
        const src = dy + (o << 2);
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const dst = dx + (<usize>(((n * H + ih) * W + iw) * C) << 2);
            let c = 0;
            for (; c + 4 <= C; c += 4) {
              const off = <usize>c << 2;
              v128.store(dst + off, f32x4.add(v128.load(dst + off), f32x4.mul(v128.load(src + off), f32x4.splat(inv))));
            }
            for (; c < C; c++) {
              const off = <usize>c << 2;
              store<f32>(dst + off, load<f32>(dst + off) + load<f32>(src + off) * inv);
            }
          }
        }
        o += <usize>C;
      }
    }
  }
}
