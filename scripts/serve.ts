/**
 * Serves a built site as any static host would — nothing but files, no rewrites beyond directory
 * index.html and the 404 page — optionally under a sub-path (the sub-path build is served under
 * /courses/virtlab/). Used by the e2e tests (as a command) and the benchmarks (as a function).
 *
 *   node scripts/serve.ts [--port 4321] [--dir dist] [--base /]
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sirv from 'sirv';

/** README.md's caching: content-hashed files under _astro/ for a year, everything else revalidated. */
export function hostCacheControl(pathname: string): string {
  return pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Starts serving `dir` on 127.0.0.1:`port` (0: any free port) under `base`; resolves once it is listening. */
export function serveStatic(options: {
  dir: string;
  port: number;
  base?: string;
  /** While it says so, every request is cut off as a dead network would (offline tests). */
  unreachable?: () => boolean;
  /** Send the Cache-Control headers README.md's hosting section asks for. */
  hostCaching?: boolean;
}): Promise<Server> {
  const dir = resolve(options.dir);
  if (!existsSync(dir)) throw new Error(`serve: ${dir} does not exist. Build the site first (npm run build).`);
  const raw = options.base ?? '/';
  const base = raw.endsWith('/') ? raw : `${raw}/`;
  // dev: read files per request, so a rebuild under a running server is served fresh.
  const files = sirv(dir, {
    dev: true,
    extensions: ['html'],
    ...(options.hostCaching ? { setHeaders: (response: ServerResponse, pathname: string) => response.setHeader('Cache-Control', hostCacheControl(pathname)) } : {}),
  });
  const notFoundPage = resolve(dir, '404.html');
  const server = createServer((request, response) => {
    if (options.unreachable?.()) return void request.socket.destroy();
    const url = request.url ?? '/';
    const notFound = () => {
      response.statusCode = 404;
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(existsSync(notFoundPage) ? readFileSync(notFoundPage) : 'Not found');
    };
    if (!url.startsWith(base) && `${url}/` !== base) return notFound();
    request.url = '/' + url.slice(base.length);
    files(request, response, notFound);
  });
  return new Promise((ready, fail) => {
    server.once('error', fail);
    server.listen(options.port, '127.0.0.1', () => ready(server));
  });
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4321' },
      dir: { type: 'string', default: 'dist' },
      base: { type: 'string', default: '/' },
    },
  });
  try {
    await serveStatic({ dir: values.dir!, port: Number(values.port), base: values.base! });
    console.log(`serve: ${resolve(values.dir!)} at http://127.0.0.1:${values.port}${values.base}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
