// Mutant: quietly rebinds every address that is not the jail's (the host's, a neighbour's) to the jail's own, instead of refusing it.
/**
 * The reference jail policy (after Kamp & Watson, "Jails: Confining the omnipotent root", SANE 2000).
 *
 * - The jail's root is a barrier for `..`; every node a jailed process resolves, opens, uses as a
 *   directory descriptor or chroots to must lie inside it (asked of the kernel, never by
 *   comparing path strings).
 * - Only harmless devices (null, zero, console) may be opened; no mknod, no mount.
 * - The host never follows a symbolic link a jail created (the jail could point it anywhere).
 * - Jailed processes see, signal and trace only their own context.
 * - Sockets bind only to the jail's address: the wildcard and loopback become it.
 * - The context's limits bound its processes and memory (a later addition: the 2000 jails had none).
 * Root inside keeps every other power over its own tree (setuid, chown, chmod, chroot inside,
 * low ports). The host (context 0) keeps plain Unix.
 */
import type { IsolationPolicy, KernelContextInfo } from '@virtlab/sim';

/** Devices that reach nothing but themselves. */
const HARMLESS_DEVICES: readonly string[] = ['null', 'zero', 'console'];

function jailed(context: KernelContextInfo): boolean {
  return context.id !== 0;
}

/** The address a jailed bind really gets: its own; the wildcard and loopback become its first address. */
function jailAddress(context: KernelContextInfo, requested: string): string | null {
  if (context.addresses.includes(requested)) return requested;
  return context.addresses[0] ?? null;
}

export function createJailPolicy(): IsolationPolicy {
  return {
    name: 'jail',
    allowDotDot: (q) => !jailed(q.context) || !q.kernel.isContextRoot(q.dir, q.context.id),
    allowFollowSymlink: (q) => jailed(q.context) || q.link.createdByContext === 0,
    allowFileAccess: (q) => {
      if (!jailed(q.context)) return true;
      if (!q.kernel.isInsideContext(q.node, q.context.id)) return false;
      return q.node.kind !== 'device' || HARMLESS_DEVICES.includes(q.node.device?.name ?? '');
    },
    allowPrivileged: (q) => {
      if (!jailed(q.context)) return true;
      switch (q.action) {
        case 'setuid':
          return true;
        case 'chroot':
          return q.node !== null && q.kernel.isInsideContext(q.node, q.context.id);
        default:
          return false; // mknod, mount
      }
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
  };
}
