// Where data lives with the WebGPU backend forced on: GPU results stay on the
// GPU until CPU code needs them, chains of GPU ops never read back in
// between, CPU writes (a variable's assign) make the next GPU op upload again,
// and GPU buffers are released with their tensors (10,000 steps, no growth).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as op from '../../assembly/opcodes';
import { matMul } from '../../src/ops/matmul';
import { gpuAvailable, maxRelError, skipReason, wt } from './setup';

const rand = (shape: number[], seed: number) => wt.randomUniform(shape, -1, 1, 'float32', seed);

/** Reference values computed on the CPU. */
async function onCpu<T>(fn: () => T): Promise<T> {
  await wt.setBackend('wasm');
  try {
    return fn();
  } finally {
    await wt.setBackend('webgpu');
  }
}

describe.skipIf(!gpuAvailable)(`WebGPU residency${skipReason}`, () => {
  beforeEach(async () => {
    expect(await wt.setBackend('webgpu')).toBe(true);
  });
  afterEach(async () => {
    await wt.setBackend('wasm');
  });

  it('a GPU result stays on the GPU until read; dataSync() and data() read it back correctly', async () => {
    const a = rand([20, 30], 1);
    const b = rand([30, 10], 2);
    const expected = (await onCpu(() => wt.matMul(a, b))).dataSync();
    const before = wt.webgpu.counts().downloads;
    const c = wt.matMul(a, b);
    expect(wt.webgpu.location(c)).toBe('gpu');
    expect(wt.webgpu.counts().downloads).toBe(before);
    expect(maxRelError(await c.data(), expected)).toBeLessThan(1e-5);
    // data() read it back without blocking; dataSync() took the wasm pointer, so the GPU copy went.
    expect(wt.webgpu.location(c)).toBe('cpu');
    const e = wt.matMul(a, b);
    await e.array();
    expect(wt.webgpu.counts().downloads).toBe(before + 2);
    const d = wt.matMul(a, b);
    expect(maxRelError(d.dataSync(), expected)).toBeLessThan(1e-5);
    expect(wt.webgpu.location(d)).toBe('cpu');
    expect(wt.webgpu.counts().downloads).toBe(before + 3);
  });

  it('a chain of GPU products reads back only its end; a CPU op on a GPU tensor is correct', async () => {
    const x = rand([16, 24], 3);
    const w1 = rand([24, 32], 4);
    const w2 = rand([32, 8], 5);
    const reference = await onCpu(() => wt.add(wt.matMul(wt.matMul(x, w1).T, x, false, false).sum(), wt.matMul(matMul(x, w1, false, false, { activation: op.U_TANH }), w2)));
    const before = wt.webgpu.counts();
    const h = wt.matMul(x, w1);
    const y = wt.matMul(h.T, x); // h read by the GPU again, as a transposed view
    const t = matMul(x, w1, false, false, { activation: op.U_TANH });
    const z = wt.matMul(t, w2);
    expect(wt.webgpu.counts().downloads).toBe(before.downloads);
    expect(wt.webgpu.counts().dispatches).toBe(before.dispatches + 4);
    const out = wt.add(y.sum(), z); // CPU ops: y and z come back once each
    expect(wt.webgpu.counts().downloads).toBe(before.downloads + 2);
    expect(maxRelError(out.dataSync(), reference.dataSync())).toBeLessThan(1e-5);
    expect(wt.webgpu.location(h)).toBe('gpu');
  });

  it('a CPU write to a variable makes the next GPU product use the new values', async () => {
    const x = rand([6, 5], 6);
    const v = wt.variable(rand([5, 4], 7));
    const first = wt.matMul(x, v);
    first.dataSync();
    v.assign(wt.mul(v, 2));
    const second = wt.matMul(x, v);
    const expected = await onCpu(() => wt.mul(wt.matMul(x, v), 1));
    expect(maxRelError(second.dataSync(), expected.dataSync())).toBeLessThan(1e-5);
    expect(maxRelError(second.dataSync(), wt.mul(first, 2).dataSync())).toBeLessThan(1e-5);
  });

  it('disposing a GPU tensor frees its buffer; 10,000 steps do not grow GPU memory', () => {
    const a = rand([8, 8], 8);
    const b = rand([8, 8], 9);
    const warm = wt.matMul(a, b); // uploads a and b
    const base = wt.webgpu.memory();
    const tensors = wt.memory().numTensors;
    warm.dispose();
    expect(wt.webgpu.memory().buffers).toBe(base.buffers - 1);
    for (let step = 0; step < 10_000; step++) {
      wt.tidy(() => {
        const c = wt.matMul(a, b);
        const d = wt.matMul(c, b, false, true);
        if (step % 1000 === 0) expect(wt.webgpu.location(d)).toBe('gpu');
      });
    }
    const mem = wt.webgpu.memory();
    expect(mem.buffers).toBe(base.buffers - 1);
    expect(mem.bytes).toBeLessThan(base.bytes);
    expect(wt.memory().numTensors).toBe(tensors - 1);
  }, 120_000);
});

describe.skipIf(!gpuAvailable)(`WebGPU dispatch policy${skipReason}`, () => {
  it("'auto' never picks a software adapter; 'wasm' turns the GPU off", async () => {
    const info = await wt.webgpu.adapterInfo();
    expect(info).not.toBeNull();
    const a = rand([300, 300], 10);
    expect(await wt.setBackend('auto')).toBe(!info!.software);
    const c = wt.matMul(a, a);
    if (info!.software) {
      expect(wt.webgpu.location(c)).toBe('cpu');
      expect(wt.getBackend()).toBe('wasm');
    }
    await wt.setBackend('wasm');
    expect(wt.getBackend()).toBe('wasm');
    expect(wt.webgpu.location(wt.matMul(a, a))).toBe('cpu');
  });

  it('calibrate() times CPU and GPU GEMMs; an override threshold is reported', async () => {
    const rows = await wt.webgpu.calibrate([8, 16]);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.cpuMs).toBeGreaterThan(0);
      expect(r.gpuMs).toBeGreaterThan(0);
    }
    wt.webgpu.setMinMatMul(12345);
    expect(wt.webgpu.threshold().minMatMul).toBe(12345);
    wt.webgpu.setMinMatMul(null);
    expect(() => wt.webgpu.setMinMatMul(-1)).toThrow(/setMinMatMul/);
  });

  it('setBackend rejects unknown names', async () => {
    await expect(wt.setBackend('cuda' as never)).rejects.toThrow(/unknown backend 'cuda'/);
  });
});
