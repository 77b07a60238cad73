/**
 * Running a lab's public tests in the browser, for the workbench's "Run tests" button.
 *
 * ```ts
 * import { runPublicTests } from '../grader/browser/run-public-tests.ts';
 * const result = await runPublicTests(lab, { 'solution.ts': editorText });
 * // result.publicScore / result.publicMax, result.tests[i].verdict, .message, .output
 * ```
 * Each run starts a fresh Web Worker; the page's driver terminates it when a test passes its time
 * limit (an endless loop cannot be interrupted from inside), marks that test `timeout` and goes
 * on with the next test in a new worker. Verdicts come from the same runtime, session loop,
 * driver and scoring code as the Node grader, so the same submission gets the same public score.
 * The worker is not a security boundary (the learner only runs their own code in their own
 * browser); grading happens in Node.
 */
import { driveRun, type Launch, type SessionEnd } from '../core/driver.ts';
import type { SessionEvent } from '../core/protocol.ts';
import { buildRunRequest, type LabSources } from '../core/run-request.ts';
import { scoreRun } from '../core/scoring.ts';
import type { GradeResult, SubmissionFiles } from '../core/types.ts';
import type { WorkerJob } from './worker-host.ts';

/** The subset of a Web Worker the runner uses (lets tests pass a stand-in). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

/** Options of {@link runPublicTests}. */
export interface BrowserRunOptions {
  /** Makes a worker running worker.ts (default: a module worker from worker.ts next to this file). */
  createWorker?: () => WorkerLike;
  /** Extra time after a test's limit before its worker is terminated (default 100 ms). */
  graceMs?: number;
  /** Told about every session event (e.g. to show progress). */
  onEvent?: (event: SessionEvent) => void;
}

function defaultWorker(): WorkerLike {
  return new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'virtlab-tests' }) as unknown as WorkerLike;
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
  worker.addEventListener('message', (message) => {
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
  return { ended, kill: (verdict) => settle({ kind: 'died', verdict }) };
}

/** Runs the public tests of `lab` against the learner's `files` and scores them. */
export async function runPublicTests(lab: LabSources, files: SubmissionFiles, options: BrowserRunOptions = {}): Promise<GradeResult> {
  const started = performance.now();
  const { manifest } = lab;
  const { request, notes } = buildRunRequest(lab, files, { includeHidden: false });
  const createWorker = options.createWorker ?? defaultWorker;
  const run = await driveRun(
    (resume, onEvent) =>
      launchWorker(createWorker, { request, resume }, (event) => {
        options.onEvent?.(event);
        onEvent(event);
      }),
    {
      limits: { timeMs: manifest.limits.timeMs, memoryMb: manifest.limits.memoryMb },
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
