// When the GPU fails, results stay correct: a shader that does not compile,
// a buffer the device refuses, and a device lost in the middle of training
// all fall back to the CPU kernels with one warning; data that lived only on
// the lost device fails loudly when read instead of returning stale bytes.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { faults } from '../../src/backends/webgpu/kernels';
import { gpuAvailable, maxRelError, skipReason, wt } from './setup';

const rand = (shape: number[], seed: number) => wt.randomUniform(shape, -1, 1, 'float32', seed);

function cpuProduct(a: wt.Tensor, b: wt.Tensor): Float32Array {
  // The wasm GEMM directly: setBackend is async, this keeps the reference simple.
  const saved = wt.getBackend();
  expect(saved).not.toBe('webgpu');
  return wt.matMul(a, b).dataSync() as Float32Array;
}

describe.skipIf(!gpuAvailable)(`WebGPU failures fall back to the CPU${skipReason}`, () => {
  afterEach(async () => {
    faults.badShader = false;
    faults.hugeOutput = false;
    vi.restoreAllMocks();
    await wt.setBackend('wasm');
  });

  it('a shader compile error: correct results on the CPU, one warning, then that kernel stays on the CPU', async () => {
    const a = rand([9, 11], 1);
    const b = rand([11, 5], 2);
    const expected = cpuProduct(a, b);
    await wt.setBackend('webgpu');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    faults.badShader = true;
    const c = wt.matMul(a, b);
    const d = wt.matMul(b, a, true, true);
    expect(wt.webgpu.location(c)).toBe('cpu');
    expect(wt.webgpu.location(d)).toBe('cpu');
    expect(maxRelError(c.dataSync(), expected)).toBeLessThan(1e-6);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/failed to compile/);
    // Choosing the backend again retries the GPU kernels.
    faults.badShader = false;
    await wt.setBackend('webgpu');
    const e = wt.matMul(a, b);
    expect(wt.webgpu.location(e)).toBe('gpu');
    expect(maxRelError(e.dataSync(), expected)).toBeLessThan(1e-5);
  });

  it('a buffer the device refuses: correct results on the CPU, one warning', async () => {
    const a = rand([7, 3], 3);
    const b = rand([3, 6], 4);
    const expected = cpuProduct(a, b);
    await wt.setBackend('webgpu');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    faults.hugeOutput = true;
    const c = wt.matMul(a, b);
    wt.matMul(a, b);
    expect(wt.webgpu.location(c)).toBe('cpu');
    expect(maxRelError(c.dataSync(), expected)).toBeLessThan(1e-6);
    expect(warn).toHaveBeenCalledTimes(1);
    faults.hugeOutput = false;
    expect(wt.webgpu.location(wt.matMul(a, b))).toBe('gpu');
  });

  it('a GPU worker that dies: the next product runs on the CPU at once (no wait for the timeout), one warning', async () => {
    const a = rand([6, 4], 8);
    const b = rand([4, 5], 9);
    const expected = cpuProduct(a, b);
    await wt.setBackend('webgpu');
    expect(wt.webgpu.location(wt.matMul(a, b))).toBe('gpu');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { connection } = await import('../../src/backends/webgpu/policy');
    const worker = (connection() as unknown as { worker: { terminate(): void; onExit(f: (why: string) => void): void } }).worker;
    // Wait for the exit event itself (the connection's own listener, added
    // first, has then marked the device lost): a fixed 100 ms sleep raced it
    // on a loaded machine, and a product posted before it blocks until the job timeout.
    const exited = new Promise<void>((resolve) => worker.onExit(() => resolve()));
    worker.terminate();
    await exited;
    const t0 = performance.now();
    const c = wt.matMul(a, b);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(wt.webgpu.location(c)).toBe('cpu');
    expect(maxRelError(c.dataSync(), expected)).toBeLessThan(1e-6);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/GPU worker stopped|lost/);
  });

  it('the device lost mid-training: the run goes on on the CPU and matches a CPU-only run, with one warning', async () => {
    const x = rand([32, 10], 5);
    const y = wt.utils.toCategorical(wt.tensor(Array.from({ length: 32 }, (_, i) => i % 3), [32], 'int32'), 3);
    const model = () => {
      wt.setRandomSeed(3);
      const m = wt.sequential({
        layers: [wt.layers.dense({ units: 12, activation: 'tanh', inputShape: [10] }), wt.layers.dense({ units: 3, activation: 'softmax' })],
      });
      m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
      return m;
    };
    const fitEpoch = (m: wt.Sequential) => m.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });

    const reference = model();
    for (let epoch = 0; epoch < 3; epoch++) await fitEpoch(reference);
    const want = reference.getWeights().map((w) => w.dataSync() as Float32Array);

    await wt.setBackend('webgpu');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const ours = model();
    await fitEpoch(ours);
    const orphan = wt.matMul(x, rand([10, 4], 6)); // lives only on the GPU
    expect(wt.webgpu.location(orphan)).toBe('gpu');
    wt.webgpu.loseDevice();
    await fitEpoch(ours);
    await fitEpoch(ours);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/lost/);
    expect(wt.getBackend()).toBe('wasm');
    ours.getWeights().forEach((w, i) => expect(maxRelError(w.dataSync(), want[i])).toBeLessThan(1e-4));
    expect(() => orphan.dataSync()).toThrow(/lived only on the GPU/);
    expect(() => orphan.dataSync()).toThrow(/lived only on the GPU/);
    // A new device can be had again.
    expect(await wt.setBackend('webgpu')).toBe(true);
    expect(wt.webgpu.location(wt.matMul(x, rand([10, 2], 7)))).toBe('gpu');
  });
});
