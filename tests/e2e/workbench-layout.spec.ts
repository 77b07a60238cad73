/**
 * Room to work, on the real lab pages: at 1280×800 the toolbar is one line, the editor shows at
 * least 35 lines and nothing the run writes moves it, and the divider is remembered per lab; at
 * 360×740 the header is one row, a lesson's table of contents is folded, the lab is three tabs
 * with Run tests always on screen, and the lab pictures' text is never below 12 CSS px.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { labManifestSchema } from '../../grader/core/lab-format.ts';
import { labDirs } from '../labs/variants.ts';
import { axeViolations } from './axe.ts';
import { lessonPaths } from './helpers.ts';

/** Every lab: each has its own tabs, instructions and picture, which the layout must hold. */
const LABS = labDirs('labs').map((dir) => dir.split('/').pop()!);

async function openLab(page: Page, id: string) {
  await page.goto(`/labs/${id}/`);
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 30_000 });
}

/** The reference solution of a real lab as a submission file (read from the repository, never the site). */
function solutionFile(id: string, folder: string): string {
  const manifest = labManifestSchema.parse(JSON.parse(readFileSync(join('labs', id, 'lab.json'), 'utf8')));
  const files = Object.fromEntries(manifest.files.filter((f) => f.editable).map((f) => [f.path, readFileSync(join('labs', id, 'solution', f.path), 'utf8')]));
  const path = join(folder, `${id}-solution.json`);
  writeFileSync(path, JSON.stringify({ format: 'virtlab-submission', formatVersion: 1, lab: id, labVersion: manifest.version, files, createdAt: '2026-01-01T00:00:00.000Z' }));
  return path;
}

/**
 * Lab 5's picture after the reference solution's public run: a section per test that attached
 * one, a row per page it attached (five user pages, four kernel pages for the calibration
 * kernel), the four counts, and the overhead beside nested paging for the calibration kernel only.
 */
async function expectShadowPicture(page: Page) {
  const figures = page.locator('[data-visualization] figure');
  await expect(figures).toHaveCount(4);
  const titles = ['First touches', 'Page-table edits', 'Two processes', 'The calibration kernel'];
  for (const [i, title] of titles.entries()) {
    const figure = figures.nth(i);
    await expect(figure.locator('figcaption')).toContainText(`\u2713 ${title}`);
    await expect(figure).toContainText('Equivalent to bare hardware');
    const pages = figure.locator('table').filter({ has: page.locator('caption', { hasText: /^Pages,/ }) });
    await expect(pages.locator('tbody tr')).toHaveCount(i === 3 ? 4 : 5);
    const counts = figure.getByRole('list', { name: 'Counts' }).locator('li');
    await expect(counts).toHaveText([/hidden faults: \d+/, /true faults: \d+/, /page-table stores carried out: \d+/, /PTBR writes: \d+/]);
    await expect(figure.getByRole('heading', { name: /Overhead over native/ })).toHaveCount(i === 3 ? 1 : 0);
  }
  await expect(figures.nth(3)).toContainText(/shadow paging \(your VMM\)[\s\S]*over native/);
}

async function editorBox(page: Page) {
  return (await page.locator('[data-editor]').boundingBox())!;
}

test.describe('1280×800', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  for (const id of LABS) {
    test(`${id}: one-line toolbar, 35 editor lines, and a run or an import never moves the editor`, async ({ page }) => {
      test.setTimeout(240_000);
      await openLab(page, id);
      const toolbar = page.getByRole('toolbar', { name: 'Lab actions' });
      // One line: every item starts above the bottom of every other item.
      const oneLine = (boxes: { top: number; bottom: number }[]) => Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
      const rects = (items: Element[]) => items.map((item) => ({ top: item.getBoundingClientRect().top, bottom: item.getBoundingClientRect().bottom }));
      const toolbarItems = await toolbar.locator(':scope > *').evaluateAll(rects);
      expect(toolbarItems.length).toBeGreaterThanOrEqual(4);
      expect(oneLine(toolbarItems), JSON.stringify(toolbarItems)).toBe(true);
      const fileTabs = await page.locator('[data-tabs] [role="tab"]').evaluateAll(rects);
      expect(oneLine(fileTabs), JSON.stringify(fileTabs)).toBe(true);

      const box = await editorBox(page);
      const lineHeight = await page.locator('.monaco-editor .view-line').first().evaluate((line) => line.getBoundingClientRect().height);
      const visible = Math.min(box.y + box.height, 800) - Math.max(box.y, 0);
      expect(Math.floor(visible / lineHeight)).toBeGreaterThanOrEqual(35);

      const folder = mkdtempSync(join(tmpdir(), 'layout-'));
      await page.locator('input[data-import]').setInputFiles(solutionFile(id, folder));
      await expect(page.locator('[data-status]')).toContainText('Imported');
      expect(await editorBox(page)).toEqual(box);
      await page.getByRole('button', { name: /Run tests/ }).click();
      await expect(page.locator('[data-status]')).toContainText('Public tests:', { timeout: 180_000 });
      await expect(page.locator('[data-results] .summary-line')).toBeVisible();
      expect(await editorBox(page)).toEqual(box);
    });
  }

  test('the secondary actions are in a keyboard menu, and the divider is remembered per lab', async ({ page }) => {
    await openLab(page, 'jail');
    const more = page.getByRole('button', { name: 'More' });
    await more.focus();
    await page.keyboard.press('Enter');
    await expect(more).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByRole('button', { name: 'Reset to starter' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(more).toHaveAttribute('aria-expanded', 'false');
    await expect(more).toBeFocused();
    await expect(page.getByRole('button', { name: 'Reset to starter' })).toBeHidden();

    const divider = page.getByRole('separator', { name: 'Resize instructions and editor' });
    await divider.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(divider).toHaveAttribute('aria-valuenow', '50');
    const width = await page.locator('.instructions').evaluate((pane) => pane.getBoundingClientRect().width);
    await page.reload();
    await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 30_000 });
    await expect(divider).toHaveAttribute('aria-valuenow', '50');
    expect(await page.locator('.instructions').evaluate((pane) => pane.getBoundingClientRect().width)).toBeCloseTo(width, 0);
    await openLab(page, 'consolidate');
    await expect(divider).toHaveAttribute('aria-valuenow', '40');
  });
});

