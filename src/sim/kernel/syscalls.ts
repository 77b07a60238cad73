/**
 * The system-call interface a program sees: one {@link Syscalls} handle per process.
 *
 * Every call returns a {@link SysResult}; a failing call never throws. Passing arguments of the
 * wrong type (a number where a path is expected, a negative size) is misuse of the API and
 * throws a `SimError`.
 */
import { requireArgument } from '../common/errors.ts';
import type { KernelCore } from './core.ts';
import { OPEN_FLAGS, ProcessExit, describe, type MountFsType, type OpenFlags } from './internal.ts';
import type { SysResult } from './errno.ts';
import type { KernelProcessInfo, KernelStat } from './info.ts';
import type { KernelSignal } from './policy.ts';

/**
 * A program: a synchronous function that makes system calls through `sys` and may return a
 * value (kept as the process's result). Returning, or calling `sys.exit`, ends the process.
 */
export type KernelProgram = (sys: Syscalls) => unknown;

const SIGNALS: readonly unknown[] = ['SIGTERM', 'SIGKILL', 'SIGHUP', 'SIGSTOP', 0];

/** The system calls of one process. Obtained from the kernel; cannot be built by hand usefully. */
export class Syscalls {
  readonly #core: KernelCore;
  readonly #pid: number;

  /** @internal Made by the kernel for each process it runs. */
  constructor(core: KernelCore, pid: number) {
    this.#core = core;
    this.#pid = pid;
    Object.freeze(this);
  }

  /** This process's id (also available without a system call). */
  get pid(): number {
    return this.#pid;
  }

  // ------------------------------------------------------------ identity

  getpid(): SysResult<number> {
    return this.#core.syscall(this.#pid, (p) => p.pid);
  }
  getppid(): SysResult<number> {
    return this.#core.syscall(this.#pid, (p) => p.ppid);
  }
  getuid(): SysResult<number> {
    return this.#core.syscall(this.#pid, (p) => p.uid);
  }
  /** Changes the user id: root may take any uid, others only their own. EPERM otherwise. */
  setuid(uid: number): SysResult<void> {
    requireId(uid, 'uid');
    return this.#core.syscall(this.#pid, (p) => this.#core.setuid(p, uid));
  }

  /**
   * Moves this host process (root, context 0) into context `contextId`, as FreeBSD's
   * jail_attach: root and working directory become the context's root; open descriptors stay
   * open. EPERM for jailed or non-root callers, EINVAL for an unknown context.
   */
  jailAttach(contextId: number): SysResult<void> {
    requireId(contextId, 'contextId');
    return this.#core.syscall(this.#pid, (p) => this.#core.jailAttach(p, contextId));
  }

  // ------------------------------------------------------------ files

