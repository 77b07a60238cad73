/**
 * Lesson 2's consolidation explorable, checked against the simulator's own figures: its plan
 * replayed on a fresh Cluster (capacity with headroom at every sample, power, load), the
 * first-fit rule it states on the page, its nearest misses, and the claims the lesson's
 * explanation makes about the settings it offers.
 */
import { describe, expect, test } from 'vitest';
import { ConsolidationSession, type ConsolidationSettings } from '../../src/explorables/consolidation/session.ts';
import { DEFAULTS, HEADROOM_PERCENT, HOST_MODEL_IDS, HOST_MODELS } from '../../src/explorables/consolidation/options.ts';
import { settingsOf } from '../../src/explorables/consolidation/view.ts';
import { Cluster, DEFAULT_HOST_POWER, DEFAULT_LEGACY_SERVER_POWER, generateServerFleet, powerDraw } from '../../src/sim/index.ts';

const settings = (overrides: Partial<ConsolidationSettings> = {}): ConsolidationSettings => ({ seed: 42, headroom: DEFAULTS.headroomPercent / 100, host: DEFAULTS.host, ...overrides });
const finished = (overrides: Partial<ConsolidationSettings> = {}) => {
  const session = new ConsolidationSession(settings(overrides));
  session.runToEnd();
  return session;
};
const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** The session's plan rebuilt on a fresh cluster: hosts in order, servers in the order they were placed. */
function replay(session: ConsolidationSession, upTo = session.steps.length): Cluster {
  const cluster = new Cluster({ seed: 1 });
  cluster.addServersAsVms(session.servers);
  const { cpuCores, memoryGiB } = HOST_MODELS[session.settings.host];
  for (const step of session.steps.slice(0, upTo)) {
    if (step.opened) cluster.addHost({ id: step.hostId, cpuCores, memoryGiB, power: DEFAULT_HOST_POWER });
    cluster.place(step.serverId, step.hostId);
  }
  return cluster;
}

const ALL_SETTINGS = [42, 7, 2024].flatMap((seed) => HOST_MODEL_IDS.flatMap((host) => HEADROOM_PERCENT.map((percent) => settings({ seed, host, headroom: percent / 100 }))));

