/**
 * Verdicts decided by what happened, not by timing: a fault while loading gives every test one
 * verdict, even when the sandbox dies afterwards; a test stopped at its time limit while filling
 * the heap is `memory`; output printed by callbacks a test left behind is that test's; a browser
 * session that cannot make a second runtime is resumed, never failed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { driveRun, type Launch } from '../../grader/core/driver.ts';
import type { RunRequest, SessionEvent } from '../../grader/core/protocol.ts';
import { FROM_START, NoFreshRuntime, SandboxFault, loadFaultDiagnostic, runSession, type RuntimePort } from '../../grader/core/session.ts';
import type { TestInfo, TestOutcome } from '../../grader/core/types.ts';
import { Grader } from '../../grader/node/grader.ts';
import type { LoadedLab } from '../../grader/node/lab-loader.ts';
import { SETUP_TIMEOUT_MS, TEST_CONCURRENCY, adversarial, fixtureLab } from './helpers.ts';

const driverOptions = { limits: { timeMs: 1000, memoryMb: 32, outputBytes: 100 }, graceMs: 10, startupMs: 1000, now: () => Date.now(), setTimer: (f: () => void, ms: number) => setTimeout(f, ms), clearTimer: (t: unknown) => clearTimeout(t as NodeJS.Timeout) };
const tests: TestInfo[] = [0, 1, 2].map((index) => ({ index, name: `t${index}`, fullName: `t${index}`, file: 'tests/public.ts', visibility: 'public', points: 1, timeoutMs: 100 }));
const passed: TestOutcome = { verdict: 'passed', message: '', output: '', durationMs: 0 };
const request: RunRequest = { modules: {}, learnerFiles: [], testFiles: [], requiredExports: {}, expectedPoints: { public: 3, hidden: 0 }, limits: { timeMs: 5000, outputBytes: 100 } };

/** The outcomes a session reports for a runtime stand-in. */
async function sessionOutcomes(port: Partial<RuntimePort>, createPort?: () => Promise<RuntimePort>): Promise<TestOutcome[]> {
  const full: RuntimePort = {
    collect: async () => JSON.stringify({ tests }),
    loadLearner: async () => JSON.stringify({ diagnostics: [], output: '' }),
    runTest: async () => JSON.stringify(passed),
    interrupted: async () => JSON.stringify({ overflowed: false, output: '' }),
    dispose: () => {},
    ...port,
  };
  const outcomes: TestOutcome[] = [];
  await runSession(createPort ?? (async () => full), request, FROM_START, (event: SessionEvent) => void (event.type === 'result' && outcomes.push(event.outcome)), () => 0, 32);
  return outcomes;
}

describe('a fault while loading is one verdict for the whole submission', () => {
  test('even when the sandbox crashes after reporting it (as it can after a memory fault)', async () => {
    let launches = 0;
    const launch: Launch = (_resume, onEvent) => {
      launches += 1;
      onEvent({ type: 'tests', report: { tests } });
      onEvent({ type: 'loaded', report: { diagnostics: [loadFaultDiagnostic('memory', 1000, 32)], output: '' } });
      return { ended: Promise.resolve({ kind: 'died', verdict: 'crashed', message: 'the sandbox process exited (SIGSEGV)' }), kill: () => {} };
    };
    const run = await driveRun(launch, driverOptions);
    expect(launches).toBe(1);
    expect(run.outcomes.map((o) => o.verdict)).toEqual(['memory', 'memory', 'memory']);
    expect(run.outcomes[0]?.message).toMatch(/^Not run: Loading your files failed\. Out of memory/);
  });

  describe('in the real sandbox', () => {
    let lab: LoadedLab;
    let grader: Grader;
    beforeAll(async () => {
      lab = await fixtureLab();
      grader = await Grader.open(lab, { concurrency: TEST_CONCURRENCY, typecheck: false });
    }, SETUP_TIMEOUT_MS);
    afterAll(async () => {
      await grader.close();
    });

    test('an allocation bomb at the top level: memory, at load, for every test', { timeout: 120_000 }, async () => {
      const result = await grader.grade(adversarial('top-level-allocation'));
      expect(result.diagnostics.find((d) => d.blocking)?.message).toMatch(/^Loading your files failed\. Out of memory/);
      expect(result.tests.map((t) => t.verdict)).toEqual(result.tests.map(() => 'memory'));
      expect(result.score).toBe(0);
    });
  });
});

