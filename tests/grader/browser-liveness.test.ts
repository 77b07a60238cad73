/**
 * The page's verdict when a test's time limit ends a browser sandbox: the sandbox is asked at
 * that moment whether its process still answers. No answer means the browser had already ended
 * it (an allocation bomb): `memory`. An answer means the code was still running: `timeout`.
 * Whatever the worker says after the driver stopped it does not count.
 */
import { describe, expect, test } from 'vitest';
import { launchWorker, type WorkerLike } from '../../grader/browser/run-public-tests.ts';
import type { SessionEvent } from '../../grader/core/protocol.ts';
import { FROM_START } from '../../grader/core/session.ts';

/** A sandbox whose process is alive or gone, as the page's liveness question sees it. */
function sandbox(alive: boolean): { worker: WorkerLike; say: (event: SessionEvent) => void; asked: () => number } {
  const listeners: ((event: { data: unknown }) => void)[] = [];
  let asked = 0;
  const worker: WorkerLike = {
    postMessage: () => {},
    terminate: () => {},
    addEventListener: (type: 'message' | 'error', listener: (event: { data: unknown }) => void) => {
      if (type === 'message') listeners.push(listener);
    },
    isAlive: () => {
      asked++;
      return Promise.resolve(alive);
    },
  };
  return { worker, say: (event) => listeners.forEach((listener) => listener({ data: event })), asked: () => asked };
}

const job = { request: { limits: { timeMs: 1000, memoryMb: 64, outputBytes: 1024 } }, resume: FROM_START } as never;

describe('a browser sandbox stopped at a time limit', () => {
  test.each([
    { alive: true, verdict: 'timeout' },
    { alive: false, verdict: 'memory' },
  ])('whose process is alive=$alive ends as $verdict', async ({ alive, verdict }) => {
    const box = sandbox(alive);
    const session = launchWorker(() => box.worker, job, () => {});
    session.kill('timeout');
    expect(await session.ended).toEqual({ kind: 'died', verdict });
    expect(box.asked()).toBe(1);
  });

  test('is not asked when the driver stops it for another reason', async () => {
    const box = sandbox(false);
    const session = launchWorker(() => box.worker, job, () => {});
    session.kill('crashed');
    expect(await session.ended).toEqual({ kind: 'died', verdict: 'crashed' });
    expect(box.asked()).toBe(0);
  });

  test('passes on nothing the worker says after it was stopped', async () => {
    const box = sandbox(true);
    const heard: string[] = [];
    const session = launchWorker(() => box.worker, job, (event) => heard.push(event.type));
    box.say({ type: 'start', index: 0, timeoutMs: 1000 });
    session.kill('timeout');
    box.say({ type: 'result', index: 0, outcome: { verdict: 'passed', message: '', output: '', durationMs: 1001 } });
    box.say({ type: 'done' });
    expect(await session.ended).toEqual({ kind: 'died', verdict: 'timeout' });
    expect(heard).toEqual(['start']);
  });
});
