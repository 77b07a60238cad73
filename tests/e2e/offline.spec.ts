/**
 * Offline after the first visit, and updates that keep the learner's code (issue 18), on both
 * builds (root and sub-path). Each test serves its own copy of the build, so it can cut the network
 * (the server drops every connection, and the browser is set offline) and then "rebuild" the site:
 * a lesson page changes and scripts/service-worker.ts writes a new sw.js, as `npm run build` does.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { serveStatic } from '../../scripts/serve.ts';
import { writeServiceWorker } from '../../scripts/service-worker.ts';
import { axeViolations } from './axe.ts';

// Everything else runs with service workers blocked (playwright.config.ts).
test.use({ serviceWorkers: 'allow' });

const BUILDS = [
  { name: 'root build', dir: 'dist', base: '/' },
  { name: 'sub-path build', dir: 'dist-sub', base: '/courses/virtlab/' },
];
const LESSON = 'lessons/01-what-is-virtualization/';
const LAB = 'labs/jail/';
const REBUILT = 'Rebuilt since your last visit';

async function labReady(page: Page) {
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 30_000 });
}

/** Moves to the end of the editor's text (the editor draws only the lines in view). */
async function goToEnd(page: Page) {
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
}

async function typeAtEnd(page: Page, text: string) {
  await goToEnd(page);
  await page.keyboard.type(text);
}

for (const build of BUILDS) {
  test(`${build.name}: after one visit a lesson and a lab work offline; a rebuilt site is offered, and taking it keeps the autosaved code`, async ({ page, context }) => {
    test.setTimeout(240_000);
    const copy = mkdtempSync(join(tmpdir(), 'virtlab-offline-'));
    cpSync(build.dir, copy, { recursive: true });
    let offline = false;
    const server = await serveStatic({ dir: copy, port: 0, base: build.base, unreachable: () => offline, hostCaching: true });
    const site = `http://127.0.0.1:${(server.address() as AddressInfo).port}${build.base}`;
    try {
      // One visit, to a lesson: the service worker installs and keeps the whole site.
      await page.goto(site + LESSON);
      await page.evaluate(async () => void (await navigator.serviceWorker.ready));

      // Offline: the lesson reloads; a lab never visited opens, type checks and runs its public tests.
      offline = true;
      await context.setOffline(true);
      await page.reload();
      await expect(page.locator('main h1')).toBeVisible();
      await expect(page.locator('main h1')).not.toContainText(REBUILT);
      await page.goto(site + LAB);
      await labReady(page);
      await expect(page.locator('[data-workbench][data-type-check="ready"]')).toBeVisible({ timeout: 120_000 });
      await typeAtEnd(page, '\n// written offline');
      await page.getByRole('button', { name: /Run tests/ }).click();
      await expect(page.locator('[data-results] .summary-line')).toContainText('Public score:', { timeout: 60_000 });
      await expect(page.locator('[data-status]')).toContainText('Public tests:');

      // Online again, the site is rebuilt: a lesson changed, so sw.js changed.
      offline = false;
      await context.setOffline(false);
      const lessonFile = join(copy, LESSON, 'index.html');
      writeFileSync(lessonFile, readFileSync(lessonFile, 'utf8').replace('</h1>', ` (${REBUILT})</h1>`));
      await writeServiceWorker(copy);

      // The next visit (the lab, from the old version) says a new version is ready, politely.
      await page.goto(site + LAB);
      await labReady(page);
      await goToEnd(page);
      await expect(page.locator('.monaco-editor .view-lines')).toContainText('// written offline');
      const notice = page.locator('[data-update-notice]');
      await expect(notice).toHaveAttribute('role', 'status');
      await expect(notice).toHaveAttribute('aria-live', 'polite');
      await expect(notice).toContainText('A new version of this course is available', { timeout: 60_000 });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        expect(await axeViolations(page, `lab page with the update notice (${scheme})`, scheme)).toEqual([]);
      }
      // Later puts the notice away; the waiting version is offered again on the next page.
      await notice.getByRole('button', { name: 'Later' }).click();
      await expect(notice).toBeEmpty();
      await page.reload();
      await labReady(page);
      await expect(notice).toContainText('A new version of this course is available', { timeout: 60_000 });
      // Code typed just before updating (not yet saved by the debounce) is kept too.
      await typeAtEnd(page, '\n// typed just before the update');
      const update = notice.getByRole('button', { name: 'Reload to update' });
      await update.focus();
      const reloaded = page.waitForEvent('load');
      await page.keyboard.press('Enter');
      await reloaded;
      await labReady(page);
      await expect(notice).toBeEmpty();
      await goToEnd(page);
      const lines = page.locator('.monaco-editor .view-lines');
      await expect(lines).toContainText('// written offline');
      await expect(lines).toContainText('// typed just before the update');

      // The rebuilt lesson is what the site now serves, offline too.
      offline = true;
      await context.setOffline(true);
      await page.goto(site + LESSON);
      await expect(page.locator('main h1')).toContainText(REBUILT);
    } finally {
      await context.setOffline(false);
      server.closeAllConnections();
      server.close();
      rmSync(copy, { recursive: true, force: true });
    }
  });
}

test('every lab page and lesson of the root build is in the service worker', () => {
  const sw = readFileSync('dist/sw.js', 'utf8');
  const pages = ['lessons', 'labs'].flatMap((folder) =>
    readdirSync(join('dist', folder), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${folder}/${entry.name}/index.html`),
  );
  expect(pages.length).toBeGreaterThan(5);
  for (const path of pages) expect(sw, path).toContain(`"${path}"`);
  expect(sw).toMatch(/"_astro\/ts\.worker[^"]*\.js"/);
  expect(sw).toMatch(/"_astro\/sandbox-frame[^"]*\.html"/);
});
