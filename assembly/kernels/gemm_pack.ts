// Packing routines for the GEMM (see gemm.ts).
//
// A block op(A)[i0:i0+mc, k0:k0+kc] is packed into ceil(mc/5) panels of
// kc x 5 floats laid out [k][5] (MR = 5); B block op(B)[k0:k0+kc, j0:j0+nc]
// into ceil(nc/8) panels of kc x 8 floats laid out [k][8] (NR = 8). Rows /
// columns past the matrix edge are zero-filled, so the micro-kernel always
// runs full 4x8 tiles. Both routines read either storage layout of their
// operand, so a transpose is never materialised.
//
// Pointers are byte addresses, everything else is in elements.

export const MR: i32 = 5;
export const NR: i32 = 8;

// Cache blocking (elements), read by gemm.ts. KC x NR x 4 B = 8 KiB (L1);
// MC x KC x 4 B = 120 KiB (L2); NC bounds the packed B block.
export let MC: i32 = 120;
export let KC: i32 = 256;
export let NC: i32 = 4096;

/** Tuning hook for benchmarks (not re-exported by gemm.ts, not part of the ABI). */
export function gemm_set_blocking(mc: i32, kc: i32, nc: i32): i32 {
  MC = max(MR, (mc + MR - 1) / MR * MR);
  KC = max(1, kc);
  NC = max(NR, (nc + NR - 1) & ~(NR - 1));
  return 0;
}

/**
 * Packs op(A)[i0:i0+mc, k0:k0+kc] into dst: ceil(mc/5) panels of kc x 5 floats.
 * transA = 0: A is [M, lda] row-major, op(A)[m][k] = A[m*lda + k].
 * transA = 1: A is [K, lda] row-major, op(A)[m][k] = A[k*lda + m].
 */
export function pack_a(src: usize, transA: i32, lda: i32, i0: i32, k0: i32, mc: i32, kc: i32, dst: usize): void {
  const panelBytes = <usize>kc * 20; // kc * 5 floats * 4 bytes
  const stride = <usize>lda << 2;
  let d = dst;
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = min(MR, mc - ip);
    const m = i0 + ip;
    if (transA == 0) {
      if (rows == MR) {
        let r0 = src + ((<usize>m * <usize>lda + <usize>k0) << 2);
        let r1 = r0 + stride;
        let r2 = r1 + stride;
        let r3 = r2 + stride;
        let r4 = r3 + stride;
        let o = d;
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          // 4x4 transpose of rows 0-3, row 4 lane by lane; [k][5] rows are 20 bytes.
          const v0 = v128.load(r0);
          const v1 = v128.load(r1);
          const v2 = v128.load(r2);
          const v3 = v128.load(r3);
          const v4 = v128.load(r4);
          const t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
          v128.store(o, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
          v128.store32_lane(o, v4, 0, 16);
          v128.store(o, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 20);
          v128.store32_lane(o, v4, 1, 36);
          v128.store(o, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 40);
          v128.store32_lane(o, v4, 2, 56);
          v128.store(o, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 60);
          v128.store32_lane(o, v4, 3, 76);
          r0 += 16; r1 += 16; r2 += 16; r3 += 16; r4 += 16;
          o += 80;
        }
        for (; k < kc; k++) {
          store<f32>(o, load<f32>(r0));
          store<f32>(o, load<f32>(r1), 4);
          store<f32>(o, load<f32>(r2), 8);
          store<f32>(o, load<f32>(r3), 12);
          store<f32>(o, load<f32>(r4), 16);
          r0 += 4; r1 += 4; r2 += 4; r3 += 4; r4 += 4;
          o += 20;
        }
      } else {
        memory.fill(d, 0, panelBytes);
        for (let r = 0; r < rows; r++) {
          let s = src + ((<usize>(m + r) * <usize>lda + <usize>k0) << 2);
          let o = d + (<usize>r << 2);
          for (let k = 0; k < kc; k++) {
            store<f32>(o, load<f32>(s));
            s += 4;
            o += 20;
          }
        }
      }
    } else {
      let s = src + ((<usize>k0 * <usize>lda + <usize>m) << 2);
      let o = d;
      if (rows == MR) {
        for (let k = 0; k < kc; k++) {
          v128.store(o, v128.load(s));
          store<f32>(o, load<f32>(s, 16), 16);
          s += stride;
          o += 20;
        }
      } else {
        memory.fill(d, 0, panelBytes);
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < rows; r++) store<f32>(o + (<usize>r << 2), load<f32>(s + (<usize>r << 2)));
          s += stride;
          o += 20;
        }
      }
    }
    d += panelBytes;
  }
}

/**
 * Packs op(B)[k0:k0+kc, j0:j0+nc] into dst.
 * transB = 0: B is [K, ldb] row-major, op(B)[k][n] = B[k*ldb + n].
 * transB = 1: B is [N, ldb] row-major, op(B)[k][n] = B[n*ldb + k].
 */
