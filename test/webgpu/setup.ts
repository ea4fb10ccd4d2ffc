// Shared by test/webgpu: a device or a stated reason to skip. With no
// adapter at all (no GPU, no software driver) these tests report skipped and
// say why; where CI provides SwiftShader it sets WASMTENSOR_REQUIRE_WEBGPU=1
// and a missing adapter fails the run instead.
import * as wt from '../../src/index';

await wt.ready();
export const gpuAvailable = await wt.webgpu.available();
const reason = `no WebGPU adapter: ${wt.webgpu.unavailableReason()}`;
export const skipReason = gpuAvailable ? '' : ` (skipped: ${reason})`;
if (!gpuAvailable) {
  if (process.env.WASMTENSOR_REQUIRE_WEBGPU === '1') throw new Error(`WASMTENSOR_REQUIRE_WEBGPU=1, but there is ${reason}`);
  console.warn(`test/webgpu${skipReason}`);
}

export { wt };

/** Runs fn on the CPU (wasm) and again with every matMul forced onto the GPU. */
export async function onBoth<T>(fn: () => T): Promise<{ cpu: T; gpu: T }> {
  await wt.setBackend('wasm');
  const cpu = fn();
  await wt.setBackend('webgpu');
  try {
    return { cpu, gpu: fn() };
  } finally {
    await wt.setBackend('wasm');
  }
}

export { maxRelError } from './compare';
