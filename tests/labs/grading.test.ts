/**
 * Every lab, graded by the real sandboxed grader: the reference solution and at least two correct
 * alternatives in other styles get full marks, the starter 0, and each of at least eight mutants
 * (plausible wrong solutions, stored as patches against the reference) less than full marks.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadLab, type LoadedLab } from '../../grader/node/lab-loader.ts';
import { Grader } from '../../grader/node/grader.ts';
import type { GradeResult } from '../../grader/core/types.ts';
import { labManifestSchema } from '../../grader/core/lab-format.ts';
import { alternativesOf, folderVariant, labDirs, mutantsOf } from './variants.ts';

const root = resolve(import.meta.dirname, '../..');
const dirs = labDirs(resolve(root, 'labs'));

test('the course has its labs', () => {
  expect(dirs.map((dir) => dir.split('/').at(-1))).toEqual(expect.arrayContaining(['consolidate', 'jail', 'trap-and-emulate', 'popek-goldberg', 'shadow-paging', 'live-migration', 'scheduling']));
});

test('a mutant patch that no longer fits the reference is reported by name, with what to do', () => {
  const real = resolve(root, 'labs/jail');
  const manifest = labManifestSchema.parse(JSON.parse(readFileSync(join(real, 'lab.json'), 'utf8')));
  const lab = mkdtempSync(join(tmpdir(), 'stale-patch-'));
  mkdirSync(join(lab, 'solution'));
  mkdirSync(join(lab, 'mutants'));
  // The reference changed under the patch: one line it changes is no longer there.
  const solution = readFileSync(join(real, 'solution/policy.ts'), 'utf8');
  writeFileSync(join(lab, 'solution/policy.ts'), solution.replace('allowSignal:', 'allowKill:'));
  writeFileSync(join(lab, 'mutants/signals-unchecked.patch'), readFileSync(join(real, 'mutants/signals-unchecked.patch'), 'utf8'));
  writeFileSync(join(lab, 'mutants/no-comment.patch'), readFileSync(join(real, 'mutants/signals-unchecked.patch'), 'utf8').split('\n').slice(1).join('\n'));
  expect(solution).toContain('allowSignal:');
  const { mutants, broken } = mutantsOf(lab, manifest);
  expect(mutants).toEqual([]);
  expect(broken).toEqual([
    { patch: 'mutants/no-comment.patch', problem: expect.stringContaining('first line must be "# "') },
    { patch: 'mutants/signals-unchecked.patch', problem: expect.stringMatching(/policy\.ts no longer match solution\/policy\.ts; regenerate/) },
  ]);
});

describe.each(dirs)('%s', (dir) => {
  let lab: LoadedLab;
  let grader: Grader;
  /**
   * For mutants, which only have to lose points: no type-checking, and grading stops at the first
   * test that does not pass (public tests run first, so most mutants stop there).
   */
  let mutantGrader: Grader;
  beforeAll(async () => {
    lab = await loadLab(dir);
    [grader, mutantGrader] = await Promise.all([
      Grader.open(lab, { concurrency: 2 }),
      Grader.open(lab, { concurrency: 2, typecheck: false, stopAtFirstFailure: true }),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([grader?.close(), mutantGrader?.close()]);
  });

  test('public tests are worth about a third of the points', () => {
    const { public: publicPoints, hidden } = lab.manifest.points;
    const share = publicPoints / (publicPoints + hidden);
    expect(share).toBeGreaterThanOrEqual(0.2);
    expect(share).toBeLessThanOrEqual(0.45);
  });

  /** Every test a submission did not pass, with its verdict and message. */
  const failuresOf = (result: GradeResult) => result.tests.filter((t) => t.verdict !== 'passed').map((t) => `${t.fullName}: ${t.verdict} ${t.message}`);
  const typeProblemsOf = (result: GradeResult) => result.diagnostics.filter((d) => d.kind === 'type' || d.blocking);

  test('the reference solution gets full marks and type-checks', { timeout: 300_000 }, async () => {
    const solution = folderVariant(dir, lab.manifest, 'solution');
    const result = await grader.grade(solution.files);
    expect(failuresOf(result)).toEqual([]);
    expect(result.score).toBe(result.maxScore);
    expect(typeProblemsOf(result)).toEqual([]);
  });

  test('at least two correct alternatives in other styles, each with full marks and no type errors', { timeout: 600_000 }, async () => {
    const alternatives = alternativesOf(dir, lab.manifest);
    expect(alternatives.length, 'alternatives/<name>/ folders').toBeGreaterThanOrEqual(2);
    const results = await Promise.all(alternatives.map(async (alternative) => ({ name: alternative.name, result: await grader.grade(alternative.files) })));
    const verdicts = results.map(({ name, result }) => ({ name, score: `${result.score} / ${result.maxScore}`, failures: failuresOf(result), typeProblems: typeProblemsOf(result).map((d) => d.message) }));
    const fullMarks = results.map(({ name, result }) => ({ name, score: `${result.maxScore} / ${result.maxScore}`, failures: [], typeProblems: [] }));
    expect(verdicts).toEqual(fullMarks);
  });

  test('the starter scores 0, public and hidden, and type-checks', { timeout: 300_000 }, async () => {
    const starter = folderVariant(dir, lab.manifest, 'starter');
    const result = await grader.grade(starter.files);
    expect(result.tests.filter((t) => t.score > 0).map((t) => t.fullName)).toEqual([]);
    expect(result.score).toBe(0);
    expect(typeProblemsOf(result)).toEqual([]);
  });

  test('every mutant patch applies to the reference solution', () => {
    expect(mutantsOf(dir, lab.manifest).broken).toEqual([]);
  });

  test('at least eight mutants, each loading cleanly and each below full marks', { timeout: 1_800_000 }, async () => {
    const { mutants } = mutantsOf(dir, lab.manifest);
    expect(mutants.length).toBeGreaterThanOrEqual(8);
    const results = await Promise.all(mutants.map(async (mutant) => ({ mutant, result: await mutantGrader.grade(mutant.files) })));
    for (const { mutant, result } of results) {
      expect(result.diagnostics.filter((d) => d.blocking), `${mutant.name} (${mutant.mistake}) should load and lose points on tests, not fail to load`).toEqual([]);
      expect(result.score, `${mutant.name} (${mutant.mistake}) must not get full marks`).toBeLessThan(result.maxScore);
    }
  });
});
