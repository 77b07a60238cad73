/**
 * npm run bench:lab — lab pages in Chromium against the built site, served as the README's hosting
 * section tells hosts to (gzip, long-lived caching of the content-hashed `_astro/` files,
 * revalidation of pages). It prints each figure beside its goal (issue 18):
 *
 * - a cold load (empty cache), unthrottled and throttled to 10 Mbit/s down with 40 ms latency:
 *   "editor accepts typing", the time from navigation until a key typed into the editor is in its
 *   text (the plain text area that shows the learner's code until Monaco has loaded, or Monaco),
 *   then the time until Monaco has taken over, and the bytes the browser really transferred until
 *   then and in all (scripts/cdp-transfer.ts: CDP encodedDataLength, i.e. compressed bodies plus
 *   headers, over every target, workers included); then the time until type checking is ready
 *   (the TypeScript worker arrives after the editor, src/workbench/type-checking.ts);
 * - a reload and a second lab page on the warm cache: files the server sent in full again besides
 *   the page itself (goal: none);
 * - per lab, the median and slowest time from "Run tests" to results over `--runs` runs of the
 *   lab's reference solution (imported as a submission, so the whole public suite runs; the
 *   fixture or starter code when there is no solution).
 *
 *   node scripts/bench-lab.ts [--lab <id>] [--dir dist] [--runs 20] [--no-build] [--details]
 *
 * --details lists the largest transfers.
 */
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { cpSync, existsSync, rmSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sirv from 'sirv';
import { chromium, type Page } from 'playwright';
import { labManifestSchema } from '../grader/core/lab-format.ts';
import { asSubmission, variantsOf } from '../tests/labs/variants.ts';
import { chosenBrowser, launchOptions } from './browser.ts';
import { meterTransfers } from './cdp-transfer.ts';

const { values } = parseArgs({
  options: {
    lab: { type: 'string' },
    dir: { type: 'string', default: 'dist' },
    runs: { type: 'string', default: '20' },
    'no-build': { type: 'boolean', default: false },
    details: { type: 'boolean', default: false },
  },
});
const dir = values.dir!;
if (!values['no-build']) execSync(dir === 'dist-fixture' ? 'npm run build:fixture' : 'npm run build', { stdio: 'inherit' });
execSync('node scripts/ensure-browser.mjs', { stdio: 'inherit' });
const labs = existsSync(`${dir}/labs`) ? readdirSync(`${dir}/labs`, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name) : [];
const lab = values.lab ?? labs[0];
if (!lab) {
  console.error(`bench:lab: ${dir} has no lab pages. Add a lab under labs/ or run with --dir dist-fixture.`);
  process.exit(1);
}
if (!labs.includes(lab)) {
  console.error(`bench:lab: ${dir} has no lab page "${lab}"; it has: ${labs.join(', ')}.`);
  process.exit(1);
}

/** Goals of issue 18. */
const GOAL = {
  readyMs: 1000,
  readyThrottledMs: 2500,
  readyBytes: 1.2 * 1024 * 1024,
  runMedianMs: 150,
  runSlowestMs: 400,
  warmFiles: 0,
};
/** 10 Mbit/s down (and up), 40 ms latency, in CDP's units (bytes per second). */
const THROTTLED = { latency: 40, downloadThroughput: 10_000_000 / 8, uploadThroughput: 10_000_000 / 8 };

/**
 * A copy of the build with a gzipped sibling of every compressible file, served with the headers
 * the README asks hosts for, so the transfer is what a learner's browser gets from a real host.
 */
function serveLikeAHost(root: string, port: number) {
  const copy = mkdtempSync(join(tmpdir(), 'bench-lab-site-'));
  cpSync(root, copy, { recursive: true });
  const compressible = /\.(html|js|mjs|css|json|svg|ttf|txt|xml|map|d\.ts|wasm|pf_meta|pf_index|pf_fragment)$/;
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (compressible.test(entry.name) && statSync(path).size > 1024) writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
    }
  };
  walk(copy);
  const files = sirv(copy, {
    gzip: true,
    etag: true,
    extensions: ['html'],
    setHeaders(response, pathname) {
      // Content-hashed names never change content: cache them for a year; revalidate the rest.
      response.setHeader('Cache-Control', pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const served: { url: string; status: number; bytes: number }[] = [];
  const server = createServer((request, response) => {
    response.on('finish', () => served.push({ url: request.url ?? '', status: response.statusCode, bytes: Number(response.getHeader('content-length') ?? 0) }));
    files(request, response, () => {
    response.statusCode = 404;
    response.end('Not found');
    });
  });
  return new Promise<{ close(): void; folder: string; served: typeof served }>((ready) =>
    server.listen(port, '127.0.0.1', () => ready({ served, folder: relative(process.cwd(), copy), close: () => (server.closeAllConnections(), server.close(), rmSync(copy, { recursive: true, force: true })) })),
  );
}

/**
 * Opens a lab page and types into its editor as soon as there is one: the plain text area that
 * shows the learner's code until Monaco has loaded (src/workbench/first-editor.ts), or Monaco;
 * resolves once the key is in the text the learner sees.
 */
async function openAndType(page: Page, url: string) {
  await page.goto(url);
  await page.locator('[data-first-editor], .monaco-editor .view-lines').first().click({ timeout: 120_000 });
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('//x');
  // Polled every frame: either editor shows its text within a frame of the change.
  await page.waitForFunction(
    () => (document.querySelector<HTMLTextAreaElement>('[data-first-editor]')?.value ?? document.querySelector('.monaco-editor .view-lines')?.textContent)?.includes('//x'),
    null,
    { polling: 'raf', timeout: 120_000 },
  );
}

async function removeTyped(page: Page) {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
}

/** Type checking arrives after the editor (src/workbench/type-checking.ts). */
const typeCheckingReady = (page: Page) => page.locator('[data-workbench][data-type-check="ready"]').waitFor({ timeout: 120_000 });

/** A lab page, ready for a run: Monaco has taken over, and type checking is ready. */
async function openLab(page: Page, url: string) {
  await openAndType(page, url);
  await page.locator('[data-workbench][data-ready="true"]').waitFor({ timeout: 120_000 });
  await removeTyped(page);
  await typeCheckingReady(page);
}

const PORT = 4391;
const origin = `http://127.0.0.1:${PORT}`;
const host = await serveLikeAHost(dir, PORT);
const DEBUGGING_PORT = 9339;
const options = launchOptions();
const browser = await chromium.launch({ ...options, args: [...(options.args ?? []), `--remote-debugging-port=${DEBUGGING_PORT}`] });
const meter = await meterTransfers(DEBUGGING_PORT, origin);
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const verdict = (value: number, goal: number) => (value <= goal ? 'met' : 'NOT met');
const rows: Record<string, { value: string; goal: string; verdict: string }> = {};
const row = (name: string, value: number, goal: number, unit: (n: number) => string) =>
  (rows[name] = { value: unit(value), goal: `≤ ${unit(goal)}`, verdict: verdict(value, goal) });
const ms = (n: number) => `${n} ms`;

async function coldLoad(throttle: boolean) {
  await meter.throttle(throttle ? THROTTLED : null);
  // Service workers blocked: this measures the lab page's own load. The offline precache that a
  // first visit also starts (README.md "Offline use and updates") is a background download.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  await meter.clearCache();
  const before = meter.bytes;
  const requestsBefore = meter.requests;
  const scriptsBefore = meter.scriptBytes;
  const started = Date.now();
  await openAndType(page, `${origin}/labs/${lab}/`);
  const readyMs = Date.now() - started;
  const readyBytes = meter.bytes - before;
  await removeTyped(page);
  await page.locator('[data-workbench][data-ready="true"]').waitFor({ timeout: 120_000 });
  const monacoMs = Date.now() - started;
  await typeCheckingReady(page);
  const typeCheckMs = Date.now() - started;
  await page.waitForLoadState('networkidle');
  const allBytes = meter.bytes - before;
  await meter.throttle(null);
  return { context, page, readyMs, monacoMs, readyBytes, typeCheckMs, allBytes, requests: meter.requests - requestsBefore, scriptBytes: meter.scriptBytes - scriptsBefore, largest: meter.largest(15, requestsBefore) };
}

try {
  const throttled = await coldLoad(true);
  await throttled.context.close();
  const cold = await coldLoad(false);
  const label = (text: string) => `${text} (${lab})`;
  row(label('cold, unthrottled: editor accepts typing'), cold.readyMs, GOAL.readyMs, ms);
  row(label('cold, 10 Mbit/s + 40 ms: editor accepts typing'), throttled.readyMs, GOAL.readyThrottledMs, ms);
  row('transferred until the editor accepts typing', cold.readyBytes, GOAL.readyBytes, kb);
  rows[label('cold, unthrottled: Monaco has taken over from the text area')] = { value: ms(cold.monacoMs), goal: 'later, keeping what was typed', verdict: '' };
  rows[label('cold, 10 Mbit/s + 40 ms: Monaco has taken over')] = { value: ms(throttled.monacoMs), goal: 'later, keeping what was typed', verdict: '' };
  rows[label('cold, unthrottled: type checking ready')] = { value: ms(cold.typeCheckMs), goal: 'later, without blocking', verdict: '' };
  rows[label('cold, 10 Mbit/s + 40 ms: type checking ready')] = { value: ms(throttled.typeCheckMs), goal: 'later, without blocking', verdict: '' };
  rows['transferred in all (type checking ready, network idle)'] = { value: `${kb(cold.allBytes)} in ${cold.requests} requests`, goal: '', verdict: '' };
  rows['of which scripts'] = { value: kb(cold.scriptBytes), goal: '', verdict: '' };

  // Warm cache: nothing but the page itself should be downloaded again. Counted by the server
  // (full 200 responses), which sees worker scripts the browser may fetch outside the page.
  const warm = async (url: string) => {
    const already = host.served.length;
    await openLab(cold.page, url);
    await cold.page.waitForLoadState('networkidle');
    return host.served.slice(already).filter((response) => response.status === 200 && !response.url.endsWith('/') && !response.url.endsWith('.html'));
  };
  const files = (list: { bytes: number }[]) => (n: number) => `${n} files, ${kb(list.reduce((sum, file) => sum + file.bytes, 0))}`;
  const reload = await warm(`${origin}/labs/${lab}/`);
  rows['reload: files downloaded again besides the page'] = { value: files(reload)(reload.length), goal: '0 files', verdict: verdict(reload.length, GOAL.warmFiles) };
  const second = labs.find((other) => other !== lab);
  if (second) {
    const again = await warm(`${origin}/labs/${second}/`);
    rows[`second lab page (${second}): files downloaded besides the page`] = { value: files(again)(again.length), goal: '0 files', verdict: verdict(again.length, GOAL.warmFiles) };
    if (values.details) console.log('Downloaded again:', [...reload, ...again].map((file) => file.url));
  }
  // Run tests on each lab's reference solution.
  for (const id of values.lab ? [lab] : labs) {
    await openLab(cold.page, `${origin}/labs/${id}/`);
    const labDir = ['labs', 'tests/fixtures/labs'].map((root) => join(root, id)).find((folder) => existsSync(join(folder, 'solution')));
    let subject = 'starter';
    if (labDir) {
      const manifest = labManifestSchema.parse(JSON.parse(readFileSync(join(labDir, 'lab.json'), 'utf8')));
      const solution = variantsOf(labDir, manifest).find((variant) => variant.kind === 'solution')!;
      const file = join(mkdtempSync(join(tmpdir(), 'bench-lab-')), 'solution.json');
      writeFileSync(file, JSON.stringify(asSubmission(manifest, solution)));
      await cold.page.locator('input[data-import]').setInputFiles(file);
      await cold.page.locator('[data-status-message]', { hasText: 'Imported' }).waitFor();
      subject = 'solution';
    }
    const runs: number[] = [];
    for (let i = 0; i < Number(values.runs); i++) {
      const before = await cold.page.locator('[data-status-message]').textContent();
      const clicked = Date.now();
      await cold.page.getByRole('button', { name: /Run tests/ }).click();
      await cold.page.waitForFunction((previous) => {
        const text = document.querySelector('[data-status-message]')?.textContent ?? '';
        return text.startsWith('Public tests:') && text !== previous;
      }, before === null || before.startsWith('Public tests:') ? `${before}` : '');
      runs.push(Date.now() - clicked);
      await cold.page.locator('[data-status-message]').evaluate((element) => (element.textContent = ''));
    }
    row(`Run tests → results (${id}, ${subject}), median of ${runs.length}`, median(runs), GOAL.runMedianMs, ms);
    row(`Run tests → results (${id}, ${subject}), slowest`, Math.max(...runs), GOAL.runSlowestMs, ms);
  }
  console.log(`\nbench:lab — ${dir} served gzipped with cache headers, ${chosenBrowser()?.source ?? 'Chromium'} ${chosenBrowser()?.version ?? ''}`);
  console.table(rows);
  if (values.details) {
    console.log('Largest transfers of the cold, unthrottled load:');
    console.table(cold.largest.map(({ url, bytes }) => ({ url: url.replace(origin, ''), transferred: kb(bytes) })));
  }
} finally {
  meter.close();
  await browser.close();
  host.close();
}
