/**
 * The harness end to end, in-process (node:vm, the same bundle the sandbox runs): the fixture
 * lab's reference, starter and mutants, and the test API's features on small in-memory labs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Grader, GraderError } from '../../grader/node/grader.ts';
import type { LoadedLab } from '../../grader/node/lab-loader.ts';
import { SETUP_TIMEOUT_MS, fixtureLab, inMemoryLab, testNamed } from './helpers.ts';

describe('the fixture lab', () => {
  let lab: LoadedLab;
  let grader: Grader;
  beforeAll(async () => {
    lab = await fixtureLab();
    grader = await Grader.open(lab, { isolation: 'in-process', typecheck: false });
  }, SETUP_TIMEOUT_MS);
  afterAll(() => grader.close());

  test('the reference solution scores full marks', async () => {
    const result = await grader.grade(lab.solution);
    expect(result.score).toBe(result.maxScore);
    expect(result.maxScore).toBe(lab.manifest.points.public + lab.manifest.points.hidden);
  });

  test('the starter scores 0', async () => {
    expect((await grader.grade(lab.starter)).score).toBe(0);
  });

  test('every mutant loses points on the hidden tests', async () => {
    expect(Object.keys(lab.mutants).length).toBeGreaterThanOrEqual(3);
    for (const [name, files] of Object.entries(lab.mutants)) {
      const result = await grader.grade(files);
      expect({ name, lost: result.hiddenScore < result.hiddenMax }).toEqual({ name, lost: true });
    }
  });

  test('failures carry the matcher message and the test file line', async () => {
    const result = await grader.grade(lab.mutants['first-fit'] ?? {});
    const failed = testNamed(result, 'random fleets › uses no more hosts than first-fit decreasing');
    expect(failed.verdict).toBe('failed');
    expect(failed.message).toMatch(/expected \d+ to be less than or equal to \d+/);
    expect(failed.location).toMatch(/^tests\/hidden\.ts:\d+$/);
  });

  test('read-only and unknown files in a submission are ignored with a note', async () => {
    const result = await grader.grade({ ...lab.solution, 'fleet.ts': 'export const hacked = true;', 'notes.ts': '' });
    expect(result.score).toBe(result.maxScore);
    expect(result.diagnostics.map((d) => d.message).join('\n')).toMatch(/fleet\.ts is read-only[\s\S]*notes\.ts is not a file of this lab/);
  });
});

/** A one-file lab with the given tests, for exercising the test API. */
function miniLab(publicTests: string, points: number, solution = 'export function double(n: number): number { return n * 2; }'): LoadedLab {
  const header = `import { describe, test, it, expect, beforeEach, afterEach, plain } from '@virtlab/test';\nimport { double } from '../starter/solution.ts';\n`;
  return inMemoryLab(header + publicTests, points, solution);
}

async function gradeMini(publicTests: string, points: number, solution?: string) {
  const lab = miniLab(publicTests, points, solution);
  const grader = await Grader.open(lab, { isolation: 'in-process', typecheck: false });
  try {
    return await grader.grade(lab.starter);
  } finally {
    await grader.close();
  }
}

describe('the test API', () => {
  test('points, describe nesting, it, and async tests', async () => {
    const result = await gradeMini(
      `describe('outer', () => { describe('inner', () => { test('a', { points: 3 }, () => expect(double(2)).toBe(4)); }); });
       it('b', async () => { await Promise.resolve(); expect(double(1)).toEqual(2); });
       test('c', { points: 2 }, () => { expect(double(1)).toBe(3); });`,
      6,
    );
    expect(result.tests.map((t) => [t.fullName, t.points, t.verdict])).toEqual([
      ['outer › inner › a', 3, 'passed'],
      ['b', 1, 'passed'],
      ['c', 2, 'failed'],
    ]);
    expect(result.score).toBe(4);
  });

  test('beforeEach and afterEach run around each test, and a failing afterEach fails the test', async () => {
    const result = await gradeMini(
      `const log: string[] = [];
       beforeEach(() => { log.push('before'); });
       afterEach(() => { log.push('after'); if (log.length > 4) throw new Error('cleanup failed'); });
       test('first', () => expect(log).toEqual(['before']));
       test('second', () => expect(log).toEqual(['before', 'after', 'before']));
       test('third', () => undefined);`,
      3,
    );
    expect(result.tests.map((t) => t.verdict)).toEqual(['passed', 'passed', 'error']);
    expect(testNamed(result, 'third').message).toMatch(/cleanup failed/);
  });

  test('expect.assertions and expect.extend work', async () => {
    const result = await gradeMini(
      `expect.extend({ toBeEven(received: number) { return { pass: received % 2 === 0, message: () => 'expected ' + received + ' to be even' }; } });
       test('custom matcher', () => { (expect(double(3)) as unknown as { toBeEven(): void }).toBeEven(); });
       test('counted', () => { expect.assertions(2); expect(double(1)).toBe(2); });
       test('matchers from @vitest/expect', () => { expect({ a: [1, { b: 2 }] }).toMatchObject({ a: [1, { b: expect.any(Number) }] }); expect(() => double(Number.NaN)).not.toThrow(); expect([3, 1]).toContain(1); expect(0.1 + 0.2).toBeCloseTo(0.3); });`,
      3,
    );
    expect(result.tests.map((t) => t.verdict)).toEqual(['passed', 'failed', 'passed']);
    expect(testNamed(result, 'counted').message).toBe('expected 2 assertions to run, but 1 ran');
  });

  test('console output is captured per test', async () => {
    const result = await gradeMini(`test('talks', () => { console.log('value', { n: double(2) }); console.error('oops'); });`, 1);
    expect(result.tests[0]?.output).toBe("value { n: 4 }\n[error] oops\n");
  });

  test('plain() copies learner data so getters cannot change their answer', async () => {
    const result = await gradeMini(
      `test('copy is stable', () => { let n = 0; const tricky = { get v() { n += 1; return n; } }; const copy = plain(tricky); expect(copy.v).toBe(copy.v); });`,
      1,
    );
    expect(result.tests[0]?.verdict).toBe('passed');
  });

  test('tests whose points do not match lab.json are a lab error, not a student error', async () => {
    await expect(gradeMini(`test('only', { points: 2 }, () => undefined);`, 5)).rejects.toThrow(GraderError);
    await expect(gradeMini(`test('only', { points: 2 }, () => undefined);`, 5)).rejects.toThrow(/add up to 2 points but lab\.json says points\.public is 5/);
  });

  test('calling learner code while tests are collected is reported as a lab error', async () => {
    await expect(gradeMini(`const two = double(1);\ntest('uses it', () => expect(two).toBe(2));`, 1)).rejects.toThrow(/while tests were being collected/);
  });

  test('duplicate test names are a lab error', async () => {
    await expect(gradeMini(`test('same', () => undefined);\ntest('same', () => undefined);`, 2)).rejects.toThrow(/Two tests are named "same"/);
  });
});