describe('a test stopped at its time limit', () => {
  const timedOut = async (): Promise<string> => {
    throw new SandboxFault('timeout', 'Script execution timed out.', false);
  };

  const MB = 1024 * 1024;
  /** A heap stand-in: 4 MB in use before each test, `duringMb` when it is stopped. */
  const heap = (duringMb: number): Pick<RuntimePort, 'heapUse'> => {
    let calls = 0;
    return { heapUse: () => ({ usedBytes: (calls++ % 2 === 0 ? 4 : duringMb) * MB, limitBytes: 32 * MB }) };
  };

  test('while filling the heap is memory (a busy machine reaches the time limit first)', async () => {
    const outcomes = await sessionOutcomes({ runTest: timedOut, ...heap(20) });
    expect(outcomes.map((o) => o.verdict)).toEqual(['memory', 'memory', 'memory']);
    expect(outcomes[0]?.message).toMatch(/^Out of memory/);
  });

  test('with room left on the heap is a timeout', async () => {
    const outcomes = await sessionOutcomes({ runTest: timedOut, ...heap(12) });
    expect(outcomes.map((o) => o.verdict)).toEqual(['timeout', 'timeout', 'timeout']);
  });

  test('after its own code finished (a microtask flood) is a timeout, however full the heap', async () => {
    const outcomes = await sessionOutcomes({ runTest: timedOut, ...heap(30), interrupted: async () => JSON.stringify({ overflowed: false, output: '', answer: JSON.stringify(passed) }) });
    expect(outcomes.map((o) => o.verdict)).toEqual(['timeout', 'timeout', 'timeout']);
  });
});

describe('a test its driver has to kill at the time limit (the sandbox stopped answering)', () => {
  /** A session that starts test 0, reports `events` for it, and then hangs until it is killed. */
  const hangingLaunch = (events: SessionEvent[]): Launch => (_resume, onEvent) => {
    let kill: (verdict: 'timeout' | 'memory' | 'crashed') => void = () => {};
    const ended = new Promise<{ kind: 'died'; verdict: 'timeout' | 'memory' | 'crashed' }>((resolve) => (kill = (verdict) => resolve({ kind: 'died', verdict })));
    onEvent({ type: 'tests', report: { tests: tests.slice(0, 1) } });
    onEvent({ type: 'loaded', report: { diagnostics: [], output: '' } });
    onEvent({ type: 'start', index: 0, timeoutMs: 20 });
    for (const event of events) onEvent(event);
    return { ended, kill };
  };
  // The events arrive before the launch returns, so the driver's first timer (load time) applies.
  const quickly = { ...driverOptions, limits: { ...driverOptions.limits, timeMs: 50 }, startupMs: 50 };

  test('after its process reported it filling the heap is memory', async () => {
    const run = await driveRun(hangingLaunch([{ type: 'filling-heap', index: 0 }]), quickly);
    expect(run.outcomes.map((o) => o.verdict)).toEqual(['memory']);
    expect(run.outcomes[0]?.message).toMatch(/^Out of memory: used more than the 32 MB limit/);
  });

  test('with no such report, or one about another test, is a timeout', async () => {
    for (const events of [[], [{ type: 'filling-heap', index: 1 } as const]]) {
      const run = await driveRun(hangingLaunch(events), quickly);
      expect(run.outcomes.map((o) => o.verdict)).toEqual(['timeout']);
    }
  });
});

describe('what a test leaves behind', () => {
  test('output its callbacks print after it answered counts against it: output-limit', async () => {
    const outcomes = await sessionOutcomes({ interrupted: async () => JSON.stringify({ overflowed: true, output: 'flood…' }) });
    expect(outcomes.map((o) => o.verdict)).toEqual(['output-limit', 'output-limit', 'output-limit']);
    expect(outcomes[0]).toMatchObject({ output: 'flood…', message: expect.stringMatching(/^Output limit exceeded: more than 100 bytes/) });
  });

  test('a promise rejection it left unhandled (isolated-vm rejects the call) does not change its verdict', async () => {
    const outcomes = await sessionOutcomes({
      runTest: async () => {
        throw new Error('OutputLimitError: Output limit exceeded');
      },
      interrupted: async () => JSON.stringify({ overflowed: false, output: '', answer: JSON.stringify(passed) }),
    });
    expect(outcomes.map((o) => o.verdict)).toEqual(['passed', 'passed', 'passed']);
  });
});

describe('a browser session that cannot make a second runtime', () => {
  test('ends, and the driver resumes at the next test in a new session', async () => {
    const starts: number[] = [];
    const launch: Launch = (resume, onEvent) => {
      starts.push(resume.fromIndex);
      let made = false;
      const port: RuntimePort = {
        collect: async () => JSON.stringify({ tests }),
        loadLearner: async () => JSON.stringify({ diagnostics: [], output: '' }),
        runTest: async (index) => {
          if (index === 0) throw new SandboxFault('timeout', 'a promise did not settle in time', false);
          return JSON.stringify(passed);
        },
        interrupted: async () => JSON.stringify({ overflowed: false, output: '' }),
        dispose: () => {},
      };
      const ended = runSession(
        async () => {
          if (made) throw new NoFreshRuntime();
          made = true;
          return port;
        },
        request,
        resume,
        onEvent,
        () => 0,
      ).then(() => ({ kind: 'done' as const }));
      return { ended, kill: () => {} };
    };
    const run = await driveRun(launch, driverOptions);
    expect(starts).toEqual([0, 1]);
    expect(run.problem).toBeUndefined();
    expect(run.outcomes.map((o) => o.verdict)).toEqual(['timeout', 'passed', 'passed']);
  });
});
