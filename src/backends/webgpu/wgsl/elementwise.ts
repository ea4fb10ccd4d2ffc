// The elementwise and reduction kernels a Dense backward needs besides the
// GEMMs, so it stays on the GPU: dz = dy * act'(y) (src/ops/activation_grad.ts)
// and the bias gradient, dz summed over its rows (src/ops/matmul.ts biasGrad).
import { activationGradWGSL as dactWGSL } from './activations';

/** Invocations per workgroup of the 1-D kernels here. */
export const WORKGROUP = 64;
/** Workgroups per row of a 2-D dispatch (the per-dimension limit is 65535). */
export const GROUPS_PER_ROW = 32768;

/** Workgroup counts covering `n` invocations, spilling into y past GROUPS_PER_ROW. */
export function groupsFor(n: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(n / WORKGROUP));
  return groups <= GROUPS_PER_ROW ? [groups, 1, 1] : [GROUPS_PER_ROW, Math.ceil(groups / GROUPS_PER_ROW), 1];
}

const INDEX = `let i = gid.x + gid.y * ${GROUPS_PER_ROW * WORKGROUP}u;`;

/** out[i] = dact(dy[offDy + i], y[offY + i], code) for i < n. Uniforms: n, offDy, offY, code. */
export function activationGradKernel(): string {
  return `
struct Params { n: u32, offDy: u32, offY: u32, code: i32 }
@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<uniform> p: Params;
${dactWGSL()}
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${INDEX}
  if (i < p.n) { out[i] = dact(dy[p.offDy + i], y[p.offY + i], p.code); }
}
`;
}

/**
 * out[c] = sum over r of x[off + r * cols + c]: one invocation per column,
 * rows read in order so a workgroup's loads are adjacent. Uniforms: rows, cols, off.
 * (A Dense bias has few columns and a batch of rows: a loop per column is enough.)
 */
export function columnSumKernel(): string {
  return `
struct Params { rows: u32, cols: u32, off: u32 }
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> p: Params;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  ${INDEX.replace('let i', 'let c')}
  if (c >= p.cols) { return; }
  var s = 0.0;
  for (var r = 0u; r < p.rows; r++) { s += x[p.off + r * p.cols + c]; }
  out[c] = s;
}
`;
}
