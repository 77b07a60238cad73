/**
 * What one test leaves behind must not decide another's verdict: a timed-out async test's code
 * that runs later, or a failing afterEach hook hiding the test's own failure.
 */
import { describe, expect, test } from 'vitest';
import { Grader } from '../../grader/node/grader.ts';
import type { LoadedLab } from '../../grader/node/lab-loader.ts';
import { inMemoryLab } from './helpers.ts';

function labWithTests(publicTests: string, points: number, solution: string): LoadedLab {
  const header = `import { test, expect, afterEach, attach } from '@virtlab/test';\nimport * as learner from '../starter/solution.ts';\n`;
  return inMemoryLab(header + publicTests, points, solution, 5000);
}

async function grade(lab: LoadedLab, isolation: 'in-process' | 'sandbox') {
  const grader = await Grader.open(lab, { isolation, typecheck: false, concurrency: 1 });
  try {
    return await grader.grade(lab.starter);
  } finally {
    await grader.close();
  }
}

describe.each(['in-process', 'sandbox'] as const)('between tests, %s', (isolation) => {
  test('a timed-out async test cannot count assertions or attach data for the next test', async () => {
    // The learner keeps test A's promise pending, then settles it while test B runs.
    const solution = `let release: () => void = () => {};
      export function waitForever(): Promise<void> { return new Promise((resolve) => { release = resolve; }); }
      export function releaseEarlierTest(): void { release(); }`;
    const lab = labWithTests(
      `test('A waits', { timeoutMs: 300 }, async () => { await learner.waitForever(); expect(1).toBe(1); attach('from-A', 1); });
       test('B asserts nothing itself', async () => { expect.hasAssertions(); learner.releaseEarlierTest(); await Promise.resolve(); await Promise.resolve(); });`,
      2,
      solution,
    );
    const result = await grade(lab, isolation);
    expect(result.tests.map((t) => [t.name, t.verdict])).toEqual([
      ['A waits', 'timeout'],
      ['B asserts nothing itself', 'failed'],
    ]);
    expect(result.tests[1]!.attachments).toBeUndefined();
  });

  test("a failing afterEach does not hide the test's own failure", async () => {
    const lab = labWithTests(
      `afterEach(() => { throw new TypeError('cleanup hook broke'); });
       test('wrong answer', () => { expect(learner.answer()).toBe(42); });`,
      1,
      'export function answer(): number { return 41; }',
    );
    const [only] = (await grade(lab, isolation)).tests;
    expect(only!.verdict).toBe('failed');
    expect(only!.message).toMatch(/expected 41 to be 42/);
  });
});
