/**
 * The lab editor's type errors are the grader's: on every real lab, the starter, the reference
 * solution and each alternative solution show no type error at all, and a file with a planted
 * error shows exactly that error at its line, the same list `virtlab grade` reports for the same
 * files. Each file is imported as a submission and run; the list is read from the results panel.
 * (The fixture lab uses no built-ins, which is why it could not catch a checker without `Math`.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { labManifestSchema, type LabManifest } from '../../grader/core/lab-format.ts';
import { labDirs } from '../labs/variants.ts';

interface Problem {
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
}

const PLANTED = "\nconsole.log('console is one of the learner\\'s globals');\nexport const planted: number = 'not a number';\n";

function editableFiles(manifest: LabManifest, folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of manifest.files) if (file.editable && existsSync(join(folder, file.path))) files[file.path] = readFileSync(join(folder, file.path), 'utf8');
  return files;
}

/** labs/<id>/alternatives/: folders of the lab's files, or single files when the lab has one editable file. */
function alternatives(dir: string, manifest: LabManifest): { name: string; files: Record<string, string> }[] {
  const folder = join(dir, 'alternatives');
  if (!existsSync(folder)) return [];
  const only = manifest.files.filter((file) => file.editable);
  return readdirSync(folder)
    .sort()
    .flatMap((entry) => {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) return [{ name: `alternative-${entry}`, files: editableFiles(manifest, path) }];
      if (entry.endsWith('.ts') && only.length === 1) return [{ name: `alternative-${basename(entry, '.ts')}`, files: { [only[0]!.path]: readFileSync(path, 'utf8') } }];
      return [];
    });
}

/** What the CLI reports, parsed from its "Type error at <file>:<line>:<column>: <text> (TS<code>)" messages. */
function cliProblems(labId: string, folder: string): Record<string, Problem[]> {
  const report = JSON.parse(
    execFileSync(process.execPath, ['grader/cli/bin.mjs', 'grade', '--lab', labId, '--public-only', '--json', '-', folder], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
  ) as { rows: { student: string; result?: { diagnostics: { kind: string; file?: string; line?: number; column?: number; message: string }[] } }[] };
  return Object.fromEntries(
    report.rows.map((row) => [
      row.student,
      (row.result?.diagnostics ?? [])
        .filter((diagnostic) => diagnostic.kind === 'type')
        .map((diagnostic) => {
          const match = /^Type error at .*?:\d+:\d+: ([\s\S]*) \(TS(\d+)\)$/.exec(diagnostic.message);
          return { file: basename(diagnostic.file ?? ''), line: diagnostic.line ?? 0, column: diagnostic.column ?? 0, code: Number(match?.[2]), message: normalize(match?.[1] ?? diagnostic.message) };
        }),
    ]),
  );
}

async function browserProblems(page: Page): Promise<Problem[]> {
  return page.locator('[data-results] .type-errors li').evaluateAll((items) =>
    items.map((item) => {
      const { file = '', line = '0', column = '0', code = '0' } = (item as HTMLElement).dataset;
      const text = item.textContent ?? '';
      const message = text.slice(`${file}:${line}:${column}: `.length, text.length - ` (TS${code})`.length);
      return { file, line: Number(line), column: Number(column), code: Number(code), message };
    }),
  );
}

function normalize(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

for (const dir of labDirs('labs')) {
  const manifest = labManifestSchema.parse(JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')));
  const target = manifest.files.find((file) => file.editable)!.path;

  test(`${manifest.id}: the editor reports exactly the grader's type errors (none for the starter, solution and alternatives; the planted one)`, async ({ page }) => {
    test.setTimeout(600_000);
    const solution = editableFiles(manifest, join(dir, 'solution'));
    const variants = [
      { name: 'starter', files: editableFiles(manifest, join(dir, 'starter')) },
      { name: 'solution', files: solution },
      ...alternatives(dir, manifest),
      { name: 'planted', files: { ...solution, [target]: solution[target]! + PLANTED } },
    ];
    const plantedLine = (solution[target]! + PLANTED).split('\n').findIndex((line) => line.startsWith('export const planted')) + 1;
    const folder = mkdtempSync(join(tmpdir(), `types-${manifest.id}-`));
    const paths = variants.map((variant) => {
      const path = join(folder, `${variant.name}.json`);
      writeFileSync(path, JSON.stringify({ format: 'virtlab-submission', formatVersion: 1, lab: manifest.id, labVersion: manifest.version, files: variant.files, createdAt: '2026-01-01T00:00:00.000Z', student: variant.name }));
      return path;
    });
    const cli = cliProblems(manifest.id, folder);

    await page.goto(`/labs/${manifest.id}/`);
    await expect(page.locator('[data-workbench][data-ready="true"]')).toBeVisible({ timeout: 30_000 });
    // Type checking arrives after the editor; a run before it lists no type errors.
    await expect(page.locator('[data-workbench][data-type-check="ready"]')).toBeVisible({ timeout: 120_000 });
    await expect(page.locator('[data-status]')).toContainText('Type checking: ready.');
    const browser: Record<string, Problem[]> = {};
    for (const [index, variant] of variants.entries()) {
      await page.locator('input[data-import]').setInputFiles(paths[index]!);
      await expect(page.locator('[data-status]')).toContainText(`Imported ${variant.name}.json`);
      // Run at once after the import: the list must be this file's, not the previous one's.
      await page.getByRole('button', { name: /Run tests/ }).click();
      await expect(page.locator('[data-status]')).toContainText('Public tests:', { timeout: 240_000 });
      browser[variant.name] = (await browserProblems(page)).map((problem) => ({ ...problem, message: normalize(problem.message) }));
    }

    for (const variant of variants.filter((v) => v.name !== 'planted')) expect(browser[variant.name], `${variant.name} in the browser`).toEqual([]);
    expect(browser['planted']).toEqual([{ file: target, line: plantedLine, column: 14, code: 2322, message: "Type 'string' is not assignable to type 'number'." }]);
    expect(browser).toEqual(cli);
  });
}
