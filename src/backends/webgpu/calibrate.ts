// The 'auto' threshold, measured rather than guessed: square GEMMs of growing
// size timed on the CPU kernels and on the GPU end to end (upload both
// operands, compute, read the product back: what a matMul on CPU-resident
// tensors costs), until the GPU wins. The first size where it does is the
// threshold; if it never does (within about a second per GPU run), Infinity.
import { ACT_NONE } from '../../../assembly/opcodes';
import type { Backend } from '../backend';
import type { GpuConnection } from './connection';
import { gemmDispatch, type GemmUniforms } from './wgsl/gemm';

export interface Calibration {
  size: number;
  cpuMs: number;
  gpuMs: number;
}

const SIZES = [64, 128, 256, 512, 1024, 2048];
const GIVE_UP_MS = 1000;

function medianMs(runs: number, fn: () => void): number {
  fn(); // warm-up: pipeline compile, wasm tier-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((x, y) => x - y)[runs >> 1];
}

/** Times both sides at each size; stops at the first GPU win or when a GPU run gets too slow. */
export function calibrate(conn: GpuConnection, cpu: Backend, sizes = SIZES): Calibration[] {
  const rows: Calibration[] = [];
  for (const s of sizes) {
    const n = s * s;
    const [a, b, c] = [cpu.alloc(4 * n), cpu.alloc(4 * n), cpu.alloc(4 * n)];
    try {
      cpu.random('uniform', a, n, -1, 1, 1);
      cpu.random('uniform', b, n, -1, 1, 2);
      const cpuMs = medianMs(3, () => cpu.matMul({
        a, b, c, m: s, n: s, k: s, transposeA: false, transposeB: false, batch: 1, strideA: 0, strideB: 0, bias: 0, activation: ACT_NONE,
      }));
      const gpuMs = medianMs(3, () => {
        const [ia, ib, ic] = [conn.newId(), conn.newId(), conn.newId()];
        conn.upload(ia, (cpu.read('float32', a, n) as Float32Array).buffer as ArrayBuffer);
        conn.upload(ib, (cpu.read('float32', b, n) as Float32Array).buffer as ArrayBuffer);
        const u: GemmUniforms = {
          m: s, n: s, k: s, strideA: 0, strideB: 0, offA: 0, offB: 0, offC: 0, offBias: 0,
          transposeA: false, transposeB: false, bias: false, activation: ACT_NONE,
        };
        conn.run({ ...gemmDispatch(u, 1), inputs: [ia, ib, ia], outputs: [{ id: ic, bytes: 4 * n }] });
        cpu.write(c, conn.download(ic, 4 * n));
        for (const id of [ia, ib, ic]) conn.free(id);
      });
      rows.push({ size: s, cpuMs, gpuMs });
      if (gpuMs < cpuMs || gpuMs > GIVE_UP_MS) break;
    } finally {
      for (const p of [a, b, c]) cpu.free(p);
    }
  }
  return rows;
}

/** The smallest measured size (as multiply-adds, s^3) at which the GPU won, else Infinity. */
export function thresholdFrom(rows: readonly Calibration[]): number {
  const win = rows.find((r) => r.gpuMs < r.cpuMs);
  return win ? win.size ** 3 : Infinity;
}
