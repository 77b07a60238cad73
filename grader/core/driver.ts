/**
 * The driver: the trusted side that starts sandbox sessions, watches them and records what
 * happened. It runs in the Node grader's parent process and on the browser's main thread, and it
 * trusts only structured session events. When a session dies (killed at a time limit, out of
 * memory, crashed), the running test gets that verdict and a new session resumes with the next test.
 */
import type { LoadReport, SessionEvent } from './protocol.ts';
import { FROM_START, blockingDiagnostic, faultMessage, loadFaultDiagnostic, outputLimitMessage, type ResumePoint, type SandboxFault } from './session.ts';
import type { TestInfo, TestOutcome, Visibility } from './types.ts';

/** How a session ended. */
export type SessionEnd = { kind: 'done' } | { kind: 'died'; verdict: SandboxFault['verdict']; message?: string };

/** A running session, as its launcher hands it to the driver. */
export interface LaunchedSession {
  /** Settles when the session ended; never rejects. */
  ended: Promise<SessionEnd>;
  /** Stops the session at once; `ended` then reports `died` with this verdict. */
  kill(verdict: SandboxFault['verdict']): void;
}

/** Starts a session that resumes at `resume` and reports its events to `onEvent`. */
export type Launch = (resume: ResumePoint, onEvent: (event: SessionEvent) => void) => LaunchedSession;

/** Everything one run of a submission produced. */
export interface RunRecord {
  tests: TestInfo[];
  /** One outcome per test, by index. */
  outcomes: TestOutcome[];
  load: LoadReport;
  /** A problem that is not the learner's: broken lab tests or a sandbox that would not start. */
  problem?: string;
  peakMemoryBytes?: number;
}

/** Driver settings. */
export interface DriveOptions {
  /** The lab's limits. */
  limits: { timeMs: number; memoryMb: number; outputBytes: number };
  /** Extra time past a test's limit before the driver kills the session (its own limits act first). */
  graceMs: number;
  /** Time a session may take to start and load the learner's code, on top of `limits.timeMs`. */
  startupMs: number;
  /** Stop at the first test that does not pass; the rest are `not-run` (for checks that a submission loses points). */
  stopAtFirstFailure?: boolean;
  now: () => number;
  setTimer: (callback: () => void, ms: number) => unknown;
  clearTimer: (timer: unknown) => void;
}

interface Running {
  index: number;
  startedAt: number;
  timeoutMs: number;
}

/** The first test without an outcome, or -1. */
function pendingTest(tests: readonly TestInfo[] | null, outcomes: ReadonlyMap<number, TestOutcome>): number {
  return tests === null ? -1 : tests.findIndex((t) => !outcomes.has(t.index));
}

