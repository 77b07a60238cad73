/**
 * Hidden tests of the Consolidate lab: seeded random fleets on several host models and
 * hand-picked cases, every plan applied through the simulator (see checks.ts).
 */
import { generateServerFleet, type PhysicalServerSpec } from '@virtlab/sim';
import { describe, expect, test } from '@virtlab/test';
import type { HostModel } from '../starter/types.ts';
import {
  applyPlan, constant, expectHostsAtMost, expectHostsOn, expectNone, expectRejected, expectReportMatches, expectValidPlacement, hostsOn, learnersReport,
  measuredReport, peakWindow, server,
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

/**
 * The same fleet as given, reversed, rotated and with every id renamed: what a plan's quality
 * must not depend on. Renamed ids keep the original inside (`r3-api-1`) so messages stay readable.
 */
function arrangements(servers: readonly PhysicalServerSpec[]): [string, readonly PhysicalServerSpec[]][] {
  const half = Math.floor(servers.length / 2);
  return [
    ['as given', servers],
    ['reversed', [...servers].reverse()],
    ['rotated', [...servers.slice(half), ...servers.slice(0, half)]],
    ['ids renamed', servers.map((s, i) => Object.freeze({ ...s, id: `r${servers.length - i}-${s.id}` }))],
  ];
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
  test('16-core, 128 GiB hosts at 20% headroom', { points: 2, timeoutMs: 8000 }, () => {
    for (const c of cases([11, 12, 13, 14, 15, 16], (seed) => ({ servers: () => generateServerFleet({ seed, services: 10 + 4 * (seed % 6) }), host: HOST, headroom: 0.2 }))) {
      expectValidPlacement(c.servers(), c.host, c.headroom);
    }
  });

  test('memory-bound hosts (32 cores, 48 GiB) at 25% headroom', { timeoutMs: 8000 }, () => {
    for (const seed of [21, 22, 23, 24]) expectValidPlacement(generateServerFleet({ seed, services: 15 }), MEMORY_BOUND, 0.25);
  });

  test('CPU-bound hosts (8 cores) at 30% headroom, where short spikes decide', { timeoutMs: 8000 }, () => {
    for (const seed of [25, 26, 27, 28]) expectValidPlacement(quietFleet(seed, 15), CPU_BOUND, 0.3);
  });
});

describe('as few hosts as first-fit decreasing', () => {
  test('no more hosts than the baseline on random fleets', { points: 2, timeoutMs: 10000 }, () => {
    const all: Case[] = [
      ...cases([31, 32, 33], (seed) => ({ servers: () => generateServerFleet({ seed, services: 20 }), host: HOST, headroom: 0.2 })),
      ...cases([34, 35], (seed) => ({ servers: () => generateServerFleet({ seed, services: 20, maxReplicas: 5 }), host: MEMORY_BOUND, headroom: 0.25 })),
      ...cases([36, 37, 38], (seed) => ({ servers: () => quietFleet(seed, 20), host: CPU_BOUND, headroom: 0.3 })),
    ];
    for (const c of all) {
      const servers = c.servers();
      const { cluster } = expectValidPlacement(servers, c.host, c.headroom);
      const baseline = applyPlan(servers, firstFitDecreasing(servers, c.host, c.headroom), c.host).cluster;
      expectHostsAtMost(cluster, hostsOn(baseline), `${c.name}: first-fit decreasing uses ${hostsOn(baseline)} for these ${servers.length} servers`);
    }
  });

  test('four servers that peak at different times of day share one host', () => {
    // 12 cores may be used. Each server needs 7 cores for six hours a day and 1 core otherwise,
    // each at a different time: together never more than 7 + 3 × 1 = 10 cores.
    const servers = ['a', 'b', 'c', 'd'].map((s, i) => server(`${s}-0`, s, peakWindow(24, 1, 7, 6 * i, 6 * i + 6), constant(4, 24)));
    for (const [arrangement, fleet] of arrangements(servers)) {
      const { cluster } = expectValidPlacement(fleet, { cpuCores: 16, memoryGiB: 64, power: POWER }, 0.25);
      expectHostsOn(cluster, 1, `${arrangement}: together the four never use more than 10 of the 12 cores`);
    }
  });

  test('large servers first: six 4-core and three 8-core servers fit on four hosts', () => {
    // 12 cores may be used: 8 + 4 fills a host three times, 4 + 4 + 4 a fourth; 48 cores need at least 4 hosts.
    const servers = [
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((s) => server(`${s}-0`, s, constant(4, 4), constant(1, 4))),
      ...['x', 'y', 'z'].map((s) => server(`${s}-0`, s, constant(8, 4), constant(1, 4))),
    ];
    for (const [arrangement, fleet] of arrangements(servers)) {
      const { cluster } = expectValidPlacement(fleet, { cpuCores: 16, memoryGiB: 64, power: POWER }, 0.25);
      expectHostsOn(cluster, 4, `${arrangement}: 8 + 4 fills a host three times and 4 + 4 + 4 a fourth; 48 cores need 4 hosts of 12`);
    }
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
        expectNone(`seed ${seed}: services that lost two or more replicas when ${failed} failed`, hurt.map((h) => `${h.service}: ${h.running} of ${h.replicas} running`));
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
    for (const [arrangement, fleet] of arrangements(servers)) {
      const { cluster } = expectValidPlacement(fleet, { cpuCores: 16, memoryGiB: 64, power: POWER }, 0.25);
      expectHostsOn(cluster, 2, `${arrangement}: 14 cores need two hosts of 12, and api-1 fits beside c-0`);
    }
  });
});

