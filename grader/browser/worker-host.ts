/**
 * The inside of the browser's test worker: receives one job, runs it with the same runtime and
 * session loop as the Node sandbox, and posts session events back. Everything the loop needs
 * from the worker (timers, the clock, where to post) is captured before lockdown removes them
 * from the global object. In the lab page the job comes with a private MessagePort and events go
 * only there: learner code can still find `postMessage` on the worker's prototype chain, but
 * what it posts that way is ignored by the sandbox frame.
 */
import type { RunRequest, SessionEvent } from '../core/protocol.ts';
import { createRuntime } from '../core/runtime.ts';
import { NoFreshRuntime, SandboxFault, runSession, type ResumePoint, type RuntimePort } from '../core/session.ts';

/** What the worker gets from the page: the run and where to start. */
export interface WorkerJob {
  request: RunRequest;
  resume: ResumePoint;
}

/** Where the host posts events: the job's private port, else the worker itself. */
interface EventSink {
  postMessage(message: unknown): void;
}

/** The parts of a worker's global scope the host uses. */
export interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { data: unknown; ports?: readonly EventSink[] }) => void): void;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
}

/** Serves one job in this worker. Call once, at the top of the worker's entry module. */
export function startWorkerHost(scope: WorkerScope, sim: object): void {
  let sink: EventSink = { postMessage: scope.postMessage.bind(scope) };
  const post = (event: SessionEvent): void => sink.postMessage(event);
  const setTimer = scope.setTimeout.bind(scope);
  const clearTimer = scope.clearTimeout.bind(scope);
  const clock = typeof performance === 'object' ? performance : Date;
  const now = (): number => clock.now();
  let started = false;

  scope.addEventListener('message', (event) => {
    if (started) return;
    started = true;
    const port = event.ports?.[0];
    if (port !== undefined) sink = { postMessage: port.postMessage.bind(port) };
    const job = event.data as WorkerJob;
    let runtimeMade = false;
    const createPort = async (): Promise<RuntimePort> => {
      // A worker realm is locked down once; after a fatal fault the page starts a new worker.
      if (runtimeMade) throw new NoFreshRuntime();
      runtimeMade = true;
      const runtime = createRuntime({ sim, now, onOutputOverflow: (index) => post({ type: 'overflow', index }) });
      // An answer counts once the learner's leftover promise callbacks have run (as isolated-vm
      // runs them before a call returns): wait for a task, which a microtask flood never lets run.
      const afterMicrotasks = <T>(value: T): Promise<T> => new Promise((resolve) => setTimer(() => resolve(value), 0));
      return {
        collect: async (json) => runtime.collect(json),
        loadLearner: async () => afterMicrotasks(runtime.loadLearner()),
        runTest: (index, timeoutMs) =>
          new Promise<string>((resolve, reject) => {
            // Catches tests that wait forever; synchronous endless loops block this worker,
            // and the page terminates it instead.
            const timer = setTimer(() => reject(new SandboxFault('timeout', 'timed out', false)), timeoutMs);
            runtime.runTest(index).then(afterMicrotasks).then(
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
