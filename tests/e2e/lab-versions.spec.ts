/**
 * A learner who worked on an earlier version of a real lab finds their code offered, never
 * dropped, when the lab's version moves on (each lab's version was bumped when its tests changed).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { labManifestSchema } from '../../grader/core/lab-format.ts';

const labsDir = resolve(import.meta.dirname, '../../labs');

for (const id of ['consolidate', 'jail', 'trap-and-emulate']) {
  const manifest = labManifestSchema.parse(JSON.parse(readFileSync(resolve(labsDir, id, 'lab.json'), 'utf8')));
  const editable = manifest.files.find((file) => file.editable)!.path;

  test(`${id}: code saved for version ${manifest.version - 1} is offered on version ${manifest.version} and kept`, async ({ page }) => {
    expect(manifest.version, `${id} changed its tests since version 1, so its version moved on`).toBeGreaterThanOrEqual(2);
    const marker = `// my ${id} code from version ${manifest.version - 1}`;
    await page.goto('/');
    await page.evaluate(
      ({ key, version, path, code }) =>
        localStorage.setItem(key, JSON.stringify({ versions: { [version]: { files: { [path]: code }, savedAt: '2026-11-01T09:00:00.000Z' } } })),
      { key: `virtlab.code.v1.${id}`, version: String(manifest.version - 1), path: editable, code: `${marker}\n` },
    );
    await page.goto(`/labs/${id}/`);
    await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('[data-older]')).toContainText(`now version ${manifest.version}). You have code from version ${manifest.version - 1}`);
    await page.getByRole('button', { name: 'Load my older code' }).click();
    await expect(page.locator('.monaco-editor .view-lines')).toContainText(marker);
    await page.reload();
    await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 60_000 });
    await expect(page.locator('.monaco-editor .view-lines')).toContainText(marker);
  });
}
