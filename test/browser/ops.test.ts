// The op suite's core cases (cases.mjs) run in Chromium on the browser bundle
// and match the same cases run here in Node on the Node bundle. Builds may
// differ (the page picks relaxed SIMD, whose FMA rounds once), hence the
// float tolerance; ints and bools must be equal.
import { describe, expect, it } from 'vitest';
import * as wt from '../../dist/index.mjs';
import { hasChromium, openPage, skipReason } from './chromium';
import { useBrowser } from './fixture';
// @ts-expect-error plain-JS module without types
import { runCases } from './cases.mjs';

type Result = Record<string, { shape: number[]; dtype: string; values: number[] }>;

describe.skipIf(!hasChromium)(`core ops in Chromium match Node${hasChromium ? '' : ` (skipped: ${skipReason})`}`, () => {
  const env = useBrowser();

  it('every case has the same shape, dtype and values (rtol 1e-4) in the page as in Node', async () => {
    const node = (await runCases(wt)) as Result;
    const { page, errors } = await openPage(env.session.browser, `${env.server.url}test/blank.html`);
    // A string, not a function: vitest would rewrite a function's import().
    const browser = (await page.evaluate(`(async () => {
      const { runCases } = await import('/test/cases.mjs');
      return runCases(await import('wasmtensor'));
    })()`)) as Result;
    expect(Object.keys(browser)).toEqual(Object.keys(node));
    for (const [name, want] of Object.entries(node)) {
      const got = browser[name];
      expect({ name, shape: got.shape, dtype: got.dtype }).toEqual({ name, shape: want.shape, dtype: want.dtype });
      const exact = want.dtype !== 'float32';
      const atol = name.startsWith('dense model') ? 1e-3 : 1e-5;
      const bad = want.values.findIndex((w, i) => {
        const g = got.values[i];
        return exact ? g !== w : !(Math.abs(g - w) <= atol + 1e-4 * Math.abs(w));
      });
      expect(bad, `${name}: element ${bad} is ${got.values[bad]} in the page, ${want.values[bad]} in Node`).toBe(-1);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
