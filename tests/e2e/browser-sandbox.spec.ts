/**
 * The lab page's test sandbox and the site's Content-Security-Policy, in real Chromium on the
 * real lab pages of the built site (dist/ at the root and dist-sub/ under a sub-path):
 * learner code reaches no network and no storage, an allocation bomb leaves the page alive with
 * the run reported as out of memory and the code kept, and a script injected into a page does
 * not run while quizzes, search, the theme toggle and the lab runner still work.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { labManifestSchema, type LabManifest } from '../../grader/core/lab-format.ts';
import { serveStatic } from '../../scripts/serve.ts';
import { asSubmission, labDirs, variantsOf } from '../labs/variants.ts';
import { answer } from './helpers.ts';

const ATTACKS = join(import.meta.dirname, 'fixtures/attacks');
const labs: LabManifest[] = labDirs('labs').map((dir) => labManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8'))));

/** An HTTP server on 127.0.0.1 that records every request it gets. */
async function listen(server: Server): Promise<{ origin: string; heard: string[]; close: () => Promise<void> }> {
  const heard: string[] = [];
  server.on('request', (request) => heard.push(`${request.method} ${request.url}`));
  if (!server.listening) await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, heard, close: () => new Promise((done) => server.close(() => done())) };
}

/** A submission for `lab`: its starter with `attack` (a file of fixtures/attacks) appended to the first editable file. */
function attackSubmission(lab: LabManifest, attack: string, replace: Record<string, string> = {}): string {
  const starter = variantsOf(join('labs', lab.id), lab).find((variant) => variant.kind === 'starter')!;
  let code = readFileSync(join(ATTACKS, attack), 'utf8');
  for (const [from, to] of Object.entries(replace)) code = code.replaceAll(from, to);
  const path = lab.files.find((file) => file.editable)!.path;
  const file = join(mkdtempSync(join(tmpdir(), 'sandbox-attack-')), `${lab.id}-${attack}.json`);
  writeFileSync(file, JSON.stringify(asSubmission(lab, { ...starter, files: { ...starter.files, [path]: `${starter.files[path]}\n${code}` } })));
  return file;
}

async function openLab(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 60_000 });
}

async function importAndRun(page: Page, file: string): Promise<void> {
  await page.locator('input[data-import]').setInputFiles(file);
  await expect(page.locator('[data-status]')).toContainText('Imported');
  await page.getByRole('button', { name: /Run tests/ }).click();
}

test('the sandbox frame allows exactly its own script, by hash', () => {
  const html = readFileSync('grader/browser/sandbox-frame.html', 'utf8');
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
  expect(scripts).toHaveLength(1);
  const policy = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
  const hash = createHash('sha256').update(scripts[0]!).digest('base64');
  expect(policy).toContain(`script-src 'sha256-${hash}' 'unsafe-eval';`);
  expect(policy).toContain("default-src 'none'");
  expect(policy).toContain("connect-src 'none'");
});

const builds = [
  { name: 'the root build', dir: 'dist', base: '/', labIds: labs.map((lab) => lab.id) },
  { name: 'the sub-path build', dir: 'dist-sub', base: '/courses/virtlab/', labIds: [labs[0]!.id] },
];
for (const build of builds) {
  for (const labId of build.labIds) {
    const lab = labs.find((candidate) => candidate.id === labId)!;
    test(`${build.name}, ${lab.id}: learner code reaches no network and none of the site's storage`, async ({ page }) => {
      test.setTimeout(180_000);
      const listener = await listen(createServer((_request, response) => response.end('postMessage("escaped")')));
      const site = await listen(await serveStatic({ dir: build.dir, port: 0, base: build.base }));
      try {
        await openLab(page, `${site.origin}${build.base}labs/${lab.id}/`);
        await page.evaluate(() => localStorage.setItem('virtlab.sentinel', 'kept'));
        const file = attackSubmission(lab, 'network-and-storage.ts', {
          'http://listener.invalid/': `${listener.origin}/`,
          'http://site.invalid/': `${site.origin}${build.base}`,
        });
        await importAndRun(page, file);
        await expect(page.locator('[data-status]')).toContainText('Public tests:', { timeout: 120_000 });
        // The attacks ran: every route was tried (their outcome is for the listener to tell).
        await expect(page.locator('[data-results]')).toContainText(
          'sandbox attacks tried: fetch-cross-origin fetch-same-origin import-eval import-function import-same-origin importScripts sendBeacon xhr websocket eventsource nested-worker indexedDB caches localStorage',
        );
        // A request the sandbox let out would have been sent while the run lasted; give any
        // straggler a moment before asking what arrived.
        await page.waitForTimeout(1000);
        expect(listener.heard).toEqual([]);
        expect(site.heard.filter((line) => line.includes('virtlab-attack'))).toEqual([]);
        const storage = await page.evaluate(async () => ({
          sentinel: localStorage.getItem('virtlab.sentinel'),
          attackKeys: Object.keys(localStorage).filter((key) => key.includes('attack')),
          databases: (await indexedDB.databases()).map((database) => database.name),
          caches: await caches.keys(),
        }));
        expect(storage).toEqual({ sentinel: 'kept', attackKeys: [], databases: expect.not.arrayContaining(['virtlab-attack']), caches: [] });
      } finally {
        await listener.close();
        await site.close();
      }
    });
  }
}