describe('impossible inputs', () => {
  test('rejects a server whose memory fits a bare host but not at the headroom', () => {
    const fleet = generateServerFleet({ seed: 61, services: 8 });
    const big = server('archive-0', 'archive', constant(0.5, 168), constant(110, 168), { cpuCores: 4, memoryGiB: 128 });
    expectRejected([...fleet.slice(0, 5), big, ...fleet.slice(5)], HOST, 0.2, 'archive-0');
  });

  test('rejects a server whose CPU spikes past a host for one hour even though its mean is small', () => {
    const fleet = generateServerFleet({ seed: 62, services: 8 });
    const spiky = server('batch-0', 'batch', peakWindow(168, 0.5, 14, 100, 101), constant(8, 168), { cpuCores: 16, memoryGiB: 32 });
    expectRejected([...fleet, spiky], HOST, 0.2, 'batch-0');
    // Its neighbour: the same spike at exactly 12.8 cores, what a host may give at 20% headroom, fits.
    const fitting = server('batch-0', 'batch', peakWindow(168, 0.5, 12.8, 100, 101), constant(8, 168), { cpuCores: 16, memoryGiB: 32 });
    expectValidPlacement([...fleet, fitting], HOST, 0.2);
  });


  test('accepts servers that exactly fill a host at the headroom, at 0% headroom too, and rejects them one step past', () => {
    // 12 cores and 96 GiB may be used; full-cpu and full-memory each reach the limit at one sample.
    const servers = [
      server('full-cpu-0', 'full-cpu', peakWindow(8, 2, 12, 3, 4), constant(8, 8), { cpuCores: 16, memoryGiB: 128 }),
      server('full-memory-0', 'full-memory', constant(1, 8), peakWindow(8, 8, 96, 5, 6), { cpuCores: 4, memoryGiB: 128 }),
      server('small-0', 'small', constant(1, 8), constant(2, 8)),
    ];
    const { cluster } = expectValidPlacement(servers, HOST, 0.25);
    expectHostsOn(cluster, 3, 'full-cpu-0 and full-memory-0 each fill a host at their peak hour, so no server can share a host with either');
    // One server at each limit and one step (0.01) past it, beside two small ones that must still be planned.
    const host: HostModel = { cpuCores: 16, memoryGiB: 64, power: POWER };
    const others = [server('a-0', 'a', constant(2, 6), constant(4, 6)), server('b-0', 'b', constant(3, 6), constant(8, 6))];
    // At 0% headroom a host may be filled completely: 16 cores and 64 GiB.
    expectValidPlacement([...others, server('whole-0', 'whole', peakWindow(6, 1, 16, 2, 3), peakWindow(6, 1, 64, 4, 5))], host, 0);
    expectRejected([...others, server('whole-0', 'whole', peakWindow(6, 1, 16.01, 2, 3), constant(1, 6))], host, 0, 'whole-0');
    expectRejected([...others, server('whole-0', 'whole', constant(1, 6), peakWindow(6, 1, 64.01, 4, 5))], host, 0, 'whole-0');
    // At 25% headroom: 12 cores and 48 GiB.
    expectValidPlacement([...others, server('three-quarters-0', 'three-quarters', peakWindow(6, 1, 12, 1, 2), peakWindow(6, 1, 48, 3, 4))], host, 0.25);
    expectRejected([...others, server('three-quarters-0', 'three-quarters', constant(1, 6), peakWindow(6, 1, 48.01, 3, 4))], host, 0.25, 'three-quarters-0');
  });
});