test.describe('360×740', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('the header is one compact row whose navigation opens from Menu, and a lesson starts on the first screen', async ({ page }) => {
    const paths = await lessonPaths(page);
    await page.goto(paths[1]!);
    const header = page.locator('.site-header');
    expect((await header.boundingBox())!.height).toBeLessThanOrEqual(56);
    const site = page.getByRole('navigation', { name: 'Site' });
    await expect(site).toBeHidden();
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(site.getByRole('link', { name: 'Labs' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(site).toBeHidden();

    const toc = page.getByRole('navigation', { name: 'On this page' });
    await expect(toc.locator('details')).not.toHaveAttribute('open');
    await expect(toc.getByRole('link').first()).toBeHidden();
    expect((await page.getByRole('heading', { level: 1 }).boundingBox())!.y).toBeLessThan(400);
    await toc.getByText('On this page').click();
    await expect(toc.getByRole('link').first()).toBeVisible();
  });

  test('a lab is three tabs (arrow keys move), with Run tests always on screen', async ({ page }) => {
    test.setTimeout(180_000);
    await openLab(page, 'jail');
    const tabs = page.getByRole('tablist', { name: 'Lab' });
    await expect(tabs.getByRole('tab')).toHaveText(['Instructions', 'Editor', 'Results']);
    await expect(tabs.getByRole('tab', { name: 'Instructions' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tabpanel', { name: 'Instructions' })).toBeVisible();
    await expect(page.locator('[data-editor]')).toBeHidden();

    const run = page.getByRole('button', { name: 'Run tests' });
    await expect(run).toHaveCount(1);
    expect((await run.boundingBox())!.y).toBeLessThan(740);
    await page.mouse.wheel(0, 20_000);
    await expect.poll(async () => page.evaluate(() => scrollY)).toBeGreaterThan(1000);
    const box = (await run.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(740);

    await tabs.getByRole('tab', { name: 'Instructions' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(tabs.getByRole('tab', { name: 'Editor' })).toBeFocused();
    await expect(tabs.getByRole('tab', { name: 'Editor' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator('.monaco-editor')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Jail', level: 1 })).toBeHidden();
    await page.keyboard.press('End');
    await expect(tabs.getByRole('tab', { name: 'Results' })).toBeFocused();
    await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();

    await page.keyboard.press('Home');
    await run.click();
    // A run shows its results.
    await expect(tabs.getByRole('tab', { name: 'Results' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.locator('[data-results] .summary-line')).toBeVisible({ timeout: 120_000 });
  });

  for (const id of ['consolidate', 'trap-and-emulate', 'shadow-paging']) {
    test(`${id}: every text of the lab picture renders at 12 CSS px or more`, async ({ page }) => {
      test.setTimeout(180_000);
      await openLab(page, id);
      await page.locator('input[data-import]').setInputFiles(solutionFile(id, mkdtempSync(join(tmpdir(), 'picture-'))));
      await expect(page.locator('[data-status]')).toContainText('Imported');
      await page.getByRole('button', { name: 'Run tests' }).click();
      await expect(page.locator('[data-visualization] svg text').first()).toBeVisible({ timeout: 120_000 });
      const sizes = await page.locator('[data-visualization] svg text').evaluateAll((texts) =>
        texts.map((text) => {
          const svg = (text as SVGTextElement).ownerSVGElement!;
          const scale = Math.hypot(svg.getScreenCTM()!.a, svg.getScreenCTM()!.b);
          return { text: text.textContent, px: parseFloat(getComputedStyle(text).fontSize) * scale };
        }),
      );
      expect(sizes.length).toBeGreaterThan(0);
      expect(sizes.filter((size) => size.px < 11.99)).toEqual([]);
      // The page itself never scrolls sideways: a wide picture scrolls in its own box.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      if (id === 'shadow-paging') await expectShadowPicture(page);
    });
  }
});

for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
  for (const colorScheme of ['light', 'dark'] as const) {
    test.describe(`axe on the lab pages at ${viewport.width} px, ${colorScheme}`, () => {
      test.use({ viewport, colorScheme });

      for (const id of LABS) {
        test(`${id}: the lab page, with the menu open and after a run with its picture, has no violations`, async ({ page }) => {
          test.setTimeout(180_000);
          const check = async (label: string) => expect(await axeViolations(page, label, colorScheme)).toEqual([]);
          await openLab(page, id);
          await check(`${id}`);
          if (viewport.width > 1000) {
            await page.getByRole('button', { name: 'More' }).click();
            await check(`${id} menu`);
            await page.keyboard.press('Escape');
          }
          await page.locator('input[data-import]').setInputFiles(solutionFile(id, mkdtempSync(join(tmpdir(), 'axe-'))));
          await page.getByRole('button', { name: /Run tests/ }).click();
          await expect(page.locator('[data-status]')).toContainText('Public tests:', { timeout: 120_000 });
          await check(`${id} after a run`);
        });
      }
    });
  }
}
