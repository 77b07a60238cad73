/**
 * The browser's test sandbox, as a {@link WorkerLike}: a hidden `sandbox="allow-scripts"` iframe
 * (sandbox-frame.html) that starts the test worker from a blob and relays its session events.
 *
 * What the browser enforces, not what we remove by name:
 * - the frame has an opaque origin, so neither it nor its worker can reach the site's
 *   localStorage, IndexedDB, caches or cookies;
 * - the frame's Content-Security-Policy (`default-src 'none'`, `connect-src 'none'`, scripts only
 *   by hash plus `'unsafe-eval'` for the module registry) is inherited by the blob worker, so no
 *   fetch, XHR, WebSocket, beacon, `importScripts` or dynamic `import()` can load anything;
 * - Chromium puts a sandboxed frame in its own renderer process, so an allocation bomb kills that
 *   process, not the tab. A dead process answers nothing: the page pings the frame while it runs
 *   and reports an unanswered ping as the sandbox running out of memory.
 *
 * Booting a frame and its worker costs a few hundred milliseconds, so the page keeps one spare,
 * booted while it is idle ({@link prepareSpareSandbox}); a session takes it and it is never reused.
 */
import { createSandboxFrame } from './sandbox-frame.ts';
import workerUrl from './worker.ts?worker&url';
import type { WorkerLike } from './run-public-tests.ts';

/** How often the page asks a running sandbox whether it is alive. */
const PING_EVERY_MS = 1000;
/**
 * A ping unanswered this long means the sandbox's process is gone. The frame's own thread only
 * relays messages (the learner's code runs in its worker), so a live frame answers in
 * milliseconds even while a test loops forever.
 */
const DEAD_AFTER_MS = 5000;
/**
 * When the driver's time limit ends a run, the page asks the frame once more and waits this long
 * for its answer: none means the process had already died (out of memory), whatever the phase of
 * the regular pings. A live frame answers in milliseconds, so this costs a timed-out test nothing.
 */
const ANSWER_AT_LIMIT_MS = 1000;

/** What the sandbox died of, in the words the runner maps to the `memory` verdict. */
export const SANDBOX_GONE_MESSAGE =
  'Out of memory: the browser stopped the test sandbox (your code used too much memory)';

type FrameMessage = { type: 'ready' } | { type: 'pong' } | { type: 'event'; data: unknown } | { type: 'error'; message: string };

let workerSource: Promise<string> | null = null;

/** The bundled worker's code, fetched once per page (the frame itself may fetch nothing). */
function loadWorkerSource(): Promise<string> {
  workerSource ??= fetch(workerUrl).then((response) => {
    if (!response.ok) throw new Error(`the test worker (${workerUrl}) could not be loaded: HTTP ${response.status}`);
    return response.text();
  });
  workerSource.catch(() => {
    workerSource = null;
  });
  return workerSource;
}

function isFrameMessage(value: unknown): value is FrameMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** A sandbox that has not run anything yet, booted ahead of the next run (see {@link prepareSpareSandbox}). */
let spare: Sandbox | null = null;

/**
 * Boots a sandbox now, while the page is idle, for the next run to take: the frame, its process
 * and its worker with the test runtime loaded, so that "Run tests" starts at once. It has run no
 * learner code, so every session still gets a fresh sandbox. Does nothing if one is waiting.
 */
export function prepareSpareSandbox(): void {
  if (spare?.usable()) return;
  spare?.terminate();
  spare = bootSandbox();
}

/**
 * Chromium may keep several sandboxed frames of a site in one process: when a sandbox's process
 * dies (an allocation bomb), the spare may have died with it, and a dead spare would give the
 * next run a false "out of memory". So it goes too, and the next run boots its own.
 */
function discardSpare(): void {
  spare?.terminate();
  spare = null;
}

/** A sandbox for one session: the spare if one is ready, else a new one. */
export function createSandboxedWorker(): WorkerLike {
  const sandbox = spare?.usable() ? spare : bootSandbox();
  if (sandbox !== spare) spare?.terminate();
  spare = null;
  return sandbox;
}

