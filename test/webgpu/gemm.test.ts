// The WGSL GEMM against the CPU (wasm) GEMM on the same inputs: shapes on,
// below and above the 32x32 tile and odd ones, every transpose combination,
// batched (with broadcast batch dims and mixed broadcasting), views stored
// transposed or offset, and every fused bias + activation epilogue, on both
// staging variants (quads where k, n and offsets allow, floats otherwise).
// Shapes are small: on SwiftShader the GPU runs at about 0.2 GFLOP/s.
import { describe, expect, it } from 'vitest';
import * as op from '../../assembly/opcodes';
import { gemmVariant, type GemmUniforms } from '../../src/backends/webgpu/wgsl/gemm';
import { matMul } from '../../src/ops/matmul';
import { gpuAvailable, maxRelError, onBoth, skipReason, wt } from './setup';

const rand = (shape: number[], seed: number) => wt.randomUniform(shape, -1, 1, 'float32', seed);

function expectSame(fn: () => wt.Tensor, tol = 1e-5): Promise<void> {
  return onBoth(fn).then(({ cpu, gpu }) => {
    expect(wt.webgpu.location(gpu)).toBe('gpu');
    expect(gpu.shape).toEqual(cpu.shape);
    expect(maxRelError(gpu.dataSync(), cpu.dataSync())).toBeLessThan(tol);
    cpu.dispose();
    gpu.dispose();
  });
}

describe.skipIf(!gpuAvailable)(`WebGPU GEMM vs the CPU${skipReason}`, () => {
  const SHAPES: [number, number, number][] = [
    [1, 1, 1], [1, 7, 1], [3, 5, 2], [31, 33, 32], [32, 32, 32], [33, 31, 65], [37, 45, 29], [64, 1, 64], [1, 200, 130], [100, 3, 97],
    // k and n multiples of 4 (untransposed, these take the quad loads): partial tiles in m, k and n; one quad.
    [37, 36, 44], [65, 100, 68], [1, 4, 4],
  ];
  for (const [m, k, n] of SHAPES) {
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      it(`${m}x${k}x${n} transposeA=${tA} transposeB=${tB}`, async () => {
        const a = rand(tA ? [k, m] : [m, k], m * 7 + k);
        const b = rand(tB ? [n, k] : [k, n], n * 13 + k);
        await expectSame(() => wt.matMul(a, b, tA, tB));
      });
    }
  }

  it('a larger product (256x320x192) and a long K (8x4099x9)', async () => {
    await expectSame(() => wt.matMul(rand([256, 320], 1), rand([320, 192], 2)));
    await expectSame(() => wt.matMul(rand([8, 4099], 3), rand([4099, 9], 4)), 1e-4);
  });

  it('batched: equal batches, a broadcast 2-D side, mixed broadcasting', async () => {
    await expectSame(() => wt.matMul(rand([5, 17, 9], 1), rand([5, 9, 33], 2)));
    await expectSame(() => wt.matMul(rand([4, 3, 17, 9], 3), rand([9, 6], 4)));
    await expectSame(() => wt.matMul(rand([40, 6], 5), rand([3, 6, 35], 6), false, false));
    await expectSame(() => wt.matMul(rand([2, 1, 7, 5], 7), rand([1, 3, 5, 4], 8)));
    await expectSame(() => wt.matMul(rand([3, 9, 7], 9), rand([3, 11, 9], 10), true, true));
  });

  it('views: a transposed view (read as stored), a row slice (offset), a strided slice (copied)', async () => {
    const base = rand([40, 30], 11);
    const b = rand([30, 20], 12);
    await expectSame(() => wt.matMul(base.T, rand([40, 7], 13)));
    await expectSame(() => wt.matMul(base.slice([5, 0], [17, 30]), b));
    await expectSame(() => wt.matMul(base.index('::2, :'), b));
    await expectSame(() => wt.dot(rand([2, 3, 30], 14), b));
  });

  it('quad loads: batched, broadcast, offset row slices; a view whose offset is not a multiple of 4 takes the float loads', async () => {
    await expectSame(() => wt.matMul(rand([3, 20, 12], 31), rand([3, 12, 40], 32)));
    await expectSame(() => wt.matMul(rand([2, 3, 9, 8], 33), rand([8, 36], 34)));
    const base = rand([50, 36], 35);
    await expectSame(() => wt.matMul(base.slice([3, 0], [20, 36]), rand([36, 12], 36)));
    const flat = rand([1 + 20 * 12], 37);
    const shifted = flat.slice([1], [20 * 12]).reshape([20, 12]);
    expect(shifted.offset % 4).toBe(1);
    await expectSame(() => wt.matMul(shifted, rand([12, 8], 38)));
    await expectSame(() => matMul(wt.mul(rand([45, 36], 39), 3), rand([36, 40], 40), false, false, { bias: rand([40], 41), activation: op.U_RELU }));
  });

  const ACTS: [string, number][] = [
    ['none', op.ACT_NONE], ['relu', op.U_RELU], ['relu6', op.U_RELU6], ['sigmoid', op.U_SIGMOID], ['tanh', op.U_TANH],
    ['elu', op.U_ELU], ['selu', op.U_SELU], ['softplus', op.U_SOFTPLUS], ['gelu', op.U_GELU], ['gelu_tanh', op.U_GELU_TANH],
  ];
  for (const [name, code] of ACTS) {
    it(`fused epilogue: bias + ${name}`, async () => {
      // Scaled so the activations see large and small arguments on both sides of 0.
      const a = wt.mul(rand([45, 38], 21), 3);
      const b = rand([38, 37], 22);
      const bias = rand([37], 23);
      await expectSame(() => matMul(a, b, false, false, { bias, activation: code }));
      await expectSame(() => matMul(a, b, false, false, { activation: code }));
      await expectSame(() => matMul(rand([3, 38, 45], 24), b, true, false, { bias, activation: code }));
    });
  }
});

describe('WebGPU GEMM staging variant', () => {
  const call = (over: Partial<GemmUniforms>): GemmUniforms => ({
    m: 5, n: 8, k: 12, strideA: 60, strideB: 96, offA: 0, offB: 4, offC: 3, offBias: 1,
    transposeA: false, transposeB: false, bias: true, activation: 0, ...over,
  });
  it('quads only for untransposed operands with k, n, offsets and batch strides on 4-float boundaries', () => {
    expect(gemmVariant(call({}))).toBe('vec4'); // offC and offBias do not matter: C and the bias are written and read per float
    expect(gemmVariant(call({ transposeA: true }))).toBe('scalar');
    expect(gemmVariant(call({ transposeB: true }))).toBe('scalar');
    for (const key of ['k', 'n', 'offA', 'offB', 'strideA', 'strideB'] as const) {
      expect(gemmVariant(call({ [key]: call({})[key] + 1 })), key).toBe('scalar');
    }
  });
});
