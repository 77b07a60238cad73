/**
 * The same score in the browser and in the CLI: for every lab of the course, its starter, its
 * reference solution, its correct alternatives and every mutant are imported into the lab page as
 * submission files and run there, and graded by the instructor's CLI with --public-only; the
 * public scores must be equal.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { labManifestSchema } from '../../grader/core/lab-format.ts';
import { asSubmission, labDirs, variantsOf } from '../labs/variants.ts';
import { gradePublicWithCli } from './cli.ts';

for (const dir of labDirs('labs')) {
  const manifest = labManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')));

  test(`${manifest.id}: browser and CLI give the same public score to the starter, the solution, the alternatives and every mutant`, async ({ page }) => {
    const variants = variantsOf(dir, manifest);
    // Generous on a busy machine: every variant is graded twice (CLI and page).
    test.setTimeout(120_000 + variants.length * 30_000);
    const folder = mkdtempSync(join(tmpdir(), `parity-${manifest.id}-`));
    const paths = variants.map((variant) => {
      const path = join(folder, `${variant.name.replace(':', '-')}.json`);
      writeFileSync(path, JSON.stringify(asSubmission(manifest, variant)));
      return path;
    });

    // The CLI first, on its own: graded beside the page, a slow mutant's long test could meet its
    // time limit on one side only (popek-goldberg's marks-every-instruction did, twice).
    const cliRows = await gradePublicWithCli(manifest.id, folder);

    const browserScores: Record<string, number> = {};
    await page.goto(`/labs/${manifest.id}/`);
    await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 30_000 });
    for (const [index, variant] of variants.entries()) {
      await page.locator('input[data-import]').setInputFiles(paths[index]!);
      await expect(page.locator('[data-status]')).toContainText('Imported');
      await page.getByRole('button', { name: /Run tests/ }).click();
      // The status line changes from "Imported …" to "Public tests: …" when this run finishes.
      await expect(page.locator('[data-status]')).toContainText('Public tests:', { timeout: 120_000 });
      const summary = await page.locator('[data-results] .summary-line').textContent();
      const match = /Public score: (\d+(?:\.\d+)?) \/ (\d+)/.exec(summary ?? '');
      expect(match, `${variant.name}: ${summary}`).not.toBeNull();
      browserScores[variant.name.replace(':', '-')] = Number(match![1]);
    }
    const cliScores = Object.fromEntries(cliRows.map((row) => [row.student, row.result?.publicScore]));
    expect(browserScores).toEqual(cliScores);
    expect(browserScores['solution']).toBe(manifest.points.public);
    const alternatives = variants.filter((variant) => variant.kind === 'alternative').map((variant) => variant.name.replace(':', '-'));
    expect(alternatives.length).toBeGreaterThanOrEqual(2);
    for (const name of alternatives) expect(browserScores[name], name).toBe(manifest.points.public);
    expect(browserScores['starter']).toBe(0);
  });
}

test('the course publishes its labs', () => {
  expect(labDirs('labs').length).toBeGreaterThanOrEqual(3);
});
