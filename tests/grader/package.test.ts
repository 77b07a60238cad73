/**
 * Packaging: unpack the Gradescope zip and run `run_autograder` against a temporary root; write
 * the GitHub Classroom files into a fake student repository and run the workflow's grading
 * command there, as GitHub Actions would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURE_LABS, FIXTURE_LAB_DIR, REPO, SETUP_TIMEOUT_MS } from './helpers.ts';

const BIN = join(REPO, 'grader/cli/bin.mjs');
let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'virtlab-package-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function virtlab(...args: string[]): string {
  return execFileSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: 'utf8' });
}

interface GradescopeResults {
  score: number;
  output: string;
  tests: { name: string; score: number; max_score: number; status: string; output: string; visibility: string }[];
}

describe('Gradescope autograder zip', () => {
  let root: string;
  let entries: Record<string, Uint8Array>;

  beforeAll(() => {
    const zip = join(work, 'pack-vms.zip');
    virtlab('package', '--lab', 'pack-vms', '--labs-dir', FIXTURE_LABS, '--target', 'gradescope', '--out', zip);
    entries = unzipSync(readFileSync(zip));
    root = join(work, 'autograder');
    for (const [path, data] of Object.entries(entries)) {
      const target = join(root, 'source', path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, data);
    }
    chmodSync(join(root, 'source', 'run_autograder'), 0o755);
  }, SETUP_TIMEOUT_MS);

  function runAutograder(submission: Record<string, string>): GradescopeResults {
    rmSync(join(root, 'submission'), { recursive: true, force: true });
    rmSync(join(root, 'results'), { recursive: true, force: true });
    mkdirSync(join(root, 'submission'), { recursive: true });
    for (const [name, text] of Object.entries(submission)) writeFileSync(join(root, 'submission', name), text);
    const run = spawnSync('bash', [join(root, 'source', 'run_autograder')], { encoding: 'utf8', env: { ...process.env, VIRTLAB_AUTOGRADER_ROOT: root, VIRTLAB_NODE: process.execPath }, timeout: 120_000 });
    expect(run.status).toBe(0);
    return JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')) as GradescopeResults;
  }

  test('has setup.sh, run_autograder, the hidden tests and the solution', () => {
    expect(Object.keys(entries)).toEqual(expect.arrayContaining(['setup.sh', 'run_autograder', 'virtlab/labs/pack-vms/tests/hidden.ts', 'virtlab/labs/pack-vms/solution/solution.ts', 'virtlab/isolated-vm.node']));
    expect(new TextDecoder().decode(entries['setup.sh'])).toContain(`NODE_VERSION="${process.version}"`);
  });

  test('grades an uploaded .ts file into results.json in Gradescope format', () => {
    const results = runAutograder({ 'solution.ts': readFileSync(join(FIXTURE_LAB_DIR, 'mutants/first-fit/solution.ts'), 'utf8') });
    expect(results.score).toBe(8);
    expect(results.tests).toHaveLength(7);
    expect(results.tests[0]).toEqual({ name: 'placeVms › places every VM exactly once without overcommitting a host', score: 2, max_score: 2, status: 'passed', output: '', visibility: 'visible' });
    const failed = results.tests.find((t) => t.status === 'failed');
    expect(failed).toMatchObject({ name: 'random fleets › uses no more hosts than first-fit decreasing', visibility: 'after_published', output: expect.stringContaining('not shown') });
    expect(JSON.stringify(results)).not.toMatch(/expected \d+ to be less than or equal/);
  });

  test('grades an uploaded submission JSON', () => {
    const solution = readFileSync(join(FIXTURE_LAB_DIR, 'solution/solution.ts'), 'utf8');
    const submission = { format: 'virtlab-submission', formatVersion: 1, lab: 'pack-vms', labVersion: 1, files: { 'solution.ts': solution }, createdAt: '2025-05-01T12:00:00Z' };
    expect(runAutograder({ 'submission.json': JSON.stringify(submission) }).score).toBe(10);
  });

  test('an unusable upload still gets a results.json that says what to upload', () => {
    const results = runAutograder({ 'notes.txt': 'hello' });
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/Found no submission\. Upload the JSON file/);
  });
});

describe('GitHub Classroom workflow', () => {
  let repo: string;

  beforeAll(() => {
    repo = join(work, 'student-repo');
    virtlab('package', '--lab', 'pack-vms', '--labs-dir', FIXTURE_LABS, '--target', 'github-classroom', '--out', repo);
    // The student's pushed repository: the template (starter files) with their solution.
    cpSync(join(FIXTURE_LAB_DIR, 'starter'), repo, { recursive: true });
    cpSync(join(FIXTURE_LAB_DIR, 'mutants/ignores-capacity/solution.ts'), join(repo, 'solution.ts'));
  }, SETUP_TIMEOUT_MS);

  test('ships only the public tests and no solution', () => {
    const lab = join(repo, '.virtlab/autograder/virtlab/labs/pack-vms');
    expect(existsSync(join(lab, 'tests/public.ts'))).toBe(true);
    expect(existsSync(join(lab, 'tests/hidden.ts'))).toBe(false);
    expect(existsSync(join(lab, 'solution'))).toBe(false);
  });

  test("the workflow's grading command grades the repository and feeds the classroom reporter", () => {
    const workflow = readFileSync(join(repo, '.github/workflows/classroom.yml'), 'utf8');
    const command = /- name: virtlab tests\n\s+id: virtlab\n\s+run: (.+)\n/.exec(workflow)?.[1];
    expect(command).toBeDefined();
    expect(workflow).toContain('VIRTLAB_RESULTS: "${{ steps.virtlab.outputs.result }}"');
    const runnerTemp = join(work, 'runner-temp');
    mkdirSync(runnerTemp, { recursive: true });
    const env = {
      ...process.env,
      PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
      RUNNER_TEMP: runnerTemp,
      GITHUB_OUTPUT: join(runnerTemp, 'output'),
      GITHUB_STEP_SUMMARY: join(runnerTemp, 'summary.md'),
    };
    const run = spawnSync('bash', ['-e', '-c', command ?? 'false'], { cwd: repo, env, encoding: 'utf8', timeout: 120_000 });
    expect(run.status).toBe(0);
    const output = readFileSync(env.GITHUB_OUTPUT, 'utf8');
    const encoded = /^result=(.+)$/m.exec(output)?.[1] ?? '';
    const payload = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as { version: number; status: string; max_score: number; tests: { name: string; status: string; score: number }[] };
    expect(payload).toMatchObject({ version: 1, status: 'fail', max_score: 4 });
    expect(payload.tests.map((t) => [t.name, t.status, t.score])).toEqual([
      ['placeVms › places every VM exactly once without overcommitting a host', 'fail', 0],
      ['placeVms › puts two VMs that fit together on one host', 'pass', 1],
      ['placeVms › needs no host for no VMs', 'pass', 1],
    ]);
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toContain('Score: 2/4');
  });
});
