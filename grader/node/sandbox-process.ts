/**
 * Entry of a sandbox process (bundled by bundle.ts, started by sandbox.ts under Node's
 * permission model with no write, child-process or worker grants). It receives one job over the
 * IPC channel, runs it in isolated-vm isolates and reports session events back, then exits.
 * Learner code never runs in this process's own context, only inside the isolates.
 */
import { createRequire } from 'node:module';
import type * as IvmModule from 'isolated-vm';
import type { RunRequest, SessionEvent } from '../core/protocol.ts';
import { runSession, type ResumePoint, type RuntimePort } from '../core/session.ts';
import { heapWatcher } from './heap-watch.ts';
import { createIsolatePort } from './isolate-port.ts';

/**
 * The first message, sent as soon as the process starts: what every session of this grading
 * run shares. The process makes its first isolate right away, while it waits for its job.
 */
export interface SandboxPrepare {
  type: 'prepare';
  addon: string;
  harness: string;
  /** V8 code cache of the harness, made once per grading run by the parent. */
  harnessCache?: Uint8Array;
  memoryMb: number;
  /** Make the first isolate before the job arrives (hides its start-up when a core is free). */
  eager: boolean;
}

/** The second message: the one submission this process runs. */
export interface SandboxJob {
  type: 'job';
  request: RunRequest;
  resume: ResumePoint;
}

const send = (event: SessionEvent): Promise<void> =>
  new Promise((resolve) => {
    if (process.send === undefined) process.exit(70);
    process.send(event, undefined, {}, () => resolve());
  });

let prepared: { settings: SandboxPrepare; makePort: () => Promise<RuntimePort>; first: () => Promise<RuntimePort> } | null = null;

function prepare(settings: SandboxPrepare): void {
  const ivm = (createRequire(import.meta.url)(settings.addon) as { ivm: typeof IvmModule }).ivm;
  const makePort = (): Promise<RuntimePort> =>
    createIsolatePort(ivm, { memoryMb: settings.memoryMb, harness: settings.harness, ...(settings.harnessCache === undefined ? {} : { harnessCache: settings.harnessCache }), setupTimeoutMs: 30_000 });
  let first: Promise<RuntimePort> | null = null;
  const firstPort = (): Promise<RuntimePort> => (first ??= makePort());
  if (settings.eager) void firstPort().catch(() => {}); // any failure is reported when the job asks for the port
  prepared = { settings, makePort, first: firstPort };
}

async function run(job: SandboxJob): Promise<void> {
  if (prepared === null) throw new Error('the sandbox got a job before its settings');
  const { makePort, first, settings } = prepared;
  let usedFirst = false;
  const sent: Promise<void>[] = [];
  const watchHeap = heapWatcher(settings.memoryMb, (event) => sent.push(send(event)));
  await runSession(
    () => {
      if (usedFirst) return makePort();
      usedFirst = true;
      return first();
    },
    job.request,
    job.resume,
    (event) => {
      if (event.type === 'done') event.peakMemoryBytes = Math.max(event.peakMemoryBytes ?? 0, process.resourceUsage().maxRSS * 1024);
      sent.push(send(event));
      watchHeap(event);
    },
    () => performance.now(),
    settings.memoryMb,
  );
  await Promise.all(sent);
}

process.on('message', (message: SandboxPrepare | SandboxJob) => {
  if (message.type === 'prepare') {
    prepare(message);
    return;
  }
  run(message).then(
    () => process.exit(0),
    async (error: unknown) => {
      await send({ type: 'fatal', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      process.exit(1);
    },
  );
});
