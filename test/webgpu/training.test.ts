// A Dense forward and backward on the GPU: the gradients of a two-layer MLP
// match the CPU's, and the hidden activation and its gradient never come back
// to the CPU (counted readbacks); then a short fit() with the
// GPU backend forced on matches the same fit on the CPU.
import { afterAll, describe, expect, it } from 'vitest';
import * as op from '../../assembly/opcodes';
import { matMul } from '../../src/ops/matmul';
import { gpuAvailable, maxRelError, onBoth, skipReason, wt } from './setup';

const rand = (shape: number[], seed: number, scale = 1) => wt.mul(wt.randomUniform(shape, -1, 1, 'float32', seed), scale);

describe.skipIf(!gpuAvailable)(`Dense on the GPU${skipReason}`, () => {
  afterAll(async () => {
    await wt.setBackend('wasm');
  });

  for (const [name, act] of [['relu', op.U_RELU], ['sigmoid', op.U_SIGMOID], ['tanh', op.U_TANH], ['relu6', op.U_RELU6]] as const) {
    it(`gradients of matMul+bias+${name} -> matMul+bias, with 4 readbacks in all`, async () => {
      const x = rand([19, 13], 1, 3);
      const params = [rand([13, 21], 2), rand([21], 3), rand([21, 7], 4), rand([7], 5)];
      const f = (w1: wt.Tensor, b1: wt.Tensor, w2: wt.Tensor, b2: wt.Tensor) =>
        wt.sum(wt.square(matMul(matMul(x, w1, false, false, { bias: b1, activation: act }), w2, false, false, { bias: b2 })));
      const grads = (): { loss: Float32Array; grads: Float32Array[] } => {
        const before = gpuDownloads();
        const { value, grads } = wt.valueAndGrads(f)(params);
        const result = { loss: value.dataSync() as Float32Array, grads: grads.map((g) => g.dataSync() as Float32Array) };
        readbacks = gpuDownloads() - before;
        return result;
      };
      let readbacks = 0;
      const { cpu, gpu } = await onBoth(grads);
      // Read back: the output (the loss is computed on the CPU), dW2, dW1 and db1.
      // db2 is summed on the CPU, where its dz (from square's gradient) lives;
      // the hidden activation and its gradient never leave the GPU.
      expect(readbacks).toBe(4);
      expect(maxRelError(gpu.loss, cpu.loss)).toBeLessThan(1e-5);
      gpu.grads.forEach((g, i) => expect(maxRelError(g, cpu.grads[i])).toBeLessThan(1e-4));
    });
  }

  it('a short fit() on the GPU matches the CPU run (rmsprop, categorical crossentropy)', async () => {
    const x = rand([64, 20], 11, 2);
    const y = wt.utils.toCategorical(wt.tensor(Array.from({ length: 64 }, (_, i) => (i * 5) % 4), [64], 'int32'), 4);
    const train = async () => {
      wt.setRandomSeed(7);
      const model = wt.sequential({
        layers: [
          wt.layers.dense({ units: 32, activation: 'relu', inputShape: [20] }),
          wt.layers.dense({ units: 16, activation: 'tanh' }),
          wt.layers.dense({ units: 4, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const history = await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
      model.dispose();
      return { loss: history.history.loss as number[], weights };
    };
    await wt.setBackend('wasm');
    const cpu = await train();
    await wt.setBackend('webgpu');
    const dispatches = wt.webgpu.counts().dispatches;
    const gpu = await train();
    await wt.setBackend('wasm');
    // 12 steps x (3 forward + 5 backward products + 2 activation gradients + 3 bias sums) at least.
    expect(wt.webgpu.counts().dispatches - dispatches).toBeGreaterThanOrEqual(12 * 10);
    expect(maxRelError(gpu.loss, cpu.loss)).toBeLessThan(1e-4);
    gpu.weights.forEach((w, i) => expect(maxRelError(w, cpu.weights[i])).toBeLessThan(1e-4));
    expect(gpu.loss[2]).toBeLessThan(gpu.loss[0]);
  });
});

function gpuDownloads(): number {
  return wt.webgpu.counts().downloads;
}
