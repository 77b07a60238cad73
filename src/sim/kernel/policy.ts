/**
 * The isolation policy: hooks the kernel consults so that a context becomes a jail.
 *
 * The kernel provides mechanism (processes, a VFS, sockets, accounting); a policy decides. Every
 * hook is optional; a missing hook behaves like plain Unix with `chroot` (the {@link NAIVE_POLICY}),
 * which is exactly what the classic escapes defeat. Hooks receive frozen queries and return a
 * decision; they cannot reach kernel state. If a hook throws or returns something that is not a
 * decision, the kernel fails closed (the call is refused) and records a `policy-error` audit event.
 *
 * Hooks are consulted for host processes (context 0) too: a policy should let the host do as
 * plain Unix allows, unless it means to protect the host from what a jail left behind (for
 * instance symbolic links a jail created).
 */
import type {
  KernelContextInfo, KernelContextUsage, KernelProcessInfo, VfsNodeInfo,
} from './info.ts';

/** Questions a policy may ask the kernel while deciding. Views passed in must be ones the kernel minted. */
export interface KernelQueries {
  /** Whether `node` is the root directory of context `contextId` (same inode through the same mount). */
  isContextRoot(node: VfsNodeInfo, contextId: number): boolean;
  /** Whether `node` lies inside context `contextId`'s root directory, following the real tree up through mounts. */
  isInsideContext(node: VfsNodeInfo, contextId: number): boolean;
  /** The context with this id. */
  context(contextId: number): KernelContextInfo;
  /** What context `contextId` uses now. */
  usage(contextId: number): KernelContextUsage;
}

/** Fields every query carries: who is asking and a way to ask the kernel. */
export interface PolicyQueryBase {
  /** The process making the system call. */
  readonly process: KernelProcessInfo;
  /** Its context. */
  readonly context: KernelContextInfo;
  readonly kernel: KernelQueries;
}

/** The walk is at `dir` (not the process's root) and the next component is `..`. */
export interface DotDotQuery extends PolicyQueryBase {
  readonly dir: VfsNodeInfo;
}

/** The walk reached a symbolic link it is about to follow. */
export interface SymlinkQuery extends PolicyQueryBase {
  readonly link: VfsNodeInfo;
  readonly target: string;
}

/**
 * Operations on resolved nodes. `read`/`write` are checked when a file is opened (also for device
 * nodes, whose `device` field says what they reach); `create` (open with creation, mkdir,
 * symlink) is asked about the directory that gains the entry; `unlink` about the node removed;
 * `dirfd` when a directory descriptor is the start of a relative lookup (`openat`); `fchdir`
 * when a directory descriptor becomes the working directory.
 */
export type FileOp =
  | 'read' | 'write' | 'stat' | 'readlink' | 'readdir' | 'chdir' | 'fchdir' | 'dirfd'
  | 'create' | 'unlink' | 'chmod' | 'chown';

export interface FileAccessQuery extends PolicyQueryBase {
  readonly op: FileOp;
  readonly node: VfsNodeInfo;
}

/** Operations that need root in plain Unix; a jail usually refuses some of them even to root. */
export type PrivilegedAction = 'chroot' | 'mknod' | 'mount' | 'setuid';

export interface PrivilegedQuery extends PolicyQueryBase {
  readonly action: PrivilegedAction;
  /** The directory for chroot/mount target, the parent directory for mknod; null for setuid. */
  readonly node: VfsNodeInfo | null;
  /** Action details: for mknod `"block 8:0"`, for mount the fstype and source, for setuid the new uid. */
  readonly detail: string;
}

/** One process acting on another (listing, signalling, tracing). */
export interface ProcessAccessQuery extends PolicyQueryBase {
  readonly target: KernelProcessInfo;
  readonly targetContext: KernelContextInfo;
}

export interface SignalQuery extends ProcessAccessQuery {
  readonly signal: KernelSignal;
}

