// The 'auto' threshold cache: written as JSON under WASMTENSOR_CACHE_DIR and
// read back by a fresh module (a later process), Infinity included.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'wasmtensor-cache-'));
process.env.WASMTENSOR_CACHE_DIR = join(dir, 'nested');

describe('threshold cache', () => {
  afterAll(() => {
    delete process.env.WASMTENSOR_CACHE_DIR;
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores per key, survives a fresh module, keeps Infinity', async () => {
    const first = await import('../../src/backends/webgpu/threshold-cache');
    const key = first.thresholdKey({ vendor: 'nvidia', architecture: 'hopper', device: 'h200', description: 'NVIDIA H200' }, 'relaxed-threads', 8);
    expect(first.loadThreshold(key)).toBeNull();
    first.storeThreshold(key, 256 ** 3);
    first.storeThreshold('software|x', Infinity);
    const file = JSON.parse(readFileSync(join(dir, 'nested', 'webgpu-threshold.json'), 'utf8'));
    expect(file).toEqual({ [key]: 256 ** 3, 'software|x': null });
    vi.resetModules();
    const fresh = await import('../../src/backends/webgpu/threshold-cache');
    expect(fresh).not.toBe(first);
    expect(fresh.loadThreshold(key)).toBe(256 ** 3);
    expect(fresh.loadThreshold('software|x')).toBe(Infinity);
    expect(fresh.loadThreshold('other')).toBeNull();
    expect(key).toBe('nvidia|hopper|h200|NVIDIA H200|relaxed-threads|8t|gemm_f32_32x32_4x4vec4_v2');
  });
});
