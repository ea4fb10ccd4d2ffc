// Inference batch normalization (src/ops/batchnorm.ts): y = x * a[c] + b[c],
// with a = scale * rsqrt(variance + eps) and b = offset - mean * a folded per
// channel by the caller, so the pass over x is one multiply-add per element.
//
// x is contiguous [outer, C, inner]: channels last is inner = 1 (four channels
// per vector, a and b loaded alongside x); channels first (NCHW) has inner =
// H*W (a[c] and b[c] splatted, four pixels per vector).

/** out = x * a[c] + b[c] over contiguous [outer, C, inner] float32; out may alias x. */
export function batchnorm_f32(x: usize, a: usize, b: usize, out: usize, outer: i32, C: i32, inner: i32): void {
  if (inner === 1) {
    let p: usize = 0;
    for (let o = 0; o < outer; o++) {
      let c = 0;
      for (; c + 4 <= C; c += 4) {
        const off = <usize>c << 2;
        const vx = v128.load(x + p + off);
        v128.store(out + p + off, f32x4.add(f32x4.mul(vx, v128.load(a + off)), v128.load(b + off)));
      }
      for (; c < C; c++) {
        const off = <usize>c << 2;
        store<f32>(out + p + off, load<f32>(x + p + off) * load<f32>(a + off) + load<f32>(b + off));
      }
      p += <usize>C << 2;
    }
    return;
  }
  const rowBytes = <usize>inner << 2;
  let p: usize = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < C; c++) {
      const sa = load<f32>(a + (<usize>c << 2));
      const sb = load<f32>(b + (<usize>c << 2));
      const va = f32x4.splat(sa);
      const vb = f32x4.splat(sb);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const off = p + (<usize>i << 2);
        v128.store(out + off, f32x4.add(f32x4.mul(v128.load(x + off), va), vb));
      }
      for (; i < inner; i++) {
        const off = p + (<usize>i << 2);
        store<f32>(out + off, load<f32>(x + off) * sa + sb);
      }
      p += rowBytes;
    }
  }
}
