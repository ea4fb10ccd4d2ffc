// conv2d on the GPU backend: im2col stays on the CPU and its GEMMs (the
// forward, and both backward products) go to the GPU under the same policy
// as matMul. Forward values and both gradients match the CPU's, and the GPU
// ran GEMMs (counted dispatches), so the conv did not silently stay on the CPU.
import { afterAll, describe, expect, it } from 'vitest';
import { gpuAvailable, maxRelError, onBoth, skipReason, wt } from './setup';

const rand = (shape: number[], seed: number) => wt.randomUniform(shape, -1, 1, 'float32', seed);

describe.skipIf(!gpuAvailable)(`conv2d on the GPU${skipReason}`, () => {
  afterAll(async () => {
    await wt.setBackend('wasm');
  });

  for (const [pad, strides] of [['valid', 1], ['same', 2]] as const) {
    it(`forward and both gradients match the CPU (pad ${pad}, strides ${strides})`, async () => {
      const x = rand([3, 11, 9, 5], 1);
      const filter = rand([3, 3, 5, 8], 2);
      const dy = rand(wt.conv2d(x, filter, strides, pad).shape, 3);
      const run = () => {
        const before = wt.webgpu.counts().dispatches;
        const { value, grads } = wt.valueAndGrads((a: wt.Tensor, f: wt.Tensor) => wt.conv2d(a, f, strides, pad))([x, filter], dy);
        const out = { y: value.dataSync() as Float32Array, dx: grads[0].dataSync() as Float32Array, df: grads[1].dataSync() as Float32Array };
        return { ...out, dispatches: wt.webgpu.counts().dispatches - before };
      };
      const { cpu, gpu } = await onBoth(run);
      expect(cpu.dispatches).toBe(0);
      expect(gpu.dispatches).toBeGreaterThanOrEqual(3); // forward, dx and df products
      expect(maxRelError(gpu.y, cpu.y)).toBeLessThan(1e-5);
      expect(maxRelError(gpu.dx, cpu.dx)).toBeLessThan(1e-4);
      expect(maxRelError(gpu.df, cpu.df)).toBeLessThan(1e-4);
    });
  }

  it('a Conv2D layer with fused bias + relu predicts the same on both', async () => {
    wt.setRandomSeed(5);
    const model = wt.sequential({
      layers: [
        wt.layers.conv2d({ filters: 6, kernelSize: 3, activation: 'relu', inputShape: [10, 10, 2] }),
        wt.layers.maxPooling2d({ poolSize: 2 }),
        wt.layers.flatten(),
        wt.layers.dense({ units: 3 }),
      ],
    });
    const x = rand([4, 10, 10, 2], 9);
    const { cpu, gpu } = await onBoth(() => model.predict(x).dataSync() as Float32Array);
    expect(maxRelError(gpu, cpu)).toBeLessThan(1e-5);
    model.dispose();
  });
});