describe('report', () => {
  /** Plans the tests make, at the edges: one server, a host per server, hosts left empty, all on one host. */
  function degeneratePlansReported(): void {
    const host: HostModel = { cpuCores: 12, memoryGiB: 48, power: { idleWatts: 150, peakWatts: 300 } };
    const servers = [
      server('a-0', 'a', [1, 2, 3, 4], [4, 4, 8, 8]),
      server('b-0', 'b', [0, 0, 0, 0], [1, 1, 1, 1], { cpuCores: 4, memoryGiB: 8, power: { idleWatts: 60, peakWatts: 90 } }),
      server('c-0', 'c', [6, 6, 2, 2], [16, 8, 16, 8], { cpuCores: 12, memoryGiB: 64 }),
    ];
    const plans: [string, readonly PhysicalServerSpec[], { hosts: string[][] }][] = [
      ['one server on one host', servers.slice(0, 1), { hosts: [['a-0']] }],
      ['a host per server', servers, { hosts: [['c-0'], ['a-0'], ['b-0']] }],
      ['two hosts left empty', servers, { hosts: [[], ['b-0', 'a-0'], [], ['c-0']] }],
      ['everything on one host', servers, { hosts: [['a-0', 'b-0', 'c-0']] }],
    ];
    for (const [name, fleet, plan] of plans) {
      const { cluster, problems } = applyPlan(fleet, plan, host);
      expectNone(`${name}: the test's own plan, placed through the simulator`, problems);
      expectReportMatches(learnersReport(fleet, plan, host), fleet, cluster, `${name}: `);
    }
  }

  test('figures of given plans match the simulator: other power models, empty hosts, one server, a host per server', { points: 2 }, () => {
    const efficient = Object.freeze({ idleWatts: 90, peakWatts: 170 });
    const servers = generateServerFleet({ seed: 71, services: 12 }).map((s, i) => (i % 3 === 0 ? Object.freeze({ ...s, power: efficient }) : s));
    const host: HostModel = { cpuCores: 24, memoryGiB: 96, power: { idleWatts: 200, peakWatts: 350 } };
    const baseline = firstFitDecreasing(servers, host, 0.2);
    const plan = { hosts: [...baseline.hosts.slice(0, 1), [], ...baseline.hosts.slice(1)] };
    const { cluster, problems } = applyPlan(servers, plan, host);
    expectNone('the test\'s own plan, placed through the simulator', problems);
    expectReportMatches(learnersReport(servers, plan, host), servers, cluster);
    degeneratePlansReported();
  });

  test('figures of your own plans match the simulator', { timeoutMs: 8000 }, () => {
    for (const [seed, host, headroom] of [[72, MEMORY_BOUND, 0.25], [73, HOST, 0.15]] as const) {
      const servers = generateServerFleet({ seed, services: 18 });
      const { cluster, plan } = expectValidPlacement(servers, host, headroom);
      expectReportMatches(learnersReport(servers, plan as { hosts: string[][] }, host), servers, cluster, `seed ${seed}: `);
      expect(cluster.powerReport().totalWatts, 'consolidation saves power').toBeLessThan(measuredReport(servers, cluster).powerBeforeWatts);
    }
  });
});

