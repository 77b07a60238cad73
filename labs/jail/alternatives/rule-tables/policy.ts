/**
 * Correct alternative, declarative style: the jail is written as tables of rules for jailed
 * callers only, and one wrapper (`confineJailed`) gives the host its plain-Unix answer for
 * every hook at once. Privileged actions and devices are lookup tables rather than a switch
 * and an array, the three process hooks share one rule, and an address is rewritten by a
 * translation table of the names a jail may use for itself.
 */
import type { IsolationPolicy, KernelContextInfo, PolicyQueryBase, PrivilegedAction, PrivilegedQuery } from '@virtlab/sim';

type Hooks = Required<Omit<IsolationPolicy, 'name' | 'admitDisk'>>;
type Hook = keyof Hooks;
type QueryOf<H extends Hook> = Parameters<Hooks[H]>[0];
type AnswerOf<H extends Hook> = ReturnType<Hooks[H]>;

/** What each hook answers a jailed caller. */
type JailedRules = { [H in Hook]: (q: QueryOf<H>) => AnswerOf<H> };

/** What each hook answers the host (context 0): plain Unix, the request as asked. */
const hostAnswers: { [H in Hook]: (q: QueryOf<H>) => AnswerOf<H> } = {
  allowDotDot: () => true,
  allowFollowSymlink: (q) => q.link.createdByContext === 0, // the one rule the host keeps: no jail-made links
  allowFileAccess: () => true,
  allowPrivileged: () => true,
  canSeeProcess: () => true,
  allowSignal: () => true,
  allowTrace: () => true,
  bindAddress: (q) => q.address,
  connectAddress: (q) => q.address,
  admitFork: (q) => underLimit(q.usage.processes + 1, q.context.limits.maxProcesses),
  admitMemory: (q) => underLimit(q.usage.memoryBytes + q.bytes, q.context.limits.maxMemoryBytes),
};

/** Root's powers inside a jail, by action. */
const privileges: Record<PrivilegedAction, (q: PrivilegedQuery) => boolean> = {
  setuid: () => true,
  chroot: (q) => q.node !== null && q.kernel.isInsideContext(q.node, q.context.id),
  mknod: () => false, // a device node could reach the host's disk or memory
  mount: () => false, // a mount could show the host's file systems inside
};

/** Devices a jail may open: those that reach nothing but themselves. */
const harmlessDevices = new Set(['null', 'zero', 'console']);

/** The names a jail may bind or connect to that mean "my own address". */
const meansOwnAddress: Readonly<Record<'bind' | 'connect', ReadonlySet<string>>> = {
  bind: new Set(['0.0.0.0', '127.0.0.1']),
  connect: new Set(['127.0.0.1']),
};

function underLimit(amount: number, limit: number | undefined): boolean {
  return limit === undefined || amount <= limit;
}

function ownAddress(context: KernelContextInfo): string | null {
  return context.addresses[0] ?? null;
}

const sameContext = (q: PolicyQueryBase & { readonly targetContext: KernelContextInfo }): boolean => q.targetContext.id === q.context.id;

const jailedRules: JailedRules = {
  allowDotDot: (q) => !q.kernel.isContextRoot(q.dir, q.context.id),
  allowFollowSymlink: () => true, // the walk itself stays inside: `..` and resolved nodes are checked
  allowFileAccess: (q) => q.kernel.isInsideContext(q.node, q.context.id) && (q.node.kind !== 'device' || harmlessDevices.has(q.node.device?.name ?? '')),
  allowPrivileged: (q) => privileges[q.action]?.(q) ?? false,
  canSeeProcess: sameContext,
  allowSignal: sameContext,
  allowTrace: sameContext,
  bindAddress: (q) => (meansOwnAddress.bind.has(q.address) ? ownAddress(q.context) : q.context.addresses.includes(q.address) ? q.address : null),
  connectAddress: (q) => (meansOwnAddress.connect.has(q.address) ? ownAddress(q.context) : q.address),
  admitFork: hostAnswers.admitFork,
  admitMemory: hostAnswers.admitMemory,
};

/** Each hook: the host's answer for context 0, the jailed rule for everyone else. */
function confineJailed(): Hooks {
  const hooks: Partial<Record<Hook, (q: PolicyQueryBase) => unknown>> = {};
  for (const hook of Object.keys(jailedRules) as Hook[]) {
    const jailed = jailedRules[hook] as (q: PolicyQueryBase) => unknown;
    const host = hostAnswers[hook] as (q: PolicyQueryBase) => unknown;
    hooks[hook] = (q) => (q.context.id === 0 ? host(q) : jailed(q));
  }
  return hooks as Hooks;
}

export function createJailPolicy(): IsolationPolicy {
  return { name: 'jail (rule tables)', ...confineJailed() };
}
