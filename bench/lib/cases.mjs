// The benchmark cases of issue 4: what each computes, how much work it is, and
// which peers skip it by default. Shapes follow the seed's MNIST model
// (784 -> Dense 512 relu -> Dense 10 softmax, batch 128).

const K = 1024;
const M = K * K;

/** GEMM C[m,n] = op(A) op(B), K the inner size; A is stored [k,m] when transposeA, B [n,k] when transposeB. */
function gemm(id, m, k, n, { transposeA = false, transposeB = false, group = 'gemm-square', note } = {}) {
  const t = transposeA ? ' A^T' : transposeB ? ' B^T' : '';
  return {
    id, kind: 'gemm', group, m, k, n, transposeA, transposeB,
    description: `matMul ${m}x${k}x${n}${t}${note ? ', ' + note : ''}`,
    unit: 'GFLOP/s', amount: (2 * m * k * n) / 1e9, flops: 2 * m * k * n,
  };
}

// Bytes each elementwise op reads and writes per element (not the readback).
const ELEMENTWISE_BYTES = { add: 12, mul: 12, relu: 8 };

function elementwise(op, size, label) {
  return {
    id: `${op}${label}`, kind: op, group: 'elementwise', size,
    description: `${op} ${label} f32`, unit: 'GB/s', amount: (ELEMENTWISE_BYTES[op] * size) / 1e9,
  };
}

function reduction(id, rows, cols, axis) {
  const what = axis === null ? 'all' : `axis ${axis}`;
  return {
    id, kind: 'sum', group: 'reduction', rows, cols, axis, size: rows * cols,
    description: `sum ${what} of [${rows},${cols}]`, unit: 'GB/s', amount: (4 * rows * cols) / 1e9,
  };
}

function softmax(id, rows, cols) {
  return {
    id, kind: 'softmax', group: 'softmax', rows, cols, size: rows * cols,
    description: `softmax last axis of [${rows},${cols}]`, unit: 'GB/s', amount: (8 * rows * cols) / 1e9,
  };
}

const SIZES = [[1 << 10, '1K'], [1 << 14, '16K'], [1 << 18, '256K'], [M, '1M'], [4 * M, '4M'], [16 * M, '16M']];

export const ALL_CASES = [
  ...[64, 128, 256, 512, 1024, 2048].map((n) => gemm(`gemm${n}`, n, n, n)),
  gemm('dense1_fwd', 128, 784, 512, { group: 'gemm-dense', note: 'dense1 fwd' }),
  gemm('dense2_fwd', 128, 512, 10, { group: 'gemm-dense', note: 'dense2 fwd' }),
  gemm('dense1_dW', 784, 128, 512, { transposeA: true, group: 'gemm-dense', note: 'dense1 dW=x^T dy' }),
  gemm('dense1_dx', 128, 512, 784, { transposeB: true, group: 'gemm-dense', note: 'dense1 dx=dy W^T' }),
  gemm('dense2_dW', 512, 128, 10, { transposeA: true, group: 'gemm-dense', note: 'dense2 dW=h^T dy' }),
  gemm('dense2_dx', 128, 10, 512, { transposeB: true, group: 'gemm-dense', note: 'dense2 dx=dy W^T' }),
  ...['add', 'mul', 'relu'].flatMap((op) => SIZES.map(([size, label]) => elementwise(op, size, label))),
  reduction('sum_all', 1024, 1024, null),
  reduction('sum_axis0', 1024, 1024, 0),
  reduction('sum_axis1', 1024, 1024, -1),
  softmax('softmax128x10', 128, 10),
  softmax('softmax1024x1024', 1024, 1024),
];

/**
 * Why a peer skips a case by default (null: it runs). tfjs-backend-cpu is plain
 * JS at ~1 GFLOP/s: GEMM 1024 takes seconds per run and 2048 ~20 s.
 */
export function defaultSkip(implId, c) {
  if (implId !== 'tfjs-cpu') return null;
  if (c.kind === 'gemm' && c.flops > 2 * 512 ** 3) return 'tfjs-cpu GEMM above 512^3 takes seconds per run; --cpu-all includes it';
  if (c.size >= 16 * M) return 'tfjs-cpu at 16M floats is slow; --cpu-all includes it';
  return null;
}

/**
 * --cases filter: comma-separated ids, groups (gemm-square, gemm-dense,
 * elementwise, reduction, softmax) or prefixes ending in '*' (add*, gemm*).
 */
export function selectCases(filter) {
  if (!filter) return ALL_CASES;
  const terms = String(filter).split(',').map((s) => s.trim()).filter(Boolean);
  const picked = ALL_CASES.filter((c) => terms.some((t) =>
    t.endsWith('*') ? c.id.startsWith(t.slice(0, -1)) || c.group.startsWith(t.slice(0, -1)) : c.id === t || c.group === t));
  if (picked.length === 0) {
    throw new Error(`bench: --cases=${filter} matches no case; ids are ${ALL_CASES.map((c) => c.id).join(', ')}`);
  }
  return picked;
}
