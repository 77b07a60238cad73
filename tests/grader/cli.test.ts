/** The `virtlab` command, run as instructors run it (a separate Node process). */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_LABS, FIXTURE_LAB_DIR, SETUP_TIMEOUT_MS, TEST_CONCURRENCY, virtlab as runVirtlab } from './helpers.ts';


const virtlab = (...args: string[]) => runVirtlab(args);

/** A submission of the grade run's copy of the fixture lab, which is at version 2. */
function submission(fields: Record<string, unknown>): string {
  return JSON.stringify({ format: 'virtlab-submission', formatVersion: 1, lab: 'pack-vms', labVersion: 2, createdAt: '2025-05-01T12:00:00Z', ...fields });
}

let work: string;
let labsV2: string;
const solution = readFileSync(join(FIXTURE_LAB_DIR, 'solution/solution.ts'), 'utf8');
const chatty = solution.replace('const sorted =', "console.log(`debug: placing ${vms.length} VMs`);\n  const sorted =");

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'virtlab-cli-'));
  labsV2 = join(work, 'labs');
  cpSync(FIXTURE_LAB_DIR, join(labsV2, 'pack-vms'), { recursive: true });
  const manifestPath = join(labsV2, 'pack-vms', 'lab.json');
  writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('"version": 1', '"version": 2'));
  const subs = join(work, 'submissions');
  mkdirSync(join(subs, 'section-b'), { recursive: true });
  writeFileSync(join(subs, 'alice.ts'), solution);
  cpSync(join(FIXTURE_LAB_DIR, 'mutants/first-fit/solution.ts'), join(subs, 'bob.ts'));
  writeFileSync(join(subs, 'section-b', 'download.json'), submission({ student: 'carol', files: { 'solution.ts': chatty } }));
  writeFileSync(join(subs, 'dave.json'), '{ "format": "virtlab-submission", ');
  writeFileSync(join(subs, 'erin.json'), submission({ lab: 'consolidate', files: {} }));
  writeFileSync(join(subs, 'frank.json'), submission({ labVersion: 1, files: { 'solution.ts': solution } }));
  writeFileSync(join(subs, 'grace.json'), submission({ files: { 'solution.ts': `// ${'x'.repeat(1_100_000)}` } }));
  writeFileSync(join(subs, 'heidi.json'), submission({ labVersion: 3, files: { 'solution.ts': solution } }));
  writeFileSync(join(subs, 'ivan.json'), submission({ format: 'something-else', files: {} }));
  mkdirSync(join(subs, 'judy'));
  writeFileSync(join(subs, 'judy', 'solution.ts'), `${solution}\nexport const typo: number = 'ten';\n`); // a type error costs nothing, but is named
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('virtlab labs', () => {
  test('lists labs with version and points', () => {
    const run = virtlab('labs', '--labs-dir', FIXTURE_LABS);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/pack-vms\s+1\s+4\s+6\s+10\s+Pack VMs/);
  });

  test('a broken lab is listed as broken and exits 3', () => {
    const labs = join(work, 'broken-labs');
    mkdirSync(join(labs, 'bad'), { recursive: true });
    writeFileSync(join(labs, 'bad', 'lab.json'), JSON.stringify({ id: 'bad', title: 'Bad' }));
    const run = virtlab('labs', '--labs-dir', labs);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/bad\s+BROKEN: .*version/);
  });
});

