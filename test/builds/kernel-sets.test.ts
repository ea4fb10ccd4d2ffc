// The two kernel sets (src/backends/wasm/kernel_sets.ts): the core modules
// export exactly the full ones' kernels minus FULL_ONLY_KERNELS; Node loads
// the full set unless told otherwise; a core-set runtime trains a Dense model
// like the full set and refuses a convolution with an error that says why;
// and a bundle that holds a convolution op asks for the full set.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUILDS } from '../../src/backends/wasm/builds';
import { FULL_ONLY_KERNELS, selectKernelSet } from '../../src/backends/wasm/kernel_sets';
import { bundleApp, dist, packageSideEffects } from '../helpers/bundle';


/** The export names of a .wasm file, read from its export section (compiling a relaxed-SIMD module needs Node 22). */
function exportsOf(file: string): string[] {
  const b = readFileSync(`${dist}${file}`);
  let p = 8;
  const leb = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = b[p++];
      v += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return v;
    }
  };
  while (p < b.length) {
    const id = b[p++];
    const size = leb();
    if (id !== 7) {
      p += size;
      continue;
    }
    const names: string[] = [];
    for (let n = leb(); n > 0; n--) {
      const len = leb();
      names.push(b.toString('utf8', p, p + len));
      p += len + 1; // the kind byte
      leb(); // the index
    }
    return names.sort();
  }
  throw new Error(`${file} has no export section`);
}

/** Runs a module script against dist/index.mjs in a fresh Node (one ready() per process); its last stdout line as JSON. */
function runChild(body: string): any {
  const script = `import * as wt from ${JSON.stringify(`${dist}index.mjs`)};\n${body}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

describe('kernel sets', () => {
  it.each(BUILDS)('%s: the core module has every kernel of the full one but the full-only ones', (b) => {
    const full = exportsOf(`wasmtensor-${b}.wasm`);
    const core = exportsOf(`wasmtensor-${b}-core.wasm`);
    expect(full.filter((name) => !core.includes(name)).sort()).toEqual([...FULL_ONLY_KERNELS].sort());
    expect(core.every((name) => full.includes(name))).toBe(true);
  });

  it("selection: 'auto' means full in Node, core in a browser bundle without full-only ops; bad values are named", () => {
    expect(selectKernelSet(undefined, true)).toBe('full');
    expect(selectKernelSet('auto', true)).toBe('full');
    expect(selectKernelSet('core', true)).toBe('core');
    // This test file imports no op module, yet the dist bundle it runs beside may have: only the explicit cases are certain.
    expect(selectKernelSet('full', false)).toBe('full');
    expect(() => selectKernelSet('small', true)).toThrow("ready: kernels must be 'full', 'core' or 'auto', got \"small\"");
  });

  it('Node loads the full set by default; ready({ kernels }) is checked by name', () => {
    expect(runChild(`await wt.ready(); console.log(JSON.stringify(wt.getKernelSet()));`)).toBe('full');
    const err = runChild(`try { await wt.ready({ kernels: 'tiny' }); console.log('null'); } catch (e) { console.log(JSON.stringify(e.message)); }`);
    expect(err).toBe("ready: kernels must be 'full', 'core' or 'auto', got \"tiny\"");
  });

  it('the core set trains a Dense model to the same weights as the full set, and a convolution says what is missing', () => {
    const train = (kernels: string) => runChild(`
      await wt.ready({ kernels: '${kernels}' });
      wt.setRandomSeed(3);
      const x = wt.randomUniform([64, 6], -1, 1);
      const y = wt.utils.toCategorical(wt.argMax(x.index(':, 0:3'), -1), 3);
      const m = wt.sequential({ layers: [wt.layers.dense({ units: 8, activation: 'relu', inputShape: [6] }), wt.layers.dense({ units: 3, activation: 'softmax' })] });
      m.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy' });
      await m.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      let conv = null;
      try { wt.conv2d(wt.ones([1, 4, 4, 1]), wt.ones([3, 3, 1, 1]), 1, 'valid'); } catch (e) { conv = e.message; }
      const sum = wt.sum(wt.matMul(wt.ones([2, 3]), wt.ones([3, 2]))).dataSync()[0];
      console.log(JSON.stringify({ set: wt.getKernelSet(), weights: m.getWeights().map((w) => Array.from(w.dataSync())), conv, sum }));`);
    const full = train('full');
    const core = train('core');
    expect([full.set, core.set]).toEqual(['full', 'core']);
    expect(core.weights).toEqual(full.weights);
    expect(full.conv).toBeNull();
    expect(core.conv).toMatch(/^wasmtensor: the 'im2col_f32' kernel is not in the core kernel set this page loaded\..*wt\.ready\(\{ kernels: 'full' \}\)/);
    // The runtime keeps working after the refusal.
    expect(core.sum).toBe(12);
  });

  it('a browser bundle (rollup, as Vite) that uses conv2d marks the full set before the app runs; one without it does not', async () => {
    const marked = async (code: string): Promise<boolean> => {
      // Only what the app loads at start counts: model.save()'s lazy chunk may hold conv layers.
      // (The apps call ready(): without a reader of the mark, rollup rightly drops the call.)
      const { chunks, atStart } = await bundleApp({ code });
      return chunks.some((c) => atStart.has(c.fileName) && /\bwantFullKernels\(\);/.test(c.code));
    };
    expect(packageSideEffects).toBe(false);
    expect(await marked(`import * as wt from 'wasmtensor'; await wt.ready(); console.log(wt.conv2d);`)).toBe(true);
    expect(await marked(`import * as wt from 'wasmtensor'; await wt.ready(); console.log(wt.layers.lstm({ units: 2 }));`)).toBe(true);
    // Loading a model trained elsewhere may meet any layer: the loader holds every layer class, so the full set.
    expect(await marked(`import * as wt from 'wasmtensor'; await wt.ready(); await wt.loadLayersModel('model.json');`)).toBe(true);
    expect(await marked(`import * as wt from 'wasmtensor'; await wt.ready(); wt.sequential({ layers: [wt.layers.dense({ units: 2 })] }).save('x');`)).toBe(false);
  });
});
