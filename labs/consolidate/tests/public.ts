/**
 * Public tests of the Consolidate lab (they also run in the learner's browser, so this file
 * imports nothing but the simulator, the test API and the starter).
 *
 * Plans are never trusted: each one is applied to a fresh simulator Cluster (hosts host-0,
 * host-1, … of the host model) through `Cluster.place`, and the checks read the cluster's own
 * loads, violations, failures and power.
 */
import {
  Cluster, DEFAULT_LEGACY_SERVER_POWER, SimError, fleetPowerWatts, generateServerFleet, type PhysicalServerSpec,
} from '@virtlab/sim';
import { attach, describe, expect, plain, test } from '@virtlab/test';
import { planConsolidation, reportConsolidation } from '../starter/consolidate.ts';
import type { ConsolidationReport, HostModel } from '../starter/types.ts';

/** The lab's usual host: a 2007-era two-socket virtualization server. */
const HOST: HostModel = Object.freeze({ cpuCores: 16, memoryGiB: 128, power: Object.freeze({ idleWatts: 240, peakWatts: 400 }) });
const HEADROOM = 0.2;

// ------------------------------------------------------------------ fixtures

/** A hand-made server with constant or given traces (frozen, like the simulator's fleets). */
function server(id: string, service: string, cpuTrace: readonly number[], memoryTrace: readonly number[], cpuCores = 8, memoryGiB = 32): PhysicalServerSpec {
  return Object.freeze({
    id, service, cpuCores, memoryGiB, power: DEFAULT_LEGACY_SERVER_POWER,
    cpuTrace: Object.freeze([...cpuTrace]), memoryTrace: Object.freeze([...memoryTrace]),
  });
}

function constant(value: number, samples: number): number[] {
  return new Array<number>(samples).fill(value);
}

// ------------------------------------------------------------------ applying a plan through the simulator

interface Applied {
  readonly cluster: Cluster;
  /** What went wrong while placing: unknown or repeated ids, servers left out, hosts over 100%. */
  readonly problems: string[];
}

