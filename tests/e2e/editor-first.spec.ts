/**
 * The editor comes first, type checking later (issue 18): with the TypeScript worker's download
 * held back, the fixture lab's editor still shows the code and takes typing, Run tests still gives
 * results, and the status line (a polite live region) says type checking is loading; once the
 * worker arrives it says so, without taking the focus from the editor, and the editor marks errors.
 */
import { expect, test, type Route } from '@playwright/test';

const LAB = 'http://127.0.0.1:4323/labs/hello/';

test('the editor takes typing and Run tests works before type checking is ready, and the page says when it is', async ({ page, context }) => {
  let releaseWorker: () => void = () => {};
  const workerHeld = new Promise<void>((resolve) => (releaseWorker = resolve));
  let workerRequested = false;
  await context.route(/\/ts\.worker[^/]*\.js$/, async (route: Route) => {
    workerRequested = true;
    await workerHeld;
    await route.continue();
  });

  await page.goto(LAB);
  const workbench = page.locator('[data-workbench]');
  await expect(workbench).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
  await expect(workbench).toHaveAttribute('data-type-check', 'loading');
  const status = page.getByRole('status').and(page.locator('[data-status]'));
  await expect(status).toHaveAttribute('aria-live', 'polite');
  await expect(status).toContainText('Type checking: loading…');

  // Typing works while the worker is held back.
  await page.locator('.monaco-editor .view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('\nexport const late: number = "typed early";');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('typed early');

  // So does a run: results without waiting for type checking, whose note stays while it loads.
  await page.getByRole('button', { name: /Run tests/ }).click();
  await expect(page.locator('[data-results] .summary-line')).toContainText('Public score:', { timeout: 20_000 });
  await expect(status).toContainText('Public tests:');
  await expect(status).toContainText('Type checking: loading…');
  await expect(page.locator('[data-results] .type-check-pending')).toContainText('Type checking was still loading, so this run lists no type errors');
  await expect(workbench).toHaveAttribute('data-type-check', 'loading');
  expect(workerRequested, 'the page asked for the worker once the editor was up').toBe(true);

  // The worker arrives: the status says so, the focus stays in the editor, the error is marked.
  await page.locator('.monaco-editor .view-lines').click();
  const focusInEditor = () => page.evaluate(() => Boolean(document.activeElement?.closest('.monaco-editor')));
  expect(await focusInEditor()).toBe(true);
  releaseWorker();
  await expect(workbench).toHaveAttribute('data-type-check', 'ready', { timeout: 60_000 });
  await expect(status).toContainText('Type checking: ready.');
  expect(await focusInEditor(), 'the ready note does not take the focus').toBe(true);
  await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeVisible({ timeout: 20_000 });

  // The next run lists the type error; the ready note has been read and gives way to the run's.
  await page.getByRole('button', { name: /Run tests/ }).click();
  await expect(page.locator('[data-results] .type-errors')).toContainText("Type 'string' is not assignable to type 'number'", { timeout: 20_000 });
  await expect(status).not.toContainText('Type checking');
  await expect(page.locator('[data-results] .type-check-pending')).toHaveCount(0);
});

test('before Monaco has loaded the code is in a plain text area that takes typing and saves; Monaco then takes over the text, selection and focus', async ({ page, context }) => {
  let releaseMonaco: () => void = () => {};
  const monacoHeld = new Promise<void>((resolve) => (releaseMonaco = resolve));
  await context.route(/\/_astro\/(monaco|editor\.api)\.[\w-]+\.js$/, async (route: Route) => {
    await monacoHeld;
    await route.continue();
  });

  await page.goto(LAB);
  const first = page.locator('[data-first-editor]');
  await expect(first).toBeVisible();
  await expect(first).toHaveAccessibleName(/solution\.ts \(plain text until the full editor has loaded\)$/);
  await expect(first).toHaveValue(/^import \{ LIMIT \} from '\.\/limits\.ts';/);
  await expect(page.locator('.monaco-editor')).toHaveCount(0);
  await first.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('\n// typed before the editor');
  await expect(first).toHaveValue(/\/\/ typed before the editor$/);
  // Saved like any edit: a reload, with Monaco still on its way, shows it again.
  await page.reload();
  await expect(first).toHaveValue(/\/\/ typed before the editor$/);
  await first.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Shift+Home'); // select the typed line

  releaseMonaco();
  const workbench = page.locator('[data-workbench]');
  await expect(workbench).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await expect(first).toHaveCount(0);
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('// typed before the editor');
  const inEditor = await page.evaluate(() => Boolean(document.activeElement?.closest('.monaco-editor')));
  expect(inEditor, 'the focus moved into the editor').toBe(true);
  // The selection came along: typing replaces the selected line.
  await page.keyboard.type('// replaced in Monaco');
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('// replaced in Monaco');
  await expect(page.locator('.monaco-editor .view-lines')).not.toContainText('typed before the editor');
});
