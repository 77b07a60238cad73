/**
 * Running a lab's public tests in the browser, for the workbench's "Run tests" button.
 *
 * ```ts
 * import { runPublicTests } from '../grader/browser/run-public-tests.ts';
 * const result = await runPublicTests(lab, { 'solution.ts': editorText });
 * // result.publicScore / result.publicMax, result.tests[i].verdict, .message, .output
 * ```
 * Each session runs in a fresh sandbox: a hidden sandboxed iframe with an opaque origin and a
 * connect-nothing Content-Security-Policy, which starts the test worker (sandboxed-worker.ts).
 * The page's driver ends the sandbox when a test passes its time limit (an endless loop cannot be
 * interrupted from inside), marks that test `timeout` and goes on with the next test in a new
 * one; a sandbox whose process the browser killed (an allocation bomb) gives `memory`. Verdicts
 * come from the same runtime, session loop, driver and scoring code as the Node grader, so the
 * same submission gets the same public score. Nothing the browser reports counts for grades;
 * the sandbox keeps the learner's page, storage and network safe from the code it runs.
 */
import { driveRun, type Launch, type SessionEnd } from '../core/driver.ts';
import type { SessionEvent } from '../core/protocol.ts';
import { buildRunRequest, type LabSources } from '../core/run-request.ts';
import type { SandboxFault } from '../core/session.ts';
import { scoreRun } from '../core/scoring.ts';
import type { GradeResult, SubmissionFiles } from '../core/types.ts';
import { createSandboxedWorker } from './sandboxed-worker.ts';
import type { WorkerJob } from './worker-host.ts';

/** The subset of a Web Worker the runner uses (lets tests pass a stand-in). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  /** Whether the worker's process still answers; false when the browser ended it (out of memory). */
  isAlive?(): Promise<boolean>;
}

/** Options of {@link runPublicTests}. */
export interface BrowserRunOptions {
  /** Makes a worker running worker.ts (default: {@link createSandboxedWorker}, a sandboxed frame's worker). */
  createWorker?: () => WorkerLike;
  /** Extra time after a test's limit before its worker is terminated (default 100 ms). */
  graceMs?: number;
  /** Told about every session event (e.g. to show progress). */
  onEvent?: (event: SessionEvent) => void;
}

/** A session in a worker; `ended` settles when it reports done, errors, or is terminated. */
export function launchWorker(createWorker: () => WorkerLike, job: WorkerJob, onEvent: (event: SessionEvent) => void): ReturnType<Launch> {
  const worker = createWorker();
  let settle: (end: SessionEnd) => void = () => {};
  const ended = new Promise<SessionEnd>((resolve) => {
    settle = (end) => {
      worker.terminate();
      resolve(end);
    };
  });
  // Once the driver has stopped the session, nothing the worker still says counts.
  let stopped = false;
  worker.addEventListener('message', (message) => {
    if (stopped) return;
    const event = message.data as SessionEvent;
    onEvent(event);
    if (event.type === 'done' || event.type === 'fatal') settle({ kind: 'done' });
  });
  worker.addEventListener('error', (error) => {
    let text = '';
    try {
      text = String((error as { message?: unknown }).message ?? '');
    } catch {
      text = '';
    }
    settle({ kind: 'died', verdict: /memory/i.test(text) ? 'memory' : 'crashed', message: text === '' ? 'the test worker failed' : text });
  });
  worker.postMessage(job);
  // A sandbox that "timed out" because the browser had already ended its process ran out of
  // memory: asked at the limit, a dead process does not answer.
  const kill = (verdict: SandboxFault['verdict']): void => {
    stopped = true;
    if (verdict !== 'timeout' || worker.isAlive === undefined) return settle({ kind: 'died', verdict });
    worker.isAlive().then(
      (alive) => settle({ kind: 'died', verdict: alive ? 'timeout' : 'memory' }),
      () => settle({ kind: 'died', verdict }),
    );
  };
  return { ended, kill };
}

/** Runs the public tests of `lab` against the learner's `files` and scores them. */
export async function runPublicTests(lab: LabSources, files: SubmissionFiles, options: BrowserRunOptions = {}): Promise<GradeResult> {
  const started = performance.now();
  const { manifest } = lab;
  const { request, notes } = buildRunRequest(lab, files, { includeHidden: false });
  const createWorker = options.createWorker ?? createSandboxedWorker;
  const run = await driveRun(
    (resume, onEvent) =>
      launchWorker(createWorker, { request, resume }, (event) => {
        options.onEvent?.(event);
        onEvent(event);
      }),
    {
      limits: manifest.limits,
      graceMs: options.graceMs ?? 100,
      startupMs: 10_000,
      now: () => performance.now(),
      setTimer: (callback, ms) => setTimeout(callback, ms),
      clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
    },
  );
  if (run.problem !== undefined) throw new Error(run.problem);
  return scoreRun(manifest, run, notes, performance.now() - started);
}
