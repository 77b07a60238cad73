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
  /** The runtime's heap in use and its limit, when the environment can tell. */
  heapUse?(): HeapUse | null;
  dispose(): void;
}

/** A runtime's heap: bytes in use (live and not yet collected) and its limit. */
export interface HeapUse {
  usedBytes: number;
  limitBytes: number;
}

/**
 * Whether a test stopped at its time limit was filling the heap: at least half the limit in use,
 * and at least a quarter of it taken while the test ran. Near its limit V8 spends its time
 * collecting garbage, so on a busy machine an allocation bomb reaches its time limit first;
 * what it did decides its verdict, not which limit came first.
 */
export function wasFillingHeap(before: HeapUse | null | undefined, after: HeapUse | null | undefined): boolean {
  if (before == null || after == null) return false;
  return after.usedBytes >= 0.5 * after.limitBytes && after.usedBytes - before.usedBytes >= 0.25 * after.limitBytes;
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

/** What a test that flooded the console is told, in Node and in the browser alike. */
export function outputLimitMessage(outputBytes: number, ranIntoTimeLimit: boolean): string {
  const tail = ranIntoTimeLimit ? ' (and the test kept running until its time limit)' : '';
  return `Output limit exceeded: more than ${outputBytes} bytes were printed${tail}. Print less (e.g. only when something goes wrong).`;
}

/** The outcome of a test that flooded the console, whatever else it did. */
function outputLimitOutcome(outcome: TestOutcome, output: string, outputBytes: number, ranIntoTimeLimit: boolean): TestOutcome {
  return { ...outcome, verdict: 'output-limit', message: outputLimitMessage(outputBytes, ranIntoTimeLimit), output };
}

/**
 * A runtime call's answer. isolated-vm rejects a call that finished when the learner's code left
 * a promise rejection unhandled; the browser ignores those, so the finished call's answer stands.
 * Any other failure is a fault (not a SandboxFault: the runtime itself crashed).
 */
async function answerOf(port: RuntimePort, call: () => Promise<string>): Promise<string> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof SandboxFault) throw error;
    const state = await interruptedState(port);
    if (state.answer !== undefined) return state.answer;
    throw new SandboxFault('crashed', describeError(error), true);
  }
}

/**
 * Thrown by a port factory that cannot make another runtime in this session (a browser worker's
 * realm is locked down once): the session ends and the driver resumes in a fresh one.
 */
export class NoFreshRuntime extends Error {
  constructor() {
    super('this session cannot make another runtime');
    this.name = 'NoFreshRuntime';
  }
}

/** A blocking load diagnostic for a fault while the learner's files loaded; its tests get the fault's verdict. */
export function loadFaultDiagnostic(verdict: SandboxFault['verdict'], limitMs: number, memoryMb?: number): Diagnostic {
  return { kind: 'load', message: `Loading your files failed. ${faultMessage(verdict, limitMs, memoryMb)}. Code at the top level of a file runs on load.`, blocking: true, verdict };
}

/**
 * Steps one submission through a runtime and reports {@link SessionEvent}s.
 * A fault (timeout, out of memory, crash) ends the runtime; the loop makes a new one and
 * continues with the next test, so one bad test costs only its own points.
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
  const { timeMs: limitMs, outputBytes } = request.limits;
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
      loaded = JSON.parse(await answerOf(fresh, () => fresh.loadLearner(limitMs))) as LoadReport;
    } catch (error) {
      if (!(error instanceof SandboxFault)) throw error;
      loaded = { diagnostics: [loadFaultDiagnostic(error.verdict, limitMs, memoryMb)], output: '' };
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

  /** Runs one test in `runtime`; `replace` when the runtime must not be used again. */
  const runOne = async (runtime: RuntimePort, index: number, timeoutMs: number, started: number): Promise<{ outcome: TestOutcome; replace: boolean }> => {
    const heapBefore = runtime.heapUse?.();
    try {
      const outcome = JSON.parse(await answerOf(runtime, () => runtime.runTest(index, timeoutMs))) as TestOutcome;
      // Output printed after the test's own code finished (by promise callbacks it left behind)
      // still belongs to it: the runtime answered before those callbacks ran.
      const after = await interruptedState(runtime);
      if (after.overflowed && outcome.verdict !== 'output-limit') return { outcome: outputLimitOutcome(outcome, after.output, outputBytes, false), replace: false };
      return { outcome, replace: false };
    } catch (error) {
      if (!(error instanceof SandboxFault)) throw error;
      let outcome: TestOutcome = { verdict: error.verdict, message: faultMessage(error.verdict, timeoutMs, memoryMb), output: '', durationMs: Math.round(now() - started) };
      if (error.verdict === 'crashed' && error.message !== '') outcome.message += ` (${error.message})`;
      if (!error.fatal) {
        // The runtime survived a timeout: keep what the test printed, and call a console flood
        // or an allocation bomb that ran into the time limit what it is. (A test whose own code
        // had finished, like a microtask flood's, is not blamed for the heap.)
        const state = await interruptedState(runtime);
        outcome.output = state.output;
        if (state.overflowed) outcome = outputLimitOutcome(outcome, state.output, outputBytes, true);
        else if (state.answer === undefined && wasFillingHeap(heapBefore, runtime.heapUse?.())) outcome = { ...outcome, verdict: 'memory', message: faultMessage('memory', timeoutMs, memoryMb) };
      }
      // Never reuse a runtime after a fault, even one that survived a timeout: the timed-out
      // test's code may still be pending (an unsettled promise) and could run during the next
      // test, touching its assertions or attachments. A fresh runtime resumes at the next test.
      return { outcome, replace: true };
    }
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
      if (port === null) {
        try {
          port = await start(false);
        } catch (error) {
          // This session cannot continue here; the driver resumes at this test in a new one.
          if (error instanceof NoFreshRuntime) break;
          throw error;
        }
      }
      const timeoutMs = wholeLimitMs(Math.min(info.timeoutMs, remaining));
      emit({ type: 'start', index, timeoutMs });
      const started = now();
      let outcome: TestOutcome = { verdict: 'crashed', message: 'The sandbox could not be restarted after an earlier fault', output: '', durationMs: 0 };
      if (port !== null) {
        const ran = await runOne(port, index, timeoutMs, started);
        outcome = ran.outcome;
        if (ran.replace) {
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
