/**
 * The session loop: runs on the host side of a sandbox (the Node sandbox process next to its
 * isolate, or the browser worker next to its runtime) and steps a runtime through collect, load
 * and the tests, enforcing time limits and the per-file time budget, and reporting events.
 */
import type { CollectReport, InterruptedTest, LoadReport, RunRequest, SessionEvent } from './protocol.ts';
import type { Diagnostic, TestInfo, TestOutcome, Verdict, Visibility } from './types.ts';

/** How a runtime call ended abnormally. `fatal`: the runtime is gone and must be recreated. */
export class SandboxFault extends Error {
  readonly verdict: Extract<Verdict, 'timeout' | 'memory' | 'crashed'>;
  readonly fatal: boolean;
  constructor(verdict: Extract<Verdict, 'timeout' | 'memory' | 'crashed'>, message: string, fatal: boolean) {
    super(message);
    this.name = 'SandboxFault';
    this.verdict = verdict;
    this.fatal = fatal;
  }
}

/** A runtime as the session loop drives it (see runtime.ts); calls reject with {@link SandboxFault}. */
export interface RuntimePort {
  collect(requestJson: string): Promise<string>;
  loadLearner(timeoutMs: number): Promise<string>;
  runTest(index: number, timeoutMs: number): Promise<string>;
  /** After a non-fatal timeout: the runtime's {@link InterruptedTest} (JSON). */
  interrupted(): Promise<string>;
  /** Memory the sandbox used at its peak, when the environment can tell. */
  peakMemoryBytes?(): number;
  dispose(): void;
}

/** Where a session starts: the first test to run and the time each test file already used. */
export interface ResumePoint {
  fromIndex: number;
  elapsedMs: Record<Visibility, number>;
}

/** The start of a fresh run. */
export const FROM_START: ResumePoint = { fromIndex: 0, elapsedMs: { public: 0, hidden: 0 } };

/**
 * A limit as every runtime accepts it: a whole number of milliseconds, at least 1. Clocks give
 * fractions (performance.now), and isolated-vm rejects a `timeout` that is not a 32-bit integer.
 */
export function wholeLimitMs(ms: number): number {
  return Number.isFinite(ms) ? Math.max(1, Math.min(2 ** 31 - 1, Math.floor(ms))) : 2 ** 31 - 1;
}

/** The diagnostic that keeps the tests of `testFile` from running (any test file when omitted), if any. */
export function blockingDiagnostic(diagnostics: readonly Diagnostic[], testFile?: string): Diagnostic | undefined {
  return diagnostics.find((d) => d.blocking && (d.testFiles === undefined || (testFile !== undefined && d.testFiles.includes(testFile))));
}

