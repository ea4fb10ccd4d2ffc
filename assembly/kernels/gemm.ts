// GEMM: C[b] = act(op(A[b]) · op(B[b]) + bias).
//
// Structure (GotoBLAS / BLIS, with a 5x8 variant of XNNPACK's wasm SIMD "loadsplat" tile):
//   for jc in N step NC            B block columns
//     for pc in K step KC          K block (B panel KC x 8 = 8 KiB stays in L1)
//       pack op(B)[pc:+KC, jc:+NC] into [k][8] panels        (gemm_pack.ts)
//       for ic in M step MC        A block MC x KC (120 KiB) stays in L2
//         pack op(A)[ic:+MC, pc:+KC] into [k][5] panels
//         for jr in NC step 8, ir in MC step 5: kernel_5x8   (gemm_microkernel.ts)
// The first K block starts the C tile from the bias (or 0), later K blocks
// accumulate onto C; the last one applies relu to the tile while it is in L1,
// or another activation (gemm_epilogue.ts). Edge tiles (M % 5, N % 8)
// run the same kernel on zero-padded panels into a scratch tile and copy the
// valid part. M <= 3 or N <= 3 run as matrix-vector products (direct SIMD).
//
// Packing buffers live in one workspace block allocated with heap.alloc,
// grown when a call needs more and kept. The thread pool calls
// matmul_f32_shared instead, on every thread, which claim row blocks or
// column panels one by one, each thread with its own workspace allocated by the main thread (workers never
// allocate: the allocator is not thread-safe).
import { pack_a, pack_b, MR, NR, MC, KC, NC } from './gemm_pack';
import { kernel_5x8, tile_init, tile_relu } from './gemm_microkernel';
import { act_tile, act_supported } from './gemm_epilogue';
import { ACT_NONE, U_RELU } from '../opcodes';

let wsPtr: usize = 0;
let wsCap: usize = 0;

// How a tile's C values start in a K block.
const INIT_ZERO: i32 = 0; // first K block, no bias
const INIT_BIAS: i32 = 1; // first K block, from the bias
const INIT_C: i32 = 2; // later K blocks accumulate onto C

const SCRATCH_BYTES: usize = 160; // one 5x8 f32 tile

function workspace(bytes: usize): usize {
  if (bytes > wsCap) {
    if (wsPtr != 0) heap.free(wsPtr);
    wsPtr = heap.alloc(bytes);
    wsCap = bytes;
  }
  return wsPtr;
}

/**
 * C[b] = act(op(A[b]) · op(B[b]) + bias) for b in 0..batch.
 * A is stored [M,K] row-major (transA=0) or [K,M] (transA=1); B is [K,N] or [N,K] (transB=1).
 * strideA/strideB: elements between consecutive batch matrices (0 = broadcast one matrix).
 * C is contiguous [batch, M, N]. bias: 0 or a pointer to N floats. act: ACT_NONE or a U_* code.
 * Fused activations: ACT_NONE, U_RELU, U_RELU6, U_SIGMOID, U_TANH, U_ELU (alpha 1), U_SELU,
 * U_SOFTPLUS, U_GELU, U_GELU_TANH; any other code aborts (see gemm_epilogue.ts).
 */
export function matmul_f32(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32,
  batch: i32, strideA: i32, strideB: i32, bias: usize, act: i32): void {
  if (batch <= 0 || M <= 0 || N <= 0) return;
  if (!act_supported(act)) throw new Error('matmul_f32: unsupported fused activation code');
  const ldc = <usize>N << 2;
  if (K <= 0) {
    // Empty sum: C = act(bias or 0) for every batch.
    const rows = M * batch;
    for (let r = 0; r < rows; r++) {
      const row = c + <usize>r * ldc;
      if (bias != 0) memory.copy(row, bias, ldc);
      else memory.fill(row, 0, ldc);
    }
    if (act != ACT_NONE) act_tile(c, ldc, rows, N, act);
    return;
  }
  if (batch > 1 && strideB == 0 && transA == 0 && strideA == M * K) {
    // Shared B and contiguous row-major A batches: one GEMM with batch*M rows.
    M *= batch;
    batch = 1;
  }
  const cBytes = <usize>M * ldc;
  if (batch > 1 && strideA == 0 && strideB == 0) {
    // Every batch is the same product: compute once, copy.
    gemm_one(a, b, c, M, N, K, transA, transB, bias, act);
    for (let i = 1; i < batch; i++) memory.copy(c + <usize>i * cBytes, c, cBytes);
    return;
  }
  for (let i = 0; i < batch; i++) {
    gemm_one(
      a + ((<usize>i * <usize>strideA) << 2),
      b + ((<usize>i * <usize>strideB) << 2),
      c + <usize>i * cBytes,
      M, N, K, transA, transB, bias, act);
  }
}

