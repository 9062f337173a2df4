import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

/** A built site served on its own loopback origin. */
export interface StaticSite {
  url: string;
  /** Its counts' site: 127.0.0.1:PORT. */
  site: string;
  close(): Promise<void>;
}

/** The counter address the recipes use; the server swaps in the test server's, as a blogger edits it. */
export const RECIPE_COUNTER_URL = 'https://counter.example.com';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves `dir` on 127.0.0.1:0, `/x/` as `/x/index.html`, with RECIPE_COUNTER_URL replaced by `counterUrl` in HTML. */
export async function serveStatic(dir: string, counterUrl: string): Promise<StaticSite> {
  const server = createServer((req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://site').pathname));
    if (path.endsWith('/')) path += 'index.html';
    readFile(join(dir, path)).then(
      (body) => {
        const type = TYPES[extname(path)] ?? 'application/octet-stream';
        res.writeHead(200, { 'Content-Type': type });
        res.end(type.startsWith('text/html') ? body.toString('utf8').split(RECIPE_COUNTER_URL).join(counterUrl) : body);
      },
      () => {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        res.end('not found');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    site: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
