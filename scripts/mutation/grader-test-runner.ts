/**
 * A StrykerJS test-runner plugin that grades each mutant with the real grader.
 *
 * The grader's sandbox has no `process`, so Stryker's usual mutant switching (one instrumented
 * file, the active mutant read from the environment) cannot reach learner code there. Instead this
 * runner ignores the instrumented sandbox copy: for each mutant it takes the lab's reference
 * solution, replaces the mutant's range with its replacement and grades that source as a
 * submission, public and hidden tests, in the grader's sandbox. A mutant is killed when any test
 * does not pass; one that only tests hitting their time limits caught is `timeout` (killed, but
 * listed apart).
 *
 * Most mutants already fail a public test, so each is graded on the public tests first and on
 * the whole suite only if they all pass: the verdict is the same, and a mutant that loops for
 * ever costs the public tests' time limits instead of every test's.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import type { StrykerOptions } from '@stryker-mutator/api/core';
import {
  DryRunStatus, MutantRunStatus, TestStatus,
  type DryRunResult, type MutantRunOptions, type MutantRunResult, type TestResult, type TestRunner, type TestRunnerCapabilities,
} from '@stryker-mutator/api/test-runner';
import { Grader } from '../../grader/node/grader.ts';
import { loadLab, type LoadedLab } from '../../grader/node/lab-loader.ts';
import type { GradeResult } from '../../grader/core/types.ts';
import { applyMutant } from './apply-mutant.ts';

/** What the mutation script passes to the workers through Stryker's options. */
export interface VirtlabRunnerOptions {
  /** Absolute path of the lab folder, in the project (not Stryker's sandbox copy). */
  readonly labDir: string;
  /** Absolute path of the project root, against which Stryker's file names are relative. */
  readonly projectRoot: string;
}

/** Stryker checks plugin options against this schema. */
export const strykerValidationSchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  type: 'object',
  properties: { virtlab: { type: 'object', properties: { labDir: { type: 'string' }, projectRoot: { type: 'string' } }, required: ['labDir', 'projectRoot'] } },
};

function notPassed(result: GradeResult) {
  return result.tests.filter((test) => test.verdict !== 'passed');
}

class VirtlabGraderTestRunner implements TestRunner {
  static inject = tokens(commonTokens.options);
  readonly #options: VirtlabRunnerOptions;
  #lab: LoadedLab | undefined;
  #publicGrader: Grader | undefined;
  #fullGrader: Grader | undefined;

  constructor(options: StrykerOptions) {
    this.#options = (options as StrykerOptions & { virtlab: VirtlabRunnerOptions }).virtlab;
  }

  capabilities(): TestRunnerCapabilities {
    // Every grading starts a fresh sandbox, so a mutant never outlives its run.
    return { reloadEnvironment: true };
  }

  async init(): Promise<void> {
    this.#lab = await loadLab(this.#options.labDir);
    // One submission at a time per worker: Stryker runs one worker per core.
    this.#publicGrader = await Grader.open(this.#lab, { concurrency: 1, typecheck: false, includeHidden: false });
    this.#fullGrader = await Grader.open(this.#lab, { concurrency: 1, typecheck: false });
  }

  async dispose(): Promise<void> {
    await Promise.all([this.#publicGrader?.close(), this.#fullGrader?.close()]);
  }

  /** Grades the reference solution: every test must pass, and Stryker learns the test names. */
  async dryRun(): Promise<DryRunResult> {
    const result = await this.#fullGrader!.grade(this.#lab!.solution);
    const tests: TestResult[] = result.tests.map((test) => {
      const base = { id: test.fullName, name: test.fullName, timeSpentMs: test.durationMs };
      return test.verdict === 'passed'
        ? { ...base, status: TestStatus.Success }
        : { ...base, status: TestStatus.Failed, failureMessage: `${test.verdict}: ${test.message}` };
    });
    if (tests.length === 0) return { status: DryRunStatus.Error, errorMessage: `the lab ${this.#lab!.manifest.id} has no tests that load: ${JSON.stringify(result.diagnostics)}` };
    return { status: DryRunStatus.Complete, tests };
  }

  async mutantRun(options: MutantRunOptions): Promise<MutantRunResult> {
    const { activeMutant } = options;
    const path = this.#editablePathOf(activeMutant.fileName);
    const original = this.#lab!.solution[path];
    if (original === undefined) return { status: MutantRunStatus.Error, errorMessage: `${activeMutant.fileName} is not an editable file of the lab's solution` };
    const files = { ...this.#lab!.solution, [path]: applyMutant(original, activeMutant.location, activeMutant.replacement) };
    const publicResult = await this.#publicGrader!.grade(files);
    const result = notPassed(publicResult).length > 0 ? publicResult : await this.#fullGrader!.grade(files);
    const failing = notPassed(result);
    if (failing.length === 0) return { status: MutantRunStatus.Survived, nrOfTests: result.tests.length, duration: result.durationMs };
    // Killed by a failure that does not depend on speed wherever there is one; `timeout` only for
    // mutants that nothing but time limits caught (typically an endless loop).
    const decisive = failing.filter((test) => test.verdict !== 'timeout');
    if (decisive.length === 0) return { status: MutantRunStatus.Timeout, reason: `timed out: ${failing.map((test) => test.fullName).join('; ')}`, duration: result.durationMs };
    const first = decisive[0]!;
    return {
      status: MutantRunStatus.Killed,
      killedBy: failing.map((test) => test.fullName),
      failureMessage: `${first.fullName}: ${first.verdict} ${first.message}`.slice(0, 2000),
      nrOfTests: result.tests.length,
      duration: result.durationMs,
    };
  }

  /** The lab-relative editable path (e.g. `consolidate.ts`) of a file Stryker mutated. */
  #editablePathOf(fileName: string): string {
    const absolute = isAbsolute(fileName) ? fileName : resolve(this.#options.projectRoot, fileName);
    return relative(resolve(this.#options.labDir, 'solution'), absolute).split('\\').join('/');
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.TestRunner, 'virtlab-grader', VirtlabGraderTestRunner)];