  /**
   * Opens a file, directory or device. `flags` as in fopen: `r` (default), `r+`, `w` (create,
   * truncate), `w+`, `a` (append, create), `wx` (create, fail with EEXIST if it exists).
   * `perm` is the mode of a created file (default 0o644). Returns a descriptor.
   */
  open(path: string, flags: OpenFlags = 'r', perm = 0o644): SysResult<number> {
    requirePath(path);
    requireFlags(flags);
    requireMode(perm);
    return this.#core.syscall(this.#pid, (p) => this.#core.open(p, path, flags, perm, null));
  }
  /** Like open, with a relative `path` starting at directory descriptor `dirfd`. */
  openat(dirfd: number, path: string, flags: OpenFlags = 'r', perm = 0o644): SysResult<number> {
    requireFd(dirfd);
    requirePath(path);
    requireFlags(flags);
    requireMode(perm);
    return this.#core.syscall(this.#pid, (p) => this.#core.open(p, path, flags, perm, path.startsWith('/') ? null : dirfd));
  }
  /** Reads up to `max` characters (default: all that remain) from a descriptor. */
  read(fd: number, max = Number.MAX_SAFE_INTEGER): SysResult<string> {
    requireFd(fd);
    requireArgument(Number.isSafeInteger(max) && max >= 0, `read size must be a non-negative integer, got ${describe(max)}`);
    return this.#core.syscall(this.#pid, (p) => this.#core.read(p, fd, max));
  }
  /** Writes `data` at the descriptor's offset (at the end for `a`). Returns the characters written. */
  write(fd: number, data: string): SysResult<number> {
    requireFd(fd);
    requireArgument(typeof data === 'string', `write data must be a string, got ${describe(data)}`);
    return this.#core.syscall(this.#pid, (p) => this.#core.write(p, fd, data));
  }
  close(fd: number): SysResult<void> {
    requireFd(fd);
    return this.#core.syscall(this.#pid, (p) => this.#core.close(p, fd));
  }
  /** Information about a path, following a final symbolic link. */
  stat(path: string): SysResult<KernelStat> {
    requirePath(path);
    return this.#core.syscall(this.#pid, (p) => this.#core.stat(p, path, true));
  }
  /** Like stat, but about a final symbolic link itself. */
  lstat(path: string): SysResult<KernelStat> {
    requirePath(path);
    return this.#core.syscall(this.#pid, (p) => this.#core.stat(p, path, false));
  }
  /** The target text of a symbolic link (EINVAL if it is not one). */
  readlink(path: string): SysResult<string> {
    requirePath(path);
    return this.#core.syscall(this.#pid, (p) => this.#core.readlink(p, path));
  }
  /** The names in a directory, sorted. */
  readdir(path: string): SysResult<string[]> {
    requirePath(path);
    return this.#core.syscall(this.#pid, (p) => this.#core.readdir(p, path));
  }
  chdir(path: string): SysResult<void> {
    requirePath(path);
    return this.#core.syscall(this.#pid, (p) => this.#core.chdir(p, path));
  }
  /** Makes the directory open on `fd` the working directory. */
  fchdir(fd: number): SysResult<void> {
    requireFd(fd);
    return this.#core.syscall(this.#pid, (p) => this.#core.fchdir(p, fd));
  }
  /** The working directory relative to this process's root, or `(unreachable)/…` if it lies outside. */
  getcwd(): SysResult<string> {
    return this.#core.syscall(this.#pid, (p) => this.#core.getcwd(p));
  }
  /** Changes this process's root directory (root only). Like Unix, it leaves the working directory alone. */
  chroot(path: string): SysResult<void> {
    requirePath(path);
    return this.#core.syscall(this.#pid, (p) => this.#core.chroot(p, path));
  }
  mkdir(path: string, perm = 0o755): SysResult<void> {
    requirePath(path);
    requireMode(perm);
    return this.#core.syscall(this.#pid, (p) => this.#core.mkdir(p, path, perm));
  }
  /** Creates a symbolic link at `path` whose content is `target`. */
  symlink(target: string, path: string): SysResult<void> {
    requireArgument(typeof target === 'string', `symlink target must be a string, got ${describe(target)}`);
    requirePath(path);
    return this.#core.syscall(this.#pid, (p) => this.#core.symlink(p, target, path));
  }
  /** Removes a file, link, device node or empty directory. */
  unlink(path: string): SysResult<void> {
    requirePath(path);
    return this.#core.syscall(this.#pid, (p) => this.#core.unlink(p, path));
  }
  /** Creates a device node (root only): e.g. `('block', 8, 0)` reaches the raw disk, `('char', 1, 1)` physical memory. */
  mknod(path: string, type: 'char' | 'block', major: number, minor: number, perm = 0o600): SysResult<void> {
    requirePath(path);
    requireArgument(type === 'char' || type === 'block', `device type must be 'char' or 'block', got ${describe(type)}`);
    requireId(major, 'major');
    requireId(minor, 'minor');
    requireMode(perm);
    return this.#core.syscall(this.#pid, (p) => this.#core.mknod(p, path, type, major, minor, perm));
  }
  /** Mounts a fresh `tmpfs`, or (`diskfs`) the file system on the block device node `source`, at `target` (root only). */
  mount(source: string | null, target: string, fstype: MountFsType): SysResult<void> {
    requireArgument(source === null || typeof source === 'string', `mount source must be a path or null, got ${describe(source)}`);
    requirePath(target);
    requireArgument(fstype === 'tmpfs' || fstype === 'diskfs', `fstype must be 'tmpfs' or 'diskfs', got ${describe(fstype)}`);
    return this.#core.syscall(this.#pid, (p) => this.#core.mount(p, source, target, fstype));
  }
  chmod(path: string, mode: number): SysResult<void> {
    requirePath(path);
    requireMode(mode);
    return this.#core.syscall(this.#pid, (p) => this.#core.chmod(p, path, mode));
  }
  /** Changes owner and group (root only). */
  chown(path: string, uid: number, gid: number): SysResult<void> {
    requirePath(path);
    requireId(uid, 'uid');
    requireId(gid, 'gid');
    return this.#core.syscall(this.#pid, (p) => this.#core.chown(p, path, uid, gid));
  }

  // ------------------------------------------------------------ convenience (several system calls)

  /** open + read + close. */
  readFile(path: string): SysResult<string> {
    const fd = this.open(path, 'r');
    if (!fd.ok) return fd;
    const data = this.read(fd.value);
    this.close(fd.value);
    return data;
  }
  /** open('w') + write + close. */
  writeFile(path: string, data: string, perm = 0o644): SysResult<number> {
    const fd = this.open(path, 'w', perm);
    if (!fd.ok) return fd;
    const written = this.write(fd.value, data);
    this.close(fd.value);
    return written;
  }

  // ------------------------------------------------------------ processes

