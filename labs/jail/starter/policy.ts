/**
 * Your jail: the isolation policy the simulated kernel consults on every
 * sensitive system call.
 *
 * As given, every hook answers like plain Unix with `chroot` (the kernel's
 * NAIVE_POLICY): `..` climbs out, descriptors opened outside keep working,
 * root may mknod and mount, every process is visible, a wildcard bind takes
 * every address and nothing limits a fork bomb. Run the public tests to watch
 * the classic escapes succeed, then change the hooks until they fail while
 * root inside the jail can still administer its own tree.
 *
 * Each hook gets a frozen query `q` with:
 * - `q.process`: who asks;
 * - `q.context`: its context (id 0 is the host; a jail has `rootPath`,
 *   `addresses` and `limits`);
 * - `q.kernel`: questions you may ask: `isContextRoot(node, ctx)`,
 *   `isInsideContext(node, ctx)`, `context(ctx)`, `usage(ctx)`.
 * Hooks are consulted for host processes too: the host should keep plain Unix.
 */
import type { IsolationPolicy } from '@virtlab/sim';

export function createJailPolicy(): IsolationPolicy {
  return {
    name: 'my jail',

    /**
     * A path walk is at `q.dir` (not the process's own root) and meets `..`.
     * May it climb? false: it stays at `q.dir`, as at a root.
     */
    allowDotDot: (q) => true, // TODO

    /** The walk meets the symbolic link `q.link` (target `q.target`). Follow it? false: EACCES. */
    allowFollowSymlink: (q) => true, // TODO

    /**
     * May the process do `q.op` on the resolved node `q.node`? false: EACCES.
     * Ops: read, write (opening files and devices; `q.node.device.name` says
     * which device), stat, readlink, readdir, chdir, fchdir, dirfd (the
     * descriptor an openat starts from), create (asked about the directory
     * that gains the entry), unlink, chmod, chown.
     */
    allowFileAccess: (q) => true, // TODO

    /**
     * May root do `q.action` (chroot, mknod, mount, setuid)? false: EPERM.
     * `q.node`: the chroot or mount target, or the parent of a new device node.
     */
    allowPrivileged: (q) => true, // TODO

    /** Does `q.target` (of `q.targetContext`) exist for this process (ps, kill, ptrace)? false: ESRCH. */
    canSeeProcess: (q) => true, // TODO

    /** May the process send `q.signal` to `q.target`? false: EPERM. */
    allowSignal: (q) => true, // TODO

    /** May the process trace `q.target` (and so run code as it)? false: EPERM. */
    allowTrace: (q) => true, // TODO

    /**
     * A socket is being bound to `q.address:q.port` (`0.0.0.0` is the
     * wildcard). Return the address to really bind, or null (EADDRNOTAVAIL).
     */
    bindAddress: (q) => q.address, // TODO

    /** A socket connects to `q.address:q.port`. Return the address to really connect to, or null. */
    connectAddress: (q) => q.address, // TODO

    /** May the process fork? `q.usage.processes`: its context's live processes before the fork. false: EAGAIN. */
    admitFork: (q) => true, // TODO

    /** May `q.bytes` more be charged to the context (`q.usage.memoryBytes` so far)? false: ENOMEM. */
    admitMemory: (q) => true, // TODO
  };
}
