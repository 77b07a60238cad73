/**
 * The inside of the browser's test worker: receives one job, runs it with the same runtime and
 * session loop as the Node sandbox, and posts session events back. Everything the loop needs
 * from the worker (postMessage, timers, the clock) is captured before lockdown removes them from
 * the global object, so learner code cannot post fake events or schedule work.
 */
import type { RunRequest, SessionEvent } from '../core/protocol.ts';
import { createRuntime } from '../core/runtime.ts';
import { SandboxFault, runSession, type ResumePoint, type RuntimePort } from '../core/session.ts';

/** What the worker gets from the page: the run and where to start. */
export interface WorkerJob {
  request: RunRequest;
  resume: ResumePoint;
}

/** The parts of a worker's global scope the host uses. */
export interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/** Serves one job in this worker. Call once, at the top of the worker's entry module. */
export function startWorkerHost(scope: WorkerScope, sim: object): void {
  const postMessage = scope.postMessage.bind(scope);
  const post = (event: SessionEvent): void => postMessage(event);
  const setTimer = scope.setTimeout.bind(scope);
  const clearTimer = scope.clearTimeout.bind(scope);
  const clock = typeof performance === 'object' ? performance : Date;
  const now = (): number => clock.now();
  let started = false;

  scope.addEventListener('message', (event) => {
    if (started) return;
    started = true;
    const job = event.data as WorkerJob;
    let runtimeMade = false;
    const createPort = async (): Promise<RuntimePort> => {
      // A worker realm is locked down once; after a fatal fault the page starts a new worker.
      if (runtimeMade) throw new Error('this worker cannot make a second runtime');
      runtimeMade = true;
      const runtime = createRuntime({ sim, now, onOutputOverflow: (index) => post({ type: 'overflow', index }) });
      return {
        collect: async (json) => runtime.collect(json),
        loadLearner: async () => runtime.loadLearner(),
        runTest: (index, timeoutMs) =>
          new Promise<string>((resolve, reject) => {
            // Catches tests that wait forever; synchronous endless loops block this worker,
            // and the page terminates it instead.
            const timer = setTimer(() => reject(new SandboxFault('timeout', 'timed out', false)), timeoutMs);
            runtime.runTest(index).then(
              (value) => {
                clearTimer(timer);
                resolve(value);
              },
              (error: unknown) => {
                clearTimer(timer);
                reject(error);
              },
            );
          }),
        interrupted: async () => runtime.interrupted(),
        dispose: () => {},
      };
    };
    runSession(createPort, job.request, job.resume, post, now).catch((error: unknown) => {
      post({ type: 'fatal', message: error instanceof Error ? `${error.name}: ${error.message}` : 'the worker failed' });
    });
  });
}
