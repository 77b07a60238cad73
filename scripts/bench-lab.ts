/**
 * npm run bench:lab — a cold load of a lab page in Chromium against the built site: time until the
 * editor accepts input, bytes loaded (gzipped), and the median time from "Run tests" to results
 * over 20 runs of the lab's reference solution (imported as a submission, so the whole public
 * suite runs; the fixture or starter code is used when there is no solution). Goals on the 2-core reference machine: editor ready within 2.5 s, results within
 * 300 ms for a lab's public suite.
 *
 *   node scripts/bench-lab.ts [--lab <id>] [--dir dist] [--runs 20] [--no-build]
 */
import { execSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labManifestSchema } from '../grader/core/lab-format.ts';
import { asSubmission, variantsOf } from '../tests/labs/variants.ts';
import { chromium } from 'playwright';
import { chosenBrowser, launchOptions } from './browser.ts';
import { serveStatic } from './serve.ts';

const { values } = parseArgs({
  options: {
    lab: { type: 'string' },
    dir: { type: 'string', default: 'dist' },
    runs: { type: 'string', default: '20' },
    'no-build': { type: 'boolean', default: false },
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

const PORT = 4391;
const server = await serveStatic({ dir, port: PORT });
const browser = await chromium.launch(launchOptions());
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  let bytes = 0;
  let jsBytes = 0;
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    pending.push(
      response.body().then(
        (body) => {
          const gz = gzipSync(body).length;
          bytes += gz;
          if (response.url().endsWith('.js')) jsBytes += gz;
        },
        () => undefined,
      ),
    );
  });
  const started = Date.now();
  await page.goto(`http://127.0.0.1:${PORT}/labs/${lab}/`);
  await page.locator('[data-workbench][data-ready="true"]').waitFor({ timeout: 60_000 });
  // "Accepts input": a key typed into the editor shows up in it.
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('//x');
  await page.locator('.monaco-editor .view-lines', { hasText: '//x' }).waitFor();
  const editorReadyMs = Date.now() - started;
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.waitForLoadState('networkidle');
  await Promise.all(pending);

  // Time the public suite on the reference solution, the realistic (slowest) case.
  const labDir = ['labs', 'tests/fixtures/labs'].map((root) => join(root, lab)).find((dir) => existsSync(join(dir, 'solution')));
  let subject = 'the starter';
  if (labDir) {
    const manifest = labManifestSchema.parse(JSON.parse(readFileSync(join(labDir, 'lab.json'), 'utf8')));
    const solution = variantsOf(labDir, manifest).find((variant) => variant.kind === 'solution')!;
    const file = join(mkdtempSync(join(tmpdir(), 'bench-lab-')), 'solution.json');
    writeFileSync(file, JSON.stringify(asSubmission(manifest, solution)));
    await page.locator('input[data-import]').setInputFiles(file);
    await page.locator('[data-status]', { hasText: 'Imported' }).waitFor();
    subject = 'the reference solution';
  }

  const runs: number[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    const before = await page.locator('[data-status]').textContent();
    const clicked = Date.now();
    await page.getByRole('button', { name: /Run tests/ }).click();
    await page.waitForFunction((previous) => {
      const text = document.querySelector('[data-status]')?.textContent ?? '';
      return text.startsWith('Public tests:') && text !== previous;
    }, before === null || before.startsWith('Public tests:') ? `${before}` : '');
    runs.push(Date.now() - clicked);
    await page.locator('[data-status]').evaluate((element) => (element.textContent = ''));
  }
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  console.log(`\nbench:lab — ${lab} in ${dir}, ${chosenBrowser()?.source ?? 'Chromium'} ${chosenBrowser()?.version ?? ''}`);
  console.table({
    'editor accepts input (cold load)': { value: `${editorReadyMs} ms`, goal: '≤ 2500 ms' },
    'bytes loaded (gzipped)': { value: kb(bytes), goal: '' },
    'of which JavaScript (gzipped)': { value: kb(jsBytes), goal: '' },
    [`Run tests → results (${subject}), median of ${runs.length}`]: { value: `${median(runs)} ms`, goal: '≤ 300 ms' },
    'Run tests → results, slowest': { value: `${Math.max(...runs)} ms`, goal: '' },
  });
} finally {
  await browser.close();
  server.closeAllConnections();
  server.close();
}
