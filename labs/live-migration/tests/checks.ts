/**
 * Helpers of the Live migration lab's tests (public: shipped with the public tests).
 *
 * Nothing the learner returns is trusted: a migration is measured by the simulator's own
 * record (`Cluster.migrations()`, `migrationPageSends`), and an evacuation plan is carried out
 * move by move on a real `Cluster`, whose own anti-affinity and capacity checks are read after
 * every move.
 */
import { Cluster, type CopyOptions, type MigrationRecord, type MigrationSession, type VmMemoryWorkload } from '@virtlab/sim';
import { attach, expect, plain } from '@virtlab/test';
import { migrate, planEvacuation } from '../starter/live-migration.ts';
import type { EvacuationInput, EvacuationMove, MigrationPolicy } from '../starter/types.ts';

/** Xen's stop rules (tools/libxc/xc_domain_save.c): 30 rounds, < 50 pages, 3× memory; no rate limit. */
export const XEN_POLICY: MigrationPolicy = Object.freeze({ maxRounds: 30, minPendingPages: 50, maxSentFactor: 3, downtimeTargetMs: 0, rateLimitBytesPerMs: null });

/**
 * Writes a test makes itself at moments no workload can pick (`Cluster.writePage`): exact counts
 * for the stop rules, the guest's last writes as it is stopped, and DMA by a device.
 */
export interface ScriptedWrites {
  /** After copy round n returns (1: the full copy), while the VM runs: pages written by its CPUs or by a device's DMA. */
  readonly afterRound?: readonly { readonly round: number; readonly pages: readonly number[]; readonly source: 'cpu' | 'dma' }[];
  /** From after copy round n on, the guest runs another workload (a burst, say). */
  readonly switchWorkload?: { readonly afterRound: number; readonly workload: VmMemoryWorkload };
  /** The guest's last writes, when stop() is called and before the VM stops. */
  readonly beforeStop?: readonly number[];
  /** DMA a device finishes into the VM just after it stops. */
  readonly dmaAfterStop?: readonly number[];
}

/** A VM to migrate and the link it goes over. */
export interface MigrationCase {
  readonly memoryMiB: number;
  readonly workload: VmMemoryWorkload;
  readonly bandwidthMBps: number;
  readonly latencyMs: number;
  readonly seed: number;
  readonly script?: ScriptedWrites;
}

export interface MigrationOutcome {
  readonly record: MigrationRecord;
  /** How many times each page was sent, as the simulator counted. */
  readonly sends: readonly number[];
  readonly pageCount: number;
  readonly describe: string;
}

/** Runs the learner's `migrate` on a fresh two-host cluster; the record is the simulator's. */
export function runMigration(c: MigrationCase, policy: MigrationPolicy, show = false): MigrationOutcome {
  const cluster = new Cluster({ seed: c.seed, samples: 1 });
  cluster.addHost({ id: 'src', cpuCores: 8, memoryGiB: 64 });
  cluster.addHost({ id: 'dst', cpuCores: 8, memoryGiB: 64 });
  cluster.addLink('src', 'dst', { bandwidthMBps: c.bandwidthMBps, latencyMs: c.latencyMs });
  cluster.addVm({ id: 'vm', vcpus: 2, memoryGiB: 1, memoryMiB: c.memoryMiB, workload: c.workload });
  cluster.place('vm', 'src');
  cluster.advance(100); // the guest has been running before the migration starts
  const session = cluster.beginMigration('vm', 'dst');
  const describe = `${c.memoryMiB} MiB VM, workload ${JSON.stringify(c.workload)}${c.script === undefined ? '' : `, and the test writes ${describeScript(c.script)}`}, link ${c.bandwidthMBps} MB/s with ${c.latencyMs} ms latency, policy ${JSON.stringify(policy)}`;
  const rounds: RoundLog[] = [];
  let error: unknown = null;
  try {
    migrate(show || c.script !== undefined ? observed(session, cluster, c.script ?? {}, rounds) : session, Object.freeze({ ...policy }));
  } catch (caught) {
    error = caught;
  }
  const record = cluster.migrations()[0]!;
  const sends = cluster.migrationPageSends(record.id);
  if (show) attach('migration', { record: plain(record), pageCount: sends.length, rounds });
  expect(error, `migrate threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} (${describe})`).toBe(null);
  expect(record.state, `migration state after migrate returned: ${record.state}, expected completed (stop() then resume()) (${describe})`).toBe('completed');
  return { record, sends, pageCount: sends.length, describe };
}

function describeScript(script: ScriptedWrites): string {
  const pages = (list: readonly number[]) => `${list.length} page${list.length === 1 ? '' : 's'} (${list.slice(0, 4).join(', ')}${list.length > 4 ? ', …' : ''})`;
  const parts = (script.afterRound ?? []).map((w) => `${pages(w.pages)} by ${w.source === 'dma' ? 'DMA' : 'the CPUs'} after round ${w.round}`);
  if (script.switchWorkload !== undefined) parts.push(`a switch to workload ${JSON.stringify(script.switchWorkload.workload)} after round ${script.switchWorkload.afterRound}`);
  if (script.beforeStop !== undefined) parts.push(`${pages(script.beforeStop)} by the CPUs just before the stop`);
  if (script.dmaAfterStop !== undefined) parts.push(`${pages(script.dmaAfterStop)} by DMA just after the stop`);
  return parts.join(', ');
}

