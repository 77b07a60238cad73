/**
 * Public tests of the Consolidate lab (they also run in the learner's browser).
 *
 * Plans are never trusted: each one is applied to a fresh simulator Cluster (hosts host-0,
 * host-1, … of the host model) through `Cluster.place`, and the checks read the cluster's own
 * loads, violations, failures and power (see checks.ts).
 */
import { generateServerFleet } from '@virtlab/sim';
import { describe, expect, test } from '@virtlab/test';
import type { HostModel } from '../starter/types.ts';
import {
  applyPlan, constant, expectHostsAtMost, expectHostsOn, expectNone, expectRejected, expectReportMatches, expectValidPlacement, learnersPlan, learnersReport, server,
} from './checks.ts';

/** The lab's usual host: a 2007-era two-socket virtualization server. */
const HOST: HostModel = Object.freeze({ cpuCores: 16, memoryGiB: 128, power: Object.freeze({ idleWatts: 240, peakWatts: 400 }) });
const HEADROOM = 0.2;

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
    expectHostsAtMost(cluster, servers.length - 1, 'consolidation must save at least one of the 5 machines');
  });

  test('places large servers first: three 6-core and three 2-core servers fill exactly three hosts', () => {
    // Hosts of 10 cores at 20% headroom give 8 cores: 6 + 2 fills one, and 24 cores need at least 3.
    // Taken in this order without sorting, the 2-core servers fill the first host and the 6-core ones need three more.
    const servers = [
      ...['a', 'b', 'c'].map((s) => server(`${s}-0`, s, constant(2, 4), constant(1, 4))),
      ...['x', 'y', 'z'].map((s) => server(`${s}-0`, s, constant(6, 4), constant(1, 4))),
    ];
    const { cluster } = expectValidPlacement(servers, { cpuCores: 10, memoryGiB: 100, power: HOST.power }, 0.2);
    expectHostsOn(cluster, 3, '8 cores may be used: 6 + 2 fills a host, and 24 cores need 3 hosts');
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
    expectHostsOn(cluster, 2, 'day and night share a host (never more than 6 cores together); noon peaks with day, so it needs a second host');
  });

  test('keeps replicas apart, so one host failure leaves the service running', { points: 2 }, () => {
    // Everything would fit on one host; the three web replicas must not share one.
    const servers = [
      ...[0, 1, 2].map((r) => server(`web-${r}`, 'web', constant(0.5, 4), constant(1, 4))),
      server('db-0', 'db', constant(1, 4), constant(2, 4)),
    ];
    const host: HostModel = { cpuCores: 16, memoryGiB: 64, power: HOST.power };
    const { cluster } = expectValidPlacement(servers, host, HEADROOM, 'replicas');
    expectHostsOn(cluster, 3, 'three web replicas need three hosts, and db fits beside one of them');
    const plan = learnersPlan(servers, host, HEADROOM);
    for (const failed of cluster.hosts().filter((h) => h.vms.length > 0).map((h) => h.id)) {
      const { cluster: fresh } = applyPlan(servers, plan, host);
      fresh.failHost(failed);
      const web = fresh.serviceStatus().find((s) => s.service === 'web');
      expect(web?.running, `web replicas still running after ${failed} fails`).toBe(2);
    }
  });

  test('consolidates a generated fleet of under-used servers onto far fewer hosts', { timeoutMs: 5000 }, () => {
    const servers = generateServerFleet({ seed: 2007, services: 16 });
    const { cluster } = expectValidPlacement(servers, HOST, HEADROOM, 'consolidation');
    expectHostsAtMost(cluster, Math.floor(servers.length / 2), `${servers.length} under-used servers on at most half as many hosts`);
  });
});

describe('impossible inputs', () => {
  test('rejects a server larger than any host with SimError CAPACITY_EXCEEDED, and plans the fleet without it', () => {
    const giant = server('erp-0', 'erp', constant(4, 168), constant(120, 168), { cpuCores: 16, memoryGiB: 256 });
    const servers = [...generateServerFleet({ seed: 3, services: 4 }), giant];
    expectRejected(servers, HOST, HEADROOM, 'erp-0');
  });
});

describe('report', () => {
  test('reports hosts saved, utilization and power as the simulator measures them', { points: 2, timeoutMs: 5000 }, () => {
    const servers = generateServerFleet({ seed: 7, services: 12 });
    const plan = learnersPlan(servers, HOST, HEADROOM);
    const { cluster, problems } = applyPlan(servers, plan, HOST);
    expectNone('your plan, placed through the simulator', problems);
    expectReportMatches(learnersReport(servers, plan, HOST), servers, cluster);
  });
});