/**
 * A socket is being bound to `address:port`: explicitly, or implicitly by `connect` on an
 * unbound socket, which asks for the wildcard `0.0.0.0` with port 0 (as a real kernel binds
 * such a socket to INADDR_ANY). The address returned is the connection's source address; a
 * wildcard kept for an implicit bind becomes the address the route gives (for a local
 * destination, the destination itself).
 */
export interface BindQuery extends PolicyQueryBase {
  /** The requested address; `0.0.0.0` is the wildcard (every address of the host). */
  readonly address: string;
  readonly port: number;
}

/** A socket is connecting to `address:port`. */
export interface ConnectQuery extends PolicyQueryBase {
  readonly address: string;
  readonly port: number;
}

/** A fork is about to create a process; `usage` is the context's usage before it. */
export interface ForkQuery extends PolicyQueryBase {
  readonly usage: KernelContextUsage;
}

/** Memory is about to be charged to the process (a fork's base memory, or an allocation). */
export interface MemoryQuery extends PolicyQueryBase {
  readonly bytes: number;
  readonly usage: KernelContextUsage;
}

/** Files are about to grow by `bytes` on the context's account. */
export interface DiskQuery extends PolicyQueryBase {
  readonly bytes: number;
  readonly usage: KernelContextUsage;
}

/** Signals the simulated kernel knows. Signal 0 only checks that the target exists and may be signalled. */
export type KernelSignal = 'SIGTERM' | 'SIGKILL' | 'SIGHUP' | 'SIGSTOP' | 0;

/**
 * An isolation policy. Each hook's doc says what the kernel does with the answer and what a
 * missing hook means. Errno results: a refused file access gives EACCES, a refused privileged
 * action, signal or trace gives EPERM, an invisible process ESRCH, a refused bind or connect
 * EADDRNOTAVAIL, a refused fork EAGAIN, refused memory ENOMEM, refused disk EDQUOT.
 */
export interface IsolationPolicy {
  /** Shown in audit events and messages. */
  readonly name?: string;
  /** May the walk go up from `dir`? false keeps it at `dir`, as at a root. Missing: yes (only the process's own root stops `..`). */
  allowDotDot?(query: DotDotQuery): boolean;
  /** May this symbolic link be followed? false gives EACCES. Missing: yes. */
  allowFollowSymlink?(query: SymlinkQuery): boolean;
  /** May the process do `op` on this resolved node? false gives EACCES. Missing: yes (file permissions still apply). */
  allowFileAccess?(query: FileAccessQuery): boolean;
  /** May the process (already root) perform this action? false gives EPERM. Missing: yes. */
  allowPrivileged?(query: PrivilegedQuery): boolean;
  /** Does the target process exist for this process (ps, kill, ptrace)? false hides it (ESRCH). Missing: yes. */
  canSeeProcess?(query: ProcessAccessQuery): boolean;
  /** May the process signal the target? false gives EPERM. Missing: yes (uid rules still apply). */
  allowSignal?(query: SignalQuery): boolean;
  /** May the process trace the target (and so run code as it)? false gives EPERM. Missing: yes (uid rules still apply). */
  allowTrace?(query: ProcessAccessQuery): boolean;
  /** The address to really bind instead of the requested one, or null to refuse (EADDRNOTAVAIL). Missing: the requested address. */
  bindAddress?(query: BindQuery): string | null;
  /** The address to really connect to, or null to refuse (EADDRNOTAVAIL). Missing: the requested address. */
  connectAddress?(query: ConnectQuery): string | null;
  /** May this fork happen? false gives EAGAIN. Missing: yes (only the kernel's process table limits). */
  admitFork?(query: ForkQuery): boolean;
  /** May this memory be charged? false gives ENOMEM. Missing: yes (only physical memory limits). */
  admitMemory?(query: MemoryQuery): boolean;
  /** May files grow by this much? false gives EDQUOT. Missing: yes (only the disk's size limits). */
  admitDisk?(query: DiskQuery): boolean;
}

/** Plain Unix with chroot: no hooks at all. What the classic escapes were written against. */
export const NAIVE_POLICY: IsolationPolicy = Object.freeze({ name: 'naive chroot' });
