/**
 * Failure messages state the facts: values in full (up to an overall cap that says how much was
 * left out), class names as written, and the learner's files by the names the learner knows
 * (`solution.ts`, not the registry's `starter/solution.ts`), the same in Node and the browser.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runPublicTests } from '../../grader/browser/run-public-tests.ts';
import type { GradeResult, SubmissionFiles } from '../../grader/core/types.ts';
import { Grader } from '../../grader/node/grader.ts';
import type { LoadedLab } from '../../grader/node/lab-loader.ts';
import { nodeWorkerFactory } from './browser-worker.ts';
import { inMemoryLab, testNamed } from './helpers.ts';

const publicTests = `import { SimError } from '@virtlab/sim';
import { describe, expect, test } from '@virtlab/test';
import { names, fail, oops } from '../starter/solution.ts';

describe('messages', () => {
  test('a long array', () => { expect(names(13)).toEqual([]); });
  test('a huge array', () => { expect(names(5000)).toEqual([]); });
  test('a class', () => { expect(fail()).toBeInstanceOf(SimError); });
  test('a throw in the learner file', () => { oops(); });
});
`;
const solution = `import { SimError } from '@virtlab/sim';
export function names(count: number): string[] {
  return Array.from({ length: count }, (_, i) => 'srv-' + i);
}
export function fail(): unknown {
  return new TypeError('not a SimError');
}
export function oops(): void {
  console.log(new Error('logged with its stack').stack);
  throw new RangeError('thrown on line 10');
}
`;

let lab: LoadedLab;
let grader: Grader;
let workers: Awaited<ReturnType<typeof nodeWorkerFactory>>;
let results: { where: string; result: GradeResult }[];

beforeAll(async () => {
  lab = inMemoryLab(publicTests, 4, solution);
  grader = await Grader.open(lab, { concurrency: 1 });
  workers = await nodeWorkerFactory(64);
  const files: SubmissionFiles = { 'solution.ts': solution };
  const [node, browser] = await Promise.all([grader.grade(files), runPublicTests(lab, files, { createWorker: workers.create })]);
  results = [
    { where: 'node', result: node },
    { where: 'browser', result: browser },
  ];
}, 120_000);

afterAll(async () => {
  await grader.close();
  await workers.dispose();
});

describe.each(['node', 'browser'])('in %s', (where) => {
  const result = (): GradeResult => results.find((r) => r.where === where)?.result as GradeResult;

  test('arrays are shown with their values, not as [ …(13) ]', () => {
    const message = testNamed(result(), 'messages › a long array').message;
    expect(message).not.toMatch(/…\(\d+\)|Array\(\d+\)/);
    expect(message).toContain("'srv-0', 'srv-1', 'srv-2'");
    expect(message).toContain("'srv-12' ] to deeply equal []");
  });

  test('a huge value is cut at an overall cap that says how much more there was', () => {
    const message = testNamed(result(), 'messages › a huge array').message;
    expect(message.length).toBeLessThan(5000);
    expect(message).toMatch(/'srv-0', 'srv-1'/);
    expect(message).toMatch(/… \(\d+ more characters not shown\)$/);
  });

  test('class names are kept (SimError, not a minified name)', () => {
    expect(testNamed(result(), 'messages › a class').message).toBe('AssertionError: expected TypeError: not a SimError to be an instance of SimError');
  });

  test("the learner's file is named as the learner knows it, in locations, stack lines and output", () => {
    const thrown = testNamed(result(), 'messages › a throw in the learner file');
    expect(thrown.location).toBe('solution.ts:10');
    expect(thrown.output).toMatch(/^Error: logged with its stack\n\s+at .*\(solution\.ts:9:\d+\)/);
    expect(JSON.stringify(result())).not.toContain('starter/');
  });
});

test('the two agree on every message and location', () => {
  const [node, browser] = results.map(({ result }) => result.tests.map((t) => ({ verdict: t.verdict, message: t.message, location: t.location })));
  expect(browser).toEqual(node);
});
