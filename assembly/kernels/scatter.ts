// The inverse of copy_strided: writes a contiguous source into a strided view
// of `out`. Used by the gradients of index/slice (dy lands in the selected
// positions of a zero tensor). meta = [shape(rank), outStrides(rank)].
// Strides may be negative (views with negative steps): offsets are computed in
// wrapping 32-bit arithmetic, which lands on the right address.

export function scatter_strided(x: usize, out: usize, elemBytes: i32, rank: i32, meta: usize): void {
  const inner = load<i32>(meta + (<usize>(rank - 1) << 2));
  const innerStride = load<i32>(meta + (<usize>(2 * rank - 1) << 2));
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= load<i32>(meta + (<usize>d << 2));
  const shift: u32 = elemBytes == 4 ? 2 : 0;
  let src = x;
  for (let r = 0; r < rows; r++) {
    // Offset of this row: decompose r over the outer dims.
    let rem = r;
    let rowOffset: i32 = 0;
    for (let d = rank - 2; d >= 0; d--) {
      const size = load<i32>(meta + (<usize>d << 2));
      const stride = load<i32>(meta + (<usize>(rank + d) << 2));
      rowOffset += (rem % size) * stride;
      rem /= size;
    }
    const dst = out + (<usize>rowOffset << shift);
    if (innerStride == 1) {
      memory.copy(dst, src, <usize>inner << shift);
    } else if (elemBytes == 4) {
      for (let i = 0; i < inner; i++) store<u32>(dst + (<usize>(i * innerStride) << 2), load<u32>(src + (<usize>i << 2)));
    } else {
      for (let i = 0; i < inner; i++) store<u8>(dst + <usize>(i * innerStride), load<u8>(src + <usize>i));
    }
    src += <usize>inner << shift;
  }
}
