/**
 * The PrairieLearn target: package the fixture lab as a question, lay its tests/ out as
 * PrairieLearn mounts it (/grade/tests, /grade/student) in a temporary root, run the entrypoint
 * and read /grade/results/results.json.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_LABS, FIXTURE_LAB_DIR, SETUP_TIMEOUT_MS, virtlab } from './helpers.ts';

/** Packages the fixture lab as a PrairieLearn question into `question`. */
const packageQuestion = () => virtlab(['package', '--lab', 'pack-vms', '--labs-dir', FIXTURE_LABS, '--target', 'prairielearn', '--out', question]);

interface PrairieLearnResults {
  gradable: boolean;
  score: number;
  message: string;
  tests: { name: string; points: number; max_points: number; message: string; output: string; description: string }[];
}

let work: string;
let question: string;
let root: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'virtlab-prairielearn-'));
  question = join(work, 'question');
  const run = packageQuestion();
  expect(run.code, run.stderr).toBe(0);
  root = join(work, 'grade');
  cpSync(join(question, 'tests'), join(root, 'tests'), { recursive: true });
}, SETUP_TIMEOUT_MS);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function grade(files: Record<string, string>): PrairieLearnResults {
  rmSync(join(root, 'student'), { recursive: true, force: true });
  rmSync(join(root, 'results'), { recursive: true, force: true });
  mkdirSync(join(root, 'student'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'student', name), text);
  const run = spawnSync('bash', [join(root, 'tests', 'run.sh')], { encoding: 'utf8', env: { ...process.env, VIRTLAB_GRADE_ROOT: root, VIRTLAB_NODE: process.execPath }, timeout: 120_000 });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')) as PrairieLearnResults;
}

describe('PrairieLearn question', () => {
  test('info.json asks for external grading in Node at the packaged addon\'s version, with an upload for the editable file', () => {
    const info = JSON.parse(readFileSync(join(question, 'info.json'), 'utf8'));
    expect(info).toMatchObject({ type: 'v3', gradingMethod: 'External', externalGradingOptions: { enabled: true, image: `node:${process.version.slice(1)}-bookworm-slim`, entrypoint: '/grade/tests/run.sh' } });
    expect(info.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(readFileSync(join(question, 'question.html'), 'utf8')).toContain('<pl-file-upload file-names="solution.ts">');
    expect(existsSync(join(question, 'tests/virtlab/labs/pack-vms/tests/hidden.ts'))).toBe(true);
    expect(existsSync(join(question, 'tests/virtlab/labs/pack-vms/solution'))).toBe(false);
  });

  test('packaging again into the same folder keeps the question uuid', () => {
    const before = JSON.parse(readFileSync(join(question, 'info.json'), 'utf8')).uuid;
    packageQuestion();
    expect(JSON.parse(readFileSync(join(question, 'info.json'), 'utf8')).uuid).toBe(before);
  }, SETUP_TIMEOUT_MS);

  test('a mutant gets a fraction of full marks, tests with points, hidden details withheld', () => {
    const results = grade({ 'solution.ts': readFileSync(join(FIXTURE_LAB_DIR, 'mutants/first-fit/solution.ts'), 'utf8') });
    expect(results.gradable).toBe(true);
    expect(results.score).toBeCloseTo(0.8, 10);
    expect(results.tests).toHaveLength(7);
    expect(results.tests.reduce((sum, t) => sum + t.points, 0)).toBe(8);
    expect(results.tests[0]).toMatchObject({ name: 'placeVms › places every VM exactly once without overcommitting a host', points: 2, max_points: 2, message: '', description: 'public test' });
    const failed = results.tests.find((t) => t.points < t.max_points);
    expect(failed).toMatchObject({ name: 'random fleets › uses no more hosts than first-fit decreasing', description: 'hidden test', message: expect.stringContaining('not shown') });
    expect(JSON.stringify(results)).not.toMatch(/expected \d+ to be less than or equal/);
  });

  test('the reference solution scores 1; an empty upload is not gradable and says what to upload', () => {
    expect(grade({ 'solution.ts': readFileSync(join(FIXTURE_LAB_DIR, 'solution/solution.ts'), 'utf8') }).score).toBe(1);
    const empty = grade({});
    expect(empty).toMatchObject({ gradable: false, score: 0, tests: [] });
    expect(empty.message).toMatch(/Found no submission\. Upload .*solution\.ts/);
  });
});
