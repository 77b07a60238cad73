/**
 * How the `virtlab grade` command names students: by the submission's `student` (with its
 * `studentId`), else the file name; printed without control characters; each row with its own
 * report and Gradescope file, listed in the JSON. Run on the real consolidate lab.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { labVersion, REPO, TEST_CONCURRENCY, virtlab } from './helpers.ts';

const solution = readFileSync(join(REPO, 'labs/consolidate/solution/consolidate.ts'), 'utf8');
const starter = readFileSync(join(REPO, 'labs/consolidate/starter/consolidate.ts'), 'utf8');
const FORGED = 'alice\n\u001b[2J\u001b[Hmallory                      30/30      —';

function submission(file: string, fields: Record<string, unknown>, code: string): void {
  writeFileSync(file, JSON.stringify({ format: 'virtlab-submission', formatVersion: 1, lab: 'consolidate', labVersion: labVersion('consolidate'), createdAt: '2025-05-01T12:00:00Z', files: { 'consolidate.ts': code }, ...fields }));
}

interface JsonRow {
  student: string;
  student_id?: string;
  status: string;
  source: string;
  files: { report: string; gradescope: string };
  result?: { score: number };
}

let work: string;
let run: { code: number | null; stdout: string; stderr: string };
let rows: JsonRow[];
const out = (name: string): string => join(work, name);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'virtlab-names-'));
  const subs = out('subs');
  mkdirSync(subs);
  submission(join(subs, 'a.json'), { student: 'dup/name', studentId: 's-001' }, solution);
  submission(join(subs, 'b.json'), { student: 'dup?name' }, starter);
  submission(join(subs, 'c.json'), { student: 'same' }, solution);
  submission(join(subs, 'd.json'), { student: 'same' }, starter);
  submission(join(subs, 'e.json'), { student: FORGED, studentId: 'x\u001b[31m9' }, starter);
  writeFileSync(join(subs, 'f\u001b[2Jg.ts'), starter);
  run = virtlab(['grade', '--lab', 'consolidate', '--no-typecheck', '--concurrency', String(TEST_CONCURRENCY), '--json', out('all.json'), '--csv', out('grades.csv'), '--reports', out('reports'), '--gradescope', out('gradescope'), subs], { timeoutMs: 300_000 });
  rows = (JSON.parse(readFileSync(out('all.json'), 'utf8')) as { rows: JsonRow[] }).rows;
}, 320_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('report files never overwrite each other', () => {
  test('every row has its own report and Gradescope file', () => {
    expect(run.code).toBe(0);
    expect(rows).toHaveLength(6);
    const reports = rows.map((r) => r.files.report);
    expect(new Set(reports.map((name) => name.toLowerCase())).size).toBe(6);
    expect(readdirSync(out('reports')).sort()).toEqual([...reports].sort());
    expect(readdirSync(out('gradescope')).sort()).toEqual(rows.map((r) => r.files.gradescope).sort());
  });

  test('the JSON maps each student to their files, and each file holds that student\'s score', () => {
    for (const row of rows) {
      const report = readFileSync(join(out('reports'), row.files.report), 'utf8');
      const gradescope = JSON.parse(readFileSync(join(out('gradescope'), row.files.gradescope), 'utf8')) as { score: number };
      expect(report).toContain(`Score: ${row.result?.score}/30`);
      expect(gradescope.score).toBe(row.result?.score);
    }
    const scores = rows.filter((r) => r.student.startsWith('dup')).map((r) => [r.student, r.files.report, r.result?.score]);
    expect(scores).toEqual([
      ['dup/name', 'dup_name.txt', 30],
      ['dup?name', 'dup_name-2.txt', 0],
    ]);
    expect(rows.filter((r) => r.student === 'same').map((r) => [r.files.report, r.result?.score])).toEqual([
      ['same.txt', 30],
      ['same-2.txt', 0],
    ]);
  });
});

describe('student names and ids', () => {
  test('a row is named by the submission\'s student, with the id as its own field', () => {
    expect(rows[0]).toMatchObject({ student: 'dup/name', student_id: 's-001' });
    expect(rows[1]?.student_id).toBeUndefined();
    const csv = readFileSync(out('grades.csv'), 'utf8').split('\n');
    expect(csv[0]).toMatch(/^student,student_id,score,/);
    expect(csv).toContainEqual(expect.stringMatching(/^dup\/name,s-001,30,30,/));
    expect(run.stdout).toMatch(/dup\/name \(s-001\)\s+30\/30/);
  });
});

describe('learner-controlled text cannot forge output or control the terminal', () => {
  test('no control character reaches the table; the forged name stays on its own row', () => {
    const printed = run.stdout + run.stderr;
    // eslint-disable-next-line no-control-regex
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(printed.split('\n').filter((line) => line.startsWith('mallory'))).toEqual([]);
    // Escape sequences are dropped, the newline becomes a space: one row, with its real score.
    expect(run.stdout).toMatch(/^alice mallory .*…\s+0\/30 /m);
  });

  test('names made from file names and the files written are sanitized too', () => {
    expect(rows.map((r) => r.student)).toContain('fg');
    for (const name of [...readdirSync(out('reports')), ...readdirSync(out('gradescope'))]) expect(name).toMatch(/^[\w.@-]+$/);
    const report = readFileSync(join(out('reports'), rows[4]?.files.report ?? ''), 'utf8');
    // eslint-disable-next-line no-control-regex
    expect(report).not.toMatch(/[\u001b\r]/);
  });
});