/** Human text for a fault's verdict. */
export function faultMessage(verdict: SandboxFault['verdict'], limitMs: number, memoryMb?: number): string {
  switch (verdict) {
    case 'timeout':
      return `Timed out: did not finish within ${limitMs} ms (an endless loop or a very slow algorithm?)`;
    case 'memory':
      return `Out of memory: used more than the ${memoryMb ?? '?'} MB limit (a huge allocation or unbounded growth?)`;
    case 'crashed':
      return 'The sandbox crashed while running this test';
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** What a stopped test printed; nothing when the runtime cannot even say (it is replaced anyway). */
async function interruptedState(port: RuntimePort): Promise<InterruptedTest> {
  try {
    return JSON.parse(await port.interrupted()) as InterruptedTest;
  } catch {
    return { overflowed: false, output: '' };
  }
}

/**
 * Steps one submission through a runtime and reports {@link SessionEvent}s.
 * A fatal fault (e.g. out of memory) ends the runtime; the loop makes a new one and continues
 * with the next test, so one bad test costs only its own points.
 */
export async function runSession(
  createPort: () => Promise<RuntimePort>,
  request: RunRequest,
  resume: ResumePoint,
  emit: (event: SessionEvent) => void,
  now: () => number,
  memoryMb?: number,
): Promise<void> {
  const requestJson = JSON.stringify(request);
  const limitMs = request.limits.timeMs;
  let port: RuntimePort | null = null;
  let peak = 0;
  const notePeak = (): void => {
    if (port?.peakMemoryBytes !== undefined) peak = Math.max(peak, port.peakMemoryBytes());
  };

  let tests: TestInfo[] = [];
  let load: LoadReport = { diagnostics: [], output: '' };

  /** Makes a runtime and loads the learner's code; null when loading failed (reported). */
  const start = async (first: boolean): Promise<RuntimePort | null> => {
    const fresh = await createPort();
    const collected = JSON.parse(await fresh.collect(requestJson)) as CollectReport;
    if (first) {
      tests = collected.tests;
      emit({ type: 'tests', report: collected });
    }
    if (collected.problem !== undefined) {
      fresh.dispose();
      return null;
    }
    let loaded: LoadReport;
    try {
      loaded = JSON.parse(await fresh.loadLearner(limitMs)) as LoadReport;
    } catch (error) {
      if (!(error instanceof SandboxFault)) throw error;
      loaded = { diagnostics: [{ kind: 'load', message: `Loading your files failed. ${faultMessage(error.verdict, limitMs, memoryMb)}. Code at the top level of a file runs on load.`, blocking: true }], output: '' };
    }
    if (first) {
      emit({ type: 'loaded', report: loaded });
      load = loaded;
    }
    if (blockingDiagnostic(loaded.diagnostics) !== undefined) {
      fresh.dispose();
      return null;
    }
    return fresh;
  };

  try {
    port = await start(true);
    if (port === null) {
      emit({ type: 'done' });
      return;
    }
    const elapsed = { ...resume.elapsedMs };
    for (let index = resume.fromIndex; index < tests.length; index++) {
      const info = tests[index];
      if (info === undefined) break;
      // Whole milliseconds left: a budget with less than 1 ms left is used up.
      const remaining = Math.floor(limitMs - elapsed[info.visibility]);
      if (remaining < 1) {
        emit({ type: 'result', index, outcome: { verdict: 'timeout', message: `Not run: the ${info.visibility} tests used up their ${limitMs} ms time budget`, output: '', durationMs: 0 } });
        continue;
      }
      const blocked = blockingDiagnostic(load.diagnostics, info.file);
      if (blocked !== undefined) {
        emit({ type: 'result', index, outcome: { verdict: 'not-run', message: `Not run: ${blocked.message}`, output: '', durationMs: 0 } });
        continue;
      }
      if (port === null) port = await start(false);
      const timeoutMs = wholeLimitMs(Math.min(info.timeoutMs, remaining));
      emit({ type: 'start', index, timeoutMs });
      const started = now();
      let outcome: TestOutcome;
      if (port === null) {
        outcome = { verdict: 'crashed', message: 'The sandbox could not be restarted after an earlier fault', output: '', durationMs: 0 };
      } else {
        try {
          outcome = JSON.parse(await port.runTest(index, timeoutMs)) as TestOutcome;
        } catch (error) {
          // Whatever went wrong while this test ran costs this test only: the runtime is
          // replaced and the next test runs in a fresh one.
          const fault = error instanceof SandboxFault ? error : new SandboxFault('crashed', describeError(error), true);
          const detail = error instanceof SandboxFault ? '' : ` (${fault.message})`;
          outcome = { verdict: fault.verdict, message: faultMessage(fault.verdict, timeoutMs, memoryMb) + detail, output: '', durationMs: Math.round(now() - started) };
          if (!fault.fatal) {
            // The runtime survived a timeout: keep what the test printed, and call a console
            // flood that ran into the time limit what it is.
            const state = await interruptedState(port);
            outcome.output = state.output;
            if (state.overflowed) outcome = { ...outcome, verdict: 'output-limit', message: `Output limit exceeded: more than ${request.limits.outputBytes} bytes were printed (and the test kept running until its time limit).` };
          }
          // Never reuse a runtime after a fault, even one that survived a timeout: the timed-out
          // test's code may still be pending (an unsettled promise) and could run during the next
          // test, touching its assertions or attachments. A fresh runtime resumes at the next test.
          notePeak();
          port.dispose();
          port = null;
        }
      }
      elapsed[info.visibility] += now() - started;
      emit({ type: 'result', index, outcome });
    }
    notePeak();
    emit({ type: 'done', ...(peak > 0 ? { peakMemoryBytes: peak } : {}) });
  } finally {
    port?.dispose();
  }
}
