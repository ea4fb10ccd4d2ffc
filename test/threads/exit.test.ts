// Pool workers are unref'd: a process that imported wasmtensor, ran a
// threaded matMul and reached the end of its script exits on its own.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { supportedBuilds } from '../../src/backends/wasm/builds';

const dist = fileURLToPath(new URL('../../dist/index.mjs', import.meta.url));

describe('worker pool lifetime', () => {
  const build = supportedBuilds().find((b) => b.endsWith('threads')) ?? 'simd';

  it(`a script that does a threaded matMul (${build} build) exits within a few seconds`, () => {
    const script = `
      import * as wt from ${JSON.stringify(dist)};
      await wt.ready({ build: ${JSON.stringify(build)} });
      await wt.setThreads(2);
      const a = wt.randomNormal([300, 300], 0, 1, 'float32', 1);
      const s = wt.matMul(a, a).sum().dataSync()[0];
      console.log(JSON.stringify({ threads: wt.getThreads(), finite: Number.isFinite(s) }));
    `;
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    const elapsed = Date.now() - started;
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ threads: build.endsWith('threads') ? 2 : 1, finite: true });
    expect(elapsed).toBeLessThan(5_000);
  });

  it('setThreads before ready() is kept; a process using the threaded build with 1 thread exits too', () => {
    const script = `
      import * as wt from ${JSON.stringify(dist)};
      wt.setThreads(1);
      await wt.ready({ build: ${JSON.stringify(build)} });
      const a = wt.ones([200, 200]);
      console.log(JSON.stringify({ threads: wt.getThreads(), v: wt.matMul(a, a).dataSync()[0] }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ threads: 1, v: 200 });
  });

  it('without SharedArrayBuffer: a single-threaded build and 1 thread, no error; forcing threads fails clearly', () => {
    // Browsers without cross-origin isolation (and runtimes without the
    // global) look like this; Node has no flag to remove it in every version.
    const script = `
      delete globalThis.SharedArrayBuffer;
      const wt = await import(${JSON.stringify(dist)});
      await wt.setThreads(4);
      await wt.ready();
      const a = wt.ones([300, 300]);
      console.log(JSON.stringify({ sab: typeof SharedArrayBuffer, build: wt.getBuild(), threads: wt.getThreads(), v: wt.matMul(a, a).dataSync()[0] }));
    `;
    const flags = ['--input-type=module', '-e'];
    const env = { ...process.env, WASMTENSOR_BUILD: '' };
    const r = spawnSync(process.execPath, [...flags, script], { encoding: 'utf8', timeout: 20_000, env });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout.trim());
    expect(got.sab).toBe('undefined');
    expect(got.build.endsWith('threads')).toBe(false);
    expect([got.threads, got.v]).toEqual([1, 300]);
    const forced = spawnSync(process.execPath, [...flags, script], { encoding: 'utf8', timeout: 20_000, env: { ...env, WASMTENSOR_BUILD: 'threads' } });
    expect(forced.status).not.toBe(0);
    expect(forced.stderr).toMatch(/ready: WASMTENSOR_BUILD 'threads' is not supported by this runtime; it supports (relaxed, )?simd/);
  });

  it('getThreads() defaults to the available cores, before and after ready() (1 on a build without a pool)', () => {
    const script = `
      import * as wt from ${JSON.stringify(dist)};
      const before = wt.getThreads();
      await wt.ready({ build: ${JSON.stringify(build)} });
      console.log(JSON.stringify([before, wt.getThreads()]));
    `;
    const env = { ...process.env, WASMTENSOR_THREADS: '' };
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000, env });
    const cores = os.availableParallelism();
    expect(JSON.parse(r.stdout.trim())).toEqual([cores, build.endsWith('threads') ? cores : 1]);
  });
});