describe('limits, ties and degenerate fleets', () => {
  /** 16 cores and 16 GiB at 25% headroom: 12 cores and 12 GiB may be used. */
  const SMALL: HostModel = Object.freeze({ cpuCores: 16, memoryGiB: 16, power: POWER });

  test('servers whose sum lands exactly on the limit share a host, in floating point too; one step past, they do not', () => {
    // 0.3 + 8.3 + 3.4 is 12.000000000000002 in floating point: within the 1e-9 tolerance of 12.
    const peaks = (values: readonly number[], resource: 'cpu' | 'memory') => values.map((v, i) => {
      const trace = peakWindow(4, 0, v, 1, 2);
      return server(`p${i}-0`, `p${i}`, resource === 'cpu' ? trace : constant(0.5, 4), resource === 'memory' ? trace : constant(0.5, 4));
    });
    for (const resource of ['cpu', 'memory'] as const) {
      for (const [values, why] of [[[0.3, 8.3, 3.4], 'sum 12.000000000000002'], [[5, 7], 'sum exactly 12'], [[4.5, 7.5], 'sum exactly 12']] as const) {
        for (const [arrangement, fleet] of arrangements(peaks(values, resource))) {
          const { cluster } = expectValidPlacement(fleet, SMALL, 0.25);
          expectHostsOn(cluster, 1, `${resource} peaks ${values.join(' + ')} at the same hour (${why}) fit the 12 a host may give; ${arrangement}`);
        }
      }
      const { cluster } = expectValidPlacement(peaks([0.3, 8.3, 3.41], resource), SMALL, 0.25);
      expectHostsOn(cluster, 2, `${resource} peaks 0.3 + 8.3 + 3.41 = 12.01 at the same hour exceed the 12 a host may give`);
    }
  });

  test('equal sizes are taken by id, whatever the order of the input', () => {
    // 6 cores and 6 GiB may be used. batch-0 and db-0 are equally large (5/6 of a host). Taken
    // by id, batch-0 opens the first host, db-0 the second, app-0 joins batch-0 and cache-0
    // joins db-0: 2 hosts, the fewest possible (11 cores at hour 0). Taken the other way,
    // db-0 first, app-0 joins db-0 and cache-0 fits beside neither: 3 hosts.
    const servers = [
      server('db-0', 'db', [3, 1], [1, 5]),
      server('cache-0', 'cache', [2, 2], [2, 1]),
      server('app-0', 'app', [1, 3], [2, 1]),
      server('batch-0', 'batch', [5, 2], [4, 4]),
    ];
    const host: HostModel = { cpuCores: 8, memoryGiB: 8, power: POWER };
    for (const fleet of [servers, [...servers].reverse(), [servers[1]!, servers[3]!, servers[0]!, servers[2]!]]) {
      const { cluster } = expectValidPlacement(fleet, host, 0.25);
      expectHostsOn(cluster, 2, `input order ${fleet.map((s) => s.id).join(', ')}: batch-0 before db-0 by id, as the baseline takes equal sizes`);
    }
  });

  test('degenerate fleets: none, one server, no load, identical servers, identical replicas', () => {
    const host: HostModel = { cpuCores: 16, memoryGiB: 64, power: POWER };
    expectHostsOn(expectValidPlacement([], host, 0.25).cluster, 0, 'no servers, no hosts');
    expectHostsOn(expectValidPlacement([server('only-0', 'only', [1, 2, 3], [4, 5, 6])], host, 0.25).cluster, 1, 'one server, one host');
    const idle = ['a', 'b', 'c', 'd', 'e'].map((s) => server(`${s}-0`, s, constant(0, 6), constant(0, 6)));
    expectHostsOn(expectValidPlacement(idle, host, 0.25).cluster, 1, 'five servers with no load at all fit on one host');
    const identical = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => server(`${s}-0`, s, constant(4, 6), constant(16, 6)));
    for (const [arrangement, fleet] of arrangements(identical)) {
      expectHostsOn(expectValidPlacement(fleet, host, 0.25).cluster, 2, `${arrangement}: six identical servers of 4 cores and 16 GiB, three to a host of 12 cores and 48 GiB`);
    }
    const replicas = [0, 1, 2, 3].map((r) => server(`web-${r}`, 'web', constant(1, 6), constant(1, 6)));
    expectHostsOn(expectValidPlacement(replicas, host, 0.25).cluster, 4, 'four replicas of one service, one per host');
  });

});