/** One copy round as the simulator answered it: pages sent, ms taken, pages the log had dirtied before it, whether the VM was stopped. */
interface RoundLog {
  readonly pagesSent: number;
  readonly ms: number;
  readonly dirtiedBefore: number;
  readonly stopped: boolean;
}

/**
 * The same session, making the script's writes at their moments and logging what the simulator
 * answers each round (for the workbench picture).
 */
function observed(session: MigrationSession, cluster: Cluster, script: ScriptedWrites, rounds: RoundLog[]): MigrationSession {
  let dirtied = 0;
  const logged = {
    get vmId() { return session.vmId; },
    get source() { return session.source; },
    get destination() { return session.destination; },
    get pageCount() { return session.pageCount; },
    get pageSizeBytes() { return session.pageSizeBytes; },
    get bandwidthBytesPerMs() { return session.bandwidthBytesPerMs; },
    get latencyMs() { return session.latencyMs; },
    get elapsedMs() { return session.elapsedMs; },
    get stopped() { return session.stopped; },
    copyPages(pages: readonly number[] | 'all', options?: CopyOptions) {
      const result = session.copyPages(pages, options);
      rounds.push({ pagesSent: result.pagesSent, ms: result.ms, dirtiedBefore: dirtied, stopped: session.stopped });
      dirtied = 0;
      if (!session.stopped) {
        for (const w of script.afterRound ?? []) if (w.round === rounds.length) for (const page of w.pages) cluster.writePage(session.vmId, page, w.source);
        if (script.switchWorkload?.afterRound === rounds.length) cluster.setWorkload(session.vmId, script.switchWorkload.workload);
      }
      return result;
    },
    takeDirtyPages() {
      const pages = session.takeDirtyPages();
      dirtied += pages.length;
      return pages;
    },
    stop() {
      if (!session.stopped) for (const page of script.beforeStop ?? []) cluster.writePage(session.vmId, page, 'cpu');
      session.stop();
      for (const page of script.dmaAfterStop ?? []) cluster.writePage(session.vmId, page, 'dma');
    },
    resume() { return session.resume(); },
    abort() { return session.abort(); },
  };
  return Object.freeze(logged) as unknown as MigrationSession;
}

/** No write lost: the simulator's check at resume. */
export function expectConsistent(o: MigrationOutcome): void {
  expect(o.record.stalePages, `stale pages at the destination when the VM resumed: ${o.record.stalePages} of ${o.pageCount}, expected 0 (${o.describe})`).toBe(0);
}

export function expectDowntimeAtMost(o: MigrationOutcome, targetMs: number, why: string): void {
  const downtime = o.record.downtimeMs!;
  expect(downtime <= targetMs + 1e-9, `downtime ${round(downtime)} ms, expected at most ${targetMs} ms (${why}); ${o.record.pagesSentWhileStopped} pages sent while stopped, ${o.record.rounds} rounds (${o.describe})`).toBe(true);
}

export function expectPagesSentAtMost(o: MigrationOutcome, limit: number, why: string): void {
  expect(o.record.pagesSent <= limit, `pages sent: ${o.record.pagesSent} (${round(o.record.pagesSent / o.pageCount)} × memory of ${o.pageCount} pages), expected at most ${limit} (${why}); ${o.record.rounds} rounds (${o.describe})`).toBe(true);
}

export function expectSentWhileStoppedAtMost(o: MigrationOutcome, limit: number, why: string): void {
  expect(o.record.pagesSentWhileStopped <= limit, `pages sent while the VM was stopped: ${o.record.pagesSentWhileStopped}, expected at most ${limit} (${why}); ${o.record.rounds} rounds (${o.describe})`).toBe(true);
}

export function expectRoundsAtMost(o: MigrationOutcome, limit: number, why: string): void {
  expect(o.record.rounds <= limit, `copy rounds (copyPages calls): ${o.record.rounds}, expected at most ${limit} (${why}) (${o.describe})`).toBe(true);
}

/** The rate limit kept while the VM ran, by the simulator's record of the fastest running round. */
export function expectRateLimitKept(o: MigrationOutcome, limitBytesPerMs: number, linkBytesPerMs: number): void {
  const peak = o.record.peakRunningBytesPerMs;
  expect(peak <= limitBytesPerMs, `fastest rate while the VM ran: ${round(peak / 1000)} MB/s, expected at most the rate limit ${round(limitBytesPerMs / 1000)} MB/s (the service keeps the other ${round((linkBytesPerMs - limitBytesPerMs) / 1000)} MB/s of the link); ${o.record.rounds} rounds (${o.describe})`).toBe(true);
}

/** Mean sends of pages `from`..`to - 1`. */
export function meanSends(o: MigrationOutcome, from: number, to: number): number {
  let sum = 0;
  for (let page = from; page < to; page++) sum += o.sends[page]!;
  return sum / (to - from);
}

