/**
 * {@link IsolationKernel}: the privileged handle on a simulated Unix-like kernel with contexts
 * (jails). Whoever holds it is the host administrator and the grader: it builds the file tree,
 * creates contexts, installs the isolation policy, starts programs and reads the truth (audit
 * log, sockets, usage). A lab hands learners only what they need (their policy is *called by*
 * the kernel; programs get a {@link Syscalls} handle), never this object.
 */
import { SimError, requireArgument } from '../common/errors.ts';
import type { IsolationBreach, KernelAuditEvent } from './audit.ts';
import { KernelCore, type IsolationKernelOptions, type KProcess } from './core.ts';
import type { KernelCostModel } from './cost.ts';
import { KERNEL_DEVICES } from './devices.ts';
import type {
  KernelContextInfo, KernelContextLimits, KernelContextUsage, KernelProcessInfo, KernelSocketInfo,
} from './info.ts';
import { describe } from './internal.ts';
import type { IsolationPolicy } from './policy.ts';
import { Syscalls, type KernelProgram } from './syscalls.ts';
import { isDirLocation, type DirLocation } from './vfs.ts';

export type { IsolationKernelOptions } from './core.ts';

/** Owner and permissions of something the administrator creates. */
export interface KernelOwnership {
  /** Default 0 (root). */
  readonly uid?: number;
  /** Default 0. */
  readonly gid?: number;
  /** Default 0o755 for directories, 0o644 for files, 0o600 for devices. */
  readonly mode?: number;
}

/** How to start a process. */
export interface KernelSpawnOptions {
  /** Shown in process listings; default `"proc"`. */
  readonly name?: string;
  /** Default 0 (root). */
  readonly uid?: number;
  readonly gid?: number;
  /** The context to run in; default 0, the host. The process's root is the context's root. */
  readonly context?: number;
  /** Working directory, as a path inside the context; default its root. */
  readonly cwd?: string;
}

/** Options of {@link IsolationKernel.exec} and {@link IsolationKernel.runPending}. */
export interface KernelRunOptions {
  /** The most system calls (and compute calls) the whole run may make; default 100 000. Stops runaway programs. */
  readonly maxSyscalls?: number;
}

/** What a process did, as the kernel saw it. */
export interface KernelProcessDetail extends KernelProcessInfo {
  /** Host path of the process's root and working directory (through mounts). */
  readonly rootPath: string;
  readonly cwdPath: string;
  readonly exitCode: number | null;
  /** What its program returned (undefined until it has). */
  readonly value: unknown;
  /** The exception that crashed its program (exit code 134), if any. */
  readonly error: string | null;
  readonly cpuNs: number;
  readonly memoryBytes: number;
  readonly syscalls: number;
  readonly openDescriptors: readonly number[];
}

/** The result of {@link IsolationKernel.exec}. */
export interface KernelRunOutcome extends KernelProcessDetail {
  /** System calls made during the run by every process that ran. */
  readonly runSyscalls: number;
  /** True when the run stopped because it ran out of budget with processes still runnable. */
  readonly budgetExhausted: boolean;
}

const DEFAULT_MAX_SYSCALLS = 100_000;

/** A process of the kernel, for the test or administrator that started it. */
export class KernelProcessHandle {
  readonly #core: KernelCore;
  readonly #proc: KProcess;
  /** The process's system calls, usable directly from the test (outside any program run). */
  readonly sys: Syscalls;

  /** @internal */
  constructor(core: KernelCore, proc: KProcess) {
    this.#core = core;
    this.#proc = proc;
    this.sys = new Syscalls(core, proc.pid);
    Object.freeze(this);
  }

  get pid(): number {
    return this.#proc.pid;
  }

  /** What the kernel knows of this process now. */
  detail(): KernelProcessDetail {
    return processDetail(this.#core, this.#proc);
  }

  /** Gives this sleeping process a program; it runs at the next `runPending`. */
  schedule(program: KernelProgram): void {
    this.#core.schedule(this.#proc, program);
  }
}

/** A simulated Unix-like kernel with contexts: the privileged handle. */
export class IsolationKernel {
  readonly #core: KernelCore;

  constructor(options: IsolationKernelOptions = {}) {
    requireArgument(typeof options === 'object' && options !== null, 'kernel options must be an object');
    this.#core = new KernelCore(options);
  }

  // ---------------------------------------------------------------- policy

  /** The isolation policy in force (initially the naive one). */
  get policy(): IsolationPolicy {
    return this.#core.policy;
  }

  /** Installs the isolation policy the kernel consults from now on. */
  setPolicy(policy: IsolationPolicy): void {
    requireArgument(typeof policy === 'object' && policy !== null, `a policy is an object of hook functions, got ${describe(policy)}`);
    this.#core.policy = policy;
  }

  /** The cost model in force. */
  get costs(): KernelCostModel {
    return this.#core.costs;
  }

  // ---------------------------------------------------------------- the administrator's file tree

