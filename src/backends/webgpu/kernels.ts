// The GPU kernels behind hook.ts: each binds buffers (uploading inputs that
// have no GPU copy), dispatches one WGSL program and leaves its output on the
// GPU. They throw (GpuError, or the message of a failed upload) and leave
// the decision of what to do about it to policy.ts.
import type { Tensor } from '../../tensor';
import type { GpuConnection } from './connection';
import type { GpuMatMul } from './hook';
import { attachGpuResult, gpuBufferOf } from './residency';
import { gemmDispatch, type GemmUniforms } from './wgsl/gemm';
import { activationGradKernel, columnSumKernel, groupsFor } from './wgsl/elementwise';

const MAX_GROUPS = 65535;

/**
 * Failures on demand, for the fallback tests (test/webgpu/fallback.test.ts):
 * a GEMM shader that does not compile, an output buffer the device refuses.
 */
export const faults = { badShader: false, hugeOutput: false };

export function matMulKernel(conn: GpuConnection, s: GpuMatMul): void {
  const a = gpuBufferOf(conn, s.a);
  const inputs = [a, gpuBufferOf(conn, s.b), s.bias ? gpuBufferOf(conn, s.bias) : a];
  const out = conn.newId();
  const outBytes = faults.hugeOutput ? 2 ** 52 : s.out.storage.bytes;
  try {
    for (const call of s.calls) {
      // Batch matrices go in workgroup z, at most 65535 per dispatch.
      for (let first = 0; first < call.count; first += MAX_GROUPS) {
        const count = Math.min(MAX_GROUPS, call.count - first);
        const u: GemmUniforms = {
          m: s.m, n: s.n, k: s.k, strideA: call.strideA, strideB: call.strideB,
          offA: s.a.offset + call.aOffset + first * call.strideA,
          offB: s.b.offset + call.bOffset + first * call.strideB,
          offC: s.out.offset + call.cOffset + first * s.m * s.n,
          offBias: s.bias?.offset ?? 0,
          transposeA: s.transposeA, transposeB: s.transposeB, bias: s.bias !== undefined, activation: s.activation,
        };
        const job = gemmDispatch(u, count);
        conn.run({
          ...job,
          key: faults.badShader ? `${job.key}_broken` : job.key,
          code: faults.badShader ? `${job.code}\nfn broken( {` : job.code,
          inputs,
          outputs: [{ id: out, bytes: outBytes }],
        });
      }
    }
  } catch (error) {
    conn.free(out);
    throw error;
  }
  attachGpuResult(conn, s.out.storage, out);
}

export function activationGradKernelRun(conn: GpuConnection, act: number, dy: Tensor, y: Tensor, out: Tensor): void {
  const id = conn.newId();
  conn.run({
    key: 'act_grad',
    code: activationGradKernel(),
    inputs: [gpuBufferOf(conn, dy), gpuBufferOf(conn, y)],
    outputs: [{ id, bytes: out.storage.bytes }],
    uniforms: new Int32Array([out.size, dy.offset, y.offset, act]).buffer,
    groups: groupsFor(out.size),
  });
  attachGpuResult(conn, out.storage, id);
}

export function columnSumKernelRun(conn: GpuConnection, x: Tensor, out: Tensor): void {
  const cols = x.shape[x.rank - 1];
  const id = conn.newId();
  conn.run({
    key: 'column_sum',
    code: columnSumKernel(),
    inputs: [gpuBufferOf(conn, x)],
    outputs: [{ id, bytes: out.storage.bytes }],
    uniforms: new Uint32Array([x.size / cols, cols, x.offset]).buffer,
    groups: groupsFor(cols),
  });
  attachGpuResult(conn, out.storage, id);
}
