// The tiled GEMM in WGSL, structured like tfjs-backend-webgpu's vec4 matmul
// (REFERENCE.md): an 8x8 workgroup computes a 32x32 tile of C, each
// invocation a 4x4 register block held as four vec4 accumulators; K advances
// 32 at a time through workgroup memory. Operands are read with bounds checks,
// so odd shapes need no padding; each transpose picks the staging order that
// keeps neighbouring invocations on neighbouring addresses. The bias and
// activation are applied in the store, as the CPU epilogue does.
//
// Both tiles are held as vec4s, A's along k, so that the inner loop reads one
// vec4 of A and one of B per 4 fma of vec4s per row: 8 workgroup-memory loads
// per 64 multiply-adds. Holding A as scalars took 20, and on a GPU workgroup
// memory, not arithmetic, then bounds a 32x32 tile. An invocation's rows are
// lid.y + 8r, not 4 adjacent ones, and each row of A's tile has one vec4 of
// padding: so the 4 rows a 32-wide subgroup reads fall in different banks.
// Each output is still summed over k in order, as before.
//
// Two shaders, differing only in how a K step is staged (gemmVariant): quads
// where the layout allows, single floats otherwise. Transposes, bias and
// activation are uniforms (uniform control flow, cheap), not more variants,
// because each distinct pipeline costs a compile: seconds on a software
// adapter, and TF.js users' "long warm-up".
import { activationWGSL } from './activations';

const GEMM_TILE = 32;
const WG = 8; // invocations per side
const LOADS = (GEMM_TILE * GEMM_TILE) / (WG * WG); // elements of A (and of B) each invocation stages per K step

export const GEMM_KEY = 'gemm_f32_32x32_4x4vec4_v2';

export interface GemmUniforms {
  m: number; n: number; k: number;
  strideA: number; strideB: number;
  offA: number; offB: number; offC: number; offBias: number;
  transposeA: boolean; transposeB: boolean; bias: boolean; activation: number;
}

/** The uniform block, in the order of the WGSL struct Params. */
function gemmUniforms(u: GemmUniforms): ArrayBuffer {
  const words = new Uint32Array([
    u.m, u.n, u.k, u.strideA, u.strideB, u.offA, u.offB, u.offC, u.offBias, +u.transposeA, +u.transposeB, +u.bias, 0,
  ]);
  new Int32Array(words.buffer)[12] = u.activation;
  return words.buffer;
}

/**
 * Which shader a GEMM call takes. 'vec4' stages both tiles with 16-byte loads,
 * as tfjs-backend-webgpu does for the same case: it needs A and B stored
 * untransposed, k and n multiples of 4, and every offset and batch stride on a
 * 4-float boundary, so that each quad read is whole and aligned. Otherwise
 * 'scalar': one float per load, bounds-checked, any layout.
 */
export function gemmVariant(u: GemmUniforms): 'vec4' | 'scalar' {
  const aligned = [u.k, u.n, u.offA, u.offB, u.strideA, u.strideB].every((x) => x % 4 === 0);
  return !u.transposeA && !u.transposeB && aligned ? 'vec4' : 'scalar';
}

const cached = new Map<string, string>();

export interface GemmDispatch {
  key: string;
  code: string;
  uniforms: ArrayBuffer;
  groups: [number, number, number];
}

/**
 * All a GEMM job needs but its buffers, for `batch` matrices of the call:
 * the pipeline key and WGSL of its variant, the uniforms and the workgroup
 * grid (one workgroup per 32x32 tile of C, batch matrices in z). Bindings: A,
 * B, Bias (A again when there is none: read-only aliasing is allowed), C,
 * uniforms.
 */
export function gemmDispatch(u: GemmUniforms, batch: number): GemmDispatch {
  const variant = gemmVariant(u);
  const key = `${GEMM_KEY}_${variant}`;
  let code = cached.get(key);
  if (code === undefined) cached.set(key, (code = source(variant === 'vec4')));
  return { key, code, uniforms: gemmUniforms(u), groups: [Math.ceil(u.n / GEMM_TILE), Math.ceil(u.m / GEMM_TILE), batch] };
}

