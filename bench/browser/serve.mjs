// A tiny static file server on 127.0.0.1 for the browser benchmark and tests.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };

export function serve(root) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const file = path.endsWith('/') ? `${path}index.html` : path;
      // The repository root (pkg/, examples/, bench/) first, then www/ as the site root.
      const body = await readFile(join(root, file)).catch(() => readFile(join(root, 'www', file)));
      // One write with a known length: headers and body leave in one go.
      // Cacheable for ten minutes, as a storefront's static files would be: a page in a fresh
      // browser context still fetches everything; a returning one reuses the HTTP cache and
      // V8's code cache.
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'max-age=600' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  server.on('connection', (socket) => socket.setNoDelay(true));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}
