/**
 * The Node sandbox, parent side: every session runs in its own OS process, started with Node's
 * permission model (`--permission`: no filesystem writes, no child processes, no workers; reads
 * only of the sandbox bundle and the isolated-vm addon), and inside it in isolated-vm isolates.
 * A few processes are started ahead of time so a submission does not wait for Node to boot;
 * each process still serves exactly one session, so no submission ever shares a process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { LaunchedSession, SessionEnd } from '../core/driver.ts';
import type { RunRequest, SessionEvent } from '../core/protocol.ts';
import type { ResumePoint } from '../core/session.ts';
import { parseSessionEvent } from './session-event-schema.ts';
import type { SandboxFiles } from './bundle.ts';
import type { SandboxJob, SandboxPrepare } from './sandbox-process.ts';

/**
 * The Node flags every sandbox process gets: the permission model with read access to the
 * sandbox bundle and the isolated-vm addon only, and no write, child-process or worker grants.
 */
export function sandboxNodeFlags(files: Pick<SandboxFiles, 'processEntry' | 'addon'>, heapMb: number): string[] {
  return [
    '--permission',
    `--allow-fs-read=${files.processEntry}`,
    `--allow-fs-read=${files.addon}`,
    // isolated-vm is a native addon; the permission model must allow loading it.
    '--allow-addons',
    '--no-warnings',
    `--max-old-space-size=${heapMb}`,
  ];
}

/** Options of the process pool. */
export interface SandboxPoolOptions {
  /** Processes started ahead of time (usually the grading concurrency). */
  warm: number;
  /** Heap limit of the sandbox process's own context (the isolates have their own limit). */
  processHeapMb?: number;
  /** The lab's memory limit for each isolate. */
  memoryMb: number;
}

/** Starts sandbox processes and runs sessions in them. */
export class SandboxPool {
  readonly #files: SandboxFiles;
  readonly #options: SandboxPoolOptions;
  readonly #idle: ChildProcess[] = [];
  readonly #live = new Set<ChildProcess>();
  #closed = false;

  constructor(files: SandboxFiles, options: SandboxPoolOptions) {
    this.#files = files;
    this.#options = options;
    this.#refill();
  }

  #spawn(): ChildProcess {
    const child = fork(this.#files.processEntry, [], {
      execArgv: sandboxNodeFlags(this.#files, this.#options.processHeapMb ?? 96),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      env: {},
    });
    this.#live.add(child);
    child.once('exit', () => this.#live.delete(child));
    child.stderr?.setEncoding('utf8');
    const prepare: SandboxPrepare = {
      type: 'prepare',
      addon: this.#files.addon,
      harness: this.#files.harness,
      ...(this.#files.harnessCache === undefined ? {} : { harnessCache: this.#files.harnessCache }),
      memoryMb: this.#options.memoryMb,
      eager: true,
    };
    child.send(prepare);
    return child;
  }

  #refill(): void {
    while (!this.#closed && this.#idle.length < this.#options.warm) this.#idle.push(this.#spawn());
  }

  /** Runs one session of `request` in a fresh process. */
  launch(request: RunRequest, resume: ResumePoint, onEvent: (event: SessionEvent) => void): LaunchedSession {
    let child = this.#idle.shift();
    // A warm process that died while waiting (killed by the OS, say) is replaced, not used.
    while (child !== undefined && (child.exitCode !== null || child.signalCode !== null)) child = this.#idle.shift();
    const sandbox = child ?? this.#spawn();
    this.#refill();
    let killedFor: SessionEnd | null = null;
    let done = false;
    let stderr = '';
    let settle: (end: SessionEnd) => void = () => {};
    const ended = new Promise<SessionEnd>((resolve) => {
      let settled = false;
      settle = (end) => {
        if (settled) return;
        settled = true;
        resolve(end);
      };
    });
    sandbox.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    sandbox.on('message', (message: unknown) => {
      if (killedFor !== null) return; // the driver already decided how this session ended
      // Only structured, schema-valid events count; anything else ends the session.
      const event = parseSessionEvent(message);
      if (event === null) {
        killedFor = { kind: 'died', verdict: 'crashed', message: 'the sandbox sent a malformed message' };
        sandbox.kill('SIGKILL');
        return;
      }
      if (event.type === 'done') done = true;
      onEvent(event);
    });
    sandbox.once('exit', (code, signal) => {
      if (killedFor !== null) settle(killedFor);
      else if (done && code === 0) settle({ kind: 'done' });
      else if (/out of memory|heap limit|allocation failed/i.test(stderr) || signal === 'SIGABRT' || signal === 'SIGTRAP') {
        settle({ kind: 'died', verdict: 'memory', message: 'the sandbox process ran out of memory' });
      } else settle({ kind: 'died', verdict: 'crashed', message: `the sandbox process exited (${signal ?? `code ${code}`})${stderr === '' ? '' : `: ${stderr.trim().split('\n').slice(-3).join(' / ')}`}` });
    });
    sandbox.once('error', () => {
      killedFor ??= { kind: 'died', verdict: 'crashed', message: 'the sandbox process could not be started' };
      if (sandbox.exitCode !== null || sandbox.signalCode !== null) settle(killedFor);
    });
    const job: SandboxJob = { type: 'job', request, resume };
    try {
      sandbox.send(job);
    } catch {
      killedFor = { kind: 'died', verdict: 'crashed', message: 'the sandbox process could not take its job' };
      sandbox.kill('SIGKILL');
      settle(killedFor);
    }
    return {
      ended,
      kill: (verdict) => {
        killedFor ??= { kind: 'died', verdict };
        sandbox.kill('SIGKILL');
        if (sandbox.exitCode !== null || sandbox.signalCode !== null) settle(killedFor);
      },
    };
  }

  /** Stops idle processes and waits for running ones to exit. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const child of this.#idle.splice(0)) child.kill('SIGKILL');
    await Promise.all(
      [...this.#live].map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)))),
    );
  }
}
