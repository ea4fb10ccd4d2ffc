// Threaded optimizer updates: every optimizer's step split across 2 threads
// (the size threshold lowered so a 1,003-weight variable splits into two
// ranges, one ending in the scalar tail) gives the same bits as 1 thread,
// and the pool really ran the update's kernel.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as wt from '../../src/index';
import { getFlags } from '../../src/flags';
import { activePool } from '../../src/backends/wasm/threads';
import { POOL_KERNELS } from '../../src/backends/wasm/pool';

const saved = getFlags().threadsMinElements;
const N = 1003;

function rand(n: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * scale);
}

const cases: [string, string, () => wt.Optimizer][] = [
  ['SGD', 'sgd_step', () => new wt.SGD({ learningRate: 0.1 })],
  ['SGD momentum', 'momentum_step', () => new wt.SGD({ learningRate: 0.1, momentum: 0.9 })],
  ['SGD nesterov', 'momentum_step', () => new wt.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['RMSprop', 'rmsprop_step', () => new wt.RMSprop()],
  ['RMSprop centered + momentum', 'rmsprop_step', () => new wt.RMSprop({ centered: true, momentum: 0.5 })],
  ['Adam', 'adam_step', () => new wt.Adam()],
  ['Adamax', 'adamax_step', () => new wt.Adamax()],
  ['Adagrad', 'adagrad_step', () => new wt.Adagrad()],
  ['Adadelta', 'adadelta_step', () => new wt.Adadelta({ learningRate: 1 })],
];

/** Weights and slots after 3 steps of `make()` on one variable, with `threads` threads. */
async function train(make: () => wt.Optimizer, threads: number, name: string): Promise<number[][]> {
  await wt.setThreads(threads);
  const v = wt.variable(wt.tensor(rand(N, 1, 2)), true, name);
  const opt = make();
  for (let step = 0; step < 3; step++) opt.applyGradients({ [name]: wt.tensor(rand(N, 10 + step, 0.2)) });
  const slots = (await opt.getWeights()).filter((w) => w.name !== 'iter').map((w) => Array.from(w.tensor.dataSync()));
  const out = [Array.from(v.dataSync()), ...slots];
  v.dispose();
  opt.dispose();
  return out;
}

await wt.ready();
// A build without threads (forced with WASMTENSOR_BUILD=simd or relaxed) has no pool to split across.
const threaded = wt.getBuild().includes('threads');

beforeAll(() => {
  wt.setFlags({ threadsMinElements: 0 });
});

afterAll(async () => {
  wt.setFlags({ threadsMinElements: saved });
  await wt.setThreads(2);
});

describe.skipIf(!threaded)('threaded optimizer updates', () => {
  for (const [label, kernel, make] of cases) {
    it(`${label}: 2 threads give the bits of 1`, async () => {
      const name = `split_${label.replace(/\W/g, '')}`;
      const one = await train(make, 1, name);
      await wt.setThreads(2);
      const pool = activePool();
      expect(pool, 'a threaded build starts a pool').not.toBeNull();
      const post = vi.spyOn(pool!, 'post');
      const two = await train(make, 2, name);
      const posted = post.mock.calls.filter(([, k]) => POOL_KERNELS[k] === kernel).length;
      post.mockRestore();
      expect(posted, `${kernel} jobs posted to the worker`).toBe(3);
      expect(two.length).toBe(one.length);
      two.forEach((values, i) => expect(values).toEqual(one[i]));
      // The update did something: the weights moved.
      expect(one[0]).not.toEqual(Array.from(rand(N, 1, 2)));
    });
  }
});
