/**
 * Messages between the grader's host side and a sandboxed runtime. Everything crossing is JSON,
 * produced by harness code that captured its tools before learner code ran.
 */
import type { RequiredExports } from './test-imports.ts';
import type { Diagnostic, TestInfo, TestOutcome, Visibility } from './types.ts';

/** The harness default time limit of one test when the test does not set `timeoutMs`. */
export const DEFAULT_TEST_TIMEOUT_MS = 2000;

/** A lab module for the runtime: its compiled body, or why it could not be compiled. */
export type RuntimeModule = { code: string } | { diagnostic: Diagnostic };

/** Everything a runtime needs to load a submission and its tests. */
export interface RunRequest {
  /** Modules by lab-relative path: `starter/solution.ts`, `tests/public.ts`, ... */
  modules: Record<string, RuntimeModule>;
  /** Paths of the modules that come from the learner (the lab's editable files). */
  learnerFiles: string[];
  /** Test files in run order (public first). */
  testFiles: { path: string; visibility: Visibility }[];
  /** Exports each learner module must have, with the test file that imports each. */
  requiredExports: RequiredExports;
  /** Points per visibility that the manifest declares; the collected tests must add up to them. */
  expectedPoints: { public: number; hidden: number };
  /** The lab's limits (`timeMs` caps each test file's total time and each test's limit). */
  limits: { timeMs: number; outputBytes: number };
}

/** The tests the test files declare (collected before any learner code runs). */
export interface CollectReport {
  tests: TestInfo[];
  /** An authoring problem in the lab's tests (bad declaration, points not matching the manifest). */
  problem?: string;
}

/** The result of running the learner's modules' top-level code. */
export interface LoadReport {
  /** Problems found; any `blocking` one means no test can run. */
  diagnostics: Diagnostic[];
  output: string;
}

/**
 * The runtime's state after a call the host stopped or lost: did the running phase flood the
 * console, what did it print, and, when the call had finished (isolated-vm rejects a finished
 * call for a promise rejection the learner's code left unhandled), its answer.
 */
export interface InterruptedTest {
  overflowed: boolean;
  output: string;
  /** The JSON the interrupted call returned, if it got that far. */
  answer?: string;
}

/** Events a session reports to its driver, in this order: tests, loaded, (start, result)*, done. */
export type SessionEvent =
  | { type: 'tests'; report: CollectReport }
  | { type: 'loaded'; report: LoadReport }
  | { type: 'start'; index: number; timeoutMs: number }
  | { type: 'overflow'; index: number }
  /** Test `index` made its process's memory grow by at least half the limit (see heap-watch.ts). */
  | { type: 'filling-heap'; index: number }
  | { type: 'result'; index: number; outcome: TestOutcome }
  | { type: 'done'; peakMemoryBytes?: number }
  | { type: 'fatal'; message: string };
