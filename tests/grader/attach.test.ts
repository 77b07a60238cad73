/**
 * `attach(name, data)`: public tests record data for the workbench's pictures. The data travels
 * with the test's outcome (in-process and through the sandbox), never changes a verdict, and is
 * removed from hidden tests in what students see.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { studentView } from '../../grader/core/scoring.ts';
import { Grader } from '../../grader/node/grader.ts';
import { loadLab, type LoadedLab } from '../../grader/node/lab-loader.ts';
import { SETUP_TIMEOUT_MS } from './helpers.ts';

const labDir = resolve(import.meta.dirname, '../fixtures/labs/hello');

describe.each(['in-process', 'sandbox'] as const)('attach, %s', (isolation) => {
  let lab: LoadedLab;
  let grader: Grader;
  beforeAll(async () => {
    lab = await loadLab(labDir);
    grader = await Grader.open(lab, { isolation, typecheck: false, concurrency: 1 });
  }, 60_000);
  afterAll(() => grader.close());

  test('a test\'s attachments come back with its outcome, whatever the verdict', async () => {
    const result = await grader.grade(lab.starter);
    const small = result.tests.find((t) => t.name === 'adds small numbers')!;
    expect(small.verdict).toBe('failed');
    expect(small.attachments).toEqual([{ name: 'sum', data: { a: 2, b: 3, sum: 0 } }]);
    expect(result.tests.find((t) => t.name === 'counts to the limit')!.attachments).toBeUndefined();
  }, SETUP_TIMEOUT_MS);

  test('students never see a hidden test\'s attachments', async () => {
    const result = await grader.grade(lab.solution);
    const hidden = result.tests.find((t) => t.visibility === 'hidden')!;
    expect(hidden.attachments).toEqual([{ name: 'secret-case', data: { a: 1e9, b: 2e9 } }]);
    const view = studentView(result, lab.manifest);
    expect(view.tests.find((t) => t.visibility === 'hidden')!.attachments).toBeUndefined();
    expect(view.tests.find((t) => t.name === 'adds small numbers')!.attachments).toEqual([{ name: 'sum', data: { a: 2, b: 3, sum: 5 } }]);
  });
});
