// The demo server (examples/browser/server.mjs) with this folder mounted at
// /test/, so the tests get the demo, dist/, the MNIST files and blank.html
// from one cross-origin-isolating origin.
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain-JS module without types
import { startDemoServer } from '../../examples/browser/server.mjs';

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

export async function startTestServer(mounts: Record<string, string> = {}): Promise<TestServer> {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const { server, url } = (await startDemoServer({ port: 0, mounts: { '/test/': here, ...mounts } })) as { server: Server; url: string };
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