/** Evaluates in the page over CDP: Playwright gives up on a page once any of its frames' processes died. */
async function evaluateOver(cdp: CDPSession, expression: string): Promise<unknown> {
  const reply = await cdp.send('Runtime.evaluate', { expression, returnByValue: true });
  return reply.result.value;
}

/**
 * The lab whose time budget leaves the most room for the heap to fill: its bomb must end as out of
 * memory. In the others the driver may end the load at its time limit first (a busy machine fills
 * the heap slower), which is reported as a timeout; the page and the code must survive either way.
 */
const roomiest = labs.reduce((best, lab) => (lab.limits.timeMs > best.limits.timeMs ? lab : best));

test.describe('allocation bombs', () => {
  // One bomb at a time: each fills gigabytes.
  test.describe.configure({ mode: 'serial' });
  for (const lab of labs) {
    const ending = lab === roomiest ? /Out of memory/ : /Out of memory|Timed out/;
    test(`${lab.id}: an allocation bomb leaves the page alive, the run ${lab === roomiest ? 'out of memory' : 'ended'} and the code kept`, async ({ page }) => {
      test.setTimeout(240_000);
      await openLab(page, `/labs/${lab.id}/`);
      const cdp = await page.context().newCDPSession(page);
      await importAndRun(page, attackSubmission(lab, 'allocation-bomb.ts'));
      const status = () => evaluateOver(cdp, `document.querySelector('[data-status]').textContent`);
      await expect.poll(status, { timeout: 180_000, intervals: [1000] }).toContain('Public tests:');
      expect(await evaluateOver(cdp, `document.querySelector('[data-results]').textContent`)).toMatch(ending);
      // The page still works: its own code runs and the learner's code is both shown and saved.
      expect(await evaluateOver(cdp, `document.querySelector('.monaco-editor .view-lines').textContent.length > 0`)).toBe(true);
      const saved = String(await evaluateOver(cdp, `localStorage.getItem('virtlab.code.v1.${lab.id}')`));
      expect(saved).toContain('hoard.push(new Array(10_000_000).fill(0.5))');
      if (lab !== roomiest) return;
      // The spare sandbox booted beside the bomb may have shared its process: the next run must
      // not inherit its death. The reference solution, run next, gets every public point.
      const solution = variantsOf(join('labs', lab.id), lab).find((variant) => variant.kind === 'solution')!;
      const file = join(mkdtempSync(join(tmpdir(), 'sandbox-after-bomb-')), 'solution.json');
      writeFileSync(file, JSON.stringify(asSubmission(lab, solution)));
      // Over CDP: Playwright counts the sandbox's crashed process as the page crashing.
      const { result: input } = await cdp.send('Runtime.evaluate', { expression: `document.querySelector('input[data-import]')` });
      await cdp.send('DOM.setFileInputFiles', { files: [file], objectId: input.objectId! });
      await expect.poll(status, { timeout: 30_000 }).toContain('Imported');
      await evaluateOver(cdp, `document.querySelector('[data-run]').click()`);
      await expect.poll(status, { timeout: 120_000, intervals: [1000] }).toContain(`Public tests: ${lab.points.public} of ${lab.points.public} points`);
    });
  }
});

test.describe('the site policy', () => {
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { violations: string[] }).violations = violations;
      document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`));
    });
  });
  const violations = (page: Page) => page.evaluate(() => (window as unknown as { violations: string[] }).violations);

  test('a script injected into a lesson page does not run, and the policy says why', async ({ page }) => {
    await page.goto('/lessons/01-what-is-virtualization/');
    const ran = await page.evaluate(async () => {
      const flags = window as unknown as Record<string, boolean>;
      const script = document.createElement('script');
      script.textContent = 'window.injectedScriptRan = true';
      document.querySelector('main')!.append(script);
      const holder = document.createElement('div');
      holder.innerHTML = '<img src="data:," onerror="window.injectedHandlerRan = true" alt="">';
      document.querySelector('main')!.append(holder);
      await new Promise((settled) => setTimeout(settled, 200));
      return { script: flags['injectedScriptRan'] === true, handler: flags['injectedHandlerRan'] === true };
    });
    expect(ran).toEqual({ script: false, handler: false });
    await expect.poll(() => violations(page)).toEqual(expect.arrayContaining(['script-src-elem inline', 'script-src-attr inline']));
  });

  test('quizzes, search, the theme toggle and the lab runner work under it', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/lessons/01-what-is-virtualization/');
    expect(await answer(page.locator('[data-question][data-kind="single"]').first(), true)).toBe(true);
    await page.locator('[data-theme-toggle]').first().click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    expect(await violations(page)).toEqual([]);

    await page.goto('/search/?q=hypervisor');
    await expect(page.locator('.pagefind-ui__result').first()).toBeVisible({ timeout: 30_000 });
    expect(await violations(page)).toEqual([]);

    await openLab(page, `/labs/${labs[0]!.id}/`);
    await page.getByRole('button', { name: /Run tests/ }).click();
    await expect(page.locator('[data-status]')).toContainText('Public tests:', { timeout: 120_000 });
    expect(await violations(page)).toEqual([]);
  });
});

/** The response headers README.md's hosting section tells a host to send, read from the README itself. */
function documentedHeaders(): { everywhere: Record<string, string>; policy: string } {
  const readme = readFileSync('README.md', 'utf8');
  const header = (name: string): string => {
    const value = new RegExp(`^${name}: (.+)$`, 'm').exec(readme)?.[1];
    if (value === undefined) throw new Error(`README.md's hosting section no longer names a ${name} header`);
    return value.trim();
  };
  return { everywhere: { 'X-Content-Type-Options': header('X-Content-Type-Options'), 'Referrer-Policy': header('Referrer-Policy') }, policy: header('Content-Security-Policy') };
}

