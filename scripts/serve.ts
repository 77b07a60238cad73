/**
 * Serves built sites as any static host would: `dist/` at the root and, when it exists,
 * the sub-path build `dist-sub/` under /courses/virtlab/ — nothing but files, no rewrites
 * beyond directory index.html and the 404 page.
 *
 *   node scripts/serve.ts [--port 4321] [--dir dist] [--base /]
 */
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import sirv from 'sirv';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4321' },
    dir: { type: 'string', default: 'dist' },
    base: { type: 'string', default: '/' },
  },
});
const dir = resolve(values.dir!);
if (!existsSync(dir)) {
  console.error(`serve: ${dir} does not exist. Build the site first (npm run build).`);
  process.exit(1);
}
const base = values.base!.endsWith('/') ? values.base! : `${values.base}/`;
// dev: read files per request, so a rebuild under a running server is served fresh.
const files = sirv(dir, { dev: true, extensions: ['html'] });
const notFoundPage = resolve(dir, '404.html');

const server = createServer((request, response) => {
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
server.listen(Number(values.port), '127.0.0.1', () => {
  console.log(`serve: ${dir} at http://127.0.0.1:${values.port}${base}`);
});
