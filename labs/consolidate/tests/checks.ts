/**
 * Helpers of the hidden tests (never shipped to the site): fixtures, applying a plan through the
 * simulator, the figures the simulator measures, and the first-fit-decreasing baseline.
 *
 * tests/public.ts has its own copies of the first few (the browser receives public.ts alone);
 * keep them in step.
 */
import { Cluster, DEFAULT_LEGACY_SERVER_POWER, fleetPowerWatts, type HostPowerModel, type PhysicalServerSpec } from '@virtlab/sim';
import { expect, plain } from '@virtlab/test';
import { planConsolidation } from '../starter/consolidate.ts';
import type { ConsolidationReport, HostModel } from '../starter/types.ts';

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
export function window(samples: number, low: number, high: number, from: number, to: number): number[] {
  return Array.from({ length: samples }, (_, t) => (t >= from && t < to ? high : low));
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
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

/** Plans with the learner's code, applies the plan and checks it through the simulator. */
export function expectValidPlacement(servers: readonly PhysicalServerSpec[], host: HostModel, headroom: number): { cluster: Cluster; plan: unknown } {
  const plan = plain(planConsolidation(servers, host, headroom));
  const { cluster, problems } = applyPlan(servers, plan, host);
  expect(problems, 'every server placed exactly once, on a host that can hold it').toEqual([]);
  expect(cluster.capacityViolations(headroom), `hosts over ${(1 - headroom) * 100}% of their CPU or memory at some sample`).toEqual([]);
  expect(cluster.antiAffinityViolations(), 'replicas of one service sharing a host').toEqual([]);
  return { cluster, plan };
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

/** Figures of `claimed` that differ from the simulator's (relative tolerance 1e-6). */
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

// ------------------------------------------------------------------ the baseline

/**
 * First-fit decreasing, as the instructions define the baseline (adapted from
 * tests/sim/cluster/reference-ffd.ts): servers largest first by the larger of peak CPU and peak
 * memory as a share of what one host may give (ties by id), each on the first host where it
 * fits at every sample and no replica of its service runs. Returns the plan.
 */
export function firstFitDecreasing(servers: readonly PhysicalServerSpec[], host: HostModel, headroom: number): { hosts: string[][] } {
  const cpuLimit = host.cpuCores * (1 - headroom);
  const memoryLimit = host.memoryGiB * (1 - headroom);
  const size = (s: PhysicalServerSpec) => Math.max(Math.max(...s.cpuTrace) / cpuLimit, Math.max(...s.memoryTrace) / memoryLimit);
  const order = [...servers].sort((a, b) => size(b) - size(a) || (a.id < b.id ? -1 : 1));
  const open: { ids: string[]; cpu: number[]; memory: number[]; services: Set<string> }[] = [];
  for (const s of order) {
    const fits = (h: (typeof open)[number]) => !h.services.has(s.service)
      && s.cpuTrace.every((v, t) => (h.cpu[t] as number) + v <= cpuLimit + 1e-9)
      && s.memoryTrace.every((v, t) => (h.memory[t] as number) + v <= memoryLimit + 1e-9);
    let chosen = open.find(fits);
    if (chosen === undefined) {
      chosen = { ids: [], cpu: constant(0, s.cpuTrace.length), memory: constant(0, s.cpuTrace.length), services: new Set() };
      open.push(chosen);
    }
    const target = chosen;
    s.cpuTrace.forEach((v, t) => { target.cpu[t] = (target.cpu[t] as number) + v; });
    s.memoryTrace.forEach((v, t) => { target.memory[t] = (target.memory[t] as number) + v; });
    target.services.add(s.service);
    target.ids.push(s.id);
  }
  return { hosts: open.map((h) => h.ids) };
}
