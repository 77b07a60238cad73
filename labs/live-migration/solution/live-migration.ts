/**
 * Live migration: a pre-copy migration policy and a host evacuation plan (reference solution).
 */
import type {
  EvacuationHost, EvacuationInput, EvacuationMove, EvacuationVm, MigrationPolicy, MigrationSession,
} from '../starter/types.ts';
import { MIGRATION_CPU_STATE_BYTES } from '../starter/types.ts';

/** Pre-copy: a full copy, rounds of dirtied pages, then stop-and-copy of what is left. */
export function migrate(session: MigrationSession, policy: MigrationPolicy): void {
  // While the VM runs, the service needs the rest of the link; once it is stopped, speed is all.
  const whileRunning = policy.rateLimitBytesPerMs === null ? {} : { maxBytesPerMs: policy.rateLimitBytesPerMs };
  session.copyPages('all', whileRunning);
  let rounds = 1;
  let sent = session.pageCount;
  // Pages the destination does not hold current: read from the log, not yet sent again.
  let pending = new Set<number>();
  // The writable working set: pages dirtied in two reads of the log running. Sending them
  // before the stop is waste, so they wait for the final copy from then on.
  const hot = new Set<number>();
  let previousDirty = new Set<number>();
  for (;;) {
    const dirty = session.takeDirtyPages();
    for (const page of dirty) {
      pending.add(page);
      if (previousDirty.has(page)) hot.add(page);
    }
    if (shouldStop(session, policy, rounds, sent, pending.size)) break;
    const now = [...pending].filter((page) => !hot.has(page));
    previousDirty = new Set(dirty);
    session.copyPages(now, whileRunning);
    rounds++;
    sent += now.length;
    pending = new Set(hot);
  }
  session.stop();
  // The guest wrote until it stopped, and a device may finish DMA into it after: read the log once more.
  for (const page of session.takeDirtyPages()) pending.add(page);
  session.copyPages([...pending]);
  session.resume();
}

function shouldStop(session: MigrationSession, policy: MigrationPolicy, rounds: number, sent: number, pending: number): boolean {
  if (rounds >= policy.maxRounds) return true;
  if (pending < policy.minPendingPages) return true;
  if (sent + pending > policy.maxSentFactor * session.pageCount) return true;
  return estimatedDowntimeMs(session, pending) <= policy.downtimeTargetMs;
}

/** Latency of the final round and of the resume, plus the pages and CPU state over the link. */
function estimatedDowntimeMs(session: MigrationSession, pages: number): number {
  return 2 * session.latencyMs + (pages * session.pageSizeBytes + MIGRATION_CPU_STATE_BYTES) / session.bandwidthBytesPerMs;
}

/** Where each VM is, kept up to date as moves are planned. */
type Placement = Map<string, string>;

/** Moves the drained host's VMs, largest first; a replica in the way is moved elsewhere first. */
export function planEvacuation(input: EvacuationInput): EvacuationMove[] {
  const placement: Placement = new Map(input.vms.map((vm) => [vm.id, vm.host]));
  const targets = input.hosts.filter((host) => host.state === 'up' && host.id !== input.drain);
  const moves: EvacuationMove[] = [];
  const leaving = input.vms.filter((vm) => vm.host === input.drain).sort((a, b) => b.vcpus - a.vcpus || b.memoryGiB - a.memoryGiB);
  for (const vm of leaving) {
    const direct = targets.find((host) => fits(input.vms, placement, vm, host) && !hasReplica(input.vms, placement, vm, host.id));
    if (direct !== undefined) {
      moves.push(move(placement, vm, direct));
      continue;
    }
    moves.push(...makeRoom(input.vms, placement, targets, vm));
  }
  return moves;
}

/** Frees a host for `vm` by moving the replica that blocks it to a third host, then moves `vm`. */
function makeRoom(vms: readonly EvacuationVm[], placement: Placement, targets: readonly EvacuationHost[], vm: EvacuationVm): EvacuationMove[] {
  for (const host of targets) {
    // `vm` is still on the drained host, so it is never among a target's VMs.
    const blocker = vms.find((other) => other.service === vm.service && placement.get(other.id) === host.id);
    if (blocker === undefined) continue;
    const elsewhere = targets.find((third) => third !== host && fits(vms, placement, blocker, third) && !hasReplica(vms, placement, blocker, third.id));
    if (elsewhere === undefined) continue;
    const first = move(placement, blocker, elsewhere);
    if (fits(vms, placement, vm, host) && !hasReplica(vms, placement, vm, host.id)) return [first, move(placement, vm, host)];
    placement.set(blocker.id, host.id);
  }
  throw new Error(`no host can take ${vm.id}, even after moving a replica of ${vm.service ?? 'its service'}`);
}

function move(placement: Placement, vm: EvacuationVm, host: EvacuationHost): EvacuationMove {
  placement.set(vm.id, host.id);
  return { vm: vm.id, to: host.id };
}

/** Whether `vm` fits on `host` beside what runs there; only asked of a host `vm` is not on. */
function fits(vms: readonly EvacuationVm[], placement: Placement, vm: EvacuationVm, host: EvacuationHost): boolean {
  const there = vms.filter((other) => placement.get(other.id) === host.id);
  const cores = there.reduce((sum, other) => sum + other.vcpus, vm.vcpus);
  const memory = there.reduce((sum, other) => sum + other.memoryGiB, vm.memoryGiB);
  return cores <= host.cpuCores && memory <= host.memoryGiB;
}

/** Whether another replica of `vm`'s service runs on `hostId`; only asked of a host `vm` is not on. */
function hasReplica(vms: readonly EvacuationVm[], placement: Placement, vm: EvacuationVm, hostId: string): boolean {
  return vm.service !== null && vms.some((other) => other.service === vm.service && placement.get(other.id) === hostId);
}
