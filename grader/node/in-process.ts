/**
 * Running tests without a sandbox: the harness in a `node:vm` context of the current process.
 * Not a security boundary and no time limit on synchronous code, so only for trusted code:
 * the benchmark's baseline, checking reference solutions quickly, and the grader's own tests.
 * It runs the very same harness bundle and session loop as the sandbox, so verdicts agree.
 */
import vm from 'node:vm';
import type { LaunchedSession } from '../core/driver.ts';
import type { RunRequest, SessionEvent } from '../core/protocol.ts';
import { SandboxFault, runSession, wholeLimitMs, type ResumePoint, type RuntimePort } from '../core/session.ts';

interface VmRuntime {
  collect(json: string): string;
  loadLearner(): string;
  runTest(index: number): Promise<string>;
  interrupted(): string;
}

/** A runtime port on a fresh `node:vm` context. Async time limits hold; synchronous ones do not. */
export function createVmPort(harness: string): RuntimePort {
  const context = vm.createContext({});
  new vm.Script(harness, { filename: 'virtlab-harness.js' }).runInContext(context);
  const boot = (context as Record<string, () => VmRuntime>)['__virtlabBoot'];
  if (boot === undefined) throw new Error('the harness bundle did not define its boot function');
  const runtime = boot();
  const withTimer = async (work: Promise<string>, timeoutMs: number): Promise<string> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([work, new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new SandboxFault('timeout', 'timed out', false)), wholeLimitMs(timeoutMs))))]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    collect: async (json) => runtime.collect(json),
    loadLearner: async () => runtime.loadLearner(),
    runTest: (index, timeoutMs) => withTimer(runtime.runTest(index), timeoutMs),
    interrupted: async () => runtime.interrupted(),
    dispose: () => {},
  };
}

/** Runs one session in-process (see module doc). */
export function launchInProcess(harness: string, request: RunRequest, resume: ResumePoint, onEvent: (event: SessionEvent) => void): LaunchedSession {
  const ended = runSession(async () => createVmPort(harness), request, resume, onEvent, () => performance.now()).then(
    () => ({ kind: 'done' as const }),
    (error: unknown) => {
      onEvent({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
      return { kind: 'done' as const };
    },
  );
  return { ended, kill: () => {} };
}
