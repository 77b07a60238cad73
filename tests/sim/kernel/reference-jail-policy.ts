/**
 * The worked "correct jail" policy: the reference solution of the Jail lab. It lives only in the
 * tests (never under src/) and is what the escape tests check the kernel's hooks against.
 *
 * Rules, after Kamp & Watson's FreeBSD jail (SANE 2000):
 * - the context's root is a barrier for `..`; everything a jailed process resolves, opens, uses
 *   as a directory descriptor or chroots to must lie inside its root;
 * - only harmless devices (null, zero, console) may be opened; no mknod, no mount;
 * - the host does not follow symbolic links a jail created (like Linux's protected_symlinks);
 * - jailed processes see, signal and trace only their own context;
 * - sockets bind only to the jail's address: the wildcard and loopback become it;
 * - the context's limits bound processes, memory and disk (a later addition: the 2000 jails had none).
 * Root inside keeps every other power over its own tree (setuid, chown, chmod, low ports).
 */
import type { IsolationPolicy, KernelContextInfo } from '../../../src/sim/index.ts';

const HARMLESS_DEVICES = new Set(['null', 'zero', 'console']);

function jailed(context: KernelContextInfo): boolean {
  return context.id !== 0;
}

function jailAddress(context: KernelContextInfo, requested: string): string | null {
  const own = context.addresses;
  if (requested === '0.0.0.0' || requested === '127.0.0.1') return own[0] ?? null;
  return own.includes(requested) ? requested : null;
}

export function createReferenceJailPolicy(): IsolationPolicy {
  return {
    name: 'reference jail',
    allowDotDot: (q) => !jailed(q.context) || !q.kernel.isContextRoot(q.dir, q.context.id),
    allowFollowSymlink: (q) => jailed(q.context) || q.link.createdByContext === 0,
    allowFileAccess: (q) => {
      if (!jailed(q.context)) return true;
      if (!q.kernel.isInsideContext(q.node, q.context.id)) return false;
      return q.node.kind !== 'device' || HARMLESS_DEVICES.has(q.node.device?.name ?? '');
    },
    allowPrivileged: (q) => {
      if (!jailed(q.context)) return true;
      if (q.action === 'setuid') return true;
      if (q.action === 'chroot') return q.node !== null && q.kernel.isInsideContext(q.node, q.context.id);
      return false; // mknod, mount
    },
    canSeeProcess: (q) => !jailed(q.context) || q.targetContext.id === q.context.id,
    allowSignal: (q) => !jailed(q.context) || q.targetContext.id === q.context.id,
    allowTrace: (q) => !jailed(q.context) || q.targetContext.id === q.context.id,
    bindAddress: (q) => (jailed(q.context) ? jailAddress(q.context, q.address) : q.address),
    connectAddress: (q) => (jailed(q.context) && q.address === '127.0.0.1' ? q.context.addresses[0] ?? null : q.address),
    admitFork: (q) => {
      const max = q.context.limits.maxProcesses;
      return max === undefined || q.usage.processes < max;
    },
    admitMemory: (q) => {
      const max = q.context.limits.maxMemoryBytes;
      return max === undefined || q.usage.memoryBytes + q.bytes <= max;
    },
    admitDisk: (q) => {
      const max = q.context.limits.maxDiskBytes;
      return max === undefined || q.usage.diskBytes + q.bytes <= max;
    },
  };
}
