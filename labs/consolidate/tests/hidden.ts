/**
 * Hidden tests of the Consolidate lab: seeded random fleets on several host models and
 * hand-picked cases, every plan applied through the simulator (see checks.ts).
 */
import { SimError, generateServerFleet, type PhysicalServerSpec } from '@virtlab/sim';
import { describe, expect, test } from '@virtlab/test';
import type { HostModel } from '../starter/types.ts';
import {
  applyPlan, constant, expectValidPlacement, hostsOn, learnersPlan, learnersReport, measuredReport, reportMismatches, server, thrownBy, peakWindow,
} from './checks.ts';
import { firstFitDecreasing } from './hidden-baseline.ts';

const POWER = Object.freeze({ idleWatts: 240, peakWatts: 400 });
/** The usual host; memory binds about as often as CPU. */
const HOST: HostModel = Object.freeze({ cpuCores: 16, memoryGiB: 128, power: POWER });
/** Plenty of cores, little memory: memory decides. */
const MEMORY_BOUND: HostModel = Object.freeze({ cpuCores: 32, memoryGiB: 48, power: POWER });
/** Few cores, plenty of memory: CPU peaks decide. */
const CPU_BOUND: HostModel = Object.freeze({ cpuCores: 8, memoryGiB: 512, power: POWER });

/** Fleets for CPU_BOUND hosts: quieter servers, so that even spikes fit a host at 30% headroom. */
function quietFleet(seed: number, services: number): readonly PhysicalServerSpec[] {
  return generateServerFleet({ seed, services, meanCpuUtilization: [0.02, 0.08] });
}

interface Case {
  readonly name: string;
  readonly servers: () => readonly PhysicalServerSpec[];
  readonly host: HostModel;
  readonly headroom: number;
}

function cases(seeds: readonly number[], make: (seed: number) => Omit<Case, 'name'>): Case[] {
  return seeds.map((seed) => ({ name: `seed ${seed}`, ...make(seed) }));
}

describe('valid placements on random fleets', () => {
  test('16-core, 128 GiB hosts at 20% headroom', { points: 3, timeoutMs: 8000 }, () => {
    for (const c of cases([11, 12, 13, 14, 15, 16], (seed) => ({ servers: () => generateServerFleet({ seed, services: 10 + 4 * (seed % 6) }), host: HOST, headroom: 0.2 }))) {
      expectValidPlacement(c.servers(), c.host, c.headroom);
    }
  });

  test('memory-bound hosts (32 cores, 48 GiB) at 25% headroom', { points: 2, timeoutMs: 8000 }, () => {
    for (const seed of [21, 22, 23, 24]) expectValidPlacement(generateServerFleet({ seed, services: 15 }), MEMORY_BOUND, 0.25);
  });

  test('CPU-bound hosts (8 cores) at 30% headroom, where short spikes decide', { timeoutMs: 8000 }, () => {
    for (const seed of [25, 26, 27, 28]) expectValidPlacement(quietFleet(seed, 15), CPU_BOUND, 0.3);
  });
});

describe('as few hosts as first-fit decreasing', () => {
  test('no more hosts than the baseline on random fleets', { points: 3, timeoutMs: 10000 }, () => {
    const all: Case[] = [
      ...cases([31, 32, 33], (seed) => ({ servers: () => generateServerFleet({ seed, services: 20 }), host: HOST, headroom: 0.2 })),
      ...cases([34, 35], (seed) => ({ servers: () => generateServerFleet({ seed, services: 20, maxReplicas: 5 }), host: MEMORY_BOUND, headroom: 0.25 })),
      ...cases([36, 37, 38], (seed) => ({ servers: () => quietFleet(seed, 20), host: CPU_BOUND, headroom: 0.3 })),
    ];
    for (const c of all) {
      const servers = c.servers();
      const { cluster } = expectValidPlacement(servers, c.host, c.headroom);
      const baseline = applyPlan(servers, firstFitDecreasing(servers, c.host, c.headroom), c.host).cluster;
      expect(hostsOn(cluster), `${c.name}: hosts used vs first-fit decreasing`).toBeLessThanOrEqual(hostsOn(baseline));
    }
  });

  test('four servers that peak at different times of day share one host', () => {
    // 12 cores may be used. Each server needs 7 cores for six hours a day and 1 core otherwise,
    // each at a different time: together never more than 7 + 3 × 1 = 10 cores.
    const servers = ['a', 'b', 'c', 'd'].map((s, i) => server(`${s}-0`, s, peakWindow(24, 1, 7, 6 * i, 6 * i + 6), constant(4, 24)));
    const { cluster } = expectValidPlacement(servers, { cpuCores: 16, memoryGiB: 64, power: POWER }, 0.25);
    expect(hostsOn(cluster)).toBe(1);
  });

  test('large servers first: six 4-core and three 8-core servers fit on four hosts', () => {
    // 12 cores may be used: 8 + 4 fills a host three times, 4 + 4 + 4 a fourth; 48 cores need at least 4 hosts.
    const servers = [
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((s) => server(`${s}-0`, s, constant(4, 4), constant(1, 4))),
      ...['x', 'y', 'z'].map((s) => server(`${s}-0`, s, constant(8, 4), constant(1, 4))),
    ];
    const { cluster } = expectValidPlacement(servers, { cpuCores: 16, memoryGiB: 64, power: POWER }, 0.25);
    expect(hostsOn(cluster)).toBe(4);
  });
});

