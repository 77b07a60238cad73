/**
 * Helpers shared by the public and hidden tests (shipped with the public tests): fixtures,
 * applying a plan through the simulator, the report's figures as the simulator measures them,
 * and the data of the workbench's picture. Not a test file itself.
 */
import { Cluster, DEFAULT_LEGACY_SERVER_POWER, SimError, fleetPowerWatts, type HostPowerModel, type PhysicalServerSpec } from '@virtlab/sim';
import { attach, expect, plain } from '@virtlab/test';
import { planConsolidation, reportConsolidation } from '../starter/consolidate.ts';
import type { ConsolidationPlan, ConsolidationReport, HostModel } from '../starter/types.ts';

// ------------------------------------------------------------------ fixtures

/** A hand-made server with given traces (frozen, like the simulator's fleets). */
export function server(
  id: string, service: string, cpuTrace: readonly number[], memoryTrace: readonly number[],
  options: { cpuCores?: number; memoryGiB?: number; power?: HostPowerModel } = {},
): PhysicalServerSpec {
  return Object.freeze({
    id, service, cpuCores: options.cpuCores ?? 8, memoryGiB: options.memoryGiB ?? 32, power: options.power ?? DEFAULT_LEGACY_SERVER_POWER,
    cpuTrace: Object.freeze([...cpuTrace]), memoryTrace: Object.freeze([...memoryTrace]),
  });
}

export function constant(value: number, samples: number): number[] {
  return new Array<number>(samples).fill(value);
}

/** A trace at `low` with `high` from sample `from` (inclusive) to `to` (exclusive). */
export function peakWindow(samples: number, low: number, high: number, from: number, to: number): number[] {
  return Array.from({ length: samples }, (_, t) => (t >= from && t < to ? high : low));
}

/** Rounded to three decimals, for messages and pictures. */
export const round3 = (value: number): number => Math.round(value * 1000) / 1000;

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

// ------------------------------------------------------------------ calling the learner's code

/**
 * A deep-frozen copy of plain test data (objects, arrays, numbers, strings). Learner code gets
 * copies only: the test keeps its own servers, host and plan to apply and check against, so code
 * that changes its inputs (a bigger host, smaller traces, fewer servers) cannot change what it is
 * graded against, and on the frozen copies such a change fails at once.
 */
export function frozenCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map((item: unknown) => frozenCopy(item))) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = frozenCopy(item);
    return Object.freeze(copy) as T;
  }
  return value;
}

/** The learner's `planConsolidation` on frozen copies of the inputs; its plan as plain data. */
export function learnersPlan(servers: readonly PhysicalServerSpec[], host: HostModel, headroom: number): ConsolidationPlan {
  return plain(planConsolidation(frozenCopy(servers), frozenCopy(host), headroom));
}

/** The learner's `reportConsolidation` on frozen copies of the inputs; its report as plain data. */
export function learnersReport(servers: readonly PhysicalServerSpec[], plan: ConsolidationPlan, host: HostModel): ConsolidationReport {
  return plain(reportConsolidation(frozenCopy(servers), frozenCopy(plan), frozenCopy(host)));
}

// ------------------------------------------------------------------ applying a plan through the simulator

export interface Applied {
  readonly cluster: Cluster;
  /** What went wrong while placing: unknown or repeated ids, servers left out, hosts over 100%. */
  readonly problems: string[];
}

