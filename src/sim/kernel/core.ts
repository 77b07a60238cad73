/**
 * The isolation kernel's machinery: processes, contexts, system calls, accounting and the audit
 * log. Not exported from the package: programs reach it through {@link Syscalls} handles and
 * tests through {@link IsolationKernel}, both of which keep it in a private field.
 */
import { SimError, requireArgument } from '../common/errors.ts';
import type { KernelAuditEvent } from './audit.ts';
import { DEFAULT_KERNEL_COSTS, type KernelCostModel } from './cost.ts';
import { KERNEL_DEVICES, findDevice, type KernelDeviceSpec } from './devices.ts';
import { SyscallFailure, fail, sysFail, sysOk, type SysResult } from './errno.ts';
import type {
  KernelContextInfo, KernelContextLimits, KernelContextUsage, KernelProcessInfo, KernelProcessState,
  KernelStat, VfsNodeInfo,
} from './info.ts';
import { NetStack, WILDCARD_ADDRESS, isIpv4, type KernelInterfaceSpec, type NetSocket } from './net.ts';
import {
  NAIVE_POLICY, type FileOp, type IsolationPolicy, type KernelQueries, type KernelSignal, type PolicyQueryBase,
  type PrivilegedAction,
} from './policy.ts';
import { ProcessExit, ProcessStop, describe, type MountFsType, type OpenFlags } from './internal.ts';
import { Syscalls, type KernelProgram } from './syscalls.ts';
import {
  Vfs, isDirLocation, sameLocation, type DirLocation, type Inode, type Location, type WalkRules,
} from './vfs.ts';


interface OpenVnode {
  readonly kind: 'vnode';
  readonly loc: Location;
  readonly readable: boolean;
  readonly writable: boolean;
  readonly append: boolean;
  offset: number;
}
interface OpenSocket {
  readonly kind: 'socket';
  readonly socket: NetSocket;
}
type OpenFile = OpenVnode | OpenSocket;

export interface KProcess {
  readonly pid: number;
  readonly ppid: number;
  uid: number;
  gid: number;
  ctx: number;
  readonly name: string;
  root: Location;
  cwd: Location;
  readonly fds: Map<number, OpenFile>;
  state: KernelProcessState;
  exitCode: number | null;
  /** Base memory of the process image plus what it allocated. */
  memoryBytes: number;
  heapBytes: number;
  cpuNs: number;
  syscalls: number;
  program: KernelProgram | null;
  value: unknown;
  error: string | null;
}

interface KContext {
  readonly info: KernelContextInfo;
  readonly root: DirLocation;
}

/** Options for a new kernel. */
export interface IsolationKernelOptions {
  /** The network interfaces; default: `lo0` with 127.0.0.1 and `em0` with 192.0.2.1. */
  readonly interfaces?: readonly KernelInterfaceSpec[];
  /** Size of the process table (FreeBSD's kern.maxproc); default 1000. */
  readonly maxProcesses?: number;
  /** Physical memory for processes; default 2 GiB. */
  readonly memoryBytes?: number;
  /** Memory of a fresh process image; default 1 MiB. */
  readonly processBaseBytes?: number;
  /** Capacity of the disk for file contents (characters); default 1 GiB. */
  readonly diskBytes?: number;
  /** The cost model; default {@link DEFAULT_KERNEL_COSTS}. */
  readonly costs?: Partial<KernelCostModel>;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGKILL: 9, SIGTERM: 15, SIGSTOP: 17 };
const MAX_TRACE_DEPTH = 8;

export class KernelCore {
  readonly vfs: Vfs;
  readonly net: NetStack;
  readonly costs: KernelCostModel;
  readonly maxProcesses: number;
  readonly memoryBytes: number;
  readonly processBaseBytes: number;
  readonly diskBytes: number;
  policy: IsolationPolicy = NAIVE_POLICY;
  clockNs = 0;
  readonly consoleOutput: string[] = [];

  readonly #processes = new Map<number, KProcess>();
  readonly #contexts = new Map<number, KContext>();
  readonly #audit: KernelAuditEvent[] = [];
  readonly #runQueue: number[] = [];
  readonly #views = new WeakMap<object, Location>();
  readonly #diskUsage = new Map<number, number>();
  readonly #contextCpu = new Map<number, number>();
  readonly #queries: KernelQueries;
  /** Pids whose program (or injected ptrace payload) is executing, innermost last. */
  readonly #executing: number[] = [];
  #nextPid = 1;
  #budgetLeft = Infinity;
  #traceDepth = 0;

