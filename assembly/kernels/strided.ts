// Row iteration over strided N-d views (the `meta` layout of ../README.md:
// [shape(rank), strides of operand 0 (rank), strides of operand 1 (rank)]).
//
// Kernels process the last dimension as a "row" with its own stride and walk
// the other dims here. No static state: future worker instances share static
// memory, so the walker keeps everything in locals of the caller.
//
//   const rows = rowCount(rank, meta), len = runLength(rank, meta), step = runStep(rank, meta, 0);
//   let off = 0, j = 0;
//   for (let r = 0; r < rows; r++) {
//     ... process the row starting at element offset `off` ...
//     if (++j < len) off += step;                                  // common case
//     else { j = 0; off = rowOffset(r + 1, rank, meta, 0); }       // dim rank-2 wrapped
//   }
//
// rowOffset costs a few integer divisions, so it only runs when dim rank-2 wraps.

@inline export function dim(meta: usize, d: i32): i32 {
  return load<i32>(meta + (<usize>d << 2));
}

/** Stride of dim d for operand k (0 = first strided input, 1 = second). */
@inline export function strideOf(meta: usize, rank: i32, k: i32, d: i32): i32 {
  return load<i32>(meta + (<usize>((k + 1) * rank + d) << 2));
}

/** Number of rows: product of shape[0 .. rank-1). */
export function rowCount(rank: i32, meta: usize): i32 {
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= dim(meta, d);
  return rows;
}

/** Element offset of row r (a flat index over dims 0..rank-2) in operand k. */
export function rowOffset(r: i32, rank: i32, meta: usize, k: i32): i32 {
  let off = 0;
  for (let d = rank - 2; d >= 0; d--) {
    const n = dim(meta, d);
    const q = r / n;
    off += (r - q * n) * strideOf(meta, rank, k, d);
    r = q;
  }
  return off;
}

/** Length of dim rank-2 (1 when rank == 1): rows between full recomputes. */
@inline export function runLength(rank: i32, meta: usize): i32 {
  return rank >= 2 ? dim(meta, rank - 2) : 1;
}

/** Stride of dim rank-2 for operand k (0 when rank == 1). */
@inline export function runStep(rank: i32, meta: usize, k: i32): i32 {
  return rank >= 2 ? strideOf(meta, rank, k, rank - 2) : 0;
}