export function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

// ---------------------------------------------------------------- evacuation

/** A readable description of a cluster for messages. */
function describeInput(input: EvacuationInput): string {
  return input.hosts.map((h) => `${h.id}${h.state === 'failed' ? ' (failed)' : ''} [${h.cpuCores} cores, ${h.memoryGiB} GiB]: ${input.vms.filter((v) => v.host === h.id).map((v) => `${v.id}${v.service === null ? '' : `/${v.service}`} ${v.vcpus}c ${v.memoryGiB}G`).join(', ') || 'empty'}`).join('; ');
}

/** One cluster state after a move, for the picture and the messages. */
interface EvacuationState {
  readonly move: EvacuationMove | null;
  readonly hosts: readonly { readonly id: string; readonly state: string; readonly vms: readonly string[] }[];
  readonly antiAffinity: readonly string[];
  readonly capacity: readonly string[];
}

/**
 * Gets the learner's plan and carries it out on a real cluster, one live migration after another,
 * checking the cluster's anti-affinity and capacity after every move, and where every VM ends.
 */
export function expectValidEvacuation(input: EvacuationInput, show = false): EvacuationMove[] {
  const frozen = deepFreeze(JSON.parse(JSON.stringify(input)) as EvacuationInput);
  const moves = plain(planEvacuation(frozen)) as EvacuationMove[];
  const cluster = new Cluster({ seed: 1, samples: 1 });
  for (const h of input.hosts) cluster.addHost({ id: h.id, cpuCores: h.cpuCores, memoryGiB: h.memoryGiB });
  for (let i = 0; i < input.hosts.length; i++) {
    for (let j = i + 1; j < input.hosts.length; j++) cluster.addLink(input.hosts[i]!.id, input.hosts[j]!.id, { bandwidthMBps: 1000, latencyMs: 0 });
  }
  for (const vm of input.vms) {
    cluster.addVm({ id: vm.id, ...(vm.service === null ? {} : { service: vm.service }), vcpus: vm.vcpus, memoryGiB: vm.memoryGiB, memoryMiB: 1 });
    cluster.place(vm.id, vm.host);
  }
  for (const h of input.hosts) if (h.state === 'failed') cluster.failHost(h.id);
  const where = `cluster: ${describeInput(input)}; drain ${input.drain}; your plan: ${moves.map((m) => `${m.vm} -> ${m.to}`).join(', ') || 'no moves'}`;
  const states: EvacuationState[] = [stateOf(cluster, null)];
  let failure: string | null = null;
  for (const [index, m] of moves.entries()) {
    if (m.to === input.drain) {
      failure = `move ${index + 1} (${m.vm} -> ${m.to}) goes to the host being drained`;
      break;
    }
    try {
      const session = cluster.beginMigration(m.vm, m.to);
      session.stop();
      session.copyPages('all');
      session.resume();
    } catch (caught) {
      failure = `move ${index + 1} (${m.vm} -> ${m.to}) was refused by the cluster: ${caught instanceof Error ? caught.message : String(caught)}`;
      break;
    }
    const state = stateOf(cluster, m);
    states.push(state);
    if (state.antiAffinity.length > 0) {
      failure = `after move ${index + 1} (${m.vm} -> ${m.to}) replicas of one service share a host: ${state.antiAffinity.join('; ')}`;
      break;
    }
    if (state.capacity.length > 0) {
      failure = `after move ${index + 1} (${m.vm} -> ${m.to}) a host is over capacity: ${state.capacity.join('; ')}`;
      break;
    }
  }
  if (show) attach('evacuation', { drain: input.drain, states });
  expect(failure, `${failure ?? ''} (${where})`).toBe(null);
  const left = cluster.host(input.drain).vms;
  expect(left, `VMs still on the drained host ${input.drain} after the plan: ${left.join(', ')}, expected none (${where})`).toEqual([]);
  const notRunning = cluster.vms().filter((vm) => vm.state !== 'running').map((vm) => `${vm.id} is ${vm.state}`);
  expect(notRunning, `VMs not running on a live host after the plan: ${notRunning.join(', ')} (${where})`).toEqual([]);
  return moves;
}

function stateOf(cluster: Cluster, move: EvacuationMove | null): EvacuationState {
  return {
    move,
    hosts: cluster.hosts().map((h) => ({ id: h.id, state: h.state, vms: [...h.vms] })),
    antiAffinity: cluster.antiAffinityViolations().map((v) => `${v.hostId} runs ${v.vms.join(' and ')} of ${v.service}`),
    capacity: cluster.capacityViolations().map((v) => `${v.hostId} ${v.resource} ${round(v.peak)} > ${v.limit}`),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Hosts and VMs for hand-made clusters. */
export function host(id: string, cpuCores: number, memoryGiB: number, state: 'up' | 'failed' = 'up') {
  return { id, cpuCores, memoryGiB, state };
}

export function vm(id: string, service: string | null, vcpus: number, memoryGiB: number, on: string) {
  return { id, service, vcpus, memoryGiB, host: on };
}