function source(vec4: boolean): string {
  const T = GEMM_TILE;
  const operand = vec4 ? 'vec4<f32>' : 'f32';
  return `
struct Params {
  m: u32, n: u32, k: u32, strideA: u32, strideB: u32, offA: u32, offB: u32, offC: u32, offBias: u32,
  transA: u32, transB: u32, hasBias: u32, act: i32,
}
@group(0) @binding(0) var<storage, read> A: array<${operand}>;
@group(0) @binding(1) var<storage, read> B: array<${operand}>;
@group(0) @binding(2) var<storage, read> Bias: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;
@group(0) @binding(4) var<uniform> p: Params;

const TILE = ${T}u;
var<workgroup> tileA: array<array<vec4<f32>, ${T / 4 + 1}>, ${T}>;  // [row][k / 4], one vec4 of padding
var<workgroup> tileB: array<array<vec4<f32>, ${T / 4}>, ${T}>;      // [k][col / 4]

${activationWGSL()}

@compute @workgroup_size(${WG}, ${WG}, 1)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  let baseA = p.offA + wg.z * p.strideA;
  let baseB = p.offB + wg.z * p.strideB;
  let row0 = wg.y * TILE;
  let col0 = wg.x * TILE;
  var acc: array<vec4<f32>, 4>;
  for (var k0 = 0u; k0 < p.k; k0 += TILE) {
${vec4 ? stageVec4() : stageScalar()}    workgroupBarrier();
    for (var k4 = 0u; k4 < ${T / 4}u; k4++) {
      let b0 = tileB[4u * k4][lid.x];
      let b1 = tileB[4u * k4 + 1u][lid.x];
      let b2 = tileB[4u * k4 + 2u][lid.x];
      let b3 = tileB[4u * k4 + 3u][lid.x];
      for (var r = 0u; r < 4u; r++) {
        let a = tileA[lid.y + ${WG}u * r][k4];
        var s = fma(vec4<f32>(a.x), b0, acc[r]);
        s = fma(vec4<f32>(a.y), b1, s);
        s = fma(vec4<f32>(a.z), b2, s);
        acc[r] = fma(vec4<f32>(a.w), b3, s);
      }
    }
    workgroupBarrier();
  }
  let baseC = p.offC + wg.z * p.m * p.n;
  for (var r = 0u; r < 4u; r++) {
    let row = row0 + lid.y + ${WG}u * r;
    if (row >= p.m) { break; }
    for (var c = 0u; c < 4u; c++) {
      let col = col0 + lid.x * 4u + c;
      if (col < p.n) {
        var v = acc[r][c];
        if (p.hasBias == 1u) { v += Bias[p.offBias + col]; }
        C[baseC + row * p.n + col] = act(v, p.act);
      }
    }
  }
}
`;
}

/** Staging one K step, a float per load: any transpose, any alignment. */
function stageScalar(): string {
  return `    for (var i = 0u; i < ${LOADS}u; i++) {
      let e = li + i * ${WG * WG}u;
      let fast = e % TILE;
      let slow = e / TILE;
      {
        // A stored [m][k]: consecutive invocations take consecutive k; stored [k][m]: consecutive rows.
        let r = select(slow, fast, p.transA == 1u);
        let kl = select(fast, slow, p.transA == 1u);
        let row = row0 + r;
        let kk = k0 + kl;
        var v = 0.0;
        if (row < p.m && kk < p.k) { v = A[baseA + select(row * p.k + kk, kk * p.m + row, p.transA == 1u)]; }
        tileA[r][kl / 4u][kl % 4u] = v;
      }
      {
        let c = select(fast, slow, p.transB == 1u);
        let kl = select(slow, fast, p.transB == 1u);
        let col = col0 + c;
        let kk = k0 + kl;
        var v = 0.0;
        if (col < p.n && kk < p.k) { v = B[baseB + select(kk * p.n + col, col * p.k + kk, p.transB == 1u)]; }
        tileB[kl][c / 4u][c % 4u] = v;
      }
    }
`;
}

/** Staging one K step, a quad per load: A [m][k] and B [k][n], k and n multiples of 4, aligned. */
function stageVec4(): string {
  const Q = GEMM_TILE / 4; // quads per tile row
  return `    for (var i = 0u; i < ${LOADS / 4}u; i++) {
      let e = li + i * ${WG * WG}u;
      let q = e % ${Q}u;
      let r = e / ${Q}u;
      {
        // A: tile row r, k quad q. A quad is wholly inside or outside k, as k % 4 == 0.
        let row = row0 + r;
        let kk = k0 + 4u * q;
        var v = vec4<f32>(0.0);
        if (row < p.m && kk < p.k) { v = A[(baseA + row * p.k + kk) / 4u]; }
        tileA[r][q] = v;
      }
      {
        // B: k row r, column quad q; n % 4 == 0 likewise.
        let kk = k0 + r;
        let col = col0 + 4u * q;
        var v = vec4<f32>(0.0);
        if (kk < p.k && col < p.n) { v = B[(baseB + kk * p.n + col) / 4u]; }
        tileB[r][q] = v;
      }
    }
`;
}
