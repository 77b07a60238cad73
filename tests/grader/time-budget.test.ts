/**
 * A submission that uses up its time budget is graded, not lost: the limit each test gets is a
 * whole number of milliseconds however much of the budget is left, so the runtime accepts it,
 * and a fault of one test costs that test (and, past the budget, the tests the budget leaves out).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunRequest, SessionEvent } from '../../grader/core/protocol.ts';
import { FROM_START, SandboxFault, runSession, type RuntimePort } from '../../grader/core/session.ts';
import type { TestOutcome } from '../../grader/core/types.ts';
import { Grader } from '../../grader/node/grader.ts';
import { loadLab, type LoadedLab } from '../../grader/node/lab-loader.ts';
import { REPO, TEST_CONCURRENCY } from './helpers.ts';

let jail: LoadedLab;
let grader: Grader;

beforeAll(async () => {
  jail = await loadLab(join(REPO, 'labs/jail'));
  grader = await Grader.open(jail, { concurrency: TEST_CONCURRENCY, typecheck: false });
}, 120_000);

afterAll(async () => {
  await grader?.close();
});

/** The jail starter with its factory's body replaced by an endless loop. */
function endlessPolicy(): Record<string, string> {
  const starter = jail.starter['policy.ts'] ?? '';
  const looped = starter.replace('export function createJailPolicy(): IsolationPolicy {', 'export function createJailPolicy(): IsolationPolicy {\n  for (;;) {}');
  expect(looped).not.toBe(starter);
  return { 'policy.ts': looped };
}

describe('an endless loop in an exported function (jail)', () => {
  test('is graded: each test times out or is cut by the used-up budget, none crashes the run', { timeout: 240_000 }, async () => {
    const result = await grader.grade(endlessPolicy());
    expect(result.score).toBe(0);
    expect(result.tests.length).toBeGreaterThan(0);
    const verdicts = new Set(result.tests.map((t) => t.verdict));
    expect([...verdicts]).toEqual(['timeout']);
    // Some test ran with what was left of the budget (less than its own limit, a whole number
    // of milliseconds), and the hidden tests' budget ran out before their end.
    const givenMs = (message: string): number => Number(/within (\d+) ms/.exec(message)?.[1] ?? NaN);
    expect(result.tests.some((t) => givenMs(t.message) < t.timeoutMs)).toBe(true);
    const hidden = result.tests.filter((t) => t.visibility === 'hidden').map((t) => t.message);
    expect(hidden.some((m) => /used up their \d+ ms time budget/.test(m))).toBe(true);
  });
});

describe('the session loop (a runtime stand-in that is as strict as isolated-vm)', () => {
  const tests = [0, 1, 2, 3].map((index) => ({ index, name: `t${index}`, fullName: `t${index}`, file: 'tests/public.ts', visibility: 'public' as const, points: 1, timeoutMs: 2000 }));
  const request: RunRequest = { modules: {}, learnerFiles: [], testFiles: [], requiredExports: {}, expectedPoints: { public: 4, hidden: 0 }, limits: { timeMs: 5000, outputBytes: 1000 } };

  /** Runs a session whose clock moves by a fraction of a millisecond less than each limit it gives. */
  async function run(runTest: (index: number, timeoutMs: number) => string): Promise<{ limits: number[]; outcomes: TestOutcome[] }> {
    let clock = 0.25;
    const limits: number[] = [];
    const outcomes: TestOutcome[] = [];
    const port: RuntimePort = {
      collect: async () => JSON.stringify({ tests }),
      loadLearner: async () => JSON.stringify({ diagnostics: [], output: '' }),
      runTest: async (index, timeoutMs) => {
        if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new TypeError('`timeout` must be a 32-bit number');
        limits.push(timeoutMs);
        clock += timeoutMs - 0.4;
        return runTest(index, timeoutMs);
      },
      interrupted: async () => JSON.stringify({ overflowed: false, output: '' }),
      dispose: () => {},
    };
    await runSession(async () => port, request, FROM_START, (event: SessionEvent) => void (event.type === 'result' && outcomes.push(event.outcome)), () => clock);
    return { limits, outcomes };
  }

  test('hands every runtime call a whole, positive number of milliseconds', async () => {
    const { limits, outcomes } = await run(() => {
      throw new SandboxFault('timeout', 'Script execution timed out.', false);
    });
    // 5000 − 2 × 1999.6 leaves 1000.8 ms (given as 1000), then 1.2 ms (given as 1).
    expect(limits).toEqual([2000, 2000, 1000, 1]);
    expect(outcomes.map((o) => o.verdict)).toEqual(['timeout', 'timeout', 'timeout', 'timeout']);
  });

  test('an unexpected failure of the runtime during one test costs that test only', async () => {
    const { outcomes } = await run((index) => {
      if (index === 1) throw new TypeError('something the runtime did not expect');
      return JSON.stringify({ verdict: 'passed', message: '', output: '', durationMs: 1 });
    });
    expect(outcomes.map((o) => o.verdict)).toEqual(['passed', 'crashed', 'passed', 'passed']);
    expect(outcomes[1]?.message).toMatch(/something the runtime did not expect/);
  });
});
