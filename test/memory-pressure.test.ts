// Tensors dropped without dispose() outside tidy(): V8 sees only small Tensor
// objects, not the wasm memory behind them, so on its own it may not collect
// them before wasm memory has grown by gigabytes. The engine asks for a
// collection every `gcAfterBytes` (flags.ts). Run in a child process without
// --expose-gc, as users run it (vitest's workers have gc exposed).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/index.mjs', import.meta.url));

function run(script: string): Record<string, number> {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

describe('memory pressure without tidy or dispose', () => {
  it('a loop dropping 8 MB tensors (2.4 GB in all) keeps wasm memory bounded', () => {
    const result = run(`
      import * as wt from ${JSON.stringify(dist)};
      await wt.ready();
      const start = wt.memory().wasmBytes;
      for (let i = 0; i < 300; i++) {
        const y = wt.mul(wt.ones([1024, 1024]), 2);
        if (i === 0 && y.dataSync()[5] !== 2) throw new Error('wrong value');
        await new Promise((r) => setTimeout(r, 0));
      }
      console.log(JSON.stringify({ start, end: wt.memory().wasmBytes, gcExposed: typeof globalThis.gc }));
    `);
    expect(result.gcExposed).toBe('undefined');
    // Without the pressure collection this loop grows wasm memory to 1.5-2 GB (measured).
    expect(result.end).toBeLessThan(600 * 1024 * 1024);
  });

  it('with the flag off, the same loop is not helped (the test above measures something)', () => {
    const result = run(`
      import * as wt from ${JSON.stringify(dist)};
      await wt.ready();
      wt.setFlags({ gcAfterBytes: 0 });
      for (let i = 0; i < 300; i++) {
        wt.mul(wt.ones([1024, 1024]), 2);
        await new Promise((r) => setTimeout(r, 0));
      }
      console.log(JSON.stringify({ end: wt.memory().wasmBytes }));
    `);
    expect(result.end).toBeGreaterThan(600 * 1024 * 1024);
  });
});