/** The built sandbox frame, which the README says must not get the site's header policy. */
const SANDBOX_FRAME = /\/_astro\/sandbox-frame\.[^/]*\.html$/;

/** dist/ served with the README's headers: the policy header on every response, or on all but the sandbox frame. */
async function serveWithHeaders(policyOnFrame: boolean): Promise<Awaited<ReturnType<typeof listen>>> {
  const { everywhere, policy } = documentedHeaders();
  const server = await serveStatic({ dir: 'dist', port: 0 });
  // Runs before the static handler, which keeps headers already set.
  server.prependListener('request', (request, response) => {
    for (const [name, value] of Object.entries(everywhere)) response.setHeader(name, value);
    const path = (request.url ?? '/').split('?')[0]!;
    if (policyOnFrame || !SANDBOX_FRAME.test(path)) response.setHeader('Content-Security-Policy', policy);
  });
  return listen(server);
}

test.describe('a host that sends the documented headers', () => {
  const lab = labs[0]!;
  const solution = (): string => {
    const reference = variantsOf(join('labs', lab.id), lab).find((variant) => variant.kind === 'solution')!;
    const file = join(mkdtempSync(join(tmpdir(), 'headers-')), `${lab.id}-solution.json`);
    writeFileSync(file, JSON.stringify(asSubmission(lab, reference)));
    return file;
  };

  test('all but the sandbox frame: the lab runner passes the solution and learner code still reaches nothing', async ({ page }) => {
    test.setTimeout(180_000);
    const site = await serveWithHeaders(false);
    const listener = await listen(createServer((_request, response) => response.end('postMessage("escaped")')));
    try {
      const frames: { url: string; policy: string | undefined }[] = [];
      page.on('response', (response) => {
        if (SANDBOX_FRAME.test(new URL(response.url()).pathname)) frames.push({ url: response.url(), policy: response.headers()['content-security-policy'] });
      });
      const pageResponse = await page.goto(`${site.origin}/labs/${lab.id}/`);
      expect(pageResponse?.headers()['content-security-policy'], 'the lab page itself gets the header policy').toBe(documentedHeaders().policy);
      await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 60_000 });
      await importAndRun(page, solution());
      await expect(page.locator('[data-status]')).toContainText('Public tests:', { timeout: 120_000 });
      const status = (await page.locator('[data-status]').textContent()) ?? '';
      const [, score, max] = /Public tests: (\d+) of (\d+) points/.exec(status) ?? [];
      expect(Number(max)).toBeGreaterThan(0);
      expect(score, `the reference solution passes under the header policy (${status})`).toBe(max);
      expect(frames.length, 'the runner loaded its sandbox frame').toBeGreaterThan(0);
      expect(frames.map((frame) => frame.policy)).toEqual(frames.map(() => undefined));

      await importAndRun(page, attackSubmission(lab, 'network-and-storage.ts', { 'http://listener.invalid/': `${listener.origin}/`, 'http://site.invalid/': `${site.origin}/` }));
      await expect(page.locator('[data-results]')).toContainText('sandbox attacks tried:', { timeout: 120_000 });
      await page.waitForTimeout(1000);
      expect(listener.heard).toEqual([]);
      expect(site.heard.filter((line) => line.includes('virtlab-attack'))).toEqual([]);
    } finally {
      await listener.close();
      await site.close();
    }
  });

  test('the header policy on the sandbox frame too: the tests cannot run (why the README excludes it)', async ({ page }) => {
    test.setTimeout(180_000);
    const site = await serveWithHeaders(true);
    try {
      await page.goto(`${site.origin}/labs/${lab.id}/`);
      await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 60_000 });
      await importAndRun(page, solution());
      await expect(page.locator('[data-status]')).toContainText(/Public tests:|could not run/, { timeout: 120_000 });
      const status = (await page.locator('[data-status]').textContent()) ?? '';
      const [, score, max] = /Public tests: (\d+) of (\d+) points/.exec(status) ?? [];
      expect(score === undefined || score !== max, `the solution must not pass when the frame gets the site's policy (${status})`).toBe(true);
    } finally {
      await site.close();
    }
  });
});