describe('consolidation explorable', () => {
  test('reads the form, and falls back to the defaults for values the page does not offer', () => {
    expect(settingsOf({ seed: 7, choices: { headroom: '30', host: 'small' } })).toEqual({ seed: 7, headroom: 0.3, host: 'small' });
    expect(settingsOf({ seed: 7, choices: { headroom: '55', host: 'huge' } })).toEqual({ seed: 7, headroom: DEFAULTS.headroomPercent / 100, host: DEFAULTS.host });
  });

  test('the fleet is the simulator generator\'s, the same for the same seed and different for another', () => {
    const session = new ConsolidationSession(settings());
    expect(session.servers).toEqual(generateServerFleet({ seed: 42, services: 12 }));
    expect(finished().steps).toEqual(finished().steps);
    expect(new ConsolidationSession(settings({ seed: 7 })).servers.map((s) => s.id)).not.toEqual(session.servers.map((s) => s.id));
  });

  for (const chosen of ALL_SETTINGS) {
    const name = `seed ${chosen.seed}, ${chosen.host} hosts, ${chosen.headroom * 100} % headroom`;
    test(`${name}: a valid plan, placed by first-fit in the fleet's order, never below the averages`, () => {
      const session = finished(chosen);
      expect(session.steps.map((step) => step.serverId)).toEqual(session.servers.map((s) => s.id));
      const cluster = replay(session);
      // Only a host a server has to itself may cross the line (that server crosses it alone).
      const alone = new Set(session.steps.filter((step) => step.overHeadroom).map((step) => step.hostId));
      expect(cluster.capacityViolations(chosen.headroom).filter((v) => !alone.has(v.hostId))).toEqual([]);
      expect(cluster.capacityViolations(0)).toEqual([]);
      for (const hostId of alone) expect(cluster.hostLoad(hostId).vms).toHaveLength(1);
      for (const step of session.steps.filter((s) => s.overHeadroom)) {
        const empty = new Cluster({ seed: 1 });
        empty.addServersAsVms(session.servers.filter((s) => s.id === step.serverId));
        empty.addHost({ id: 'h', ...HOST_MODELS[chosen.host] });
        expect(empty.canPlace(step.serverId, 'h', chosen.headroom)).toBe(false);
      }

      // First-fit: each server went on the first host that could take it then, or on a new host when none could.
      session.steps.forEach((step, index) => {
        const before = replay(session, index);
        const open = before.hosts().map((host) => host.id);
        const first = open.find((hostId) => before.canPlace(step.serverId, hostId, chosen.headroom));
        expect(step.opened ? undefined : step.hostId).toBe(first);
        if (step.nearestMiss) {
          // The nearest miss is the simulator's load on that host plus the server's own trace, and it is over the line.
          const miss = step.nearestMiss;
          const load = before.hostLoad(miss.hostId);
          const server = session.servers[index]!;
          const used = miss.resource === 'cpu' ? load.cpuCores[miss.sample]! + server.cpuTrace[miss.sample]! : load.memoryGiB[miss.sample]! + server.memoryTrace[miss.sample]!;
          const capacity = miss.resource === 'cpu' ? HOST_MODELS[chosen.host].cpuCores : HOST_MODELS[chosen.host].memoryGiB;
          expect(miss.utilization).toBeCloseTo(used / capacity, 12);
          expect(miss.utilization).toBeGreaterThan(1 - chosen.headroom);
        }
      });

      const bound = session.averagesBound();
      expect(session.hostIds.length).toBeGreaterThanOrEqual(bound.hosts);
      const meanCores = session.servers.reduce((sum, s) => sum + mean(s.cpuTrace), 0);
      const meanGiB = session.servers.reduce((sum, s) => sum + mean(s.memoryTrace), 0);
      expect(bound.cpu).toBe(Math.ceil(meanCores / ((1 - chosen.headroom) * HOST_MODELS[chosen.host].cpuCores)));
      expect(bound.memory).toBe(Math.ceil(meanGiB / ((1 - chosen.headroom) * HOST_MODELS[chosen.host].memoryGiB)));
    });

    test(`${name}: before and after are the simulator's figures`, () => {
      const session = finished(chosen);
      const before = session.before();
      const after = session.after();
      const servers = session.servers;
      const ownWatts = servers.reduce((sum, s) => sum + mean(s.cpuTrace.map((cores) => powerDraw(DEFAULT_LEGACY_SERVER_POWER, cores / s.cpuCores))), 0);
      expect(before.watts).toBeCloseTo(ownWatts, 9);
      expect(before.machines).toBe(servers.length);
      const cluster = replay(session);
      const report = cluster.powerReport();
      expect(after.machines).toBe(report.hostsOn);
      expect(after.machines).toBe(session.hostIds.length);
      expect(after.watts).toBeCloseTo(report.totalWatts, 9);
      // Identical hosts: the utilization after is the mean of the simulator's per-host means.
      const loads = session.hostIds.map((hostId) => cluster.hostLoad(hostId));
      expect(after.cpuUtilization).toBeCloseTo(mean(loads.map((load) => load.meanCpuUtilization)), 12);
      // The same work, on fewer cores: the cores in use on average do not change.
      const { cpuCores } = HOST_MODELS[chosen.host];
      expect(after.cpuUtilization * after.machines * cpuCores).toBeCloseTo(before.cpuUtilization * servers.reduce((sum, s) => sum + s.cpuCores, 0), 9);
      // Every host on pays the idle power at least, and at most the peak.
      expect(after.watts).toBeGreaterThanOrEqual(after.machines * DEFAULT_HOST_POWER.idleWatts);
      expect(after.watts).toBeLessThanOrEqual(after.machines * DEFAULT_HOST_POWER.peakWatts);
      expect(session.replicasSharing()).toBe(cluster.antiAffinityViolations().length);
      // Each host's week and power, host by host, as the replayed cluster measures them.
      for (const host of session.hosts()) {
        expect(host.load).toEqual(cluster.hostLoad(host.hostId));
        expect(host.meanWatts).toBeCloseTo(report.hosts.find((h) => h.hostId === host.hostId)!.meanWatts, 9);
        expect(host.opener.hostId).toBe(host.hostId);
        expect(host.load.vms).toContain(host.opener.serverId);
      }
    });
  }

  test('the lesson\'s claims about the starting settings (16 cores, 64 GiB, 10 % headroom, seed 42)', () => {
    expect(DEFAULTS).toEqual({ headroomPercent: 10, host: 'medium' });
    expect(HOST_MODELS.medium).toEqual({ cpuCores: 16, memoryGiB: 64 });
    const session = finished();
    const before = session.before();
    const after = session.after();
    expect(session.servers).toHaveLength(23);
    expect(session.averagesBound().hosts).toBe(4);
    expect(after.machines).toBe(5); // more than the averages: the prediction "more"
    expect(session.hosts().at(-1)!.load.vms).toHaveLength(1);
    // Memory decides: every nearest miss is memory.
    expect(session.steps.filter((step) => step.nearestMiss).every((step) => step.nearestMiss!.resource === 'memory')).toBe(true);
    expect(Math.round(before.memoryUtilization * 100)).toBe(55);
    expect(Math.round(after.memoryUtilization * 100)).toBe(71);
    expect(Math.round(before.cpuUtilization * 100)).toBe(11);
    expect(Math.round(after.cpuUtilization * 100)).toBe(11);
    expect(Math.round(before.watts)).toBe(3156);
    expect(Math.round(after.watts)).toBe(1290);
    expect(session.replicasSharing()).toBeGreaterThan(0);
  });

  test('the lesson\'s claims about small hosts and about seed 2024', () => {
    expect(HOST_MODELS.small).toEqual({ cpuCores: 8, memoryGiB: 32 });
    expect([DEFAULT_LEGACY_SERVER_POWER.idleWatts, DEFAULT_HOST_POWER.idleWatts]).toEqual([130, 240]);
    const small = finished({ host: 'small' });
    expect(small.after().machines).toBe(10);
    expect(Math.round(small.before().watts - small.after().watts)).toBe(576);
    // "Mostly the idle power of the machines switched off minus that of the hosts switched on."
    for (const session of [finished(), small]) {
      const saved = session.before().watts - session.after().watts;
      const idle = session.servers.length * DEFAULT_LEGACY_SERVER_POWER.idleWatts - session.hostIds.length * DEFAULT_HOST_POWER.idleWatts;
      expect(Math.abs(saved - idle)).toBeLessThan(0.1 * saved);
    }

    const cpuBound = finished({ seed: 2024, host: 'small' });
    expect(cpuBound.averagesBound().hosts).toBe(5);
    expect(cpuBound.after().machines).toBe(8);
    expect(cpuBound.steps.filter((step) => step.overHeadroom)).toHaveLength(3);
    expect(cpuBound.steps.filter((step) => step.nearestMiss).every((step) => step.nearestMiss!.resource === 'cpu')).toBe(true);
  });
});
