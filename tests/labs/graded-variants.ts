/**
 * For tests that read what the real grader says about a lab's known variants: one sandboxed
 * grader per test file (opened before its tests, closed after), variants graded by name
 * (`starter`, `solution`, `mutant:<name>`, `alternative:<name>`), and the failure message of a test.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { GradeResult } from '../../grader/core/types.ts';
import { Grader } from '../../grader/node/grader.ts';
import { loadLab } from '../../grader/node/lab-loader.ts';
import { variantsOf, type Variant } from './variants.ts';

export interface GradedLab {
  /** Grades the variant named `name` (a mutant patch that does not apply fails the test). */
  grade(name: string): Promise<GradeResult>;
}

/** Registers the grader's setup and teardown in the calling test file. */
export function gradedLab(labDir: string): GradedLab {
  let grader: Grader | undefined;
  let variants: Variant[] = [];
  beforeAll(async () => {
    const lab = await loadLab(labDir);
    variants = variantsOf(labDir, lab.manifest);
    grader = await Grader.open(lab, { concurrency: 2, typecheck: false });
  }, 120_000);
  afterAll(async () => {
    await grader?.close();
  });
  return {
    async grade(name) {
      const variant = variants.find((candidate) => candidate.name === name);
      expect(variant, `${labDir} has a variant ${name} (mutants are mutants/<name>.patch and must apply to the reference)`).toBeDefined();
      return grader!.grade(variant!.files);
    },
  };
}

/** The failure message of the one test whose full name contains `testName`; that test must have failed. */
export function failureMessageOf(result: GradeResult, testName: string): string {
  const matching = result.tests.filter((t) => t.fullName.includes(testName));
  expect(matching.map((t) => t.fullName), `tests named like "${testName}"`).toHaveLength(1);
  const [found] = matching;
  expect(found!.verdict, `${found!.fullName} should fail`).toBe('failed');
  return found!.message ?? '';
}