interface Sandbox extends WorkerLike {
  /** Not ended and nothing has gone wrong yet: fit to take a job. */
  usable(): boolean;
}

/** Starts a sandbox frame and boots its worker; it runs the first job posted to it and is removed by `terminate`. */
function bootSandbox(): Sandbox {
  const messageListeners: ((event: { data: unknown }) => void)[] = [];
  const errorListeners: ((event: unknown) => void)[] = [];
  const frame = createSandboxFrame();
  frame.dataset['testSandbox'] = '';

  let job: unknown;
  let booted = false;
  let ended = false;
  /** What went wrong before a job came (the worker's source could not load, its script failed); told with the job. */
  let earlyFailure: string | null = null;
  let pingSentAt: number | null = null;
  let pinger: ReturnType<typeof setInterval> | undefined;
  /** Told when the frame next answers a ping. */
  let onPong: (() => void)[] = [];

  const fail = (message: string): void => {
    if (ended) return;
    if (message === SANDBOX_GONE_MESSAGE) discardSpare();
    if (job === undefined && pinger === undefined) {
      earlyFailure ??= message;
      return;
    }
    for (const listener of errorListeners) listener({ message });
  };
  const post = (message: object): void => frame.contentWindow?.postMessage(message, '*');
  const boot = (): void => {
    loadWorkerSource().then(
      (source) => {
        if (ended) return;
        post({ type: 'boot', source });
        booted = true;
        sendJob();
      },
      (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
    );
  };
  const sendJob = (): void => {
    if (!booted || job === undefined) return;
    post({ type: 'job', job });
    job = undefined;
    pinger = setInterval(checkAlive, PING_EVERY_MS);
  };
  const silentFor = (): number => (pingSentAt === null ? 0 : performance.now() - pingSentAt);
  const checkAlive = (): void => {
    if (pingSentAt === null) {
      pingSentAt = performance.now();
      post({ type: 'ping' });
    } else if (silentFor() > DEAD_AFTER_MS) {
      fail(SANDBOX_GONE_MESSAGE);
    }
  };
  const onMessage = (event: MessageEvent): void => {
    // The frame's origin is opaque ("null"); only its window identifies it.
    if (ended || event.source !== frame.contentWindow || !isFrameMessage(event.data)) return;
    const message = event.data;
    switch (message.type) {
      case 'ready':
        boot();
        break;
      case 'pong':
        pingSentAt = null;
        for (const answered of onPong.splice(0)) answered();
        break;
      case 'event':
        for (const listener of messageListeners) listener({ data: message.data });
        break;
      case 'error':
        fail(message.message);
        break;
    }
  };
  window.addEventListener('message', onMessage);
  document.body.append(frame);

  return {
    usable: () => !ended && earlyFailure === null,
    postMessage(message: unknown): void {
      job = message;
      if (earlyFailure !== null) {
        const failure = earlyFailure;
        queueMicrotask(() => fail(failure));
        return;
      }
      sendJob();
    },
    isAlive: () =>
      new Promise<boolean>((answer) => {
        if (ended) return answer(false);
        const timer = setTimeout(() => {
          discardSpare();
          answer(false);
        }, ANSWER_AT_LIMIT_MS);
        onPong.push(() => {
          clearTimeout(timer);
          answer(true);
        });
        pingSentAt ??= performance.now();
        post({ type: 'ping' });
      }),
    terminate(): void {
      if (ended) return;
      ended = true;
      clearInterval(pinger);
      onPong = [];
      window.removeEventListener('message', onMessage);
      // Removing the frame ends its document, its worker and, when it had one, its process.
      frame.remove();
    },
    addEventListener(type: 'message' | 'error', listener: (event: { data: unknown }) => void): void {
      if (type === 'message') messageListeners.push(listener);
      else errorListeners.push(listener as (event: unknown) => void);
    },
  } as Sandbox;
}
