// The dispatch policy's pure parts (no adapter needed): which adapters count
// as software, and the threshold a calibration yields.
import { describe, expect, it } from 'vitest';
import { thresholdFrom } from '../../src/backends/webgpu/calibrate';
import type { AdapterInfo } from '../../src/backends/webgpu/connection';
import { isSoftware } from '../../src/backends/webgpu/policy';

const info = (over: Partial<AdapterInfo>): AdapterInfo => ({
  vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false, maxBufferSize: 0, maxStorageBufferBindingSize: 0, ...over,
});

describe('software adapters', () => {
  it.each([
    [{ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }, true],
    [{ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }, true],
    [{ vendor: 'mesa', device: 'lavapipe' }, true],
    [{ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }, true],
    [{ vendor: 'microsoft', architecture: 'warp' }, true],
    [{ vendor: 'unknown', isFallbackAdapter: true }, true],
    [{ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }, false],
    [{ vendor: 'apple', architecture: 'metal-3' }, false],
    [{ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 770' }, false],
  ] as [Partial<AdapterInfo>, boolean][])('%o -> %s', (over, software) => {
    expect(isSoftware(info(over))).toBe(software);
  });
});

describe('threshold from a calibration', () => {
  it('is the first size where the GPU won, as multiply-adds; Infinity if it never did', () => {
    expect(thresholdFrom([{ size: 128, cpuMs: 1, gpuMs: 3 }, { size: 256, cpuMs: 8, gpuMs: 4 }, { size: 512, cpuMs: 60, gpuMs: 9 }])).toBe(256 ** 3);
    expect(thresholdFrom([{ size: 64, cpuMs: 0.1, gpuMs: 4 }, { size: 128, cpuMs: 0.3, gpuMs: 30 }])).toBe(Infinity);
    expect(thresholdFrom([])).toBe(Infinity);
  });
});
