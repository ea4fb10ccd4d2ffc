// mnist-local.ts for the browser bundle: a page has no local files, so
// mnist.loadData needs options.url there. It must not import mnist-local.ts
// (the bundle maps that name to this file), hence FN is repeated.
import { fail } from '../errors';
import type { Fetcher } from './mnist-local';

export const FN = 'mnist.loadData';

export async function localFetcher(path: string | undefined): Promise<Fetcher> {
  const why = path !== undefined ? 'options.path is Node only; in a browser pass options.url' : 'in a browser, options.url is required';
  return fail(FN, `${why}: a base URL serving train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (or their .gz)`);
}
