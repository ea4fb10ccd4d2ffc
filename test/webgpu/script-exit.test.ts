// A plain Node script whose last step is `await t.data()` on a GPU tensor
// must print the data: the readback's wait may not let the process exit
// early (a pending Atomics.waitAsync keeps nothing alive; the GPU worker is
// unref'd). Runs the built package (dist/index.mjs) in a child process.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gpuAvailable, skipReason } from './setup';

const dist = fileURLToPath(new URL('../../dist/index.mjs', import.meta.url));
const why = skipReason || (existsSync(dist) ? '' : ' (skipped: dist/index.mjs is missing: npm run build:js)');

describe.skipIf(!gpuAvailable || !existsSync(dist))(`a script ending in await data()${why}`, () => {
  it('prints the GPU product before the process exits', () => {
    const script = `
      const wt = await import(${JSON.stringify(dist)});
      await wt.ready();
      if (!(await wt.setBackend('webgpu'))) throw new Error('no GPU');
      const a = wt.tensor([[1, 2], [3, 4]]);
      const c = wt.matMul(a, a);
      console.log(wt.webgpu.location(c), JSON.stringify(Array.from(await c.data())));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.stdout.trim()).toBe('gpu [7,10,15,22]');
    expect(run.status).toBe(0);
  });
});
