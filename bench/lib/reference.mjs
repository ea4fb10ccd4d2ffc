// Seeded inputs (the same bytes for every implementation) and a float64
// reference that checks sampled outputs before anything is timed: a fast wrong
// answer is reported as an error, never as a figure.

/** Uniform floats in [-2, 2) from a xorshift32 seeded by `seed` (setup only, not timed). */
function uniform(len, seed) {
  const v = new Float32Array(len);
  let s = (0x9e3779b9 ^ seed) >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    v[i] = ((s >>> 0) / 2 ** 32) * 4 - 2;
  }
  return v;
}

/** Deterministic values in [-1, 1) from an LCG (the model benches: every library gets the same bytes). */
export function values(n, seed) {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Inputs of a case as Float32Arrays, in the layout the case describes (see cases.mjs). */
export function makeInputs(c) {
  if (c.kind === 'gemm') return [uniform(c.m * c.k, c.m * 31 + c.k), uniform(c.k * c.n, c.n * 17 + c.k)];
  if (c.kind === 'add' || c.kind === 'mul') return [uniform(c.size, c.size), uniform(c.size, c.size + 1)];
  return [uniform(c.size, c.size + 2)];
}

/** Length of the output each case must produce. */
function outputLength(c) {
  if (c.kind === 'gemm') return c.m * c.n;
  if (c.kind === 'sum') return c.axis === null ? 1 : c.axis === 0 ? c.cols : c.rows;
  return c.size;
}

/**
 * Indices to check: all of them up to 4096 outputs, else the first, middle and
 * last plus 64 from an LCG (deterministic, so a failure reproduces).
 */
function samples(len, count = 64) {
  if (len <= 4096) return Array.from({ length: len }, (_, i) => i);
  let seed = 7;
  const picked = Array.from({ length: count }, () => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % len; });
  return [0, len >> 1, len - 1, ...picked];
}

/** Float64 reference of output element idx and the tolerance it is held to. */
function expected(c, inputs, idx) {
  const [a, b] = inputs;
  switch (c.kind) {
    case 'gemm': {
      const { m, k, n } = c;
      const i = Math.floor(idx / n), j = idx % n;
      let s = 0, mag = 0;
      for (let p = 0; p < k; p++) {
        const x = c.transposeA ? a[p * m + i] : a[i * k + p];
        const y = c.transposeB ? b[j * k + p] : b[p * n + j];
        s += x * y; mag += Math.abs(x * y);
      }
      return [s, 1e-5 * mag + 1e-6];
    }
    case 'add': return [a[idx] + b[idx], 1e-6 * Math.abs(a[idx] + b[idx]) + 1e-7];
    case 'mul': return [a[idx] * b[idx], 1e-6 * Math.abs(a[idx] * b[idx]) + 1e-7];
    case 'relu': return [Math.max(a[idx], 0), 0];
    case 'sum': {
      const { rows, cols, axis } = c;
      let s = 0, mag = 0;
      const add = (v) => { s += v; mag += Math.abs(v); };
      if (axis === null) for (let i = 0; i < rows * cols; i++) add(a[i]);
      else if (axis === 0) for (let r = 0; r < rows; r++) add(a[r * cols + idx]);
      else for (let q = 0; q < cols; q++) add(a[idx * cols + q]);
      // float32 accumulation order differs between libraries: error grows with the count.
      return [s, 1e-4 * mag + 1e-6];
    }
    case 'softmax': {
      const { cols } = c;
      const r = Math.floor(idx / cols);
      let mx = -Infinity, z = 0;
      for (let q = 0; q < cols; q++) mx = Math.max(mx, a[r * cols + q]);
      for (let q = 0; q < cols; q++) z += Math.exp(a[r * cols + q] - mx);
      const want = Math.exp(a[idx] - mx) / z;
      return [want, 2e-5 * want + 1e-8];
    }
    default: throw new Error(`bench: no reference for kind ${c.kind}`);
  }
}

/** Null when the output matches the reference at the sampled indices, else what is wrong. */
export function verify(c, out, inputs) {
  const len = outputLength(c);
  if (!out || out.length !== len) return `output length ${out && out.length}, expected ${len}`;
  for (const idx of samples(len)) {
    const [want, tol] = expected(c, inputs, idx);
    if (!(Math.abs(out[idx] - want) <= tol)) return `output[${idx}] = ${out[idx]}, expected ${want} (tolerance ${tol.toExponential(1)})`;
  }
  return null;
}
