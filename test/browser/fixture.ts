// The per-file setup of the browser tests: the test server and a Chromium
// session started before a describe block's tests and closed after them.
import { afterAll, beforeAll } from 'vitest';
import { launch, type Session } from './chromium';
import { startTestServer, type TestServer } from './server';

export interface BrowserFixture {
  readonly server: TestServer;
  readonly session: Session;
}

/** Call inside describe(); read `server` and `session` from the result in the tests. */
export function useBrowser(): BrowserFixture {
  let server: TestServer | undefined;
  let session: Session | undefined;
  beforeAll(async () => {
    server = await startTestServer();
    session = await launch();
  }, 60_000);
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`test/browser: ${what} is not started (use it inside a test, after beforeAll)`);
    return value;
  };
  return {
    get server() { return started(server, 'the test server'); },
    get session() { return started(session, 'the Chromium session'); },
  };
}
