/**
 * The two confinements the learner compares. "Plain chroot" is the kernel's naive semantics (no
 * policy hooks at all). "Jail" is a deliberately minimal policy with only the two rules these
 * escapes meet: the jail's root is a `..` barrier whatever chroot calls happen inside, and jailed
 * root may not create device nodes. A real jail (Kamp and Watson's, or the one lab 2 asks for)
 * needs many more rules: every node, descriptor and chroot target checked against the jail,
 * no mounts and no raw devices, processes, signals and sockets confined, resource limits, and
 * the host protected from links the jail plants. This one is here to show the *effect* of a
 * jail's root barrier, not to be one.
 */
import { NAIVE_POLICY, type IsolationPolicy } from '../../sim/kernel/index.ts';
import type { Confinement } from './options.ts';

const HOST = 0;

/** The policy for `confinement`; `refused` hears each time the jail's rules said no, in words. */
export function policyFor(confinement: Confinement, refused: (why: string) => void): IsolationPolicy {
  if (confinement === 'chroot') return NAIVE_POLICY;
  return Object.freeze({
    name: 'the lesson’s minimal jail',
    // The jail's root is recorded apart from the process's (chroot-able) root: `..` stops there too.
    allowDotDot(query) {
      if (query.context.id === HOST || !query.kernel.isContextRoot(query.dir, query.context.id)) return true;
      refused(`the jail kept “..” at the jail’s root ${query.dir.hostPath}`);
      return false;
    },
    // Device nodes are the host administrator's job: a node for the raw disk would bypass every directory.
    allowPrivileged(query) {
      if (query.context.id === HOST || query.action !== 'mknod') return true;
      refused(`the jail refused mknod (${query.detail}) to jailed root`);
      return false;
    },
  } satisfies IsolationPolicy);
}