// Below this many rows (or columns) the 5x8 tile would mostly compute zero
// padding; one matrix-vector product per row (column) is faster. Measured for
// 1024x1024 B: M=1 62 us, M=2 via the tile 286 us vs 2 x 62 us.
const GEMV_MAX: i32 = 3;

function gemm_one(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32,
  bias: usize, act: i32): void {
  if (M <= GEMV_MAX) {
    // Row m of C = x · op(B), x = row m of op(A) (gathered when A is stored [K, M]).
    const x: usize = M == 1 || transA == 0 ? <usize>0 : workspace(<usize>K << 2);
    for (let m = 0; m < M; m++) {
      let xm = a + ((<usize>m * <usize>K) << 2);
      if (x != 0) {
        for (let k = 0; k < K; k++) store<f32>(x + (<usize>k << 2), load<f32>(a + ((<usize>k * <usize>M + <usize>m) << 2)));
        xm = x;
      }
      const out = c + ((<usize>m * <usize>N) << 2);
      if (transB == 0) axpy_cols(b, N, xm, out, N, K);
      else rowdot(b, K, xm, out, N, K);
      vec_epilogue(out, N, bias, 0, act);
    }
    return;
  }
  if (N <= GEMV_MAX) {
    // Column n of C = op(A) · y, y = column n of op(B) (gathered when B is stored [K, N]).
    // Computed into a contiguous scratch vector, then scattered into C.
    const ws = workspace((<usize>(K + M)) << 2);
    const y = ws;
    const out = ws + (<usize>K << 2);
    for (let n = 0; n < N; n++) {
      let yn = b + ((<usize>n * <usize>K) << 2);
      if (transB == 0 && N > 1) {
        for (let k = 0; k < K; k++) store<f32>(y + (<usize>k << 2), load<f32>(b + ((<usize>k * <usize>N + <usize>n) << 2)));
        yn = y;
      } else if (transB == 0) {
        yn = b;
      }
      const o = N == 1 ? c : out;
      if (transA == 0) rowdot(a, K, yn, o, M, K);
      else axpy_cols(a, M, yn, o, M, K);
      vec_epilogue(o, M, bias == 0 ? 0 : bias + (<usize>n << 2), 1, act);
      if (N > 1) {
        for (let m = 0; m < M; m++) {
          store<f32>(c + ((<usize>m * <usize>N + <usize>n) << 2), load<f32>(out + (<usize>m << 2)));
        }
      }
    }
    return;
  }
  gemm_blocked(a, b, c, M, N, K, transA, transB, bias, act);
}

function gemm_blocked(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32,
  bias: usize, act: i32): void {
  const ws = workspace(matmul_ws_bytes(M, N, K, transB));
  gemm_block(a, b, c, M, N, K, transA, transB, transA == 0 ? K : M, transB == 0 ? N : K, N, bias, act, ws);
}

// Small M with row-major B: B panels would be used by at most two row
// panels, so packing B (a full copy of B) costs more than it saves; read B
// in place (8 contiguous floats per k row) and pack only edge column panels.
// @ts-ignore: decorator
@inline
function direct_b(M: i32, transB: i32): bool {
  return transB == 0 && M <= 2 * MR;
}

