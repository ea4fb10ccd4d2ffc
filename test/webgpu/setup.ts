// Shared by test/webgpu: a device or a stated reason to skip. With no
// adapter at all (no GPU, no software driver) these tests report skipped and
// say why; where CI provides SwiftShader it sets WASMTENSOR_REQUIRE_WEBGPU=1
// and a missing adapter fails the run instead.
import * as wt from '../../src/index';

await wt.ready();
export const gpuAvailable = await wt.webgpu.available();
export const skipReason = gpuAvailable ? '' : ` (skipped: no WebGPU adapter: ${wt.webgpu.unavailableReason()})`;
if (!gpuAvailable) {
  if (process.env.WASMTENSOR_REQUIRE_WEBGPU === '1') throw new Error(`WASMTENSOR_REQUIRE_WEBGPU=1 but${skipReason}`);
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

/** Largest |a - b| / (1 + |b|) over two arrays of equal length. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const e = Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i]));
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}