export function pack_b(src: usize, transB: i32, ldb: i32, k0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  const panelBytes = <usize>kc << 5; // kc * 8 floats * 4 bytes
  const stride = <usize>ldb << 2;
  let jp = 0;
  if (transB == 0) {
    // Two panels per pass: each k row contributes one whole 64-byte line.
    for (; jp + 16 <= nc; jp += 16) {
      let o0 = dst + (<usize>(jp >> 3)) * panelBytes;
      let o1 = o0 + panelBytes;
      let s = src + ((<usize>k0 * <usize>ldb + <usize>(j0 + jp)) << 2);
      for (let k = 0; k < kc; k++) {
        const v0 = v128.load(s);
        const v1 = v128.load(s, 16);
        const v2 = v128.load(s, 32);
        const v3 = v128.load(s, 48);
        v128.store(o0, v0);
        v128.store(o0, v1, 16);
        v128.store(o1, v2);
        v128.store(o1, v3, 16);
        s += stride;
        o0 += 32;
        o1 += 32;
      }
    }
  }
  for (; jp < nc; jp += 8) {
    const cols = min(8, nc - jp);
    const d = dst + (<usize>(jp >> 3)) * panelBytes;
    const n = j0 + jp;
    if (transB == 0) {
      let s = src + ((<usize>k0 * <usize>ldb + <usize>n) << 2);
      let o = d;
      if (cols == 8) {
        for (let k = 0; k < kc; k++) {
          v128.store(o, v128.load(s));
          v128.store(o, v128.load(s, 16), 16);
          s += stride;
          o += 32;
        }
      } else {
        const z = f32x4.splat(0);
        for (let k = 0; k < kc; k++) {
          v128.store(o, z);
          v128.store(o, z, 16);
          for (let j = 0; j < cols; j++) store<f32>(o + (<usize>j << 2), load<f32>(s + (<usize>j << 2)));
          s += stride;
          o += 32;
        }
      }
    } else {
      if (cols == 8) {
        let r0 = src + ((<usize>n * <usize>ldb + <usize>k0) << 2);
        let r1 = r0 + stride;
        let r2 = r1 + stride;
        let r3 = r2 + stride;
        let r4 = r3 + stride;
        let r5 = r4 + stride;
        let r6 = r5 + stride;
        let r7 = r6 + stride;
        let o = d;
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          let v0 = v128.load(r0);
          let v1 = v128.load(r1);
          let v2 = v128.load(r2);
          let v3 = v128.load(r3);
          let t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
          let t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
          let t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
          let t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
          v128.store(o, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
          v128.store(o, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 32);
          v128.store(o, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 64);
          v128.store(o, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 96);
          v0 = v128.load(r4);
          v1 = v128.load(r5);
          v2 = v128.load(r6);
          v3 = v128.load(r7);
          t0 = i32x4.shuffle(v0, v1, 0, 4, 1, 5);
          t1 = i32x4.shuffle(v2, v3, 0, 4, 1, 5);
          t2 = i32x4.shuffle(v0, v1, 2, 6, 3, 7);
          t3 = i32x4.shuffle(v2, v3, 2, 6, 3, 7);
          v128.store(o, i32x4.shuffle(t0, t1, 0, 1, 4, 5), 16);
          v128.store(o, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 48);
          v128.store(o, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 80);
          v128.store(o, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 112);
          r0 += 16; r1 += 16; r2 += 16; r3 += 16;
          r4 += 16; r5 += 16; r6 += 16; r7 += 16;
          o += 128;
        }
        for (; k < kc; k++) {
          store<f32>(o, load<f32>(r0));
          store<f32>(o, load<f32>(r1), 4);
          store<f32>(o, load<f32>(r2), 8);
          store<f32>(o, load<f32>(r3), 12);
          store<f32>(o, load<f32>(r4), 16);
          store<f32>(o, load<f32>(r5), 20);
          store<f32>(o, load<f32>(r6), 24);
          store<f32>(o, load<f32>(r7), 28);
          r0 += 4; r1 += 4; r2 += 4; r3 += 4;
          r4 += 4; r5 += 4; r6 += 4; r7 += 4;
          o += 32;
        }
      } else {
        const z = f32x4.splat(0);
        for (let k = 0; k < kc; k++) {
          const o = d + (<usize>k << 5);
          v128.store(o, z);
          v128.store(o, z, 16);
        }
        for (let j = 0; j < cols; j++) {
          let s = src + ((<usize>(n + j) * <usize>ldb + <usize>k0) << 2);
          let o = d + (<usize>j << 2);
          for (let k = 0; k < kc; k++) {
            store<f32>(o, load<f32>(s));
            s += 4;
            o += 32;
          }
        }
      }
    }
  }
}
