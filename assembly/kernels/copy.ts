// STUB — to be implemented (see ../README.md for the ABI).
/** Materialise a strided view: meta = [shape(rank), strides(rank)], elemBytes 1 or 4. */
export function copy_strided(x: usize, out: usize, elemBytes: i32, rank: i32, meta: usize): void {}