  constructor(options: IsolationKernelOptions = {}) {
    this.vfs = new Vfs('disk0');
    this.net = new NetStack(options.interfaces ?? [
      { name: 'lo0', addresses: ['127.0.0.1'] },
      { name: 'em0', addresses: ['192.0.2.1'] },
    ]);
    for (const address of this.net.addresses) requireArgument(isIpv4(address), `interface address ${address} is not an IPv4 address`);
    this.costs = Object.freeze({ ...DEFAULT_KERNEL_COSTS, ...options.costs });
    for (const [key, value] of Object.entries(this.costs)) {
      requireArgument(Number.isFinite(value) && value >= 0, `cost ${key} must be a non-negative number`);
    }
    this.maxProcesses = positiveInt(options.maxProcesses ?? 1000, 'maxProcesses');
    this.memoryBytes = positiveInt(options.memoryBytes ?? 2 * 1024 ** 3, 'memoryBytes');
    this.processBaseBytes = positiveInt(options.processBaseBytes ?? 1024 ** 2, 'processBaseBytes');
    this.diskBytes = positiveInt(options.diskBytes ?? 1024 ** 3, 'diskBytes');
    this.#contexts.set(0, {
      info: Object.freeze({
        id: 0, name: 'host', rootPath: '/', addresses: Object.freeze(this.net.addresses), limits: Object.freeze({}),
      }),
      root: this.vfs.rootLocation,
    });
    const queries: KernelQueries = {
      isContextRoot: (node, contextId) => sameLocation(this.#locationOfView(node), this.#context(contextId).root),
      isInsideContext: (node, contextId) => this.vfs.isWithin(this.#locationOfView(node), this.#context(contextId).root),
      context: (contextId) => this.#context(contextId).info,
      usage: (contextId) => this.usage(this.#context(contextId).info.id),
    };
    this.#queries = Object.freeze(queries);
  }

  // ---------------------------------------------------------------- contexts, processes, runs

  createContext(name: string, rootPath: string, addresses: readonly string[], limits: KernelContextLimits): KernelContextInfo {
    requireArgument(typeof name === 'string' && name !== '', 'a context needs a non-empty name');
    const root = this.adminResolve(rootPath);
    if (!isDirLocation(root)) throw new SimError('INVALID_ARGUMENT', `context root ${rootPath} is not a directory`);
    requireArgument(Array.isArray(addresses), 'addresses must be an array of IPv4 addresses');
    for (const address of addresses) {
      requireArgument(typeof address === 'string' && this.net.isLocal(address), `${String(address)} is not an address of this host's interfaces`);
    }
    for (const [key, value] of Object.entries(limits)) {
      requireArgument(value === undefined || (Number.isSafeInteger(value) && value >= 0), `limit ${key} must be a non-negative integer`);
    }
    const id = this.#contexts.size;
    const info: KernelContextInfo = Object.freeze({
      id, name, rootPath: this.vfs.pathOf(root), addresses: Object.freeze([...addresses]), limits: Object.freeze({ ...limits }),
    });
    this.#contexts.set(id, { info, root });
    return info;
  }

  contexts(): KernelContextInfo[] {
    return [...this.#contexts.values()].map((c) => c.info);
  }

  contextInfo(id: number): KernelContextInfo {
    return this.#context(id).info;
  }

  /** Creates a process with no parent: resident (`program` null) or runnable. Throws SimError on bad options. */
  spawn(options: { name: string; uid: number; gid: number; context: number; cwd?: string }, program: KernelProgram | null): KProcess {
    const context = this.#context(options.context);
    let cwd: Location = context.root;
    if (options.cwd !== undefined) {
      cwd = this.adminResolve(joinPath(context.info.rootPath, options.cwd));
      if (!isDirLocation(cwd)) throw new SimError('INVALID_ARGUMENT', `cwd ${options.cwd} is not a directory`);
    }
    if (this.#liveCount() >= this.maxProcesses) {
      throw new SimError('CAPACITY_EXCEEDED', `the process table is full (${this.maxProcesses} processes)`);
    }
    const proc = this.#newProcess({
      ppid: 0, uid: options.uid, gid: options.gid, ctx: context.info.id, name: options.name, root: context.root, cwd,
    });
    if (program !== null) this.#makeRunnable(proc, program);
    return proc;
  }

  proc(pid: number): KProcess {
    const proc = this.#processes.get(pid);
    if (proc === undefined) throw new SimError('NOT_FOUND', `no process with pid ${pid}`);
    return proc;
  }

  allProcesses(): KProcess[] {
    return [...this.#processes.values()];
  }

  /** Gives a resident process a program to run at the next `runPending`. */
  schedule(proc: KProcess, program: KernelProgram): void {
    if (proc.state !== 'sleeping') {
      throw new SimError('INVALID_STATE', `process ${proc.pid} is ${proc.state}; only a sleeping process can be given a program`);
    }
    this.#makeRunnable(proc, program);
  }

  /** Runs runnable processes in FIFO order until none is left or `maxSyscalls` system calls were made. */
  runPending(maxSyscalls: number): { syscalls: number; budgetExhausted: boolean } {
    this.#budgetLeft = maxSyscalls;
    let used = 0;
    try {
      while (this.#runQueue.length > 0 && this.#budgetLeft > 0) {
        const pid = this.#runQueue.shift() as number;
        const proc = this.#processes.get(pid);
        if (proc === undefined || proc.state !== 'runnable' || proc.program === null) continue;
        const before = this.#budgetLeft;
        this.#runProgram(proc, proc.program);
        used += before - this.#budgetLeft;
      }
    } finally {
      this.#budgetLeft = Infinity;
    }
    return { syscalls: used, budgetExhausted: this.#runQueue.some((pid) => this.#processes.get(pid)?.state === 'runnable') };
  }

  #makeRunnable(proc: KProcess, program: KernelProgram): void {
    requireArgument(typeof program === 'function', 'a program is a function (sys) => result');
    proc.program = program;
    proc.state = 'runnable';
    this.#runQueue.push(proc.pid);
  }

  #runProgram(proc: KProcess, program: KernelProgram): void {
    proc.state = 'running';
    proc.program = null;
    const sys = new Syscalls(this, proc.pid);
    this.#executing.push(proc.pid);
    try {
      const value = program(sys);
      if (value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function') {
        throw new SimError('INVALID_ARGUMENT', 'programs must be synchronous functions; this one returned a promise');
      }
      proc.value = value;
      this.#exit(proc, 0);
    } catch (thrown) {
      if (thrown instanceof ProcessExit) this.#exit(proc, thrown.code);
      else if (thrown instanceof ProcessStop) {
        // Killed: already exited. Out of budget: the process stays alive, stopped where it was.
        if (proc.state === 'running') proc.state = 'sleeping';
      } else {
        proc.error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
        this.#exit(proc, 134);
      }
    } finally {
      this.#executing.pop();
    }
  }

  #newProcess(fields: Pick<KProcess, 'ppid' | 'uid' | 'gid' | 'ctx' | 'name' | 'root' | 'cwd'>): KProcess {
    const proc: KProcess = {
      ...fields, pid: this.#nextPid++, fds: new Map(), state: 'sleeping', exitCode: null,
      memoryBytes: this.processBaseBytes, heapBytes: 0, cpuNs: 0, syscalls: 0, program: null, value: undefined, error: null,
    };
    this.#processes.set(proc.pid, proc);
    return proc;
  }

  #exit(proc: KProcess, code: number): void {
    if (proc.state === 'exited') return;
    for (const fd of [...proc.fds.keys()]) this.#closeFd(proc, fd);
    proc.state = 'exited';
    proc.exitCode = code;
    proc.memoryBytes = 0;
    proc.heapBytes = 0;
    proc.program = null;
    this.#record(proc, { kind: 'exit', value: code });
  }

  #liveCount(ctx?: number): number {
    let count = 0;
    for (const p of this.#processes.values()) if (p.state !== 'exited' && (ctx === undefined || p.ctx === ctx)) count++;
    return count;
  }

  usage(ctx: number): KernelContextUsage {
    let processes = 0;
    let memoryBytes = 0;
    for (const p of this.#processes.values()) {
      if (p.state === 'exited' || p.ctx !== ctx) continue;
      processes++;
      memoryBytes += p.memoryBytes;
    }
    return Object.freeze({
      processes, memoryBytes, diskBytes: this.#diskUsage.get(ctx) ?? 0, cpuNs: this.#contextCpu.get(ctx) ?? 0,
    });
  }

  #totalMemory(): number {
    let total = 0;
    for (const p of this.#processes.values()) total += p.memoryBytes;
    return total;
  }

  #totalDisk(): number {
    let total = 0;
    for (const used of this.#diskUsage.values()) total += used;
    return total;
  }

  // ---------------------------------------------------------------- views and audit

  processInfo(proc: KProcess): KernelProcessInfo {
    return Object.freeze({
      pid: proc.pid, ppid: proc.ppid, uid: proc.uid, gid: proc.gid, context: proc.ctx,
      name: proc.name, state: proc.state,
    });
  }

  /** A frozen view of `loc` that policies may hand back to {@link KernelQueries}. */
  nodeView(loc: Location): VfsNodeInfo {
    const node = loc.node;
    const vfs = this.vfs;
    let hostPath: string | undefined;
    const device = node.kind === 'device'
      ? Object.freeze({
        type: node.deviceType, major: node.major, minor: node.minor,
        name: findDevice(node.deviceType, node.major, node.minor)?.name ?? null,
      })
      : null;
    const view: VfsNodeInfo = Object.freeze({
      ino: node.ino, kind: node.kind, mode: node.mode, uid: node.uid, gid: node.gid, createdByContext: node.ctx,
      device, symlinkTarget: node.kind === 'symlink' ? node.target : null, mountId: loc.mount.id,
      get hostPath(): string {
        hostPath ??= vfs.pathOf(loc);
        return hostPath;
      },
    });
    this.#views.set(view, loc);
    return view;
  }

  #locationOfView(view: VfsNodeInfo): Location {
    const loc = typeof view === 'object' && view !== null ? this.#views.get(view) : undefined;
    if (loc === undefined) throw new SimError('INVALID_ARGUMENT', 'that node view was not made by this kernel');
    return loc;
  }

  #context(id: number): KContext {
    const context = this.#contexts.get(id);
    if (context === undefined) throw new SimError('NOT_FOUND', `no context with id ${String(id)}`);
    return context;
  }

  get auditLog(): readonly KernelAuditEvent[] {
    return this.#audit;
  }

  #record(proc: KProcess, event: Record<string, unknown>): void {
    this.#audit.push(Object.freeze({
      seq: this.#audit.length + 1, pid: proc.pid, context: proc.ctx, uid: proc.uid, ...event,
    }) as KernelAuditEvent);
  }

  #recordFile(proc: KProcess, op: string, node: Inode): void {
    this.#record(proc, { kind: 'file', op, ino: node.ino, hostPath: this.vfs.canonicalPath(node), nodeKind: node.kind });
  }

  // ---------------------------------------------------------------- the policy

  #base(proc: KProcess): PolicyQueryBase {
    return { process: this.processInfo(proc), context: this.#context(proc.ctx).info, kernel: this.#queries };
  }

  /** Asks a policy hook; a missing hook gives `fallback`; an error or a non-decision fails closed. */
  #ask<T>(proc: KProcess, hook: keyof IsolationPolicy, query: object, fallback: T, isDecision: (v: unknown) => v is T, closed: T): T {
    const policy = this.policy;
    const method = policy[hook];
    if (typeof method !== 'function') return fallback;
    if (proc.ctx !== 0) this.#charge(proc, this.costs.policyCheckNs);
    try {
      const answer: unknown = (method as (q: object) => unknown).call(policy, Object.freeze(query));
      if (isDecision(answer)) return answer;
      this.#record(proc, { kind: 'policy-error', hook, message: `returned ${describe(answer)}, not a decision` });
    } catch (thrown) {
      if (thrown instanceof ProcessStop || thrown instanceof ProcessExit) throw thrown;
      const message = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
      this.#record(proc, { kind: 'policy-error', hook, message });
    }
    return closed;
  }

  #allow(proc: KProcess, hook: keyof IsolationPolicy, query: object): boolean {
    return this.#ask(proc, hook, { ...this.#base(proc), ...query }, true, isBoolean, false);
  }

  #allowFile(proc: KProcess, op: FileOp, loc: Location): boolean {
    return this.#allow(proc, 'allowFileAccess', { op, node: this.nodeView(loc) });
  }

  #requireFile(proc: KProcess, op: FileOp, loc: Location): void {
    if (!this.#allowFile(proc, op, loc)) fail('EACCES');
  }

  #requirePrivileged(proc: KProcess, action: PrivilegedAction, loc: Location | null, detail: string): void {
    if (proc.uid !== 0) fail('EPERM');
    const node = loc === null ? null : this.nodeView(loc);
    if (!this.#allow(proc, 'allowPrivileged', { action, node, detail })) fail('EPERM');
  }

  // ---------------------------------------------------------------- system call plumbing

  /** Runs one system call for `pid`: charges it, and turns kernel failures into errno results. */
  syscall<T>(pid: number, body: (proc: KProcess) => T): SysResult<T> {
    const proc = this.#enter(pid);
    this.#charge(proc, this.costs.syscallNs);
    proc.syscalls++;
    try {
      return sysOk(body(proc));
    } catch (thrown) {
      if (thrown instanceof SyscallFailure) return sysFail(thrown.errno);
      throw thrown;
    }
  }

  /** Charges user-mode computation (not a system call, but it counts against the run's budget). */
  compute(pid: number, ns: number): void {
    const proc = this.#enter(pid);
    this.#charge(proc, ns);
  }

  #enter(pid: number): KProcess {
    const proc = this.proc(pid);
    if (proc.state === 'exited') {
      // Inside a program run, unwind the dead process's program; from outside, it is API misuse.
      if (this.#executing.includes(pid)) throw new ProcessStop('killed');
      throw new SimError('INVALID_STATE', `process ${pid} has exited; it can make no more system calls`);
    }
    if (this.#budgetLeft <= 0) throw new ProcessStop('budget');
    this.#budgetLeft--;
    return proc;
  }

  #charge(proc: KProcess, ns: number): void {
    proc.cpuNs += ns;
    this.clockNs += ns;
    this.#contextCpu.set(proc.ctx, (this.#contextCpu.get(proc.ctx) ?? 0) + ns);
  }

  #rules(proc: KProcess, start: Location = proc.cwd): WalkRules {
    return {
      root: proc.root,
      start,
      canSearch: (dir) => permits(proc, dir.node, 1),
      allowDotDot: (dir) => this.#allow(proc, 'allowDotDot', { dir: this.nodeView(dir) }),
      allowFollow: (link) => this.#allow(proc, 'allowFollowSymlink', { link: this.nodeView(link), target: link.node.target }),
      onStep: () => this.#charge(proc, this.costs.pathComponentNs),
    };
  }

  /** Resolves a path for a host administrator (no policy, no permissions); throws SimError if absent. */
  adminResolve(path: string, followFinal = true): Location {
    requireArgument(typeof path === 'string' && path.startsWith('/'), `expected an absolute path, got ${describe(path)}`);
    const root = this.vfs.rootLocation;
    const rules: WalkRules = {
      root, start: root, canSearch: () => true, allowDotDot: () => true, allowFollow: () => true, onStep: () => undefined,
    };
    try {
      return this.vfs.resolve(path, rules, followFinal);
    } catch (thrown) {
      if (thrown instanceof SyscallFailure) throw new SimError('NOT_FOUND', `${path}: ${thrown.errno}`);
      throw thrown;
    }
  }

  #fd(proc: KProcess, fd: number): OpenFile {
    const open = proc.fds.get(fd);
    if (open === undefined) fail('EBADF');
    return open;
  }

  #installFd(proc: KProcess, open: OpenFile): number {
    let fd = 0;
    while (proc.fds.has(fd)) fd++;
    proc.fds.set(fd, open);
    return fd;
  }

  #closeFd(proc: KProcess, fd: number): void {
    const open = proc.fds.get(fd);
    if (open === undefined) return;
    proc.fds.delete(fd);
    if (open.kind === 'socket') this.net.release(open.socket);
  }

  #dirFdStart(proc: KProcess, dirfd: number): Location {
    const open = this.#fd(proc, dirfd);
    if (open.kind !== 'vnode') fail('ENOTDIR');
    if (!isDirLocation(open.loc)) fail('ENOTDIR');
    this.#requireFile(proc, 'dirfd', open.loc);
    return open.loc;
  }

  // ---------------------------------------------------------------- file system calls

  open(proc: KProcess, path: string, flags: OpenFlags, perm: number, dirfd: number | null): number {
    const start = dirfd === null ? proc.cwd : this.#dirFdStart(proc, dirfd);
    const rules = this.#rules(proc, start);
    const readable = flags === 'r' || flags === 'r+' || flags === 'w+';
    const writable = flags !== 'r';
    const creates = flags === 'w' || flags === 'w+' || flags === 'a' || flags === 'wx';
    let loc: Location;
    let created = false;
    try {
      loc = this.vfs.resolve(path, rules, true);
      if (flags === 'wx') fail('EEXIST');
    } catch (thrown) {
      if (!(thrown instanceof SyscallFailure) || thrown.errno !== 'ENOENT' || !creates) throw thrown;
      const { dir, name } = this.vfs.resolveParent(path, rules);
      if (dir.node.entries.has(name)) throw thrown; // a dangling symbolic link: not followed to create
      this.#checkCreate(proc, dir);
      loc = { mount: dir.mount, node: this.vfs.createFile(dir.node, name, this.#owner(proc, perm)) };
      created = true; // as in Unix, the creator may use the new file whatever its mode
      this.#recordFile(proc, 'create', loc.node);
    }
    const node = loc.node;
    if (node.kind === 'dir' && writable) fail('EISDIR');
    if (node.kind === 'device' && findDevice(node.deviceType, node.major, node.minor) === undefined) fail('ENXIO');
    if (readable) {
      if (!created && !permits(proc, node, 4)) fail('EACCES');
      this.#requireFile(proc, 'read', loc);
    }
    if (writable) {
      if (!created && !permits(proc, node, 2)) fail('EACCES');
      this.#requireFile(proc, 'write', loc);
    }
    if (node.kind === 'file' && (flags === 'w' || flags === 'w+')) this.#resize(node, '');
    this.#recordFile(proc, 'open', node);
    return this.#installFd(proc, { kind: 'vnode', loc, readable, writable, append: flags === 'a', offset: 0 });
  }

  #owner(proc: KProcess, perm: number) {
    return { uid: proc.uid, gid: proc.gid, mode: perm, ctx: proc.ctx };
  }

  #checkCreate(proc: KProcess, dir: DirLocation): void {
    if (!permits(proc, dir.node, 2) || !permits(proc, dir.node, 1)) fail('EACCES');
    this.#requireFile(proc, 'create', dir);
  }

  #resize(node: Inode & { kind: 'file' }, content: string): void {
    const delta = content.length - node.content.length;
    node.content = content;
    this.#diskUsage.set(node.ctx, (this.#diskUsage.get(node.ctx) ?? 0) + delta);
  }

  read(proc: KProcess, fd: number, max: number): string {
    const open = this.#fd(proc, fd);
    if (open.kind === 'socket') {
      if (open.socket.state !== 'connected') fail('ENOTCONN');
      return '';
    }
    if (!open.readable) fail('EBADF');
    const node = open.loc.node;
    let data: string;
    if (node.kind === 'dir') fail('EISDIR');
    if (node.kind === 'device') {
      const device = findDevice(node.deviceType, node.major, node.minor);
      if (device === undefined) fail('ENXIO');
      const contents = this.#deviceContents(device);
      data = device.kind === 'zero' ? '\0'.repeat(Math.min(max, 4096)) : contents.slice(open.offset, open.offset + max);
      this.#record(proc, { kind: 'device', op: 'read', device: device.name, raw: device.raw, hostPath: this.vfs.canonicalPath(node) });
    } else if (node.kind === 'file') {
      data = node.content.slice(open.offset, open.offset + max);
      this.#recordFile(proc, 'read', node);
    } else {
      return fail('EINVAL');
    }
    open.offset += data.length;
    this.#charge(proc, data.length * this.costs.copyNsPerByte);
    return data;
  }

  /** What a raw device reads as: the disk holds every file of the root file system; memory caches them. */
  #deviceContents(device: KernelDeviceSpec): string {
    if (device.kind !== 'disk' && device.kind !== 'mem') return '';
    const parts: string[] = [];
    const visit = (node: Inode): void => {
      if (node.kind === 'dir') for (const child of node.entries.values()) visit(child);
      else if (node.kind === 'file') parts.push(`${this.vfs.canonicalPath(node)}\n${node.content}\n`);
    };
    visit(this.vfs.rootFs.root);
    return parts.join('');
  }

  write(proc: KProcess, fd: number, data: string): number {
    const open = this.#fd(proc, fd);
    if (open.kind === 'socket') {
      if (open.socket.state !== 'connected') fail('ENOTCONN');
      this.#charge(proc, data.length * this.costs.copyNsPerByte);
      return data.length;
    }
    if (!open.writable) fail('EBADF');
    const node = open.loc.node;
    if (node.kind === 'device') {
      const device = findDevice(node.deviceType, node.major, node.minor);
      if (device === undefined) fail('ENXIO');
      if (device.kind === 'console') this.consoleOutput.push(data);
      this.#record(proc, { kind: 'device', op: 'write', device: device.name, raw: device.raw, hostPath: this.vfs.canonicalPath(node) });
    } else if (node.kind === 'file') {
      const offset = open.append ? node.content.length : open.offset;
      const next = node.content.slice(0, offset).padEnd(offset, '\0') + data + node.content.slice(offset + data.length);
      const growth = next.length - node.content.length;
      if (growth > 0) this.#admitDisk(proc, node.ctx, growth);
      this.#resize(node, next);
      open.offset = offset + data.length;
      this.#recordFile(proc, 'write', node);
    } else {
      fail('EISDIR');
    }
    this.#charge(proc, data.length * this.costs.copyNsPerByte);
    return data.length;
  }

  #admitDisk(proc: KProcess, ownerCtx: number, bytes: number): void {
    if (this.#totalDisk() + bytes > this.diskBytes) fail('ENOSPC');
    if (!this.#allow(proc, 'admitDisk', { bytes, usage: this.usage(ownerCtx) })) fail('EDQUOT');
  }

  close(proc: KProcess, fd: number): void {
    this.#fd(proc, fd);
    this.#closeFd(proc, fd);
  }

  stat(proc: KProcess, path: string, follow: boolean): KernelStat {
    const loc = this.vfs.resolve(path, this.#rules(proc), follow);
    this.#requireFile(proc, 'stat', loc);
    const node = loc.node;
    return Object.freeze({
      ino: node.ino, kind: node.kind, mode: node.mode, uid: node.uid, gid: node.gid,
      size: node.kind === 'file' ? node.content.length : node.kind === 'dir' ? node.entries.size : node.kind === 'symlink' ? node.target.length : 0,
      device: node.kind === 'device' ? Object.freeze({ type: node.deviceType, major: node.major, minor: node.minor }) : null,
    });
  }

  readlink(proc: KProcess, path: string): string {
    const loc = this.vfs.resolve(path, this.#rules(proc), false);
    if (loc.node.kind !== 'symlink') fail('EINVAL');
    this.#requireFile(proc, 'readlink', loc);
    return loc.node.target;
  }

  readdir(proc: KProcess, path: string): string[] {
    const loc = this.vfs.resolve(path, this.#rules(proc), true);
    if (loc.node.kind !== 'dir') fail('ENOTDIR');
    if (!permits(proc, loc.node, 4)) fail('EACCES');
    this.#requireFile(proc, 'readdir', loc);
    this.#recordFile(proc, 'readdir', loc.node);
    return [...loc.node.entries.keys()].sort();
  }

  chdir(proc: KProcess, path: string): void {
    const loc = this.vfs.resolve(path, this.#rules(proc), true);
    this.#enterDir(proc, loc, 'chdir');
  }

  fchdir(proc: KProcess, fd: number): void {
    const open = this.#fd(proc, fd);
    if (open.kind !== 'vnode') fail('ENOTDIR');
    this.#enterDir(proc, open.loc, 'fchdir');
  }

  #enterDir(proc: KProcess, loc: Location, op: 'chdir' | 'fchdir'): void {
    if (loc.node.kind !== 'dir') fail('ENOTDIR');
    if (!permits(proc, loc.node, 1)) fail('EACCES');
    this.#requireFile(proc, op, loc);
    proc.cwd = loc;
    this.#recordFile(proc, 'chdir', loc.node);
  }

  /** The working directory as a path from the process's root; `(unreachable)` prefixes one outside it. */
  getcwd(proc: KProcess): string {
    const names: string[] = [];
    let current = proc.cwd;
    for (let guard = 0; guard < 10_000; guard++) {
      if (sameLocation(current, proc.root)) return '/' + names.reverse().join('/');
      const up = this.vfs.parentOf(current);
      if (sameLocation(up, current)) break;
      let inner = current;
      while (inner.node === inner.mount.fs.root && inner.mount.mountpoint !== null) inner = inner.mount.mountpoint;
      names.push(inner.node.name);
      current = up;
    }
    return '(unreachable)/' + names.reverse().join('/');
  }

  chroot(proc: KProcess, path: string): void {
    if (proc.uid !== 0) fail('EPERM');
    const loc = this.vfs.resolve(path, this.#rules(proc), true);
    if (loc.node.kind !== 'dir') fail('ENOTDIR');
    if (!permits(proc, loc.node, 1)) fail('EACCES');
    this.#requirePrivileged(proc, 'chroot', loc, path);
    proc.root = loc; // the working directory stays where it was: the classic hole
    this.#record(proc, { kind: 'chroot', hostPath: this.vfs.canonicalPath(loc.node) });
  }

  mkdir(proc: KProcess, path: string, perm: number): void {
    const { dir, name } = this.vfs.resolveParent(path, this.#rules(proc));
    if (dir.node.entries.has(name)) fail('EEXIST');
    this.#checkCreate(proc, dir);
    const node = this.vfs.createDir(dir.node, name, this.#owner(proc, perm));
    this.#recordFile(proc, 'create', node);
  }

  symlink(proc: KProcess, target: string, path: string): void {
    const { dir, name } = this.vfs.resolveParent(path, this.#rules(proc));
    if (dir.node.entries.has(name)) fail('EEXIST');
    if (target === '') fail('ENOENT');
    this.#checkCreate(proc, dir);
    const node = this.vfs.createSymlink(dir.node, name, this.#owner(proc, 0o777), target);
    this.#recordFile(proc, 'create', node);
  }

  unlink(proc: KProcess, path: string): void {
    const { dir, name } = this.vfs.resolveParent(path, this.#rules(proc));
    const node = dir.node.entries.get(name);
    if (node === undefined) fail('ENOENT');
    if (node.kind === 'dir') {
      if (node.entries.size > 0) fail('ENOTEMPTY');
      if (this.vfs.mounts.some((m) => m.mountpoint?.node === node)) fail('EBUSY');
    }
    if (!permits(proc, dir.node, 2) || !permits(proc, dir.node, 1)) fail('EACCES');
    this.#requireFile(proc, 'unlink', { mount: dir.mount, node });
    if (node.kind === 'file') this.#resize(node, '');
    dir.node.entries.delete(name);
    this.#recordFile(proc, 'unlink', node);
  }

  mknod(proc: KProcess, path: string, type: 'char' | 'block', major: number, minor: number, perm: number): void {
    if (proc.uid !== 0) fail('EPERM');
    const { dir, name } = this.vfs.resolveParent(path, this.#rules(proc));
    if (dir.node.entries.has(name)) fail('EEXIST');
    this.#requirePrivileged(proc, 'mknod', dir, `${type} ${major}:${minor}`);
    const node = this.vfs.createDevice(dir.node, name, this.#owner(proc, perm), type, major, minor);
    const device = findDevice(type, major, minor);
    this.#record(proc, {
      kind: 'device', op: 'mknod', device: device?.name ?? null, raw: device?.raw ?? false, hostPath: this.vfs.canonicalPath(node),
    });
  }

  mount(proc: KProcess, source: string | null, target: string, fstype: MountFsType): void {
    if (proc.uid !== 0) fail('EPERM');
    const rules = this.#rules(proc);
    const at = this.vfs.resolve(target, rules, true);
    if (!isDirLocation(at)) fail('ENOTDIR');
    let fs = this.vfs.rootFs;
    if (fstype === 'tmpfs') {
      fs = this.vfs.createFilesystem('tmpfs', null);
    } else {
      if (source === null) fail('EINVAL');
      const device = this.vfs.resolve(source, rules, true).node;
      if (device.kind !== 'device' || device.deviceType !== 'block') fail('ENOTBLK');
      const spec = findDevice('block', device.major, device.minor);
      if (spec === undefined || spec.kind !== 'disk') fail('ENXIO');
    }
    this.#requirePrivileged(proc, 'mount', at, `${fstype} ${source ?? 'none'}`);
    this.vfs.mount(fs, at);
    this.#record(proc, { kind: 'mount', fstype, source, hostPath: this.vfs.canonicalPath(at.node) });
  }

  chmod(proc: KProcess, path: string, mode: number): void {
    const loc = this.vfs.resolve(path, this.#rules(proc), true);
    if (proc.uid !== 0 && proc.uid !== loc.node.uid) fail('EPERM');
    this.#requireFile(proc, 'chmod', loc);
    loc.node.mode = mode & 0o7777;
    this.#recordFile(proc, 'chmod', loc.node);
  }

  chown(proc: KProcess, path: string, uid: number, gid: number): void {
    const loc = this.vfs.resolve(path, this.#rules(proc), true);
    if (proc.uid !== 0) fail('EPERM');
    this.#requireFile(proc, 'chown', loc);
    loc.node.uid = uid;
    loc.node.gid = gid;
    this.#recordFile(proc, 'chown', loc.node);
  }

  // ---------------------------------------------------------------- processes

  #visibleTarget(proc: KProcess, pid: number): KProcess {
    const target = this.#processes.get(pid);
    if (target === undefined || target.state === 'exited') fail('ESRCH');
    if (target !== proc && !this.#allow(proc, 'canSeeProcess', this.#targetQuery(target))) fail('ESRCH');
    return target;
  }

  #targetQuery(target: KProcess) {
    return { target: this.processInfo(target), targetContext: this.#context(target.ctx).info };
  }

  ps(proc: KProcess): KernelProcessInfo[] {
    const listed: KernelProcessInfo[] = [];
    for (const target of this.#processes.values()) {
      if (target.state === 'exited') continue;
      if (target === proc || this.#allow(proc, 'canSeeProcess', this.#targetQuery(target))) listed.push(this.processInfo(target));
    }
    return listed;
  }

  kill(proc: KProcess, pid: number, signal: KernelSignal): void {
    const target = this.#visibleTarget(proc, pid);
    if (proc.uid !== 0 && proc.uid !== target.uid) fail('EPERM');
    if (!this.#allow(proc, 'allowSignal', { ...this.#targetQuery(target), signal })) fail('EPERM');
    this.#record(proc, { kind: 'signal', target: target.pid, targetContext: target.ctx, signal: String(signal) });
    if (signal === 0 || signal === 'SIGSTOP') return;
    this.#exit(target, 128 + (SIGNAL_NUMBERS[signal] ?? 15));
  }

  /** Attaches to `pid` and runs `payload` as that process (how a debugger injects code). */
  ptrace(proc: KProcess, pid: number, payload: KernelProgram): unknown {
    const target = this.#visibleTarget(proc, pid);
    if (target === proc) fail('EPERM');
    if (proc.uid !== 0 && proc.uid !== target.uid) fail('EPERM');
    if (!this.#allow(proc, 'allowTrace', this.#targetQuery(target))) fail('EPERM');
    if (this.#traceDepth >= MAX_TRACE_DEPTH) fail('EBUSY');
    this.#record(proc, { kind: 'trace', target: target.pid, targetContext: target.ctx });
    this.#traceDepth++;
    this.#executing.push(target.pid);
    const previous = target.state;
    try {
      if (target.state !== 'running') target.state = 'running';
      return payload(new Syscalls(this, target.pid));
    } catch (thrown) {
      if (thrown instanceof ProcessExit) {
        this.#exit(target, thrown.code);
        return undefined;
      }
      if (thrown instanceof ProcessStop && thrown.reason === 'killed') return undefined;
      // Out of budget: the tracer stops where it was; the target (restored below) goes back to its state.
      if (thrown instanceof ProcessStop) throw thrown;
      if (target.state === 'running') target.state = previous;
      target.error = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown);
      this.#exit(target, 134);
      return undefined;
    } finally {
      // However the payload ended, a target it did not end goes back to what it was doing.
      if (target.state === 'running') target.state = previous;
      this.#traceDepth--;
      this.#executing.pop();
    }
  }

  fork(proc: KProcess, program: KernelProgram): number {
    if (this.#liveCount() >= this.maxProcesses) fail('EAGAIN');
    if (!this.#allow(proc, 'admitFork', { usage: this.usage(proc.ctx) })) fail('EAGAIN');
    this.#admitMemory(proc, this.processBaseBytes);
    this.#charge(proc, this.costs.forkNs);
    const child = this.#newProcess({
      ppid: proc.pid, uid: proc.uid, gid: proc.gid, ctx: proc.ctx, name: proc.name,
      root: proc.root, cwd: proc.cwd,
    });
    for (const [fd, open] of proc.fds) {
      if (open.kind === 'socket') open.socket.refs++;
      child.fds.set(fd, open);
    }
    this.#makeRunnable(child, program);
    this.#record(proc, { kind: 'fork', value: child.pid });
    return child.pid;
  }

  #admitMemory(proc: KProcess, bytes: number): void {
    if (this.#totalMemory() + bytes > this.memoryBytes) fail('ENOMEM');
    if (!this.#allow(proc, 'admitMemory', { bytes, usage: this.usage(proc.ctx) })) fail('ENOMEM');
  }

  alloc(proc: KProcess, bytes: number): void {
    this.#admitMemory(proc, bytes);
    proc.memoryBytes += bytes;
    proc.heapBytes += bytes;
  }

  free(proc: KProcess, bytes: number): void {
    const freed = Math.min(bytes, proc.heapBytes);
    proc.memoryBytes -= freed;
    proc.heapBytes -= freed;
  }

  /**
   * Moves the calling host process into context `ctxId` (FreeBSD's jail_attach): its root and
   * working directory become the context's root. Open descriptors are kept, as in Unix, which is
   * how a careless launcher leaks a directory outside the jail.
   */
  jailAttach(proc: KProcess, ctxId: number): void {
    if (proc.ctx !== 0 || proc.uid !== 0) fail('EPERM');
    const context = this.#contexts.get(ctxId);
    if (context === undefined || ctxId === 0) fail('EINVAL');
    proc.ctx = ctxId;
    proc.root = context.root;
    proc.cwd = context.root;
    this.#record(proc, { kind: 'attach', value: ctxId });
  }

  setuid(proc: KProcess, uid: number): void {
    if (proc.uid !== 0) {
      if (uid !== proc.uid) fail('EPERM');
      return;
    }
    this.#requirePrivileged(proc, 'setuid', null, String(uid));
    proc.uid = uid;
    this.#record(proc, { kind: 'setuid', value: uid });
  }

  // ---------------------------------------------------------------- sockets

  #socket(proc: KProcess, fd: number): NetSocket {
    const open = this.#fd(proc, fd);
    if (open.kind !== 'socket') fail('ENOTSOCK');
    return open.socket;
  }

  socket(proc: KProcess): number {
    return this.#installFd(proc, { kind: 'socket', socket: this.net.create(proc.pid, proc.ctx) });
  }

  bind(proc: KProcess, fd: number, address: string, port: number): void {
    const socket = this.#socket(proc, fd);
    if (port !== 0 && port < 1024 && proc.uid !== 0) fail('EACCES');
    this.#bindAs(proc, socket, address, port);
  }

  /**
   * Binds as the policy allows. `destination` marks connect's implicit bind: a wildcard the policy
   * keeps then becomes the source address the route gives (for a local destination, itself).
   */
  #bindAs(proc: KProcess, socket: NetSocket, requested: string, port: number, destination?: string): void {
    this.#charge(proc, this.costs.socketNs);
    const allowed = this.#ask(proc, 'bindAddress', { ...this.#base(proc), address: requested, port }, requested, isAddressOrNull, null);
    if (allowed === null) fail('EADDRNOTAVAIL');
    const actual = destination !== undefined && allowed === WILDCARD_ADDRESS && this.net.isLocal(destination) ? destination : allowed;
    this.net.bind(socket, actual, port);
    this.#record(proc, { kind: 'bind', requestedAddress: requested, address: actual, port: socket.localPort });
  }

  listen(proc: KProcess, fd: number): void {
    this.#charge(proc, this.costs.socketNs);
    this.net.listen(this.#socket(proc, fd));
  }

  connect(proc: KProcess, fd: number, address: string, port: number): void {
    const socket = this.#socket(proc, fd);
    this.#charge(proc, this.costs.socketNs);
    const actual = this.#ask(proc, 'connectAddress', { ...this.#base(proc), address, port }, address, isAddressOrNull, null);
    if (actual === null) fail('EADDRNOTAVAIL');
    // An unbound socket is bound implicitly, as if to the wildcard: the policy decides the source
    // address (a jail's becomes its own), and a wildcard it keeps is narrowed by the route.
    if (socket.state === 'unbound') this.#bindAs(proc, socket, WILDCARD_ADDRESS, 0, actual);
    this.net.connect(socket, actual, port);
    this.#record(proc, { kind: 'connect', address: actual, port });
  }

  accept(proc: KProcess, fd: number): number {
    const listener = this.#socket(proc, fd);
    this.#charge(proc, this.costs.socketNs);
    const connection = this.net.accept(listener, proc.pid, proc.ctx);
    if (connection === null) fail('EAGAIN');
    return this.#installFd(proc, { kind: 'socket', socket: connection });
  }

  // ---------------------------------------------------------------- breaches (for graders)

  /** The audit events in which a process of `contextId` reached beyond its context. */
  breaches(contextId: number): { event: KernelAuditEvent; reason: string }[] {
    const context = this.#context(contextId).info;
    const inside = (hostPath: string): boolean =>
      context.rootPath === '/' || hostPath === context.rootPath || hostPath.startsWith(context.rootPath + '/');
    const found: { event: KernelAuditEvent; reason: string }[] = [];
    for (const event of this.#audit) {
      if (event.context !== contextId) continue;
      const reason = breachReason(event, inside, context);
      if (reason !== null) found.push(Object.freeze({ event, reason }));
    }
    return found;
  }

  /** The devices table, for documentation and tests. */
  get devices() {
    return KERNEL_DEVICES;
  }
}

function breachReason(
  event: KernelAuditEvent, inside: (hostPath: string) => boolean, context: KernelContextInfo,
): string | null {
  if (context.id === 0) return null;
  switch (event.kind) {
    case 'file':
      return inside(event.hostPath) ? null : `${event.op} of ${event.hostPath}, outside ${context.rootPath}`;
    case 'device':
      if (event.op === 'mknod') return `created device node ${event.hostPath} (${event.device ?? 'unknown device'})`;
      return event.raw ? `${event.op} of raw device ${event.device ?? '?'}` : null;
    case 'mount':
      return `mounted ${event.fstype} on ${event.hostPath}`;
    case 'chroot':
      return inside(event.hostPath) ? null : `chroot to ${event.hostPath}, outside ${context.rootPath}`;
    case 'signal':
      return event.targetContext === context.id ? null : `signal ${event.signal} to pid ${event.target} in context ${event.targetContext}`;
    case 'trace':
      return event.targetContext === context.id ? null : `ptrace of pid ${event.target} in context ${event.targetContext}`;
    case 'bind':
      return context.addresses.includes(event.address) ? null : `socket bound to ${event.address}:${event.port}, not an address of the context`;
    case 'connect':
      return null;
    default:
      return null;
  }
}

/** Unix permission check: `bit` is 4 (read), 2 (write) or 1 (search/execute). Root passes. */
function permits(proc: KProcess, node: Inode, bit: 4 | 2 | 1): boolean {
  if (proc.uid === 0) return true;
  const shift = proc.uid === node.uid ? 6 : proc.gid === node.gid ? 3 : 0;
  return ((node.mode >> shift) & bit) !== 0;
}

function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

function isAddressOrNull(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && (value === WILDCARD_ADDRESS || isIpv4(value)));
}

function positiveInt(value: number, name: string): number {
  requireArgument(Number.isSafeInteger(value) && value > 0, `${name} must be a positive integer, got ${describe(value)}`);
  return value;
}

/** Joins a context root and a path inside it into a host path. */
export function joinPath(root: string, path: string): string {
  const inner = path.startsWith('/') ? path : `/${path}`;
  return root === '/' ? inner : `${root}${inner === '/' ? '' : inner}`;
}

