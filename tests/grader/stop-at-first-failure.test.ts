/**
 * `stopAtFirstFailure`: grading stops at the first test that does not pass, and every later test
 * is `not-run`; a submission that passes everything is graded in full, as without the option.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Grader } from '../../grader/node/grader.ts';
import type { LoadedLab } from '../../grader/node/lab-loader.ts';
import { SETUP_TIMEOUT_MS, fixtureLab } from './helpers.ts';

let lab: LoadedLab;
let grader: Grader;

beforeAll(async () => {
  lab = await fixtureLab();
  grader = await Grader.open(lab, { concurrency: 2, typecheck: false, stopAtFirstFailure: true });
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await grader.close();
});

test('a wrong submission: the tests after its first failure are not run', async () => {
  const result = await grader.grade(lab.mutants['accepts-oversized']!);
  const verdicts = result.tests.map((t) => t.verdict);
  const first = verdicts.findIndex((v) => v !== 'passed');
  expect(first, verdicts.join(', ')).toBeGreaterThanOrEqual(0);
  expect(first, 'the failure is not the last test, so something is left to skip').toBeLessThan(verdicts.length - 1);
  expect(verdicts.slice(first + 1)).toEqual(verdicts.slice(first + 1).map(() => 'not-run'));
  expect(result.tests[first + 1]?.message).toBe('Not run: grading stopped at the first test that did not pass');
  expect(result.score).toBeLessThan(result.maxScore);
});

test('a correct submission is graded in full', async () => {
  const result = await grader.grade(lab.solution);
  expect(result.tests.map((t) => t.verdict)).toEqual(result.tests.map(() => 'passed'));
  expect(result.score).toBe(result.maxScore);
});
