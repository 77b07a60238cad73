/** Shared setup for the grader's tests: the fixture lab and its adversarial submissions. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { GradeResult, SubmissionFiles, TestResult } from '../../grader/core/types.ts';
import { labManifestSchema } from '../../grader/core/lab-format.ts';
import { loadLab, type LoadedLab } from '../../grader/node/lab-loader.ts';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const FIXTURE_LABS = join(REPO, 'grader/fixtures/labs');
export const FIXTURE_LAB_DIR = join(FIXTURE_LABS, 'pack-vms');
export const ADVERSARIAL = join(REPO, 'grader/fixtures/adversarial');
/** The instructor's CLI, as `npm run virtlab` starts it. */
export const VIRTLAB_BIN = join(REPO, 'grader/cli/bin.mjs');

/** Runs the CLI with `args` from the repository root and returns its exit code and output. */
export function virtlab(args: readonly string[], options: { timeoutMs?: number } = {}) {
  const run = spawnSync(process.execPath, [VIRTLAB_BIN, ...args], { cwd: REPO, encoding: 'utf8', timeout: options.timeoutMs ?? 240_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Sandboxes the tests run at once (the machine is shared; override with VIRTLAB_TEST_CONCURRENCY). */
/** The current version of a course lab (submissions made for it must name it, or they are stale). */
export function labVersion(labId: string): number {
  return labManifestSchema.parse(JSON.parse(readFileSync(join(REPO, 'labs', labId, 'lab.json'), 'utf8'))).version;
}

export const TEST_CONCURRENCY = Number(process.env['VIRTLAB_TEST_CONCURRENCY'] ?? 2);

/** Time a suite's setup may take (bundling, starting sandboxes, grading a batch) on a busy machine. */
export const SETUP_TIMEOUT_MS = 300_000;

export function fixtureLab(): Promise<LoadedLab> {
  return loadLab(FIXTURE_LAB_DIR);
}

/** An adversarial `.ts` fixture as the files of a submission. */
export function adversarial(name: string, replacements: Record<string, string> = {}): SubmissionFiles {
  let source = readFileSync(join(ADVERSARIAL, `${name}.ts`), 'utf8');
  for (const [from, to] of Object.entries(replacements)) source = source.split(from).join(to);
  return { 'solution.ts': source };
}

/** An adversarial submission JSON fixture's files. */
export function adversarialJson(name: string): SubmissionFiles {
  return (JSON.parse(readFileSync(join(ADVERSARIAL, `${name}.json`), 'utf8')) as { files: SubmissionFiles }).files;
}

/** The test with this full name. */
export function testNamed(result: GradeResult, fullName: string): TestResult {
  const found = result.tests.find((t) => t.fullName === fullName);
  if (found === undefined) throw new Error(`no test "${fullName}" in ${result.tests.map((t) => t.fullName).join(', ')}`);
  return found;
}

/** Everything learner code printed, anywhere in a result (load and every test). */
export function allOutput(result: GradeResult): string {
  return [result.loadOutput, ...result.tests.map((t) => t.output)].join('\n');
}

export const EMPTY_TEST = 'placeVms › needs no host for no VMs';

/**
 * A one-file lab held in memory, for exercising the test API: `publicSource` is the whole of
 * tests/public.ts (imports included), `solution` the starter's solution.ts, graded as submitted.
 */
export function inMemoryLab(publicSource: string, points: number, solution: string, timeMs = 3000): LoadedLab {
  const manifest = labManifestSchema.parse({
    id: 'mini',
    title: 'Mini',
    version: 1,
    summary: '',
    minutes: 1,
    lessons: [],
    files: [{ path: 'solution.ts', editable: true }],
    points: { public: points, hidden: 0 },
    limits: { timeMs, memoryMb: 32, outputBytes: 4096 },
    showHiddenOutputToStudents: false,
  });
  return { dir: '/nowhere', manifest, starter: { 'solution.ts': solution }, tests: { 'public.ts': publicSource, 'hidden.ts': '' }, solution: {}, mutants: {} };
}