  /** Creates a directory and its missing parents (like `mkdir -p`), owned as given. */
  makeDir(path: string, owner: KernelOwnership = {}): void {
    const vfs = this.#core.vfs;
    let current: DirLocation = vfs.rootLocation;
    requireAbsolute(path);
    for (const name of path.split('/').filter((p) => p !== '' && p !== '.')) {
      requireArgument(name !== '..', `makeDir wants a plain path, got ${path}`);
      const existing = current.node.entries.get(name);
      const next = existing ?? vfs.createDir(current.node, name, ownership(owner, 0o755));
      const loc = vfs.crossMounts({ mount: current.mount, node: next });
      if (!isDirLocation(loc)) throw new SimError('INVALID_ARGUMENT', `${path}: ${name} exists and is not a directory`);
      current = loc;
    }
  }

  /** Creates or replaces a file with `content`, creating missing parent directories. */
  writeFile(path: string, content: string, owner: KernelOwnership = {}): void {
    requireArgument(typeof content === 'string', 'file content must be a string');
    const { dir, name } = this.#parentForCreate(path);
    const existing = dir.node.entries.get(name);
    if (existing !== undefined) {
      if (existing.kind !== 'file') throw new SimError('ALREADY_EXISTS', `${path} exists and is not a file`);
      existing.content = content;
      return;
    }
    this.#core.vfs.createFile(dir.node, name, ownership(owner, 0o644), content);
  }

  /** Creates a symbolic link at `path` with content `target`. */
  makeSymlink(path: string, target: string, owner: KernelOwnership = {}): void {
    requireArgument(typeof target === 'string' && target !== '', 'a symlink target must be a non-empty string');
    const { dir, name } = this.#parentForCreate(path);
    if (dir.node.entries.has(name)) throw new SimError('ALREADY_EXISTS', `${path} already exists`);
    this.#core.vfs.createSymlink(dir.node, name, ownership(owner, 0o777), target);
  }

  /** Creates a device node reaching one of the kernel's devices (`disk0`, `mem`, `null`, `zero`, `console`). */
  makeDevice(path: string, device: string, owner: KernelOwnership = {}): void {
    const spec = KERNEL_DEVICES.find((d) => d.name === device);
    if (spec === undefined) {
      throw new SimError('NOT_FOUND', `no device named ${describe(device)}; known: ${KERNEL_DEVICES.map((d) => d.name).join(', ')}`);
    }
    const { dir, name } = this.#parentForCreate(path);
    if (dir.node.entries.has(name)) throw new SimError('ALREADY_EXISTS', `${path} already exists`);
    this.#core.vfs.createDevice(dir.node, name, ownership(owner, 0o600), spec.type, spec.major, spec.minor);
  }

  /** The content of a file, as it really is (following symbolic links from the host's root). */
  readFile(path: string): string {
    const loc = this.#core.adminResolve(path);
    if (loc.node.kind !== 'file') throw new SimError('INVALID_ARGUMENT', `${path} is a ${loc.node.kind}, not a file`);
    return loc.node.content;
  }

  /** Whether `path` exists (without following a final symbolic link). */
  exists(path: string): boolean {
    try {
      this.#core.adminResolve(path, false);
      return true;
    } catch (thrown) {
      if (thrown instanceof SimError && thrown.code === 'NOT_FOUND') return false;
      throw thrown;
    }
  }

  #parentForCreate(path: string): { dir: DirLocation; name: string } {
    requireAbsolute(path);
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    const name = parts.pop();
    requireArgument(name !== undefined && name !== '..', `${path} does not name an entry`);
    const parent = '/' + parts.join('/');
    this.makeDir(parent);
    const dir = this.#core.adminResolve(parent);
    if (!isDirLocation(dir)) throw new SimError('INVALID_ARGUMENT', `${parent} is not a directory`);
    return { dir, name };
  }

  // ---------------------------------------------------------------- contexts

  /**
   * Creates a context (jail) rooted at an existing directory, with its IP addresses (which must
   * be addresses of this host's interfaces) and the limits a policy should enforce.
   */
  createContext(spec: { name: string; root: string; addresses?: readonly string[]; limits?: KernelContextLimits }): KernelContextInfo {
    requireArgument(typeof spec === 'object' && spec !== null, 'createContext needs { name, root, addresses?, limits? }');
    return this.#core.createContext(spec.name, spec.root, spec.addresses ?? [], spec.limits ?? {});
  }

  /** Every context, the host (id 0) first. */
  contexts(): KernelContextInfo[] {
    return this.#core.contexts();
  }

  context(id: number): KernelContextInfo {
    return this.#core.contextInfo(id);
  }

  /** What a context uses now. */
  usage(contextId: number): KernelContextUsage {
    this.#core.contextInfo(contextId);
    return this.#core.usage(contextId);
  }

  // ---------------------------------------------------------------- processes and runs

