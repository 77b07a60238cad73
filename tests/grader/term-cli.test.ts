/**
 * The instructor's term on a real lab (consolidate), through the `virtlab` command: a roster with
 * a missing student, an unknown submission and a duplicate; trusted times from an LMS export
 * (a forged `createdAt` in the submission is ignored); the late penalty in the Canvas export and
 * the JSON; a regrade compared with a public-only run.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadLab } from '../../grader/node/lab-loader.ts';
import { mutantsOf } from '../labs/variants.ts';
import { REPO, SETUP_TIMEOUT_MS, TEST_CONCURRENCY, virtlab as runVirtlab } from './helpers.ts';

const LAB_DIR = join(REPO, 'labs/consolidate');
let work: string;

const virtlab = (...args: string[]) => runVirtlab(args);

const file = (name: string): string => join(work, name);
const gradePaths = (paths: string[], ...args: string[]) => virtlab('grade', '--lab', 'consolidate', '--concurrency', String(TEST_CONCURRENCY), ...paths, ...args);
const grade = (...args: string[]) => gradePaths([file('subs')], ...args);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'virtlab-term-'));
  const lab = await loadLab(LAB_DIR);
  const { mutants } = mutantsOf(LAB_DIR, lab.manifest);
  const mutant = (name: string) => mutants.find((m) => m.name === `mutant:${name}`)!.files;
  // The forged createdAt claims 2020: the grader must use the LMS's times instead.
  const submission = (files: Record<string, string>) => JSON.stringify({ format: 'virtlab-submission', formatVersion: 1, lab: 'consolidate', labVersion: lab.manifest.version, createdAt: '2020-01-01T00:00:00Z', student: 'Ada Lovelace', studentId: 'S1', files });
  mkdirSync(file('subs/bob'), { recursive: true });
  writeFileSync(file('subs/ada-v1.json'), submission(mutant('always-refuses')));
  writeFileSync(file('subs/ada-v2.json'), submission(lab.solution));
  writeFileSync(file('subs/bob/consolidate.ts'), mutant('next-fit')['consolidate.ts']!);
  writeFileSync(file('subs/mallory.ts'), lab.solution['consolidate.ts']!);
  writeFileSync(file('roster.csv'), 'ID,Name,Email\ns1,Ada Lovelace,ada@uni.edu\ns2,Bob Byte,bob@uni.edu\ns3,Carol Cache,carol@uni.edu\n');
  writeFileSync(file('times.csv'), 'file,email,submitted_at\nada-v1.json,ada@uni.edu,2026-03-01T20:00:00+01:00\nada-v2.json,ada@uni.edu,2026-03-02T12:00:00+01:00\n,bob@uni.edu,2026-03-01T23:00:00+01:00\n');
  writeFileSync(file('course.json'), JSON.stringify({ labs: { consolidate: { due: '2026-03-01T23:59:00+01:00', graceMinutes: 15, late: { per: 'day', percent: 10, maxUnits: 3 } } } }));
}, SETUP_TIMEOUT_MS);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('virtlab grade with a roster, a course file and LMS times', () => {
  let run: ReturnType<typeof virtlab>;
  beforeAll(() => {
    run = grade('--roster', file('roster.csv'), '--course', file('course.json'), '--submitted-at', file('times.csv'), '--format', 'canvas', '--csv', file('canvas.csv'), '--json', file('term.json'));
  }, SETUP_TIMEOUT_MS);

  test('lists missing, unknown and the duplicate, the newest by LMS time counting', () => {
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Roster: 2 submitted (0 could not be graded), 1 missing, 1 unknown, 1 older duplicates.');
    expect(run.stdout).toMatch(/missing +Carol Cache \(s3\)/);
    expect(run.stdout).toMatch(/unknown +\S*mallory\.ts/);
    expect(run.stdout).toMatch(/duplicate +Ada Lovelace \(s1\): \S*ada-v1\.json \(2026-03-01T19:00:00\.000Z\) not counted; \S*ada-v2\.json \(2026-03-02T11:00:00\.000Z\) counts/);
  });

  test('the late penalty comes from the LMS time, not the forged one: raw, penalty and final shown', () => {
    expect(run.stdout).toMatch(/late +Ada Lovelace \(s1\): raw 30, penalty 3, final 27 — 1 day late: −10%/);
    const table = parse(readFileSync(file('canvas.csv'), 'utf8')) as string[][];
    expect(table).toEqual([
      ['Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Consolidate (consolidate)'],
      ['Points Possible', '', '', '', '', '30'],
      ['Ada Lovelace', '', 's1', 'ada@uni.edu', '', '27'],
      ['Bob Byte', '', 's2', 'bob@uni.edu', '', expect.stringMatching(/^(?:[0-9]|1[0-9]|2[0-9])$/)],
      ['Carol Cache', '', 's3', 'carol@uni.edu', '', ''],
    ]);
  });

  test('the JSON records lab and grader versions and each row\'s term status', () => {
    const json = JSON.parse(readFileSync(file('term.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    expect({ lab: json.lab, labVersion: json.labVersion, graderVersion: json.graderVersion }).toEqual({ lab: 'consolidate', labVersion: JSON.parse(readFileSync(join(LAB_DIR, 'lab.json'), 'utf8')).version, graderVersion: pkg.version });
    expect(json.term.map((t: { status: string; rosterId: string | null }) => [t.status, t.rosterId])).toEqual([['graded', 's1'], ['superseded', 's1'], ['graded', 's2'], ['missing', 's3'], ['unknown', null]]);
    expect(json.term[0].late).toMatchObject({ rawScore: 30, penalty: 3, finalScore: 27, unitsLate: 1 });
  });
});

describe('virtlab grade --compare', () => {
  test('after a public-only run, the full run shows each score change and the hidden tests that appeared', () => {
    const two = [file('subs/ada-v2.json'), file('subs/bob')];
    expect(gradePaths(two, '--public-only', '--json', file('public.json')).code).toBe(0);
    const run = gradePaths(two, '--compare', file('public.json'));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Compared with the previous run: lab consolidate version \d+ → \d+, grader \S+ → \S+\./);
    expect(run.stdout).toMatch(/Ada Lovelace \(S1\): 10 → 30 \(\+20\)\n(?: {4}.*: absent → passed\n)+/);
    expect(run.stdout).toMatch(/bob: \d+ → \d+ \(\+\d+\)\n(?: {4}.*: absent → (?:passed|failed)\n)*/);
    expect(run.stdout).toMatch(/ {4}.*: absent → failed/);
  }, SETUP_TIMEOUT_MS);
});

describe('bad term files stop before grading, saying what to fix', () => {
  test('a due time without a zone', () => {
    writeFileSync(file('bad-course.json'), JSON.stringify({ labs: { consolidate: { due: '2026-03-01 23:59' } } }));
    const run = grade('--course', file('bad-course.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/labs\.consolidate\.due: must be a date and time with its time zone offset/);
  });
  test('a course file without the lab', () => {
    writeFileSync(file('other-course.json'), JSON.stringify({ labs: { jail: { due: '2026-03-01T23:59:00Z' } } }));
    expect(grade('--course', file('other-course.json')).stderr).toMatch(/no entry for lab "consolidate" \(it has: jail\)/);
  });
  test('an unknown --format', () => {
    const run = grade('--format', 'blackboard', '--csv', '-');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Allowed choices are csv, canvas, moodle/);
  });
});
