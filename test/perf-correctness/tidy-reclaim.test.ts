// Tensors made inside tidy() are registered with the FinalizationRegistry only
// when they escape it (returned from the outermost scope, or kept): the rest
// are freed by tidy itself. Every way out of a scope must still leave a
// dropped tensor reclaimable; nothing may be freed twice. Needs --expose-gc
// (vitest.config.ts execArgv).
import { beforeAll, describe, expect, it } from 'vitest';
import { setupBoth, wt } from '../helpers/wt';

beforeAll(setupBoth);
const w = wt as any;

const gc: (() => void) | undefined = (globalThis as any).gc;
async function collect() {
  for (let i = 0; i < 5; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 0));
  }
}

/** Runs make() (which drops what it creates) and returns the live-tensor change after collection. */
async function leftAfter(make: () => void): Promise<number> {
  await collect();
  const before = w.memory().numTensors;
  make();
  await collect();
  return w.memory().numTensors - before;
}

describe('reclaiming tensors that escaped tidy()', () => {
  it('gc is exposed', () => expect(typeof gc).toBe('function'));

  it('the result of the outermost tidy, dropped', async () => {
    expect(await leftAfter(() => { w.tidy(() => w.add(w.ones([8]), 1)); })).toBe(0);
  });

  it('a result passed up through nested scopes, dropped', async () => {
    expect(await leftAfter(() => { w.tidy(() => w.tidy(() => w.tidy(() => [w.ones([3]), { t: w.zeros([2]) }]))); })).toBe(0);
  });

  it('keep() inside a nested scope, dropped', async () => {
    expect(await leftAfter(() => { w.tidy(() => { w.tidy(() => { w.keep(w.ones([5])); }); }); })).toBe(0);
  });

  it('keep() inside a scope that throws, dropped', async () => {
    expect(await leftAfter(() => {
      expect(() => w.tidy(() => { w.keep(w.ones([5])); throw new Error('boom'); })).toThrow('boom');
    })).toBe(0);
  });

  it('tensors a scope frees are not counted again by the registry', async () => {
    expect(await leftAfter(() => { for (let i = 0; i < 100; i++) w.tidy(() => { w.add(w.ones([4]), 2); }); })).toBe(0);
  });

  it('an escaped tensor disposed by hand is freed once (the count does not go below the start)', async () => {
    expect(await leftAfter(() => { const t = w.tidy(() => w.ones([4])); t.dispose(); t.dispose(); })).toBe(0);
  });

  it('gradients (computed inside tidy) returned to the caller and dropped', async () => {
    expect(await leftAfter(() => { w.valueAndGrad((x: any) => w.sum(w.square(x)))(w.ones([4])); })).toBe(0);
  });
});
