// wasmtensor-side glue: build our tensors from the same RefData the reference uses.
import * as wt from '../../src/index';
import { RefData, setupTf } from './reference';

export { wt };

/** Our tensor from reference data (the typed array carries the dtype). */
export function W(r: RefData): any {
  if (r.dtype === 'bool') return (wt as any).tensor(r.data, r.shape, 'bool');
  return (wt as any).tensor(r.data, r.shape);
}

/** beforeAll body shared by every file: our runtime + the TF.js cpu reference. */
export async function setupBoth(): Promise<void> {
  await (wt as any).ready();
  await setupTf();
}
