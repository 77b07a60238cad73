/**
 * Every lab, graded by the real sandboxed grader: the reference solution gets full marks, the
 * starter 0, and each of at least eight mutants (plausible wrong solutions) less than full marks.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadLab, type LoadedLab } from '../../grader/node/lab-loader.ts';
import { Grader } from '../../grader/node/grader.ts';
import { labDirs, variantsOf } from './variants.ts';

const root = resolve(import.meta.dirname, '../..');
const dirs = labDirs(resolve(root, 'labs'));

test('the course has its labs', () => {
  expect(dirs.map((dir) => dir.split('/').at(-1))).toEqual(expect.arrayContaining(['consolidate', 'jail', 'trap-and-emulate']));
});

describe.each(dirs)('%s', (dir) => {
  let lab: LoadedLab;
  let grader: Grader;
  beforeAll(async () => {
    lab = await loadLab(dir);
    grader = await Grader.open(lab, { concurrency: 2 });
  }, 120_000);
  afterAll(async () => {
    await grader?.close();
  });

  test('public tests are worth about a third of the points', () => {
    const { public: publicPoints, hidden } = lab.manifest.points;
    const share = publicPoints / (publicPoints + hidden);
    expect(share).toBeGreaterThanOrEqual(0.2);
    expect(share).toBeLessThanOrEqual(0.45);
  });

  test('the reference solution gets full marks and type-checks', { timeout: 300_000 }, async () => {
    const solution = variantsOf(dir, lab.manifest).find((variant) => variant.kind === 'solution')!;
    const result = await grader.grade(solution.files);
    const failures = result.tests.filter((t) => t.verdict !== 'passed').map((t) => `${t.fullName}: ${t.verdict} ${t.message}`);
    expect(failures).toEqual([]);
    expect(result.score).toBe(result.maxScore);
    expect(result.diagnostics.filter((d) => d.kind === 'type' || d.blocking)).toEqual([]);
  });

  test('the starter scores 0, public and hidden, and type-checks', { timeout: 300_000 }, async () => {
    const starter = variantsOf(dir, lab.manifest).find((variant) => variant.kind === 'starter')!;
    const result = await grader.grade(starter.files);
    expect(result.tests.filter((t) => t.score > 0).map((t) => t.fullName)).toEqual([]);
    expect(result.score).toBe(0);
    expect(result.diagnostics.filter((d) => d.kind === 'type' || d.blocking)).toEqual([]);
  });

  test('at least eight mutants, each loading cleanly and each below full marks', { timeout: 600_000 }, async () => {
    const mutants = variantsOf(dir, lab.manifest).filter((variant) => variant.kind === 'mutant');
    expect(mutants.length).toBeGreaterThanOrEqual(8);
    const results = await Promise.all(mutants.map(async (mutant) => ({ mutant, result: await grader.grade(mutant.files) })));
    for (const { mutant, result } of results) {
      expect(result.diagnostics.filter((d) => d.blocking), `${mutant.name} should load and lose points on tests, not fail to load`).toEqual([]);
      expect(result.score, `${mutant.name} must not get full marks`).toBeLessThan(result.maxScore);
    }
  });
});