/** Places the plan's servers on a fresh cluster with the simulator's capacity checks. */
function applyPlan(servers: readonly PhysicalServerSpec[], plan: unknown, host: HostModel): Applied {
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

/** Plans with the learner's code, applies the plan and checks it; returns the cluster and the plan. */
function expectValidPlacement(servers: readonly PhysicalServerSpec[], host: HostModel, headroom: number, picture?: string): { cluster: Cluster; plan: unknown } {
  const plan = plain(planConsolidation(servers, host, headroom));
  const { cluster, problems } = applyPlan(servers, plan, host);
  if (picture !== undefined) attach(picture, pictureOf(servers, cluster, host, headroom, problems));
  expect(problems, 'every server placed exactly once, on a host that can hold it').toEqual([]);
  expect(cluster.capacityViolations(headroom), `hosts over ${(1 - headroom) * 100}% of their CPU or memory at some sample`).toEqual([]);
  expect(cluster.antiAffinityViolations(), 'replicas of one service sharing a host').toEqual([]);
  return { cluster, plan };
}

/** Hosts switched on: those the simulator sees running at least one server. */
function hostsOn(cluster: Cluster): number {
  return cluster.powerReport().hostsOn;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** What the workbench's picture draws: the servers before, the hosts after, as the simulator saw them. */
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

/** The report's figures, measured by the simulator on the cluster the plan was applied to. */
function measuredReport(servers: readonly PhysicalServerSpec[], cluster: Cluster): ConsolidationReport {
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
function reportMismatches(claimed: unknown, measured: ConsolidationReport): string[] {
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

// ------------------------------------------------------------------ tests

describe('placement', () => {
  test('places a small fleet validly: every server once, headroom kept, replicas apart', { points: 2 }, () => {
    const samples = 6;
    const servers = [
      server('web-0', 'web', [1, 2, 3, 2, 1, 1], constant(4, samples)),
      server('web-1', 'web', [1, 1, 2, 3, 2, 1], constant(4, samples)),
      server('db-0', 'db', constant(4, samples), [20, 21, 22, 22, 21, 20]),
      server('mail-0', 'mail', [2, 2, 1, 1, 2, 2], constant(8, samples)),
      server('dns-0', 'dns', constant(0.5, samples), constant(1, samples)),
    ];
    const { cluster } = expectValidPlacement(servers, { cpuCores: 8, memoryGiB: 32, power: HOST.power }, 0.25);
    expect(hostsOn(cluster)).toBeLessThan(servers.length);
  });

  test('places large servers first: three 6-core and three 2-core servers fill exactly three hosts', () => {
    // Hosts of 10 cores at 20% headroom give 8 cores: 6 + 2 fills one, and 24 cores need at least 3.
    // Taken in this order without sorting, the 2-core servers fill the first host and the 6-core ones need three more.
    const servers = [
      ...['a', 'b', 'c'].map((s) => server(`${s}-0`, s, constant(2, 4), constant(1, 4))),
      ...['x', 'y', 'z'].map((s) => server(`${s}-0`, s, constant(6, 4), constant(1, 4))),
    ];
    const { cluster } = expectValidPlacement(servers, { cpuCores: 10, memoryGiB: 100, power: HOST.power }, 0.2);
    expect(hostsOn(cluster)).toBe(3);
  });

  test('lets servers whose peaks come at different times share a host, and keeps coinciding peaks apart', () => {
    // 6 cores may be used. day and night each peak at 5, never at the same time: together at most 6.
    // noon peaks when day does (5 + 4 > 6), although the three averages add up to less than 6.
    const servers = [
      server('day-0', 'day', [5, 1, 1, 1], constant(2, 4)),
      server('night-0', 'night', [1, 1, 5, 1], constant(2, 4)),
      server('noon-0', 'noon', [4, 1, 1, 1], constant(2, 4)),
    ];
    const { cluster } = expectValidPlacement(servers, { cpuCores: 8, memoryGiB: 32, power: HOST.power }, 0.25);
    expect(hostsOn(cluster)).toBe(2);
  });

  test('keeps replicas apart, so one host failure leaves the service running', { points: 2 }, () => {
    // Everything would fit on one host; the three web replicas must not share one.
    const servers = [
      ...[0, 1, 2].map((r) => server(`web-${r}`, 'web', constant(0.5, 4), constant(1, 4))),
      server('db-0', 'db', constant(1, 4), constant(2, 4)),
    ];
    const host: HostModel = { cpuCores: 16, memoryGiB: 64, power: HOST.power };
    const { cluster } = expectValidPlacement(servers, host, HEADROOM, 'replicas');
    expect(hostsOn(cluster)).toBe(3);
    const plan = plain(planConsolidation(servers, host, HEADROOM));
    for (const failed of cluster.hosts().filter((h) => h.vms.length > 0).map((h) => h.id)) {
      const { cluster: fresh } = applyPlan(servers, plan, host);
      fresh.failHost(failed);
      const web = fresh.serviceStatus().find((s) => s.service === 'web');
      expect(web?.running, `web replicas still running after ${failed} fails`).toBe(2);
    }
  });

  test('consolidates a generated fleet of under-used servers onto far fewer hosts', () => {
    const servers = generateServerFleet({ seed: 2007, services: 16 });
    const { cluster } = expectValidPlacement(servers, HOST, HEADROOM, 'consolidation');
    expect(hostsOn(cluster)).toBeLessThanOrEqual(servers.length / 2);
  });
});

describe('impossible inputs', () => {
  test('rejects a server larger than any host with SimError CAPACITY_EXCEEDED', () => {
    const giant = server('erp-0', 'erp', constant(4, 168), constant(120, 168), 16, 256);
    const servers = [...generateServerFleet({ seed: 3, services: 4 }), giant];
    let thrown: unknown = null;
    try {
      planConsolidation(servers, HOST, HEADROOM);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SimError);
    expect((thrown as SimError).code).toBe('CAPACITY_EXCEEDED');
    expect((thrown as SimError).message).toContain('erp-0');
  });
});

describe('report', () => {
  test('reports hosts saved, utilization and power as the simulator measures them', { points: 2 }, () => {
    const servers = generateServerFleet({ seed: 7, services: 12 });
    const plan = plain(planConsolidation(servers, HOST, HEADROOM));
    const { cluster, problems } = applyPlan(servers, plan, HOST);
    expect(problems).toEqual([]);
    const report = plain(reportConsolidation(servers, plan, HOST));
    expect(reportMismatches(report, measuredReport(servers, cluster))).toEqual([]);
  });
});