/** Bytes of packing workspace gemm_block (and so matmul_f32_shared) needs for an M x N x K product. */
export function matmul_ws_bytes(M: i32, N: i32, K: i32, transB: i32): usize {
  const kcMax = min(KC, K);
  const mcMax = min(MC, (M + MR - 1) / MR * MR);
  const ncMax = min(NC, (N + NR - 1) & ~(NR - 1));
  const apBytes = <usize>mcMax * <usize>kcMax << 2;
  const bpBytes = <usize>(direct_b(M, transB) ? NR : ncMax) * <usize>kcMax << 2;
  return SCRATCH_BYTES + apBytes + bpBytes;
}

/**
 * A GEMM shared by the thread pool: C = act(op(A) · op(B) + bias), M, N, K >= 1,
 * explicit leading dimensions (elements) lda, ldb, ldc. Every thread calls this
 * with the same arguments except `ws`, its own packing workspace of at least
 * matmul_ws_bytes(block or M, N or block, K, transB) bytes (allocated by the
 * main thread: workers never allocate). The output is cut into blocks of
 * `block` rows (byRows = 1) or columns (byRows = 0); each thread claims the
 * next unclaimed block through the i32 counter at `counter` (zeroed by the
 * caller) until none is left, so a thread that the OS slows down simply
 * computes fewer blocks. Blocks are disjoint: no two threads write the same C.
 */
export function matmul_f32_shared(counter: usize, byRows: i32, block: i32, a: usize, b: usize, c: usize,
  M: i32, N: i32, K: i32, transA: i32, transB: i32, lda: i32, ldb: i32, ldc: i32, bias: usize, act: i32,
  ws: usize): void {
  if (M <= 0 || N <= 0 || K <= 0 || block <= 0) return;
  if (!act_supported(act)) throw new Error('matmul_f32_shared: unsupported fused activation code');
  const extent = byRows != 0 ? M : N;
  const blocks = (extent + block - 1) / block;
  for (let i = claim(counter); i < blocks; i = claim(counter)) {
    const lo = i * block;
    const len = min(block, extent - lo);
    if (byRows != 0) {
      const ai = a + ((transA != 0 ? <usize>lo : <usize>lo * <usize>lda) << 2);
      gemm_block(ai, b, c + ((<usize>lo * <usize>ldc) << 2), len, N, K, transA, transB, lda, ldb, ldc, bias, act, ws);
    } else {
      const bi = b + ((transB != 0 ? <usize>lo * <usize>ldb : <usize>lo) << 2);
      const biasi = bias == 0 ? bias : bias + (<usize>lo << 2);
      gemm_block(a, bi, c + (<usize>lo << 2), M, len, K, transA, transB, lda, ldb, ldc, biasi, act, ws);
    }
  }
}

/** Returns the counter's value and increments it (atomically in the threaded builds). */
// @ts-ignore: decorator
@inline
function claim(counter: usize): i32 {
  if (ASC_FEATURE_THREADS) {
    return atomic.add<i32>(counter, 1);
  } else {
    const v = load<i32>(counter);
    store<i32>(counter, v + 1);
    return v;
  }
}

