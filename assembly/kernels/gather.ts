// gather along one axis (TF.js tf.gather, batchDims 0) and its gradient.
//
// The caller views x as [outer, axisSize, inner] and out as [outer, n, inner]:
// every selected slice is `inner` contiguous elements, so the forward is one
// memory.copy per (outer, index) pair — for fit's shuffled batches that is one
// copy per row of the batch. The gradient adds dy's slices back into a zeroed
// [outer, axisSize, inner] buffer (an index may repeat, so it accumulates).

/** Position of the first index outside [0, axisSize), or -1 when all are valid. */
function firstBadIndex(indices: usize, n: i32, axisSize: i32): i32 {
  for (let i = 0; i < n; i++) {
    const j = load<i32>(indices + (<usize>i << 2));
    if (j < 0 || j >= axisSize) return i;
  }
  return -1;
}

/**
 * out[o, i, :] = x[o, indices[i], :], slices of rowBytes bytes (any dtype).
 * Returns the position of the first out-of-range index (nothing is written), or -1.
 */
export function gather_rows(x: usize, indices: usize, out: usize, outer: i32, axisSize: i32, n: i32, rowBytes: i32): i32 {
  const bad = firstBadIndex(indices, n, axisSize);
  if (bad >= 0) return bad;
  const row = <usize>rowBytes;
  const block = <usize>axisSize * row;
  let dst = out;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * block;
    for (let i = 0; i < n; i++) {
      memory.copy(dst, base + <usize>load<i32>(indices + (<usize>i << 2)) * row, row);
      dst += row;
    }
  }
  return -1;
}

/** dx[o, indices[i], :] += dy[o, i, :] for float32 slices of `inner` elements; dx must start zeroed. */
export function gather_grad_f32(dy: usize, indices: usize, dx: usize, outer: i32, axisSize: i32, n: i32, inner: i32): void {
  const row = <usize>inner << 2;
  const block = <usize>axisSize * row;
  let src = dy;
  for (let o = 0; o < outer; o++) {
    const base = dx + <usize>o * block;
    for (let i = 0; i < n; i++) {
      const dst = base + <usize>load<i32>(indices + (<usize>i << 2)) * row;
      let k = 0;
      for (; k + 4 <= inner; k += 4) {
        const off = <usize>k << 2;
        v128.store(dst + off, f32x4.add(v128.load(dst + off), v128.load(src + off)));
      }
      for (; k < inner; k++) {
        const off = <usize>k << 2;
        store<f32>(dst + off, load<f32>(dst + off) + load<f32>(src + off));
      }
      src += row;
    }
  }
}
