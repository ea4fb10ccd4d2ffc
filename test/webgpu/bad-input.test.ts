// Bad calls to the WebGPU API name the function and what was wrong (the rows
// test/hardening/bad-input.test.ts leaves to this suite). None needs an adapter.
import { describe, expect, it } from 'vitest';
import * as wt from '../../src/index';

describe('WebGPU API bad input', () => {
  it('setBackend: an unknown name', async () => {
    await wt.ready();
    await expect(wt.setBackend('cuda' as never)).rejects.toThrow(/setBackend: unknown backend 'cuda'/);
    await expect(wt.setBackend(undefined as never)).rejects.toThrow(/setBackend: unknown backend/);
    expect(wt.getBackend()).toBe('wasm');
  });

  it('webgpu.location: not a tensor', () => {
    expect(() => wt.webgpu.location([1, 2] as never)).toThrow(/webgpu.location: t must be a Tensor/);
  });

  it('webgpu.setMinMatMul: negative or not a number', () => {
    expect(() => wt.webgpu.setMinMatMul(-1)).toThrow(/webgpu.setMinMatMul/);
    expect(() => wt.webgpu.setMinMatMul('big' as never)).toThrow(/webgpu.setMinMatMul/);
  });

  it('webgpu.calibrate: sizes that are not positive integers', async () => {
    await expect(wt.webgpu.calibrate([])).rejects.toThrow(/webgpu.calibrate: sizes must be/);
    await expect(wt.webgpu.calibrate([0.5])).rejects.toThrow(/webgpu.calibrate: sizes must be/);
    await expect(wt.webgpu.calibrate(16 as never)).rejects.toThrow(/webgpu.calibrate: sizes must be/);
  });

  it('with WebGPU unused, ops see no GPU hook and tensors live in wasm memory', async () => {
    const { gpuOps } = await import('../../src/backends/webgpu/hook');
    await wt.setBackend('wasm');
    expect(gpuOps.current).toBeNull();
    const t = wt.matMul(wt.ones([3, 3]), wt.ones([3, 3]));
    expect(t.storage.device).toBeNull();
    expect(wt.webgpu.location(t)).toBe('cpu');
  });
});
