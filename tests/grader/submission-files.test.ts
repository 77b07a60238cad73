/**
 * Reading submissions from disk (the CLI's files and folders, a packaged autograder's upload
 * folder): symbolic links are never followed, and each gets an error row that says why.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadLab, type LoadedLab } from '../../grader/node/lab-loader.ts';
import { Grader } from '../../grader/node/grader.ts';
import { parseSubmissionText, readSubmissions } from '../../grader/node/submissions.ts';
import { findSubmission } from '../../grader/package/find-submission.ts';
import { labVersion, REPO } from './helpers.ts';

let lab: LoadedLab;
let work: string;
const referencePath = join(REPO, 'labs/consolidate/solution/consolidate.ts');

beforeAll(async () => {
  lab = await loadLab(join(REPO, 'labs/consolidate'));
  work = mkdtempSync(join(tmpdir(), 'virtlab-links-'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fresh folder under the test's work folder. */
function folder(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('the CLI never follows a symbolic link', () => {
  test('a submitted .ts that links to the reference solution is an error row, not graded', async () => {
    const link = join(folder('direct'), 'mallory.ts');
    symlinkSync(referencePath, link);
    const [row, ...rest] = await readSubmissions([link], lab.manifest);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ ok: false, student: 'mallory' });
    expect(row?.ok === false && row.error).toMatch(/mallory\.ts is a symbolic link; the grader never follows links/);
  });

  test('a link inside a submissions folder gets its own error row next to the real files', async () => {
    const dir = folder('class');
    writeFileSync(join(dir, 'alice.ts'), lab.starter['consolidate.ts'] ?? '');
    symlinkSync(referencePath, join(dir, 'mallory.ts'));
    symlinkSync(join(REPO, 'labs/consolidate/solution'), join(dir, 'linked-folder'));
    const rows = await readSubmissions([dir], lab.manifest);
    expect(rows.map((r) => [r.student, r.ok])).toEqual([
      ['alice', true],
      ['linked-folder', false],
      ['mallory', false],
    ]);
    for (const row of rows.filter((r) => !r.ok)) expect(row.ok === false && row.error).toMatch(/is a symbolic link/);
  });
});

describe('a packaged autograder never follows a symbolic link in the upload', () => {
  test('the lab file linked to the reference solution is refused', async () => {
    const dir = folder('upload-ts');
    symlinkSync(referencePath, join(dir, 'consolidate.ts'));
    const found = await findSubmission(dir, lab.manifest, 'student');
    expect(found.ok).toBe(false);
    expect(found.ok === false && found.error).toMatch(/consolidate\.ts is a symbolic link/);
  });

  test('a linked submission JSON is refused', async () => {
    const dir = folder('upload-json');
    const elsewhere = join(folder('elsewhere'), 'someone.json');
    writeFileSync(elsewhere, JSON.stringify({ format: 'virtlab-submission', formatVersion: 1, lab: 'consolidate', labVersion: labVersion('consolidate'), createdAt: '2025-05-01T12:00:00Z', files: { 'consolidate.ts': '' } }));
    symlinkSync(elsewhere, join(dir, 'submission.json'));
    const found = await findSubmission(dir, lab.manifest, 'student');
    expect(found.ok === false && found.error).toMatch(/submission\.json is a symbolic link/);
  });

  test('the same upload as a real file is read', async () => {
    const dir = folder('upload-real');
    writeFileSync(join(dir, 'consolidate.ts'), lab.starter['consolidate.ts'] ?? '');
    const found = await findSubmission(dir, lab.manifest, 'student');
    expect(found).toMatchObject({ ok: true, files: { 'consolidate.ts': lab.starter['consolidate.ts'] } });
  });
});

describe('a submission whose files name "__proto__" is malformed, and says so', () => {
  const text = (files: string): string => `{"format":"virtlab-submission","formatVersion":1,"lab":"consolidate","labVersion":${labVersion('consolidate')},"createdAt":"2025-05-01T12:00:00Z","student":"eve","files":${files}}`;

  test.each([
    ['as its only entry', `{"__proto__": ${JSON.stringify('export function planConsolidation() {}')}}`],
    ['next to the real file', `{"consolidate.ts": "", "__proto__": {"polluted": "yes"}}`],
  ])('%s: an error row about the submission, not the lab', (_case, files) => {
    const row = parseSubmissionText('/subs/eve.json', text(files), lab.manifest);
    expect(row).toMatchObject({ ok: false, student: 'eve' });
    expect(row.ok === false && row.error).toMatch(/^Not a virtlab submission: files: has an entry named "__proto__", which cannot be a file name: the submission file is malformed/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('a submission without the lab file (real consolidate lab, real sandbox)', () => {
  test('is graded: every test not-run because consolidate.ts is missing, not a lab error', { timeout: 120_000 }, async () => {
    const grader = await Grader.open(lab, { concurrency: 1, typecheck: false });
    try {
      const result = await grader.grade({});
      expect(result.diagnostics.find((d) => d.blocking)?.message).toBe("consolidate.ts is missing from the submission. Submit it (start from the starter's version).");
      expect(new Set(result.tests.map((t) => t.verdict))).toEqual(new Set(['not-run']));
    } finally {
      await grader.close();
    }
  });
});
