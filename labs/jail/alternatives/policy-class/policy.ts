/**
 * Correct alternative, object-oriented style: the jail is a class whose methods are the hooks
 * (the kernel calls them on the policy object), with the questions every hook shares (is this
 * the host? is this node inside the caller's jail? is this process in the caller's context?)
 * as private methods. Addresses are decided by a small method per case instead of one
 * expression; limits by one "within limit" helper used for processes and memory alike.
 */
import type {
  BindQuery,
  ConnectQuery,
  DotDotQuery,
  FileAccessQuery,
  ForkQuery,
  IsolationPolicy,
  KernelContextInfo,
  MemoryQuery,
  PolicyQueryBase,
  PrivilegedQuery,
  ProcessAccessQuery,
  SignalQuery,
  SymlinkQuery,
  VfsNodeInfo,
} from '@virtlab/sim';

const HOST_CONTEXT = 0;
const WILDCARD = '0.0.0.0';
const LOOPBACK = '127.0.0.1';

class Jail implements IsolationPolicy {
  readonly name = 'jail (class)';

  /** The host keeps plain Unix: only jailed callers are confined. */
  private isHost(q: PolicyQueryBase): boolean {
    return q.context.id === HOST_CONTEXT;
  }

  /** Asked of the kernel, never by comparing path strings. */
  private insideOwnJail(q: PolicyQueryBase, node: VfsNodeInfo | null): boolean {
    return node !== null && q.kernel.isInsideContext(node, q.context.id);
  }

  private sameContext(q: ProcessAccessQuery): boolean {
    return this.isHost(q) || q.targetContext.id === q.context.id;
  }

  /** Only null, zero and the console reach nothing but themselves. */
  private harmless(node: VfsNodeInfo): boolean {
    const device = node.device?.name;
    return device === 'null' || device === 'zero' || device === 'console';
  }

  private ownAddress(context: KernelContextInfo): string | null {
    return context.addresses.length > 0 ? context.addresses[0]! : null;
  }

  private withinLimit(used: number, limit: number | undefined): boolean {
    return limit === undefined || used <= limit;
  }

  allowDotDot(q: DotDotQuery): boolean {
    return this.isHost(q) || !q.kernel.isContextRoot(q.dir, q.context.id);
  }

  /** Jailed processes follow links inside their jail; the host never follows one a jail made. */
  allowFollowSymlink(q: SymlinkQuery): boolean {
    return !this.isHost(q) || q.link.createdByContext === HOST_CONTEXT;
  }

  allowFileAccess(q: FileAccessQuery): boolean {
    if (this.isHost(q)) return true;
    if (!this.insideOwnJail(q, q.node)) return false;
    return q.node.kind === 'device' ? this.harmless(q.node) : true;
  }

  /** Root inside keeps setuid and chroot within its tree; it never makes devices or mounts. */
  allowPrivileged(q: PrivilegedQuery): boolean {
    if (this.isHost(q)) return true;
    if (q.action === 'setuid') return true;
    if (q.action === 'chroot') return this.insideOwnJail(q, q.node);
    return false;
  }

  canSeeProcess(q: ProcessAccessQuery): boolean {
    return this.sameContext(q);
  }

  allowSignal(q: SignalQuery): boolean {
    return this.sameContext(q);
  }

  allowTrace(q: ProcessAccessQuery): boolean {
    return this.sameContext(q);
  }

  bindAddress(q: BindQuery): string | null {
    if (this.isHost(q)) return q.address;
    if (q.address === WILDCARD || q.address === LOOPBACK) return this.ownAddress(q.context);
    return q.context.addresses.includes(q.address) ? q.address : null;
  }

  connectAddress(q: ConnectQuery): string | null {
    if (this.isHost(q) || q.address !== LOOPBACK) return q.address;
    return this.ownAddress(q.context);
  }

  /** `usage.processes` counts the live processes before this fork. */
  admitFork(q: ForkQuery): boolean {
    return this.withinLimit(q.usage.processes + 1, q.context.limits.maxProcesses);
  }

  admitMemory(q: MemoryQuery): boolean {
    return this.withinLimit(q.usage.memoryBytes + q.bytes, q.context.limits.maxMemoryBytes);
  }
}

export function createJailPolicy(): IsolationPolicy {
  return new Jail();
}
