/**
 * Style: pure functions over immutable records. The migration is a loop over a state record
 * rebuilt each round; the writable working set is the pages dirtied in both of the last two reads
 * of the log, and, once found, kept back until the stop. The evacuation places each VM on the
 * emptiest host that accepts it (worst fit) and, failing that, swaps out the replica in its way.
 */
import type { EvacuationHost, EvacuationInput, EvacuationMove, EvacuationVm, MigrationPolicy, MigrationSession } from './types.ts';
import { MIGRATION_CPU_STATE_BYTES } from './types.ts';

interface Round {
  readonly count: number;
  readonly sent: number;
  readonly stale: ReadonlySet<number>;
  readonly held: ReadonlySet<number>;
  readonly lastDirty: ReadonlySet<number>;
}

const union = (a: Iterable<number>, b: Iterable<number>): Set<number> => new Set([...a, ...b]);

const downtimeIfStoppedNow = (s: MigrationSession, pages: number): number =>
  2 * s.latencyMs + (pages * s.pageSizeBytes + MIGRATION_CPU_STATE_BYTES) / s.bandwidthBytesPerMs;

const stopNow = (s: MigrationSession, p: MigrationPolicy, r: Round): boolean =>
  r.count >= p.maxRounds || r.stale.size < p.minPendingPages
  || r.sent + r.stale.size > p.maxSentFactor * s.pageCount || downtimeIfStoppedNow(s, r.stale.size) <= p.downtimeTargetMs;

const rateOf = (p: MigrationPolicy) => (p.rateLimitBytesPerMs === null ? {} : { maxBytesPerMs: p.rateLimitBytesPerMs });

export function migrate(session: MigrationSession, policy: MigrationPolicy): void {
  session.copyPages('all', rateOf(policy));
  let round: Round = { count: 1, sent: session.pageCount, stale: new Set(), held: new Set(), lastDirty: new Set() };
  for (;;) {
    const dirty = session.takeDirtyPages();
    const held = union(round.held, dirty.filter((page) => round.lastDirty.has(page)));
    round = { ...round, stale: union(round.stale, dirty), held, lastDirty: new Set(dirty) };
    if (stopNow(session, policy, round)) break;
    const batch = [...round.stale].filter((page) => !held.has(page));
    session.copyPages(batch, rateOf(policy));
    round = { ...round, count: round.count + 1, sent: round.sent + batch.length, stale: new Set([...round.stale].filter((page) => held.has(page))) };
  }
  session.stop();
  session.copyPages([...union(round.stale, session.takeDirtyPages())]);
  session.resume();
}

type Where = ReadonlyMap<string, string>;

const on = (vms: readonly EvacuationVm[], where: Where, hostId: string, except: string): EvacuationVm[] =>
  vms.filter((v) => v.id !== except && where.get(v.id) === hostId);

const accepts = (vms: readonly EvacuationVm[], where: Where, vm: EvacuationVm, host: EvacuationHost): boolean => {
  const there = on(vms, where, host.id, vm.id);
  return there.every((v) => vm.service === null || v.service !== vm.service)
    && there.reduce((sum, v) => sum + v.vcpus, vm.vcpus) <= host.cpuCores
    && there.reduce((sum, v) => sum + v.memoryGiB, vm.memoryGiB) <= host.memoryGiB;
};

const freeCores = (vms: readonly EvacuationVm[], where: Where, host: EvacuationHost): number =>
  host.cpuCores - on(vms, where, host.id, '').reduce((sum, v) => sum + v.vcpus, 0);

const moved = (where: Where, vmId: string, hostId: string): Where => new Map([...where, [vmId, hostId]]);

export function planEvacuation(input: EvacuationInput): EvacuationMove[] {
  const hosts = input.hosts.filter((h) => h.state === 'up' && h.id !== input.drain);
  const step = (acc: { where: Where; moves: EvacuationMove[] }, vm: EvacuationVm) => {
    const roomy = [...hosts].sort((a, b) => freeCores(input.vms, acc.where, b) - freeCores(input.vms, acc.where, a));
    const direct = roomy.find((h) => accepts(input.vms, acc.where, vm, h));
    if (direct) return { where: moved(acc.where, vm.id, direct.id), moves: [...acc.moves, { vm: vm.id, to: direct.id }] };
    for (const h of roomy) {
      for (const blocker of on(input.vms, acc.where, h.id, vm.id).filter((v) => v.service === vm.service)) {
        const third = roomy.find((t) => t !== h && accepts(input.vms, acc.where, blocker, t));
        if (!third) continue;
        const afterBlocker = moved(acc.where, blocker.id, third.id);
        if (accepts(input.vms, afterBlocker, vm, h)) {
          return { where: moved(afterBlocker, vm.id, h.id), moves: [...acc.moves, { vm: blocker.id, to: third.id }, { vm: vm.id, to: h.id }] };
        }
      }
    }
    throw new Error(`no host can take ${vm.id}`);
  };
  const leaving = input.vms.filter((v) => v.host === input.drain).sort((a, b) => b.vcpus - a.vcpus || b.memoryGiB - a.memoryGiB);
  return leaving.reduce(step, { where: new Map(input.vms.map((v) => [v.id, v.host])) as Where, moves: [] as EvacuationMove[] }).moves;
}