function gemm_block(a: usize, b: usize, c: usize, M: i32, N: i32, K: i32, transA: i32, transB: i32,
  lda: i32, ldb: i32, ldcElems: i32, bias: usize, act: i32, ws: usize): void {
  const ldc = <usize>ldcElems << 2;
  const kcMax = min(KC, K);
  const mcMax = min(MC, (M + MR - 1) / MR * MR);
  const apBytes = <usize>mcMax * <usize>kcMax << 2;
  const directB = direct_b(M, transB);
  const scratch = ws;
  const ap = ws + SCRATCH_BYTES;
  const bp = ap + apBytes;
  const post = act != ACT_NONE && act != U_RELU;

  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      const init = pc != 0 ? INIT_C : (bias != 0 ? INIT_BIAS : INIT_ZERO);
      const last = pc + kc >= K;
      const relu = last && act == U_RELU ? 1 : 0;
      const apPanel = <usize>kc * (MR << 2); // bytes per packed A panel (kc x MR)
      const bpPanel = <usize>kc << 5; // bytes per packed B panel (kc x 8)
      if (!directB) pack_b(b, transB, ldb, pc, jc, kc, nc, bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        pack_a(a, transA, lda, ic, pc, mc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const j = jc + jr;
          let bpan = bp + <usize>(jr >> 3) * bpPanel;
          let bpitch: usize = 32;
          if (directB) {
            if (nr == NR) {
              bpan = b + ((<usize>pc * <usize>ldb + <usize>j) << 2);
              bpitch = <usize>ldb << 2;
            } else {
              bpan = bp;
              pack_b(b, 0, ldb, pc, j, kc, nr, bp);
            }
          }
          const biasp = bias + (<usize>j << 2);
          let apan = ap;
          let cp = c + <usize>ic * ldc + (<usize>j << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            if (mr == MR && nr == NR) {
              if (init != INIT_C) tile_init(cp, ldc, MR, init == INIT_BIAS ? biasp : 0);
              kernel_5x8(apan, bpan, bpitch, kc, cp, ldc);
              if (relu) tile_relu(cp, ldc, MR);
            } else {
              tile_init(scratch, 32, MR, 0);
              kernel_5x8(apan, bpan, bpitch, kc, scratch, 32);
              merge_tile(scratch, cp, ldc, mr, nr, init, biasp, relu);
            }
            if (last && post) act_tile(cp, ldc, mr, nr, act);
            apan += apPanel;
            cp += ldc * MR;
          }
        }
      }
    }
  }
}

