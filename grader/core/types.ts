/**
 * Result types shared by every place that runs tests: the browser worker, the in-process runner
 * and the Node sandbox. Plain JSON-compatible data, so results can cross any channel.
 */

/** Whether students see a test (public, shipped to the site) or only the grader runs it. */
export type Visibility = 'public' | 'hidden';

/**
 * How one test ended.
 * - `passed`: the test body finished without throwing.
 * - `failed`: an expectation failed.
 * - `error`: the code threw something else (including stack overflow).
 * - `timeout`: the test ran past its time limit or the suite's time budget.
 * - `memory`: the sandbox ran out of its memory limit.
 * - `output-limit`: the test printed more than the lab's output limit.
 * - `crashed`: the sandbox died for another reason.
 * - `not-run`: the submission could not be loaded (syntax error, missing export, ...).
 */
export type Verdict = 'passed' | 'failed' | 'error' | 'timeout' | 'memory' | 'output-limit' | 'crashed' | 'not-run';

/** A test as the test files declare it; collected before any learner code runs. */
export interface TestInfo {
  /** Position in the run (public tests first, then hidden). */
  index: number;
  /** The test's own name. */
  name: string;
  /** `describe` names and the test name joined with " › "; unique within a lab. */
  fullName: string;
  /** Lab-relative path of the test file, e.g. `tests/public.ts`. */
  file: string;
  visibility: Visibility;
  points: number;
  /** Time limit of this test in milliseconds. */
  timeoutMs: number;
}

/** What happened when one test ran. */
export interface TestOutcome {
  verdict: Verdict;
  /** Why it did not pass (assertion message, error, limit), empty when passed. */
  message: string;
  /** Where it failed, e.g. `starter/solution.ts:12`, when known. */
  location?: string;
  /** Console output printed during the test (truncated at the output limit). */
  output: string;
  durationMs: number;
  /** What the test recorded with `attach(name, data)` for the workbench's pictures (JSON data). */
  attachments?: TestAttachment[];
}

/** Data a test attached for the lab's visualization (see `attach` in `@virtlab/test`). */
export interface TestAttachment {
  name: string;
  data: unknown;
}

/** A graded test: its declaration, its outcome and the points it earned. */
export interface TestResult extends TestInfo, TestOutcome {
  score: number;
}

/** Kinds of problems found in a submission besides failing tests. */
export type DiagnosticKind = 'syntax' | 'type' | 'import' | 'missing-export' | 'load' | 'file' | 'collect';

/** A problem with a submission, located where possible. */
export interface Diagnostic {
  kind: DiagnosticKind;
  message: string;
  /** Lab-relative file, e.g. `starter/solution.ts`. */
  file?: string;
  line?: number;
  column?: number;
  /** False for diagnostics that are only reported (type errors, ignored files). */
  blocking: boolean;
  /**
   * When set, only the tests of these test files cannot run (e.g. an export only they import);
   * otherwise a blocking diagnostic stops every test.
   */
  testFiles?: string[];
  /**
   * The verdict of the tests a blocking diagnostic stops, when it is not `not-run`: loading the
   * learner's files ran out of memory (`memory`), time (`timeout`) or crashed the sandbox.
   */
  verdict?: Extract<Verdict, 'timeout' | 'memory' | 'crashed'>;
}

/** The outcome of one grading run of one submission. */
export interface GradeResult {
  lab: string;
  labVersion: number;
  score: number;
  maxScore: number;
  publicScore: number;
  publicMax: number;
  hiddenScore: number;
  hiddenMax: number;
  tests: TestResult[];
  diagnostics: Diagnostic[];
  /** Console output while loading the learner's modules (top-level code). */
  loadOutput: string;
  durationMs: number;
}

/** Files of a submission keyed by their path inside `starter/`, e.g. `solution.ts`. */
export type SubmissionFiles = Readonly<Record<string, string>>;
