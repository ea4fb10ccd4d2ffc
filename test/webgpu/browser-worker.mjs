// Runs in a Web Worker of a cross-origin isolated page (test/webgpu/browser.test.ts):
// wasmtensor's browser bundle with the WebGPU backend forced on, GEMM cases vs
// the same products on the wasm kernels, answered with postMessage.
import * as wt from '/dist/index.browser.mjs';

const CASES = [
  // m, k, n, transposeA, transposeB, batch
  [37, 45, 29, false, false, 0], [33, 31, 65, true, false, 0], [64, 1, 64, false, true, 0], [5, 17, 9, true, true, 0],
  [32, 32, 32, false, false, 3], [1, 200, 130, false, false, 0],
];

self.onmessage = async () => {
  try {
    await wt.ready();
    if (!(await wt.webgpu.available())) {
      postMessage({ available: false, reason: wt.webgpu.unavailableReason() });
      return;
    }
    const info = await wt.webgpu.adapterInfo();
    const results = [];
    for (const [m, k, n, tA, tB, batch] of CASES) {
      const lead = batch ? [batch] : [];
      const a = wt.randomUniform([...lead, ...(tA ? [k, m] : [m, k])], -1, 1, 'float32', m + k);
      const b = wt.randomUniform([...lead, ...(tB ? [n, k] : [k, n])], -1, 1, 'float32', n + 2 * k);
      await wt.setBackend('wasm');
      const cpu = Array.from(wt.matMul(a, b, tA, tB).dataSync());
      await wt.setBackend('webgpu');
      const g = wt.matMul(a, b, tA, tB);
      const location = wt.webgpu.location(g);
      const gpu = Array.from(await g.data());
      results.push({ name: `${batch ? `${batch}x` : ''}${m}x${k}x${n} tA=${tA} tB=${tB}`, location, cpu, gpu });
    }
    // The fused Dense epilogue: relu(x·W + b).
    const x = wt.randomUniform([19, 23], -3, 3, 'float32', 5);
    const dense = wt.layers.dense({ units: 11, activation: 'relu', inputShape: [23] });
    await wt.setBackend('wasm');
    const cpu = Array.from(dense.apply(x).dataSync());
    await wt.setBackend('webgpu');
    const gpu = Array.from(await dense.apply(x).data());
    results.push({ name: 'dense relu 19x23 -> 11', location: 'gpu', cpu, gpu });
    postMessage({ available: true, info, results, backend: wt.getBackend() });
  } catch (error) {
    postMessage({ error: String((error && error.stack) || error) });
  }
};
