// Build selection: feature probes, the forced-build override (ready({ build })
// and WASMTENSOR_BUILD) and its errors, and that every build this runtime
// supports computes the same GEMM as a float64 reference.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILDS, detectFeatures, selectBuild, supportedBuilds } from '../../src/backends/wasm/builds';

const dist = fileURLToPath(new URL('../../dist/index.mjs', import.meta.url));

/** Runs a module script in a fresh Node (one ready() per process) and returns its last stdout line as JSON. */
function runChild(body: string, env: Record<string, string | undefined> = {}): any {
  const script = `import * as wt from ${JSON.stringify(dist)};\n${body}`;
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
    env: childEnv as NodeJS.ProcessEnv,
  });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

describe('build selection', () => {
  const features = detectFeatures();
  const supported = supportedBuilds(features);

  it('detects what this runtime has (Node has SIMD and threads; relaxed SIMD from Node 22)', () => {
    expect(features.simd).toBe(true);
    expect(features.threads).toBe(typeof SharedArrayBuffer === 'function');
    const major = Number(process.versions.node.split('.')[0]);
    if (major >= 22) expect(features.relaxed).toBe(true);
    expect(supported).toContain('simd');
    expect(supported).toEqual(BUILDS.filter((b) => supported.includes(b)));
  });

  it('picks the best supported build unless one is forced', () => {
    const saved = process.env.WASMTENSOR_BUILD;
    try {
      delete process.env.WASMTENSOR_BUILD;
      expect(selectBuild()).toBe(supported[0]);
      expect(selectBuild('auto')).toBe(supported[0]);
      expect(selectBuild('simd')).toBe('simd');
      process.env.WASMTENSOR_BUILD = 'simd';
      expect(selectBuild()).toBe('simd');
      // An explicit option wins over the environment.
      expect(selectBuild(supported[0])).toBe(supported[0]);
    } finally {
      if (saved === undefined) delete process.env.WASMTENSOR_BUILD;
      else process.env.WASMTENSOR_BUILD = saved;
    }
  });

  it('rejects an unknown build, naming the builds this runtime supports', () => {
    expect(() => selectBuild('scalar')).toThrow(
      `ready: unknown build 'scalar'; builds are ${BUILDS.join(', ')} (this runtime supports ${supported.join(', ')})`,
    );
  });

  it('rejects a build this runtime cannot run', () => {
    const missing = BUILDS.filter((b) => !supported.includes(b));
    for (const b of missing) {
      expect(() => selectBuild(b)).toThrow(`ready: build '${b}' is not supported by this runtime; it supports ${supported.join(', ')}`);
    }
  });

  it('WASMTENSOR_BUILD forces the build in a fresh process; getBuild() reports it', () => {
    for (const b of supported) {
      expect(runChild(`await wt.ready(); console.log(JSON.stringify(wt.getBuild()));`, { WASMTENSOR_BUILD: b })).toBe(b);
    }
    const err = runChild(
      `try { await wt.ready(); console.log(JSON.stringify('loaded')); } catch (e) { console.log(JSON.stringify(e.message)); }`,
      { WASMTENSOR_BUILD: 'nope' },
    );
    expect(err).toMatch(/^ready: unknown WASMTENSOR_BUILD 'nope'; builds are .* \(this runtime supports .*simd/);
    expect(err).toContain('simd');
  });

  it('every supported build computes GEMM (odd sizes, both transposes) like a float64 reference', () => {
    for (const b of supported) {
      const result = runChild(
        `await wt.ready({ build: ${JSON.stringify(b)} });
        const M = 37, N = 29, K = 53;
        let s = 12345;
        const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
        const A = Float32Array.from({ length: M * K }, rnd), B = Float32Array.from({ length: K * N }, rnd);
        const got = wt.matMul(wt.tensor(A, [K, M]), wt.tensor(B, [N, K]), true, true).dataSync();
        let worst = 0;
        for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
          let r = 0;
          for (let k = 0; k < K; k++) r += A[k * M + i] * B[j * K + k];
          worst = Math.max(worst, Math.abs(got[i * N + j] - r));
        }
        console.log(JSON.stringify({ build: wt.getBuild(), worst }));`,
        { WASMTENSOR_BUILD: undefined },
      );
      expect(result.build).toBe(b);
      expect(result.worst).toBeLessThan(1e-4);
    }
  });
});