  /** Starts a resident process (no program yet) and returns its handle; its `sys` can make calls at once. */
  spawn(options: KernelSpawnOptions = {}): KernelProcessHandle {
    return new KernelProcessHandle(this.#core, this.#core.spawn(spawnFields(options), null));
  }

  /**
   * Starts `program` in a new process and runs it, and every process it forks, until they all
   * finish or the budget is spent. A program's failing calls return errno results; an exception
   * it throws crashes only its process (exit code 134, `error` set).
   */
  exec(program: KernelProgram, options: KernelSpawnOptions & KernelRunOptions = {}): KernelRunOutcome {
    requireArgument(typeof program === 'function', `exec needs a program (a function), got ${describe(program)}`);
    const proc = this.#core.spawn(spawnFields(options), program);
    const run = this.#core.runPending(maxSyscalls(options));
    return Object.freeze({ ...processDetail(this.#core, proc), runSyscalls: run.syscalls, budgetExhausted: run.budgetExhausted });
  }

  /** Runs processes that are still runnable (forked children, scheduled programs). */
  runPending(options: KernelRunOptions = {}): { readonly syscalls: number; readonly budgetExhausted: boolean } {
    return Object.freeze(this.#core.runPending(maxSyscalls(options)));
  }

  /** Every process the kernel has had, exited ones included, as they really are. */
  processes(): KernelProcessInfo[] {
    return this.#core.allProcesses().map((p) => this.#core.processInfo(p));
  }

  /** Everything the kernel knows about one process. */
  processDetail(pid: number): KernelProcessDetail {
    return processDetail(this.#core, this.#core.proc(pid));
  }

  // ---------------------------------------------------------------- observation

  /** The audit log so far (frozen events, oldest first). */
  audit(): readonly KernelAuditEvent[] {
    return Object.freeze([...this.#core.auditLog]);
  }

  /**
   * The ways processes of `contextId` reached beyond it: files touched outside its root (by
   * canonical path), raw devices read or written, device nodes created, mounts, chroot outside,
   * signals and traces of other contexts, sockets bound to addresses not its own.
   */
  breaches(contextId: number): readonly IsolationBreach[] {
    return Object.freeze(this.#core.breaches(contextId));
  }

  /** Every open socket, with the address it is really bound to. */
  sockets(): KernelSocketInfo[] {
    return this.#core.net.sockets.map((s) => Object.freeze({
      id: s.id, pid: s.ownerPid, context: s.ctx, state: s.state, localAddress: s.localAddress, localPort: s.localPort,
      remoteAddress: s.remoteAddress, remotePort: s.remotePort,
    }));
  }

  /** Simulated CPU time spent by every process so far, in nanoseconds. */
  get clockNs(): number {
    return this.#core.clockNs;
  }

  /** What processes wrote to the console device. */
  get consoleOutput(): string {
    return this.#core.consoleOutput.join('');
  }

  /** The host's interface addresses. */
  get addresses(): readonly string[] {
    return Object.freeze(this.#core.net.addresses);
  }
}

function processDetail(core: KernelCore, proc: KProcess): KernelProcessDetail {
  return Object.freeze({
    ...core.processInfo(proc),
    rootPath: core.vfs.pathOf(proc.root),
    cwdPath: core.vfs.pathOf(proc.cwd),
    exitCode: proc.exitCode,
    value: proc.value,
    error: proc.error,
    cpuNs: proc.cpuNs,
    memoryBytes: proc.memoryBytes,
    syscalls: proc.syscalls,
    openDescriptors: Object.freeze([...proc.fds.keys()]),
  });
}

function spawnFields(options: KernelSpawnOptions) {
  requireArgument(typeof options === 'object' && options !== null, 'spawn options must be an object');
  const uid = options.uid ?? 0;
  const gid = options.gid ?? 0;
  requireArgument(Number.isSafeInteger(uid) && uid >= 0, `uid must be a non-negative integer, got ${describe(uid)}`);
  requireArgument(Number.isSafeInteger(gid) && gid >= 0, `gid must be a non-negative integer, got ${describe(gid)}`);
  return {
    name: options.name ?? 'proc', uid, gid, context: options.context ?? 0,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  };
}

function maxSyscalls(options: KernelRunOptions): number {
  const value = options.maxSyscalls ?? DEFAULT_MAX_SYSCALLS;
  requireArgument(Number.isSafeInteger(value) && value > 0, `maxSyscalls must be a positive integer, got ${describe(value)}`);
  return value;
}

function ownership(owner: KernelOwnership, mode: number) {
  const uid = owner.uid ?? 0;
  const gid = owner.gid ?? 0;
  const chosen = owner.mode ?? mode;
  requireArgument(Number.isSafeInteger(uid) && uid >= 0 && Number.isSafeInteger(gid) && gid >= 0, 'uid and gid must be non-negative integers');
  requireArgument(Number.isSafeInteger(chosen) && chosen >= 0 && chosen <= 0o7777, `mode must be in 0..0o7777, got ${describe(chosen)}`);
  return { uid, gid, mode: chosen, ctx: 0 };
}

function requireAbsolute(path: unknown): asserts path is string {
  requireArgument(typeof path === 'string' && path.startsWith('/'), `expected an absolute host path, got ${describe(path)}`);
}