describe('single point of failure', () => {
  test('any one host failing takes down at most one replica of each service', { points: 2, timeoutMs: 10000 }, () => {
    for (const [seed, host, headroom] of [[41, HOST, 0.2], [42, MEMORY_BOUND, 0.25], [43, HOST, 0.1]] as const) {
      const servers = generateServerFleet({ seed, services: 14, maxReplicas: 4 });
      const { cluster, plan } = expectValidPlacement(servers, host, headroom);
      for (const failed of cluster.hosts().filter((h) => h.vms.length > 0).map((h) => h.id)) {
        const fresh = applyPlan(servers, plan, host).cluster;
        fresh.failHost(failed);
        const hurt = fresh.serviceStatus().filter((s) => s.running < s.replicas - 1);
        expect(hurt, `seed ${seed}: services that lost two or more replicas when ${failed} failed`).toEqual([]);
      }
    }
  });

  test('replicas of different sizes stay apart even when others are placed between them', () => {
    // 12 cores may be used. Largest first: api-0 (6), b-0 (4), c-0 (3), api-1 (1). api-1 would fit
    // next to api-0 and b-0, but must go next to c-0.
    const servers = [
      server('api-0', 'api', constant(6, 4), constant(2, 4)),
      server('api-1', 'api', constant(1, 4), constant(2, 4)),
      server('b-0', 'b', constant(4, 4), constant(2, 4)),
      server('c-0', 'c', constant(3, 4), constant(2, 4)),
    ];
    const { cluster } = expectValidPlacement(servers, { cpuCores: 16, memoryGiB: 64, power: POWER }, 0.25);
    expect(hostsOn(cluster)).toBe(2);
  });
});

describe('impossible inputs', () => {
  function expectRejected(servers: readonly PhysicalServerSpec[], host: HostModel, headroom: number, id: string): void {
    const thrown = thrownBy(() => learnersPlan(servers, host, headroom));
    expect(thrown).toBeInstanceOf(SimError);
    expect((thrown as SimError).code).toBe('CAPACITY_EXCEEDED');
    expect((thrown as SimError).message).toContain(id);
  }

  test('rejects a server whose memory fits a bare host but not at the headroom', () => {
    const fleet = generateServerFleet({ seed: 61, services: 8 });
    const big = server('archive-0', 'archive', constant(0.5, 168), constant(110, 168), { cpuCores: 4, memoryGiB: 128 });
    expectRejected([...fleet.slice(0, 5), big, ...fleet.slice(5)], HOST, 0.2, 'archive-0');
  });

  test('rejects a server whose CPU spikes past a host for one hour even though its mean is small', () => {
    const fleet = generateServerFleet({ seed: 62, services: 8 });
    const spiky = server('batch-0', 'batch', peakWindow(168, 0.5, 14, 100, 101), constant(8, 168), { cpuCores: 16, memoryGiB: 32 });
    expectRejected([...fleet, spiky], HOST, 0.2, 'batch-0');
  });

  test('accepts servers that exactly fill a host at the headroom, each on a host of its own', () => {
    // 12 cores and 96 GiB may be used; full-cpu and full-memory each reach the limit at one sample.
    const servers = [
      server('full-cpu-0', 'full-cpu', peakWindow(8, 2, 12, 3, 4), constant(8, 8), { cpuCores: 16, memoryGiB: 128 }),
      server('full-memory-0', 'full-memory', constant(1, 8), peakWindow(8, 8, 96, 5, 6), { cpuCores: 4, memoryGiB: 128 }),
      server('small-0', 'small', constant(1, 8), constant(2, 8)),
    ];
    const { cluster } = expectValidPlacement(servers, HOST, 0.25);
    expect(hostsOn(cluster)).toBe(3);
  });
});

describe('report', () => {
  test('figures of a given plan match the simulator, with other power models and an empty host', { points: 2 }, () => {
    const efficient = Object.freeze({ idleWatts: 90, peakWatts: 170 });
    const servers = generateServerFleet({ seed: 71, services: 12 }).map((s, i) => (i % 3 === 0 ? Object.freeze({ ...s, power: efficient }) : s));
    const host: HostModel = { cpuCores: 24, memoryGiB: 96, power: { idleWatts: 200, peakWatts: 350 } };
    const baseline = firstFitDecreasing(servers, host, 0.2);
    const plan = { hosts: [...baseline.hosts.slice(0, 1), [], ...baseline.hosts.slice(1)] };
    const { cluster, problems } = applyPlan(servers, plan, host);
    expect(problems).toEqual([]);
    const report = learnersReport(servers, plan, host);
    expect(reportMismatches(report, measuredReport(servers, cluster))).toEqual([]);
  });

  test('figures of your own plans match the simulator', { timeoutMs: 8000 }, () => {
    for (const [seed, host, headroom] of [[72, MEMORY_BOUND, 0.25], [73, HOST, 0.15]] as const) {
      const servers = generateServerFleet({ seed, services: 18 });
      const { cluster, plan } = expectValidPlacement(servers, host, headroom);
      const report = learnersReport(servers, plan as { hosts: string[][] }, host);
      expect(reportMismatches(report, measuredReport(servers, cluster)), `seed ${seed}`).toEqual([]);
      expect(cluster.powerReport().totalWatts, 'consolidation saves power').toBeLessThan(measuredReport(servers, cluster).powerBeforeWatts);
    }
  });
});
