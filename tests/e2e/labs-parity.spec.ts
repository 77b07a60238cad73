/**
 * The same score in the browser and in the CLI: for every lab of the course, its starter, its
 * reference solution, its correct alternatives and every mutant are imported into the lab page as
 * submission files and run there, and graded by the instructor's CLI with --public-only; the
 * public scores must be equal. A lab with many variants is checked in several parts.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { labManifestSchema } from '../../grader/core/lab-format.ts';
import { asSubmission, labDirs, variantsOf } from '../labs/variants.ts';
import { gradePublicWithCli } from './cli.ts';

/**
 * Variants per test: a lab with more is split over several tests, so that both Playwright workers
 * share the longest labs instead of one worker running a 40-variant lab alone at the end.
 */
const VARIANTS_PER_TEST = 20;

for (const dir of labDirs('labs')) {
  const manifest = labManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')));
  const variants = variantsOf(dir, manifest);
  const parts = Math.ceil(variants.length / VARIANTS_PER_TEST);

  for (let part = 0; part < parts; part++) {
    // Spread evenly (part k takes every parts-th variant), so each part has some slow mutants.
    const chosen = variants.filter((_, index) => index % parts === part);
    const label = parts === 1 ? '' : ` (part ${part + 1} of ${parts})`;

    test(`${manifest.id}: browser and CLI give the same public score to the starter, the solution, the alternatives and every mutant${label}`, async ({ page }) => {
      // Generous on a busy machine: every variant is graded twice (CLI and page).
      test.setTimeout(120_000 + chosen.length * 30_000);
      const folder = mkdtempSync(join(tmpdir(), `parity-${manifest.id}-`));
      const paths = chosen.map((variant) => {
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
      for (const [index, variant] of chosen.entries()) {
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
      // What each kind must score, for the variants in this part.
      for (const variant of chosen) {
        const name = variant.name.replace(':', '-');
        if (variant.kind === 'solution' || variant.kind === 'alternative') expect(browserScores[name], name).toBe(manifest.points.public);
        if (variant.kind === 'starter') expect(browserScores[name], name).toBe(0);
      }
    });
  }

  test(`${manifest.id}: the parity tests cover the starter, the solution and at least two alternatives`, () => {
    const kinds = variants.map((variant) => variant.kind);
    expect(kinds.filter((kind) => kind === 'starter')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'solution')).toHaveLength(1);
    expect(kinds.filter((kind) => kind === 'alternative').length).toBeGreaterThanOrEqual(2);
  });
}

test('the course publishes its labs', () => {
  expect(labDirs('labs').length).toBeGreaterThanOrEqual(3);
});