  /** Creates a child process that will run `program` (queued; it starts after the current program yields the CPU by ending). */
  fork(program: (sys: Syscalls) => unknown): SysResult<number> {
    requireArgument(typeof program === 'function', `fork needs the child's program (a function), got ${describe(program)}`);
    return this.#core.syscall(this.#pid, (p) => this.#core.fork(p, program));
  }
  /** Ends this process with `code`. Does not return. */
  exit(code = 0): never {
    requireArgument(Number.isSafeInteger(code) && code >= 0 && code <= 255, `exit code must be 0..255, got ${describe(code)}`);
    throw new ProcessExit(code);
  }
  /** Sends a signal; SIGTERM, SIGKILL and SIGHUP end the target; 0 only checks that it could be sent. */
  kill(pid: number, signal: KernelSignal = 'SIGTERM'): SysResult<void> {
    requireId(pid, 'pid');
    requireArgument(SIGNALS.includes(signal), `unknown signal ${describe(signal)}`);
    return this.#core.syscall(this.#pid, (p) => this.#core.kill(p, pid, signal));
  }
  /** Attaches to process `pid` and runs `payload` as it (its uid, root, context); returns what the payload returns. */
  ptrace(pid: number, payload: (sys: Syscalls) => unknown): SysResult<unknown> {
    requireId(pid, 'pid');
    requireArgument(typeof payload === 'function', `ptrace needs a payload function, got ${describe(payload)}`);
    return this.#core.syscall(this.#pid, (p) => this.#core.ptrace(p, pid, payload));
  }
  /** The processes this process can see. */
  ps(): SysResult<KernelProcessInfo[]> {
    return this.#core.syscall(this.#pid, (p) => this.#core.ps(p));
  }
  /** Grows this process's memory by `bytes` (ENOMEM if refused). */
  alloc(bytes: number): SysResult<void> {
    requireArgument(Number.isSafeInteger(bytes) && bytes > 0, `alloc needs a positive integer byte count, got ${describe(bytes)}`);
    return this.#core.syscall(this.#pid, (p) => this.#core.alloc(p, bytes));
  }
  /** Returns up to `bytes` of allocated memory. */
  free(bytes: number): SysResult<void> {
    requireArgument(Number.isSafeInteger(bytes) && bytes > 0, `free needs a positive integer byte count, got ${describe(bytes)}`);
    return this.#core.syscall(this.#pid, (p) => this.#core.free(p, bytes));
  }
  /** Spends `ns` nanoseconds of CPU in user mode (application work). Not a system call, but it counts against the run's budget. */
  compute(ns: number): void {
    requireArgument(Number.isFinite(ns) && ns >= 0, `compute needs a non-negative duration in ns, got ${describe(ns)}`);
    this.#core.compute(this.#pid, ns);
  }

  // ------------------------------------------------------------ sockets

  /** A new TCP socket. */
  socket(): SysResult<number> {
    return this.#core.syscall(this.#pid, (p) => this.#core.socket(p));
  }
  /** Binds to `address:port`; `0.0.0.0` is every address, port 0 an ephemeral port; ports below 1024 need root. */
  bind(fd: number, address: string, port: number): SysResult<void> {
    requireFd(fd);
    requireAddress(address);
    requirePort(port);
    return this.#core.syscall(this.#pid, (p) => this.#core.bind(p, fd, address, port));
  }
  listen(fd: number): SysResult<void> {
    requireFd(fd);
    return this.#core.syscall(this.#pid, (p) => this.#core.listen(p, fd));
  }
  /** Connects to a listener on this host; an unbound socket is bound implicitly. */
  connect(fd: number, address: string, port: number): SysResult<void> {
    requireFd(fd);
    requireAddress(address);
    requirePort(port);
    return this.#core.syscall(this.#pid, (p) => this.#core.connect(p, fd, address, port));
  }
  /** The next pending connection as a new descriptor (EAGAIN if none). */
  accept(fd: number): SysResult<number> {
    requireFd(fd);
    return this.#core.syscall(this.#pid, (p) => this.#core.accept(p, fd));
  }
}

function requirePath(path: unknown): asserts path is string {
  requireArgument(typeof path === 'string', `a path must be a string, got ${describe(path)}`);
}
function requireFd(fd: unknown): asserts fd is number {
  requireArgument(Number.isSafeInteger(fd) && (fd as number) >= 0, `a file descriptor is a non-negative integer, got ${describe(fd)}`);
}
function requireId(value: unknown, what: string): asserts value is number {
  requireArgument(Number.isSafeInteger(value) && (value as number) >= 0, `${what} must be a non-negative integer, got ${describe(value)}`);
}
function requireMode(mode: unknown): asserts mode is number {
  requireArgument(Number.isSafeInteger(mode) && (mode as number) >= 0 && (mode as number) <= 0o7777, `a mode is an integer in 0..0o7777, got ${describe(mode)}`);
}
function requireFlags(flags: unknown): asserts flags is OpenFlags {
  requireArgument(OPEN_FLAGS.includes(flags as OpenFlags), `open flags must be one of ${OPEN_FLAGS.join(', ')}, got ${describe(flags)}`);
}
function requireAddress(address: unknown): asserts address is string {
  requireArgument(typeof address === 'string' && /^\d{1,3}(\.\d{1,3}){3}$/.test(address), `an address is a dotted IPv4 string, got ${describe(address)}`);
}
function requirePort(port: unknown): asserts port is number {
  requireArgument(Number.isSafeInteger(port) && (port as number) >= 0 && (port as number) <= 65535, `a port is an integer in 0..65535, got ${describe(port)}`);
}