/** Runs sessions until every test has an outcome; never throws for anything the learner did. */
export async function driveRun(launch: Launch, options: DriveOptions): Promise<RunRecord> {
  let tests: TestInfo[] | null = null;
  let load: LoadReport | null = null;
  let problem: string | undefined;
  let peak = 0;
  const outcomes = new Map<number, TestOutcome>();
  const elapsed: Record<Visibility, number> = { public: 0, hidden: 0 };
  let resume: ResumePoint = FROM_START;
  let crashesBeforeTests = 0;
  let stoppedEarly = false;

  for (;;) {
    // A holder object, so TypeScript does not narrow it across the event callback.
    const state: { running: Running | null; overflowed: number | null; fillingHeap: number | null } = { running: null, overflowed: null, fillingHeap: null };
    let timer: unknown = null;
    const arm = (ms: number, session: LaunchedSession): void => {
      if (timer !== null) options.clearTimer(timer);
      timer = options.setTimer(() => session.kill('timeout'), ms);
    };
    let session: LaunchedSession | null = null;
    const onEvent = (event: SessionEvent): void => {
      switch (event.type) {
        case 'tests':
          if (tests === null) {
            tests = event.report.tests;
            if (event.report.problem !== undefined) problem = event.report.problem;
          }
          break;
        case 'loaded':
          if (load === null) load = event.report;
          break;
        case 'start':
          state.running = { index: event.index, startedAt: options.now(), timeoutMs: event.timeoutMs };
          if (session !== null) arm(event.timeoutMs + options.graceMs, session);
          break;
        case 'result': {
          const info = tests?.[event.index];
          const running = state.running;
          if (running !== null && running.index === event.index && info !== undefined) elapsed[info.visibility] += options.now() - running.startedAt;
          state.running = null;
          if (!outcomes.has(event.index)) outcomes.set(event.index, event.outcome);
          if (options.stopAtFirstFailure === true && event.outcome.verdict !== 'passed') {
            stoppedEarly = true;
            session?.kill('crashed');
          }
          break;
        }
        case 'done':
          if (event.peakMemoryBytes !== undefined) peak = Math.max(peak, event.peakMemoryBytes);
          break;
        case 'overflow':
          if (state.running?.index === event.index) state.overflowed = event.index;
          break;
        case 'filling-heap':
          if (state.running?.index === event.index) state.fillingHeap = event.index;
          break;
        case 'fatal':
          problem ??= `The sandbox failed: ${event.message}`;
          break;
      }
    };
    const outcomesBefore = outcomes.size;
    session = launch(resume, onEvent);
    if (stoppedEarly) session.kill('crashed');
    arm(options.limits.timeMs + options.startupMs, session);
    const end = await session.ended;
    if (timer !== null) options.clearTimer(timer);
    if (stoppedEarly) break;

    if (problem !== undefined) break;
    // Once loading the learner's files failed, nothing more can run: never resume, even when
    // the session died afterwards (a sandbox can crash while cleaning up after a memory fault).
    if (load !== null && blockingDiagnostic((load as LoadReport).diagnostics) !== undefined) break;
    if (end.kind === 'done') {
      // A session that ended before every test had an outcome could not go on in its runtime
      // (a browser worker makes one runtime): resume in a new session, if it made progress.
      const next = pendingTest(tests, outcomes);
      if (tests === null || next < 0 || outcomes.size === outcomesBefore) break;
      resume = { fromIndex: next, elapsedMs: { ...elapsed } };
      continue;
    }
    const died = end;
    if (tests === null) {
      // Nothing learner-controlled runs before the tests are collected, so this is the grader's
      // or the machine's trouble; try once more before giving up.
      crashesBeforeTests += 1;
      if (crashesBeforeTests >= 2) {
        problem = `The sandbox did not start (${died.verdict}${died.message === undefined ? '' : `: ${died.message}`})`;
        break;
      }
      continue;
    }
    if (load === null) {
      load = { diagnostics: [loadFaultDiagnostic(died.verdict, options.limits.timeMs, options.limits.memoryMb)], output: '' };
      break;
    }
    const stopped = state.running;
    if (stopped !== null) {
      const info = (tests as TestInfo[])[stopped.index];
      const spent = options.now() - stopped.startedAt;
      if (info !== undefined) elapsed[info.visibility] += spent;
      if (!outcomes.has(stopped.index)) {
        // A test killed at its time limit after flooding the console ran into the output limit
        // first; one killed there while filling memory (V8 collecting garbage near its heap
        // limit, slowed further by a busy machine) is out of memory: what it did decides.
        const flooded = state.overflowed === stopped.index && died.verdict === 'timeout';
        const verdict = died.verdict === 'timeout' && state.fillingHeap === stopped.index ? 'memory' : died.verdict;
        outcomes.set(stopped.index, {
          verdict: flooded ? 'output-limit' : verdict,
          message: flooded ? outputLimitMessage(options.limits.outputBytes, true) : faultMessage(verdict, stopped.timeoutMs, options.limits.memoryMb),
          output: '',
          durationMs: Math.round(spent),
        });
      }
    }
    const pending = (): number => pendingTest(tests, outcomes);
    if (stopped === null && pending() >= 0) {
      // Died between tests: blame the next one so every restart advances.
      outcomes.set(pending(), { verdict: died.verdict, message: faultMessage(died.verdict, options.limits.timeMs, options.limits.memoryMb), output: '', durationMs: 0 });
    }
    const next = pending();
    if (next < 0) break;
    resume = { fromIndex: next, elapsedMs: { ...elapsed } };
  }

  const finalTests: TestInfo[] = tests ?? [];
  const finalLoad: LoadReport = load ?? { diagnostics: [], output: '' };
  const filled = finalTests.map((test): TestOutcome => {
    const outcome = outcomes.get(test.index);
    if (outcome !== undefined) return outcome;
    const blocking = blockingDiagnostic(finalLoad.diagnostics, test.file);
    if (blocking !== undefined) return { verdict: blocking.verdict ?? 'not-run', message: `Not run: ${blocking.message}`, output: '', durationMs: 0 };
    if (stoppedEarly) return { verdict: 'not-run', message: 'Not run: grading stopped at the first test that did not pass', output: '', durationMs: 0 };
    return { verdict: 'crashed', message: problem ?? 'Not run: the sandbox stopped before this test', output: '', durationMs: 0 };
  });
  return { tests: finalTests, outcomes: filled, load: finalLoad, ...(problem === undefined ? {} : { problem }), ...(peak > 0 ? { peakMemoryBytes: peak } : {}) };
}