/** Places the plan's servers on a fresh cluster (hosts host-0, host-1, …) with the simulator's capacity checks. */
export function applyPlan(servers: readonly PhysicalServerSpec[], plan: unknown, host: HostModel): Applied {
  const problems: string[] = [];
  const cluster = new Cluster({ seed: 1, samples: servers[0]?.cpuTrace.length ?? 168 });
  cluster.addServersAsVms(servers);
  const hosts = (plan as { hosts?: unknown } | null)?.hosts;
  if (!Array.isArray(hosts) || !hosts.every((ids) => Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
    problems.push(`a plan is { hosts: string[][] }, got ${JSON.stringify(plan)?.slice(0, 200)}`);
    return { cluster, problems };
  }
  (hosts as string[][]).forEach((ids, index) => {
    const hostId = `host-${index}`;
    cluster.addHost({ id: hostId, cpuCores: host.cpuCores, memoryGiB: host.memoryGiB, power: host.power });
    for (const id of ids) {
      try {
        cluster.place(id, hostId);
      } catch (error) {
        problems.push(`placing ${id} on ${hostId}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  });
  for (const vm of cluster.vms()) if (vm.state !== 'running') problems.push(`server ${vm.id} is on no host`);
  return { cluster, problems };
}

/**
 * Plans with the learner's code, applies the plan and checks it through the simulator. With
 * `picture`, attaches what the simulator saw under that name for the workbench (public tests only).
 */
export function expectValidPlacement(servers: readonly PhysicalServerSpec[], host: HostModel, headroom: number, picture?: string): { cluster: Cluster; plan: unknown } {
  const plan = learnersPlan(servers, host, headroom);
  const { cluster, problems } = applyPlan(servers, plan, host);
  if (picture !== undefined) attach(picture, pictureOf(servers, cluster, host, headroom, problems));
  expectNone('every server must be placed exactly once, on a host that can hold it', problems);
  expectNone(`hosts over ${round3((1 - headroom) * 100)}% of their CPU or memory (headroom ${headroom})`, capacityFindings(cluster, headroom));
  expectNone('replicas of one service sharing a host', cluster.antiAffinityViolations().map((v) => `${v.hostId} carries ${v.vms.length} replicas of ${v.service}: ${v.vms.join(', ')}`));
  return { cluster, plan };
}

/** Expects the simulator to see exactly `expected` hosts switched on; `why` says where the number comes from. */
export function expectHostsOn(cluster: Cluster, expected: number, why: string): void {
  const on = hostsOn(cluster);
  if (on !== expected) expect.fail(`hosts switched on: ${on}, expected ${expected} (${why}); your plan: ${planSummary(cluster)}`);
  expect(on).toBe(expected);
}

/** Expects at most `most` hosts switched on; `why` says where the bound comes from. */
export function expectHostsAtMost(cluster: Cluster, most: number, why: string): void {
  const on = hostsOn(cluster);
  if (on > most) expect.fail(`hosts switched on: ${on}, at most ${most} expected (${why}); your plan: ${planSummary(cluster)}`);
  expect(on).toBeLessThanOrEqual(most);
}

/**
 * Expects the learner's planConsolidation to refuse `servers` with SimError CAPACITY_EXCEEDED
 * naming `id`, and, in the same test, to plan the legitimate neighbour: the same fleet without
 * that server. Refusing everything earns nothing.
 */
export function expectRejected(servers: readonly PhysicalServerSpec[], host: HostModel, headroom: number, id: string): void {
  const oversized = servers.find((s) => s.id === id) as PhysicalServerSpec;
  const need = `${id} peaks at ${round3(Math.max(...oversized.cpuTrace))} cores and ${round3(Math.max(...oversized.memoryTrace))} GiB; `
    + `a host may give ${round3(host.cpuCores * (1 - headroom))} cores and ${round3(host.memoryGiB * (1 - headroom))} GiB at headroom ${headroom}`;
  const thrown = thrownBy(() => learnersPlan(servers, host, headroom));
  const wrong = thrown === null ? 'it returned a plan'
    : !(thrown instanceof SimError) ? `it threw ${describeThrown(thrown)}`
    : thrown.code !== 'CAPACITY_EXCEEDED' ? `it threw SimError ${thrown.code}`
    : !thrown.message.includes(id) ? `its message "${thrown.message}" does not name ${id}`
    : null;
  if (wrong !== null) expect.fail(`planConsolidation must throw SimError CAPACITY_EXCEEDED naming ${id} (${need}), but ${wrong}`);
  expect(thrown).toBeInstanceOf(SimError);
  expectValidPlacement(servers.filter((s) => s.id !== id), host, headroom);
}

// ------------------------------------------------------------------ failure messages that state the facts

/** How many findings a failure message lists before saying how many more there are. */
const LISTED = 6;

/** The first few items, then how many more. */
export function listed(items: readonly string[], max = LISTED, separator = '; '): string {
  return items.length <= max ? items.join(separator) : `${items.slice(0, max).join(separator)}${separator}and ${items.length - max} more`;
}

/** Fails with `what` and the findings (the first few, then how many more) unless there are none. */
export function expectNone(what: string, findings: readonly string[]): void {
  if (findings.length > 0) expect.fail(`${what}: ${listed(findings)}`);
  expect(findings).toEqual([]);
}

/** A number short enough to read, but with the digits that tell it from `other` when they differ. */
function distinct(value: number, other: number): string {
  const short = String(round3(value));
  return short === String(round3(other)) && value !== other ? String(value) : short;
}

/** Each host over its limit: when, which resource, how much against the limit, and its servers. */
function capacityFindings(cluster: Cluster, headroom: number): string[] {
  return cluster.capacityViolations(headroom).map((v) => {
    const load = cluster.hostLoad(v.hostId);
    const used = (v.resource === 'cpu' ? load.cpuCores : load.memoryGiB)[v.sample] as number;
    const unit = v.resource === 'cpu' ? 'cores' : 'GiB';
    return `${v.hostId} over capacity at hour ${v.sample}: ${v.resource} ${distinct(used, v.limit)} > ${distinct(v.limit, used)} ${unit} (headroom ${headroom}); servers ${listed(load.vms, 8, ', ')}`;
  });
}

/** The hosts switched on and their servers, e.g. `host-0: a-0, x-0; host-1: b-0`. */
export function planSummary(cluster: Cluster): string {
  const on = cluster.hosts().filter((h) => h.vms.length > 0).map((h) => `${h.id}: ${h.vms.join(', ')}`);
  return on.length === 0 ? 'no host switched on' : listed(on);
}

function describeThrown(thrown: unknown): string {
  return thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : `the value ${String(thrown)}`;
}

/** Hosts switched on: those the simulator sees running at least one server. */
export function hostsOn(cluster: Cluster): number {
  return cluster.powerReport().hostsOn;
}

/** Calls `fn` and returns what it threw (null if it returned). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return null;
}

// ------------------------------------------------------------------ the report, as the simulator measures it

/** The report's figures, measured by the simulator on the cluster the plan was applied to. */
export function measuredReport(servers: readonly PhysicalServerSpec[], cluster: Cluster): ConsolidationReport {
  const power = cluster.powerReport();
  const on = power.hosts.filter((h) => h.on).map((h) => cluster.hostLoad(h.hostId));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const meanCores = sum(servers.map((s) => mean(s.cpuTrace)));
  const meanMemory = sum(servers.map((s) => mean(s.memoryTrace)));
  const hostCores = sum(on.map((load) => cluster.host(load.hostId).cpuCores));
  const hostMemory = sum(on.map((load) => cluster.host(load.hostId).memoryGiB));
  const before = fleetPowerWatts(servers);
  return {
    serversBefore: servers.length,
    hostsAfter: power.hostsOn,
    hostsSaved: servers.length - power.hostsOn,
    cpuUtilizationBefore: meanCores / sum(servers.map((s) => s.cpuCores)),
    cpuUtilizationAfter: sum(on.map((load) => mean(load.cpuCores))) / hostCores,
    memoryUtilizationBefore: meanMemory / sum(servers.map((s) => s.memoryGiB)),
    memoryUtilizationAfter: sum(on.map((load) => mean(load.memoryGiB))) / hostMemory,
    powerBeforeWatts: before,
    powerAfterWatts: power.totalWatts,
    powerSavedWatts: before - power.totalWatts,
  };
}

/** Expects every figure of `claimed` to match the simulator's measurement on `cluster`. */
export function expectReportMatches(claimed: unknown, servers: readonly PhysicalServerSpec[], cluster: Cluster, where = ''): void {
  expectNone(`${where}report figures that differ from the simulator by more than 1e-6 × max(1, |measured|)`, reportMismatches(claimed, measuredReport(servers, cluster)));
}

/** Figures of `claimed` that differ from the simulator's by more than 1e-6 × max(1, |measured|). */
export function reportMismatches(claimed: unknown, measured: ConsolidationReport): string[] {
  const wrong: string[] = [];
  const record = (claimed ?? {}) as Record<string, unknown>;
  for (const [key, truth] of Object.entries(measured) as [string, number][]) {
    const value = record[key];
    if (typeof value !== 'number' || !(Math.abs(value - truth) <= 1e-6 * Math.max(1, Math.abs(truth)))) {
      wrong.push(`${key}: reported ${JSON.stringify(value)}, the simulator measured ${truth}`);
    }
  }
  return wrong;
}

// ------------------------------------------------------------------ the workbench's picture

/** What src/workbench/visualizations/consolidate.ts draws: the servers before, the hosts after, as the simulator saw them. */
function pictureOf(servers: readonly PhysicalServerSpec[], cluster: Cluster, host: HostModel, headroom: number, problems: readonly string[]) {
  const serviceOf = new Map(servers.map((s) => [s.id, s.service]));
  return {
    host: { cpuCores: host.cpuCores, memoryGiB: host.memoryGiB, headroom },
    servers: servers.map((s) => ({
      id: s.id, service: s.service, cpuCores: s.cpuCores, memoryGiB: s.memoryGiB,
      meanCpu: round3(mean(s.cpuTrace)), peakCpu: round3(Math.max(...s.cpuTrace)),
      meanMemory: round3(mean(s.memoryTrace)), peakMemory: round3(Math.max(...s.memoryTrace)),
    })),
    hosts: cluster.hosts().filter((h) => h.vms.length > 0).map((h) => {
      const load = cluster.hostLoad(h.id);
      return {
        id: h.id, servers: load.vms.map((id) => ({ id, service: serviceOf.get(id) ?? '' })),
        meanCpu: round3(mean(load.cpuCores)), peakCpu: round3(load.peakCpuCores),
        meanMemory: round3(mean(load.memoryGiB)), peakMemory: round3(load.peakMemoryGiB),
      };
    }),
    capacityViolations: cluster.capacityViolations(headroom).map((v) => ({ hostId: v.hostId, resource: v.resource })),
    antiAffinityViolations: cluster.antiAffinityViolations().map((v) => ({ hostId: v.hostId, service: v.service })),
    problems: problems.slice(0, 20),
    powerBeforeWatts: round3(fleetPowerWatts(servers)),
    powerAfterWatts: round3(cluster.powerReport().totalWatts),
  };
}
