/**
 * npm run bench:site — builds the site, opens one page of each kind in Chromium as a first visit,
 * and prints the JavaScript and total bytes (gzipped) it loads. Budget: a lesson page loads at
 * most 40 KB of gzipped JavaScript, and no page but a lab page loads anything from the editor.
 * Lessons with explorables are measured too, and each explorable's own bytes: what it loads when
 * the learner scrolls to it and runs it to the end, its Web Worker's script included (goal: at
 * most 60 KB gzipped each).
 *
 *   node scripts/bench-site.ts [--no-build]
 */
import { execSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright';
import { chosenBrowser, launchOptions } from './browser.ts';
import { serveStatic } from './serve.ts';

const LESSON_JS_BUDGET = 40 * 1024;
const EXPLORABLE_JS_BUDGET = 60 * 1024;
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
  const lessonsWithExplorables: string[] = [];
  for (const path of await probe.locator('.outline a.title').evaluateAll((links) => links.map((link) => link.getAttribute('href')!))) {
    await probe.goto(`${origin}${path}`);
    if ((await probe.locator('[data-explorable]').count()) > 0) lessonsWithExplorables.push(path);
  }
  await probe.close();
  const pages: [string, string | null][] = [
    ['home', '/'],
    ['lesson', lesson],
    ['glossary', '/glossary/'],
    ['progress', '/progress/'],
    ['search', '/search/'],
    ['404', '/no-such-page/'],
    ['lab', lab],
    ...lessonsWithExplorables.map((path): [string, string] => ['lesson with explorables', path]),
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
    rows.push({ ...row }); // a copy: the counts below go on growing as explorables load
    // Each explorable's own bytes: what the page loads once the learner scrolls to it and runs it.
    for (const id of kind === 'lesson with explorables' ? await page.locator('[data-explorable]').evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).dataset['explorable']!)) : []) {
      const before = { ...row };
      const explorable = page.locator(`[data-explorable="${id}"]`);
      await explorable.scrollIntoViewIfNeeded();
      await explorable.locator('[data-part="live"]').filter({ hasText: /^Ready/ }).waitFor();
      await explorable.locator('[data-part="run"]').click();
      await explorable.locator('[data-part="explanation"]').waitFor();
      await page.waitForLoadState('networkidle');
      await Promise.all(pending);
      rows.push({ kind: `explorable ${id}`, path, requests: row.requests - before.requests, jsGzip: row.jsGzip - before.jsGzip, totalGzip: row.totalGzip - before.totalGzip, editorFiles: row.editorFiles - before.editorFiles });
    }
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
for (const row of rows.filter((row) => row.kind.startsWith('lesson'))) {
  if (row.jsGzip > LESSON_JS_BUDGET) problems.push(`${row.path} loads ${kb(row.jsGzip)} of JS on a first visit, over the ${kb(LESSON_JS_BUDGET)} budget`);
}
for (const row of rows.filter((row) => row.kind.startsWith('explorable '))) {
  if (row.jsGzip > EXPLORABLE_JS_BUDGET) problems.push(`${row.kind} loads ${kb(row.jsGzip)} of its own JS, over the ${kb(EXPLORABLE_JS_BUDGET)} goal`);
}
for (const row of rows) if (row.kind !== 'lab' && row.editorFiles > 0) problems.push(`${row.kind} page loads ${row.editorFiles} editor file(s)`);
const explorableRows = rows.filter((row) => row.kind.startsWith('explorable '));
console.log(
  problems.length
    ? `OVER BUDGET: ${problems.join('; ')}`
    : `Within budget: lesson JS ${kb(lessonRow?.jsGzip ?? 0)} ≤ ${kb(LESSON_JS_BUDGET)} (every lesson measured); ${explorableRows.length} explorable(s), each ≤ ${kb(EXPLORABLE_JS_BUDGET)}; no editor code outside lab pages.`,
);
process.exitCode = problems.length ? 1 : 0;
