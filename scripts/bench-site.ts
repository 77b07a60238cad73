/**
 * npm run bench:site — builds the site, opens one page of each kind in Chromium as a first visit,
 * and prints the JavaScript and total bytes (gzipped) it loads. Budget: a lesson page loads at
 * most 40 KB of gzipped JavaScript, and no page but a lab page loads anything from the editor.
 *
 *   node scripts/bench-site.ts [--no-build]
 */
import { execSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { chosenBrowser, launchOptions } from './browser.ts';
import { serveStatic } from './serve.ts';

const LESSON_JS_BUDGET = 40 * 1024;
const PORT = 4390;

if (!process.argv.includes('--no-build')) execSync('npm run build', { stdio: 'inherit' });
execSync('node scripts/ensure-browser.mjs', { stdio: 'inherit' });

const server = await serveStatic({ dir: 'dist', port: PORT });
const origin = `http://127.0.0.1:${PORT}`;

interface Row {
  kind: string;
  path: string;
  requests: number;
  jsGzip: number;
  totalGzip: number;
  editorFiles: number;
}

const browser = await chromium.launch(launchOptions());
const rows: Row[] = [];
try {
  const probe = await browser.newPage();
  await probe.goto(`${origin}/`);
  const lesson = await probe.locator('.outline a.title').first().getAttribute('href');
  const lab = await probe.locator('a[href*="/labs/"]').first().getAttribute('href').catch(() => null);
  await probe.close();
  const pages: [string, string | null][] = [
    ['home', '/'],
    ['lesson', lesson],
    ['glossary', '/glossary/'],
    ['progress', '/progress/'],
    ['search', '/search/'],
    ['404', '/no-such-page/'],
    ['lab', lab],
  ];
  for (const [kind, path] of pages) {
    if (!path) continue;
    const context = await browser.newContext(); // a first visit: empty cache
    const page = await context.newPage();
    const row: Row = { kind, path, requests: 0, jsGzip: 0, totalGzip: 0, editorFiles: 0 };
    const pending: Promise<void>[] = [];
    page.on('response', (response) => {
      pending.push(
        response.body().then(
          (body) => {
            const gz = gzipSync(body).length;
            row.requests++;
            row.totalGzip += gz;
            const type = response.headers()['content-type'] ?? '';
            if (type.includes('javascript') || response.url().endsWith('.js') || response.url().endsWith('.mjs')) row.jsGzip += gz;
            if (/monaco|editor\.(main|api)|ts\.worker|workbench/i.test(response.url())) row.editorFiles++;
          },
          () => undefined,
        ),
      );
    });
    await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
    await Promise.all(pending);
    rows.push(row);
    await context.close();
  }
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`\nbench:site — first visit, gzipped, ${chosenBrowser()?.source ?? 'Chromium'} ${chosenBrowser()?.version ?? ''}`);
console.table(rows.map((row) => ({ page: row.kind, path: row.path, requests: row.requests, 'JS (gz)': kb(row.jsGzip), 'total (gz)': kb(row.totalGzip), 'editor files': row.editorFiles })));
const lessonRow = rows.find((row) => row.kind === 'lesson');
const problems: string[] = [];
if (lessonRow && lessonRow.jsGzip > LESSON_JS_BUDGET) problems.push(`lesson page loads ${kb(lessonRow.jsGzip)} of JS, over the ${kb(LESSON_JS_BUDGET)} budget`);
for (const row of rows) if (row.kind !== 'lab' && row.editorFiles > 0) problems.push(`${row.kind} page loads ${row.editorFiles} editor file(s)`);
console.log(problems.length ? `OVER BUDGET: ${problems.join('; ')}` : `Within budget: lesson JS ${kb(lessonRow?.jsGzip ?? 0)} ≤ ${kb(LESSON_JS_BUDGET)}; no editor code outside lab pages.`);
process.exitCode = problems.length ? 1 : 0;