describe('virtlab grade', () => {
  let run: ReturnType<typeof virtlab>;
  const out = (name: string): string => join(work, name);

  beforeAll(() => {
    run = virtlab('grade', '--lab', 'pack-vms', '--labs-dir', labsV2, '--concurrency', String(TEST_CONCURRENCY), '--json', out('all.json'), '--csv', out('grades.csv'), '--reports', out('reports'), '--gradescope', out('gradescope'), join(work, 'submissions'));
  }, SETUP_TIMEOUT_MS);

  test('grades good submissions, gives bad ones error rows and exits 1', () => {
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/alice\s+10\/10\s+—/);
    expect(run.stdout).toMatch(/bob\s+8\/10\s+1: random fleets › uses no more hosts than first-fit decreasing/);
    expect(run.stdout).toMatch(/carol\s+10\/10/);
    expect(run.stdout).toMatch(/dave\s+ERROR\s+Not valid JSON/);
    expect(run.stdout).toMatch(/erin\s+ERROR\s+This submission is for lab "consolidate", not "pack-vms"\. Grade it with --lab consolidate/);
    expect(run.stdout).toMatch(/grace\s+ERROR\s+The file is \d+ bytes, over the \d+-byte limit/);
    expect(run.stdout).toMatch(/frank\s+ERROR\s+Stale submission: made for version 1 of lab "pack-vms", which is now at version 2/);
    expect(run.stdout).toMatch(/heidi\s+ERROR\s+Submission is for version 3 of lab "pack-vms" but this grader has version 2/);
    expect(run.stdout).toMatch(/ivan\s+ERROR\s+Not a virtlab submission: format/);
    expect(run.stdout).toMatch(/judy\s+10\/10\s+\[1 type error, first at (starter\/)?solution\.ts:\d+\] —/);
    expect(run.stdout).toMatch(/alice\s+10\/10\s+—/); // no note without type errors
    expect(run.stdout).toMatch(/Graded 4 of 10 submissions \(6 could not be graded\), out of 10 points:\nmean 9\.5 {2}median 10 {2}min 8 {2}max 10/);
  });

  test('the CSV gradebook has one row per submission', () => {
    const lines = readFileSync(out('grades.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('student,student_id,score,max_score,percent,public_score,hidden_score,status,failed_tests,error,source');
    expect(lines).toHaveLength(11);
    expect(lines.find((l) => l.startsWith('bob,'))).toMatch(/^bob,,8,10,80,4,4,graded,random fleets › uses no more hosts than first-fit decreasing,,/);
    expect(lines.find((l) => l.startsWith('dave,'))).toMatch(/^dave,,,,,,,error,,"?Not valid JSON/);
  });

  test("the instructor's JSON has hidden tests' output; students' reports do not", () => {
    const all = JSON.parse(readFileSync(out('all.json'), 'utf8')) as { rows: { student: string; result?: { tests: { visibility: string; output: string }[] } }[] };
    const carol = all.rows.find((r) => r.student === 'carol');
    expect(carol?.result?.tests.filter((t) => t.visibility === 'hidden').some((t) => t.output.includes('debug: placing 40 VMs'))).toBe(true);
    const report = readFileSync(out('reports/carol.txt'), 'utf8');
    expect(report).toContain('debug: placing 4 VMs');
    expect(report).not.toContain('debug: placing 40 VMs');
    expect(report).toMatch(/Score: 10\/10/);
    expect(readdirSync(out('reports')).sort()).toEqual(['alice.txt', 'bob.txt', 'carol.txt', 'dave.txt', 'erin.txt', 'frank.txt', 'grace.txt', 'heidi.txt', 'ivan.txt', 'judy.txt']);
  });

  test('Gradescope results.json per student', () => {
    const bob = JSON.parse(readFileSync(out('gradescope/bob.json'), 'utf8')) as { score: number; tests: { name: string; score: number; max_score: number; status: string; visibility: string; output: string }[] };
    expect(bob.score).toBe(8);
    const failed = bob.tests.find((t) => t.status === 'failed');
    expect(failed).toMatchObject({ name: 'random fleets › uses no more hosts than first-fit decreasing', score: 0, max_score: 2, visibility: 'after_published', output: expect.stringContaining('not shown') });
    expect(bob.tests.filter((t) => t.visibility === 'visible')).toHaveLength(3);
  });
});

describe('bad usage says what to do', () => {
  test('an unknown lab lists the labs there (exit 2)', () => {
    const run = virtlab('grade', '--lab', 'nope', '--labs-dir', FIXTURE_LABS, FIXTURE_LAB_DIR);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no lab "nope"');
    expect(run.stderr).toContain('Labs there: pack-vms');
  });

  test('a path that does not exist (exit 2)', () => {
    const run = virtlab('grade', '--lab', 'pack-vms', '--labs-dir', FIXTURE_LABS, join(work, 'missing.ts'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing\.ts does not exist/);
  });

  test('a missing --lab (exit 2)', () => {
    const run = virtlab('grade', 'x.ts');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--lab/);
  });

  test('no arguments prints help (exit 2)', () => {
    const run = virtlab();
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/Usage: virtlab/);
  });
});
