/**
 * Attacks get the same verdict per test in the real lab page (Chromium, the sandboxed frame) as
 * from the instructor's CLI (--public-only): floods of microtasks, of console output from an
 * exported function, from a refused import()'s callback, and while the module loads. A flood
 * that races its memory and time limits is compared as "a resource limit" (see lab-attacks.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { labManifestSchema } from '../../grader/core/lab-format.ts';
import { attacked, comparableVerdict, LAB_ATTACKS } from '../grader/lab-attacks.ts';
import { gradePublicWithCli } from './cli.ts';

for (const target of LAB_ATTACKS) {
  const dir = join('labs', target.lab);
  const manifest = labManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')));
  const solution = { [target.file]: readFileSync(join(dir, 'solution', target.file), 'utf8') };

  for (const { name: attack, limits } of target.attacks) {
    test(`${target.lab}, ${attack}: the page and the CLI give every public test the same verdict`, async ({ page }) => {
      test.setTimeout(600_000);
      const submission = {
        format: 'virtlab-submission',
        formatVersion: 1,
        lab: manifest.id,
        labVersion: manifest.version,
        files: attacked(solution, target, attack),
        createdAt: '2026-01-01T00:00:00.000Z',
        student: attack,
      };
      const path = join(mkdtempSync(join(tmpdir(), `attack-${manifest.id}-`)), `${attack}.json`);
      writeFileSync(path, JSON.stringify(submission));

      const cliRows = gradePublicWithCli(manifest.id, path);

      await page.goto(`/labs/${manifest.id}/`);
      await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 60_000 });
      await page.locator('input[data-import]').setInputFiles(path);
      await expect(page.locator('[data-status]')).toContainText('Imported');
      await page.getByRole('button', { name: /Run tests/ }).click();
      await expect(page.locator('[data-status]')).toContainText('Public tests:', { timeout: 300_000 });
      const pageVerdicts = await page.locator('[data-results] li.test[data-verdict]').evaluateAll((items) =>
        items.map((item) => `${/ — (.*) \(\d+(?:\.\d+)?\/\d+ points?\)$/.exec(item.querySelector('p')?.textContent ?? '')?.[1] ?? '?'}: ${(item as HTMLElement).dataset['verdict']}`),
      );
      const row = (await cliRows)[0]!;
      expect(row.error, 'the CLI grades the attacked submission (an attack never fails a whole submission)').toBeUndefined();
      const cliVerdicts = row.result!.tests.filter((t) => t.visibility === 'public').map((t) => `${t.fullName}: ${t.verdict}`);
      // For an attack that races its memory and time limits, "a resource limit" is the verdict both must agree on.
      const comparable = (lines: string[]): string[] => lines.map((line) => line.replace(/: (\S+)$/, (_all, verdict: string) => `: ${comparableVerdict(verdict, limits)}`));
      expect(comparable(pageVerdicts)).toEqual(comparable(cliVerdicts));
      expect(cliVerdicts.some((line) => line.endsWith(': passed')), 'the attack costs the tests it hits').toBe(false);
    });
  }
}