/** Copies the valid mr x nr part of a scratch tile into C, adding C / bias per `init`. */
function merge_tile(s: usize, cp: usize, ldc: usize, mr: i32, nr: i32, init: i32, biasp: usize, relu: i32): void {
  for (let r = 0; r < mr; r++) {
    const row = cp + <usize>r * ldc;
    const srow = s + (<usize>r << 5);
    for (let j = 0; j < nr; j++) {
      const off = <usize>j << 2;
      let v = load<f32>(srow + off);
      if (init == INIT_C) v += load<f32>(row + off);
      else if (init == INIT_BIAS) v += load<f32>(biasp + off);
      if (relu != 0 && v < 0) v = 0;
      store<f32>(row + off, v);
    }
  }
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f32 {
  const s = f32x4.add(v, i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}

/** out[r] = sum_k X[r*ldx + k] * v[k] for r < rows (rows of X are contiguous). */
function rowdot(x: usize, ldx: i32, v: usize, out: usize, rows: i32, len: i32): void {
  const pitch = <usize>ldx << 2;
  const len4 = len & ~3;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const x0 = x + <usize>r * pitch;
    const x1 = x0 + pitch;
    const x2 = x1 + pitch;
    const x3 = x2 + pitch;
    let s0 = f32x4.splat(0);
    let s1 = s0;
    let s2 = s0;
    let s3 = s0;
    for (let k = 0; k < len4; k += 4) {
      const o = <usize>k << 2;
      const vv = v128.load(v + o);
      s0 = f32x4.add(s0, f32x4.mul(v128.load(x0 + o), vv));
      s1 = f32x4.add(s1, f32x4.mul(v128.load(x1 + o), vv));
      s2 = f32x4.add(s2, f32x4.mul(v128.load(x2 + o), vv));
      s3 = f32x4.add(s3, f32x4.mul(v128.load(x3 + o), vv));
    }
    let t0 = hsum(s0);
    let t1 = hsum(s1);
    let t2 = hsum(s2);
    let t3 = hsum(s3);
    for (let k = len4; k < len; k++) {
      const o = <usize>k << 2;
      const vk = load<f32>(v + o);
      t0 += load<f32>(x0 + o) * vk;
      t1 += load<f32>(x1 + o) * vk;
      t2 += load<f32>(x2 + o) * vk;
      t3 += load<f32>(x3 + o) * vk;
    }
    store<f32>(out + (<usize>r << 2), t0);
    store<f32>(out + (<usize>r << 2), t1, 4);
    store<f32>(out + (<usize>r << 2), t2, 8);
    store<f32>(out + (<usize>r << 2), t3, 12);
  }
  for (; r < rows; r++) {
    const x0 = x + <usize>r * pitch;
    let s0 = f32x4.splat(0);
    for (let k = 0; k < len4; k += 4) {
      const o = <usize>k << 2;
      s0 = f32x4.add(s0, f32x4.mul(v128.load(x0 + o), v128.load(v + o)));
    }
    let t0 = hsum(s0);
    for (let k = len4; k < len; k++) {
      const o = <usize>k << 2;
      t0 += load<f32>(x0 + o) * load<f32>(v + o);
    }
    store<f32>(out + (<usize>r << 2), t0);
  }
}

/** out[j] = sum_k v[k] * X[k*ldx + j] for j < cols (columns of X are strided). */
function axpy_cols(x: usize, ldx: i32, v: usize, out: usize, cols: i32, len: i32): void {
  const pitch = <usize>ldx << 2;
  const cols4 = cols & ~3;
  const outEnd4 = out + (<usize>cols4 << 2);
  memory.fill(out, 0, <usize>cols << 2);
  let k = 0;
  for (; k + 4 <= len; k += 4) {
    const kb = <usize>k << 2;
    const r0 = x + <usize>k * pitch;
    const r1 = r0 + pitch;
    const r2 = r1 + pitch;
    const r3 = r2 + pitch;
    const v0 = v128.load32_splat(v + kb);
    const v1 = v128.load32_splat(v + kb, 4);
    const v2 = v128.load32_splat(v + kb, 8);
    const v3 = v128.load32_splat(v + kb, 12);
    let o = out;
    let off: usize = 0;
    while (o < outEnd4) {
      let acc = v128.load(o);
      acc = f32x4.add(acc, f32x4.add(
        f32x4.add(f32x4.mul(v0, v128.load(r0 + off)), f32x4.mul(v1, v128.load(r1 + off))),
        f32x4.add(f32x4.mul(v2, v128.load(r2 + off)), f32x4.mul(v3, v128.load(r3 + off)))));
      v128.store(o, acc);
      o += 16;
      off += 16;
    }
    const f0 = load<f32>(v + kb);
    const f1 = load<f32>(v + kb, 4);
    const f2 = load<f32>(v + kb, 8);
    const f3 = load<f32>(v + kb, 12);
    for (let j = cols4; j < cols; j++) {
      const jo = <usize>j << 2;
      store<f32>(out + jo, load<f32>(out + jo) + (f0 * load<f32>(r0 + jo) + f1 * load<f32>(r1 + jo)) +
        (f2 * load<f32>(r2 + jo) + f3 * load<f32>(r3 + jo)));
    }
  }
  for (; k < len; k++) {
    const r0 = x + <usize>k * pitch;
    const f0 = load<f32>(v + (<usize>k << 2));
    const v0 = f32x4.splat(f0);
    let off: usize = 0;
    for (let j = 0; j < cols4; j += 4) {
      v128.store(out + off, f32x4.add(v128.load(out + off), f32x4.mul(v0, v128.load(r0 + off))));
      off += 16;
    }
    for (let j = cols4; j < cols; j++) {
      const jo = <usize>j << 2;
      store<f32>(out + jo, load<f32>(out + jo) + f0 * load<f32>(r0 + jo));
    }
  }
}

/** Bias (per element, or one value broadcast when scalarBias) and activation on n outputs. */
function vec_epilogue(out: usize, n: i32, bias: usize, scalarBias: i32, act: i32): void {
  if (bias != 0) {
    if (scalarBias) {
      const bv = load<f32>(bias);
      for (let i = 0; i < n; i++) store<f32>(out + (<usize>i << 2), load<f32>(out + (<usize>i << 2)) + bv);
    } else {
      for (let i = 0; i < n; i++) {
        store<f32>(out + (<usize>i << 2), load<f32>(out + (<usize>i << 2)) + load<f32>(bias + (<usize>i << 2)));
      }
    }
  }
  if (act != ACT_NONE) act_tile(out, 0, 1, n, act);
}
