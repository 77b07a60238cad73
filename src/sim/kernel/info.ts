/**
 * Read-only views of kernel objects, handed to programs, policies and graders.
 *
 * Every view is a frozen copy: changing it changes nothing in the kernel, and a view built by
 * hand is not accepted where the kernel expects one it minted (see `KernelQueries`).
 */
import type { NodeKind } from './vfs.ts';

/** A file-system node as seen at one location. */
export interface VfsNodeInfo {
  readonly ino: number;
  readonly kind: NodeKind;
  /** Permission bits, e.g. 0o644. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** The context whose process created the node (0: the host). */
  readonly createdByContext: number;
  /** For device nodes: the device's type, numbers and the name of the device they reach (null if none). */
  readonly device: { readonly type: 'char' | 'block'; readonly major: number; readonly minor: number; readonly name: string | null } | null;
  /** For symbolic links: the target text. */
  readonly symlinkTarget: string | null;
  /** The path from the global root through mounts, as the host would type it. */
  readonly hostPath: string;
  /** Which mount this location is seen through (the same inode may appear under two mounts). */
  readonly mountId: number;
}

/** What `stat` returns. */
export interface KernelStat {
  readonly ino: number;
  readonly kind: NodeKind;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Characters of content for files, number of entries for directories. */
  readonly size: number;
  readonly device: { readonly type: 'char' | 'block'; readonly major: number; readonly minor: number } | null;
}

/** Process states. `runnable` processes have a program waiting to run; `sleeping` ones are resident without one. */
export type KernelProcessState = 'runnable' | 'running' | 'sleeping' | 'exited';

/** A process as listed by `ps` or shown to a policy. */
export interface KernelProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  /** The context (jail) the process belongs to; 0 is the host. */
  readonly context: number;
  readonly name: string;
  readonly state: KernelProcessState;
}

/** The limits a context was created with. The kernel enforces none itself: a policy's admit hooks do. */
export interface KernelContextLimits {
  readonly maxProcesses?: number;
  readonly maxMemoryBytes?: number;
  readonly maxDiskBytes?: number;
}

/** A context (jail, zone, container, VE): one kernel, many contexts. Context 0 is the host. */
export interface KernelContextInfo {
  readonly id: number;
  readonly name: string;
  /** Host path of the context's root directory. */
  readonly rootPath: string;
  /** The IP addresses assigned to the context (the host's are all addresses). */
  readonly addresses: readonly string[];
  readonly limits: KernelContextLimits;
}

/** Resources a context uses right now (cpuNs is cumulative). */
export interface KernelContextUsage {
  readonly processes: number;
  readonly memoryBytes: number;
  readonly diskBytes: number;
  readonly cpuNs: number;
}

/** A socket as the kernel really has it. */
export interface KernelSocketInfo {
  readonly id: number;
  readonly pid: number;
  readonly context: number;
  readonly state: 'unbound' | 'bound' | 'listening' | 'connected' | 'closed';
  readonly localAddress: string | null;
  readonly localPort: number | null;
  readonly remoteAddress: string | null;
  readonly remotePort: number | null;
}
