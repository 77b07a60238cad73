/**
 * The lab workbench, on the fixture lab (tests/fixtures/labs/hello) built into dist-fixture/ and
 * served on port 4323, so these tests exercise the machinery independently of the real labs.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { axeViolations } from './axe.ts';

const LAB = 'http://127.0.0.1:4323/labs/hello/';
const SOLUTION = `import { LIMIT } from './limits.ts';

export function add(a: number, b: number): number {
  return a + b;
}

export function countToLimit(): number {
  let count = 0;
  for (let i = 1; i <= LIMIT; i++) count++;
  return count;
}
`;

async function openLab(page: Page) {
  await page.goto(LAB);
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 20_000 });
}

/**
 * Replaces the editor's text the way a learner would: select all, then paste. (Typing a whole
 * program key by key would fight Monaco's bracket auto-closing; pasting inserts it literally.)
 */
async function typeInEditor(page: Page, text: string) {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((value) => navigator.clipboard.writeText(value), text);
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('ControlOrMeta+V');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText(text.split('\n')[0]!.trim().slice(0, 30));
}

/** Chooses a secondary action from the toolbar's "More" menu. */
async function moreAction(page: Page, name: string) {
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('button', { name, exact: true }).click();
}

async function runTests(page: Page) {
  await page.getByRole('button', { name: /Run tests/ }).click();
  await expect(page.locator('[data-results] .summary-line')).toBeVisible({ timeout: 20_000 });
}

test('a new learner types, sees a type error, fails, passes, reloads, downloads and the CLI agrees', async ({ page }, testInfo) => {
  await openLab(page);
  await expect(page.getByRole('tab', { name: 'solution.ts' })).toHaveAttribute('aria-selected', 'true');

  // A type error shows in the editor.
  await typeInEditor(page, 'export function add(a: number, b: number): number {\n  return "nope";\n}\n');
  await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeVisible({ timeout: 20_000 });
  await runTests(page);
  await expect(page.locator('[data-results] .type-errors')).toContainText("solution.ts:2:3: Type 'string' is not assignable to type 'number'");

  // The starter fails its public tests.
  await moreAction(page, 'Reset to starter');
  await runTests(page);
  await expect(page.locator('[data-results] .summary-line')).toContainText('Public score: 0 / 3');
  await expect(page.locator('[data-results] li.test').first()).toContainText('expected');
  await expect(page.locator('[data-results]')).toContainText('1 hidden test worth 2 more points');

  // A correct solution passes and shows the public score; console output is shown.
  await typeInEditor(page, SOLUTION);
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(page.locator('[data-results] .summary-line')).toContainText('Public score: 3 / 3', { timeout: 20_000 });
  await expect(page.locator('[data-results]')).toContainText('checking -2 + -3');

  // A reload keeps the code.
  await page.reload();
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('for (let i = 1; i <= LIMIT; i++) count++;');

  // The course progress shows the lab passing.
  await page.goto('http://127.0.0.1:4323/progress/');
  await expect(page.getByRole('row').filter({ hasText: 'hello' })).toContainText('Public tests passing');

  // Download the submission and grade it with the instructor's CLI: same public score.
  await openLab(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download submission' }).click();
  // The first download asks who hands it in.
  await page.getByRole('dialog').getByLabel('Your name').fill('Ada Lovelace');
  await page.getByRole('dialog').getByLabel('Student id').fill('s1815');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  const path = testInfo.outputPath('submission.json');
  await (await download).saveAs(path);
  const submission = JSON.parse(readFileSync(path, 'utf8'));
  expect(submission).toMatchObject({ format: 'virtlab-submission', lab: 'hello', labVersion: 1, student: 'Ada Lovelace', studentId: 's1815' });
  const report = JSON.parse(
    execFileSync(process.execPath, ['grader/cli/bin.mjs', 'grade', '--lab', 'hello', '--labs-dir', 'tests/fixtures/labs', '--json', '-', path], { encoding: 'utf8' }),
  );
  expect(report.rows).toHaveLength(1);
  expect(report.rows[0].result).toMatchObject({ publicScore: 3, publicMax: 3 });
  // The grader names the student from the file, and the file name says who and which lab.
  expect(report.rows[0].student).toBe('Ada Lovelace');
  expect(report.rows[0].studentId ?? report.rows[0].student_id).toBe('s1815');
  expect((await download).suggestedFilename()).toMatch(/^hello-v1-ada-lovelace-s1815-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.json$/);
});

test('an infinite loop times out while the page stays responsive', async ({ page }) => {
  await openLab(page);
  await typeInEditor(page, 'export function add(a: number, b: number): number {\n  while (true) {}\n}\nexport function countToLimit(): number { return 10; }\n');
  await page.getByRole('button', { name: /Run tests/ }).click();
  // The page answers while the tests run: switch tabs and back.
  await page.getByRole('tab', { name: /limits\.ts/ }).click();
  await expect(page.getByRole('tab', { name: /limits\.ts/ })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'solution.ts' }).click();
  await expect(page.locator('[data-results] .summary-line')).toContainText('Public score: 1 / 3', { timeout: 30_000 });
  await expect(page.locator('[data-results] li.test[data-verdict="timeout"]').first()).toBeVisible();
});

test('reset stays reset after a reload and can be undone', async ({ page }) => {
  await openLab(page);
  await typeInEditor(page, '// my work\n' + SOLUTION);
  await page.waitForTimeout(500); // autosave debounce
  await moreAction(page, 'Reset to starter');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('TODO: return the sum');
  await page.reload();
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('TODO: return the sum');
  await moreAction(page, 'Undo reset');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('// my work');
});

test('a submission for another lab is refused on import', async ({ page }, testInfo) => {
  await openLab(page);
  const path = testInfo.outputPath('other.json');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path, JSON.stringify({ format: 'virtlab-submission', formatVersion: 1, lab: 'jail', labVersion: 1, files: { 'solution.ts': 'x' }, createdAt: new Date().toISOString() }));
  await page.locator('input[data-import]').setInputFiles(path);
  await expect(page.locator('[data-status]')).toContainText('for the lab "jail"');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('import { LIMIT }');
});

test('the lab page is axe-clean and its hints reveal one at a time', async ({ page }) => {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await openLab(page);
    expect(await axeViolations(page, colorScheme, colorScheme)).toEqual([]);
  }
  const hints = page.locator('[data-hint]');
  await expect(hints.first()).toBeHidden();
  await page.getByRole('button', { name: 'Show a hint' }).click();
  await expect(hints.nth(0)).toBeVisible();
  await expect(hints.nth(1)).toBeHidden();
});

test('code saved for an older version of the lab is offered, not dropped', async ({ page }) => {
  await page.goto('http://127.0.0.1:4323/');
  await page.evaluate(() =>
    localStorage.setItem(
      'virtlab.code.v1.hello',
      JSON.stringify({ versions: { '0': { files: { 'solution.ts': '// my code from the old version\n' }, savedAt: '2026-01-01T10:00:00.000Z' } } }),
    ),
  );
  await openLab(page);
  await expect(page.locator('[data-older]')).toContainText('You have code from version 0');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('TODO: return the sum');
  await page.getByRole('button', { name: 'Load my older code' }).click();
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('// my code from the old version');
  await page.reload();
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('// my code from the old version');
});
