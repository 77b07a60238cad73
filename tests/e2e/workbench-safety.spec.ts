/**
 * The workbench never loses code without a word, on the fixture lab (dist-fixture/, port 4323):
 * an import over the grader's size limit is refused before it is read; a save the browser refuses
 * is reported at once, with the code kept and a download offered; the undo names what it takes
 * back; a run clears the previous results; identity is asked once and editable.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { MAX_SUBMISSION_BYTES } from '../../grader/core/lab-format.ts';

const LAB = 'http://127.0.0.1:4323/labs/hello/';
const editorText = (page: Page) => page.locator('.monaco-editor .view-lines');

async function openLab(page: Page) {
  await page.goto(LAB);
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 20_000 });
}

function submission(path: string, code: string, padding = 0): string {
  const files = { 'solution.ts': code + (padding > 0 ? `\n// ${'x'.repeat(padding)}\n` : '') };
  writeFileSync(path, JSON.stringify({ format: 'virtlab-submission', formatVersion: 1, lab: 'hello', labVersion: 1, files, createdAt: '2026-01-01T00:00:00.000Z' }));
  return path;
}

async function typeAtEnd(page: Page, text: string) {
  await editorText(page).click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(text);
}

test('an import over the grader’s size limit is refused with the sizes, and the code stays', async ({ page }, testInfo) => {
  await openLab(page);
  const path = submission(testInfo.outputPath('huge.json'), 'export const huge = 1;', MAX_SUBMISSION_BYTES);
  await page.locator('input[data-import]').setInputFiles(path);
  await expect(page.locator('[data-status]')).toContainText('Import refused: huge.json is 1.0 MiB; a submission is at most 1 MiB');
  await expect(editorText(page)).toContainText('import { LIMIT }');
  await page.reload();
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(editorText(page)).toContainText('import { LIMIT }');
});

test('a save the browser refuses is reported at once, the code stays in the editor and can be downloaded', async ({ page }, testInfo) => {
  await openLab(page);
  await page.evaluate(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await typeAtEnd(page, '\n// kept in memory');
  const alert = page.getByRole('alert').filter({ hasText: 'could not be saved' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Your code is still in the editor');

  const download = page.waitForEvent('download');
  await alert.getByRole('button', { name: 'Download submission' }).click();
  await page.getByRole('dialog').getByLabel('Your name').fill('Grace Hopper');
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  const path = testInfo.outputPath('rescued.json');
  await (await download).saveAs(path);
  const rescued = JSON.parse(readFileSync(path, 'utf8'));
  expect(rescued.files['solution.ts']).toContain('// kept in memory');
  expect(rescued.student).toBe('Grace Hopper');

  // An import that cannot be stored says so at once (not "Imported" and silence).
  await page.locator('input[data-import]').setInputFiles(submission(testInfo.outputPath('next.json'), 'export const next = 2;\n'));
  await expect(page.locator('[data-status]')).toContainText('could not be saved in this browser');
  await expect(alert).toBeVisible();
});

test('after an import the undo is named for it, and takes the import back', async ({ page }, testInfo) => {
  await openLab(page);
  await page.locator('input[data-import]').setInputFiles(submission(testInfo.outputPath('mine.json'), '// imported code\nexport const x = 1;\n'));
  await expect(page.locator('[data-status]')).toContainText('“Undo import” brings back what you had.');
  await expect(page.locator('[data-status]')).not.toContainText('reset');
  await expect(editorText(page)).toContainText('// imported code');
  await page.getByRole('button', { name: 'More' }).click();
  await page.getByRole('button', { name: 'Undo import' }).click();
  await expect(editorText(page)).toContainText('TODO: return the sum');
});

test('a run clears the previous results as it starts', async ({ page }, testInfo) => {
  await openLab(page);
  await page.getByRole('button', { name: /Run tests/ }).click();
  await expect(page.locator('[data-results] .summary-line')).toContainText('Public score: 0 /', { timeout: 20_000 });
  // The next run loops until its time limit, so there is time to look at the panel while it runs.
  await page.locator('input[data-import]').setInputFiles(submission(testInfo.outputPath('loop.json'), 'export function add(a: number, b: number): number {\n  while (true) {}\n}\nexport function countToLimit(): number { return 10; }\n'));
  await expect(page.locator('[data-status]')).toContainText('Imported');
  await page.getByRole('button', { name: /Run tests/ }).click();
  await expect(page.locator('[data-results] .running')).toHaveText('Running the public tests…');
  await expect(page.locator('[data-results] .summary-line')).toHaveCount(0);
  await expect(page.locator('[data-results] .summary-line')).toBeVisible({ timeout: 30_000 });
});

test('the name and student id are asked once, shown on the page, editable, and go into the file name', async ({ page }) => {
  await openLab(page);
  await expect(page.locator('[data-identity-text]')).toContainText('you are asked once');
  let download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download submission' }).click();
  const dialog = page.getByRole('dialog', { name: 'Who is handing this in?' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  expect(await dialog.getByLabel('Your name').evaluate((input) => (input as HTMLInputElement).validity.valueMissing)).toBe(true);
  await dialog.getByLabel('Your name').fill('   ');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.locator('[data-identity-error]')).toHaveText('Type your name: your instructor sees it next to your grade.');
  await dialog.getByLabel('Your name').fill('  Émile Zoë / Ça  ');
  await dialog.getByLabel('Student id').fill('20-77');
  await dialog.getByRole('button', { name: 'Save' }).click();
  expect((await download).suggestedFilename()).toMatch(/^hello-v1-emile-zoe-ca-20-77-[\d-]+\.json$/);
  await expect(page.locator('[data-identity-text]')).toHaveText('Submissions you download are for Émile Zoë / Ça (student id 20-77).');

  // Not asked again, also after a reload; and it can be changed.
  await page.reload();
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download submission' }).click();
  expect((await download).suggestedFilename()).toMatch(/^hello-v1-emile-zoe-ca-20-77-/);
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'Change name or student id' }).click();
  await dialog.getByLabel('Your name').fill('Emile Z');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('[data-identity-text]')).toContainText('for Emile Z (student id 20-77)');
});

test('the keyboard help reads as words, with a space before Tab', async ({ page }) => {
  await openLab(page);
  await expect(page.locator('#editor-help')).toContainText('to make Tab move focus out of the editor');
});
