/**
 * The browser runner and the Node grader agree: same public verdicts, same public score, for
 * the reference, the starter, every mutant and the resource-exhaustion fixtures. The browser
 * side runs the real worker entry in a worker thread (see browser-worker.ts).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runPublicTests } from '../../grader/browser/run-public-tests.ts';
import type { SubmissionFiles } from '../../grader/core/types.ts';
import { join } from 'node:path';
import { isPublicTestFile } from '../../grader/core/lab-format.ts';
import { Grader } from '../../grader/node/grader.ts';
import { loadLab, type LoadedLab } from '../../grader/node/lab-loader.ts';
import { nodeWorkerFactory } from './browser-worker.ts';
import { attacked, comparableVerdict, LAB_ATTACKS } from './lab-attacks.ts';
import { EMPTY_TEST, REPO, SETUP_TIMEOUT_MS, TEST_CONCURRENCY, adversarial, fixtureLab, testNamed } from './helpers.ts';

let lab: LoadedLab;
let grader: Grader;
let workers: Awaited<ReturnType<typeof nodeWorkerFactory>>;

beforeAll(async () => {
  lab = await fixtureLab();
  grader = await Grader.open(lab, { concurrency: TEST_CONCURRENCY, typecheck: false });
  workers = await nodeWorkerFactory(lab.manifest.limits.memoryMb);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await grader.close();
  await workers.dispose();
});

/** The browser's view of the lab: no hidden tests, no solution. */
function browserLab(): LoadedLab {
  const { ['hidden.ts']: _hidden, ...shipped } = lab.tests;
  return { ...lab, tests: shipped, solution: {}, mutants: {} };
}

async function both(files: SubmissionFiles) {
  const [node, browser] = await Promise.all([grader.grade(files), runPublicTests(browserLab(), files, { createWorker: workers.create })]);
  return { node, browser };
}

const verdicts = (tests: readonly { visibility: string; fullName: string; verdict: string }[]) =>
  tests.filter((t) => t.visibility === 'public').map((t) => `${t.fullName}: ${t.verdict}`);

describe('same public verdicts and score in the browser and in Node', () => {
  const submissions = (): [string, SubmissionFiles][] => [
    ['reference', lab.solution],
    ['starter', lab.starter],
    ...Object.entries(lab.mutants),
    ['infinite-loop', adversarial('infinite-loop')],
    ['console-flood', adversarial('console-flood')],
    ['deep-recursion', adversarial('deep-recursion')],
    ['top-level-allocation', adversarial('top-level-allocation')],
  ];

  test('for the reference, the starter, every mutant and hostile fixtures', async () => {
    for (const [name, files] of submissions()) {
      const { node, browser } = await both(files);
      expect({ name, verdicts: verdicts(browser.tests), score: browser.publicScore }).toEqual({ name, verdicts: verdicts(node.tests), score: node.publicScore });
      expect(browser.publicMax).toBe(lab.manifest.points.public);
      expect(browser.tests.some((t) => t.visibility === 'hidden')).toBe(false);
    }
  });

  test('an endless loop in the browser ends as a timeout and the remaining tests still run', async () => {
    const result = await runPublicTests(browserLab(), adversarial('infinite-loop'), { createWorker: workers.create });
    expect(testNamed(result, EMPTY_TEST).verdict).toBe('timeout');
    expect(result.publicScore).toBe(lab.manifest.points.public - 1);
  });

  test('a browser run never sees the hidden tests', async () => {
    const result = await runPublicTests(browserLab(), lab.solution, { createWorker: workers.create });
    expect(result.tests.map((t) => t.file)).toEqual(result.tests.map(() => 'tests/public.ts'));
    expect(result.hiddenMax).toBe(0);
  });
});

/** The public-tests view of a lab, as the site ships it (no hidden tests, no solution). */
function shipped(real: LoadedLab): LoadedLab {
  return { ...real, tests: Object.fromEntries(Object.entries(real.tests).filter(([name]) => isPublicTestFile(name))), solution: {}, mutants: {} };
}

/**
 * A lab with its time budget per test file cut to `budgetMs`. An attack that never ends costs every
 * test its time limit; the verdicts compared do not depend on how long the budget is, and a short
 * one still lets the attack reach two tests' limits before the rest are not run.
 */
function withBudget(real: LoadedLab, budgetMs: number): LoadedLab {
  return { ...real, manifest: { ...real.manifest, limits: { ...real.manifest.limits, timeMs: budgetMs } } };
}

describe.each(LAB_ATTACKS)('real lab $lab: attacks get the same verdict per test in the browser and in Node', ({ lab: id, file, fn, attacks }) => {
  let real: LoadedLab;
  let realGrader: Grader;
  let realWorkers: Awaited<ReturnType<typeof nodeWorkerFactory>>;
  beforeAll(async () => {
    real = withBudget(await loadLab(join(REPO, 'labs', id)), 6000);
    realGrader = await Grader.open(real, { concurrency: TEST_CONCURRENCY, typecheck: false });
    realWorkers = await nodeWorkerFactory(real.manifest.limits.memoryMb);
  }, 120_000);
  afterAll(async () => {
    await realGrader?.close();
    await realWorkers?.dispose();
  });

  test.each(attacks)('$name', { timeout: 600_000 }, async ({ name, limits }) => {
    const files = attacked(real.solution, { file, fn }, name);
    const [node, browser] = await Promise.all([realGrader.grade(files), runPublicTests(shipped(real), files, { createWorker: realWorkers.create })]);
    const comparable = (tests: typeof node.tests) => tests.filter((t) => t.visibility === 'public').map((t) => `${t.fullName}: ${comparableVerdict(t.verdict, limits)}`);
    expect(comparable(browser.tests)).toEqual(comparable(node.tests));
    expect(browser.publicScore).toBe(node.publicScore);
    // The attack costs the tests it hits; no test passes with it.
    expect(node.tests.filter((t) => t.visibility === 'public').some((t) => t.verdict === 'passed')).toBe(false);
  });
});
