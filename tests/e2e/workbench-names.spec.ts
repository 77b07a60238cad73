/**
 * The site's bundles keep class names (astro.config.mjs), so what learners read says `SimError`,
 * not a minified `n`: learner code on a real lab page prints the names of the simulator classes
 * it gets from the bundled test worker.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

test('the simulator classes in the bundled test worker keep their names', async ({ page }) => {
  test.setTimeout(180_000);
  const solution = readFileSync('labs/consolidate/solution/consolidate.ts', 'utf8');
  const { version } = JSON.parse(readFileSync('labs/consolidate/lab.json', 'utf8')) as { version: number };
  const probe = "\nimport { SimError as NamedSimError } from '@virtlab/sim';\nconsole.log(`class names: ${NamedSimError.name}`);\n";
  const path = join(mkdtempSync(join(tmpdir(), 'names-')), 'names.json');
  writeFileSync(path, JSON.stringify({ format: 'virtlab-submission', formatVersion: 1, lab: 'consolidate', labVersion: version, files: { 'consolidate.ts': solution + probe }, createdAt: '2026-01-01T00:00:00.000Z' }));
  await page.goto('/labs/consolidate/');
  await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 30_000 });
  await page.locator('input[data-import]').setInputFiles(path);
  await page.getByRole('button', { name: /Run tests/ }).click();
  await expect(page.locator('[data-status]')).toContainText('Public tests:', { timeout: 120_000 });
  await expect(page.locator('[data-results]')).toContainText('class names: SimError');
});
