/**
 * Entry of a sandbox process (bundled by bundle.ts, started by sandbox.ts under Node's
 * permission model with no write, child-process or worker grants). It receives one job over the
 * IPC channel, runs it in isolated-vm isolates and reports session events back, then exits.
 * Learner code never runs in this process's own context, only inside the isolates.
 */
import { createRequire } from 'node:module';
import type * as IvmModule from 'isolated-vm';
import type { RunRequest, SessionEvent } from '../core/protocol.ts';
import { runSession, type ResumePoint } from '../core/session.ts';
import { createIsolatePort } from './isolate-port.ts';

/** The one message a sandbox process receives. */
export interface SandboxJob {
  type: 'job';
  addon: string;
  harness: string;
  harnessCache?: Uint8Array;
  request: RunRequest;
  resume: ResumePoint;
  memoryMb: number;
}

const send = (event: SessionEvent): Promise<void> =>
  new Promise((resolve) => {
    if (process.send === undefined) process.exit(70);
    process.send(event, undefined, {}, () => resolve());
  });

process.once('message', (message: SandboxJob) => {
  void (async () => {
    try {
      const ivm = (createRequire(import.meta.url)(message.addon) as { ivm: typeof IvmModule }).ivm;
      const sent: Promise<void>[] = [];
      await runSession(
        () => createIsolatePort(ivm, { memoryMb: message.memoryMb, harness: message.harness, ...(message.harnessCache === undefined ? {} : { harnessCache: message.harnessCache }), setupTimeoutMs: 30_000 }),
        message.request,
        message.resume,
        (event) => {
          if (event.type === 'done') event.peakMemoryBytes = Math.max(event.peakMemoryBytes ?? 0, process.resourceUsage().maxRSS * 1024);
          sent.push(send(event));
        },
        () => performance.now(),
        message.memoryMb,
      );
      await Promise.all(sent);
      process.exit(0);
    } catch (error) {
      await send({ type: 'fatal', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      process.exit(1);
    }
  })();
});
