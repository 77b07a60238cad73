/** Placement, capacity, anti-affinity, failures and power: what the Consolidate lab is graded on. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Cluster, DEFAULT_HOST_POWER, SimError, fleetPowerWatts, generateServerFleet, powerDraw, type PhysicalServerSpec,
} from '../../../src/sim/index.ts';
import { dailyWave } from '../../../src/sim/cluster/fleet.ts';
import { firstFitDecreasing, hostsUsed, type HostTemplate, type PlacementPlan } from './reference-ffd.ts';

const HOST: HostTemplate = { cpuCores: 16, memoryGiB: 128 };
const HEADROOM = 0.2;

/** Applies a plan to a fresh cluster with enough hosts, through the simulator's checks. */
function applyPlan(servers: readonly PhysicalServerSpec[], plan: PlacementPlan, seed: number): Cluster {
  const cluster = new Cluster({ seed });
  for (let h = 0; h < hostsUsed(plan); h++) cluster.addHost({ id: `host-${h}`, ...HOST });
  cluster.addServersAsVms(servers);
  for (const [serverId, host] of plan) cluster.place(serverId, `host-${host}`);
  return cluster;
}

describe('server fleets', () => {
  it('are the same for the same seed and differ for another', () => {
    const a = generateServerFleet({ seed: 11, services: 8 });
    expect(generateServerFleet({ seed: 11, services: 8 })).toEqual(a);
    expect(generateServerFleet({ seed: 12, services: 8 })).not.toEqual(a);
    expect(Object.isFrozen(a[0]?.cpuTrace)).toBe(true);
  });

  it('are under-used: mean CPU utilization between 2% and 30% of their own cores', () => {
    for (const server of generateServerFleet({ seed: 5, services: 20 })) {
      const mean = server.cpuTrace.reduce((x, y) => x + y, 0) / server.cpuTrace.length / server.cpuCores;
      expect(mean).toBeGreaterThan(0.02);
      expect(mean).toBeLessThan(0.3);
    }
  });
});

describe('server fleets on every engine', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('do not depend on Math.sin, whose last bits ECMA-262 leaves to the engine', () => {
    const options = { seed: 2007, services: 16 };
    const here = generateServerFleet(options);
    // An engine whose sine differs in the last bits (here: far more) must generate the same fleet.
    const sin = Math.sin;
    vi.spyOn(Math, 'sin').mockImplementation((x: number) => sin(x) * (1 + 1e-6));
    expect(generateServerFleet(options)).toEqual(here);
  });

  it('follow a sine-shaped daily cycle', () => {
    for (let step = 0; step <= 1000; step++) {
      const position = step / 1001;
      expect(Math.abs(dailyWave(position) - Math.sin(2 * Math.PI * position))).toBeLessThan(1e-12);
    }
    expect(dailyWave(0)).toBe(0);
    expect(dailyWave(0.25)).toBeCloseTo(1, 12);
    expect(dailyWave(0.75)).toBeCloseTo(-1, 12);
  });
});

describe('consolidation with first-fit decreasing', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`gives a valid, power-saving placement of a random fleet (seed ${seed})`, () => {
      const servers = generateServerFleet({ seed, services: 15 });
      const plan = firstFitDecreasing(servers, HOST, HEADROOM);
      const cluster = applyPlan(servers, plan, seed);
      expect(cluster.vms().every((vm) => vm.state === 'running')).toBe(true);
      expect(cluster.capacityViolations(HEADROOM)).toEqual([]);
      expect(cluster.antiAffinityViolations()).toEqual([]);
      const power = cluster.powerReport();
      expect(power.hostsOn).toBe(hostsUsed(plan));
      expect(power.hostsOn).toBeLessThan(servers.length);
      expect(power.totalWatts).toBeLessThan(fleetPowerWatts(servers));
      for (const host of cluster.hosts()) {
        const load = cluster.hostLoad(host.id);
        expect(load.peakCpuUtilization).toBeLessThanOrEqual(1 - HEADROOM + 1e-9);
        expect(load.meanCpuUtilization).toBeGreaterThan(0);
      }
    });
  }

  it('keeps every replicated service up after any single host failure', () => {
    const servers = generateServerFleet({ seed: 21, services: 12, maxReplicas: 3 });
    const plan = firstFitDecreasing(servers, HOST, HEADROOM);
    for (let h = 0; h < hostsUsed(plan); h++) {
      const cluster = applyPlan(servers, plan, 21);
      const failure = cluster.failHost(`host-${h}`);
      expect(failure.lostVms.length).toBeGreaterThan(0);
      for (const status of cluster.serviceStatus()) {
        if (status.replicas >= 2) expect(status.running).toBeGreaterThanOrEqual(1);
      }
      expect(cluster.vms().filter((vm) => vm.state === 'down').map((vm) => vm.id).sort()).toEqual([...failure.lostVms].sort());
    }
  });

  it('shows the single point of failure when replicas share a host', () => {
    const cluster = new Cluster({ seed: 1, samples: 2 });
    cluster.addHost({ id: 'a', cpuCores: 8, memoryGiB: 32 });
    cluster.addHost({ id: 'b', cpuCores: 8, memoryGiB: 32 });
    for (const id of ['web-0', 'web-1']) cluster.addVm({ id, service: 'web', vcpus: 1, memoryGiB: 2 });
    cluster.place('web-0', 'a');
    cluster.place('web-1', 'a');
    expect(cluster.antiAffinityViolations()).toEqual([{ service: 'web', hostId: 'a', vms: ['web-0', 'web-1'] }]);
    cluster.failHost('a');
    expect(cluster.serviceStatus()).toEqual([{ service: 'web', replicas: 2, running: 0 }]);
    cluster.place('web-0', 'b'); // restarted elsewhere
    expect(cluster.serviceStatus()).toEqual([{ service: 'web', replicas: 2, running: 1 }]);
  });

  it('rejects a server larger than any host with CAPACITY_EXCEEDED, in the baseline and in the simulator', () => {
    const servers = [...generateServerFleet({ seed: 3, services: 3 })];
    const giant: PhysicalServerSpec = {
      id: 'giant', service: 'erp', cpuCores: 64, memoryGiB: 512, power: DEFAULT_HOST_POWER,
      cpuTrace: new Array<number>(168).fill(20), memoryTrace: new Array<number>(168).fill(300),
    };
    servers.push(giant);
    expect(() => firstFitDecreasing(servers, HOST, HEADROOM)).toThrow(SimError);
    const cluster = new Cluster({ seed: 3 });
    cluster.addHost({ id: 'h', ...HOST });
    cluster.addServersAsVms([giant]);
    expect(cluster.canPlace('giant', 'h')).toBe(false);
    try {
      cluster.place('giant', 'h');
      expect.unreachable('placing the giant should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(SimError);
      expect((error as SimError).code).toBe('CAPACITY_EXCEEDED');
    }
    expect(cluster.vm('giant').state).toBe('unplaced');
  });

  it('checks capacity at every sample: peaks that do not coincide can share a host', () => {
    const cluster = new Cluster({ seed: 1, samples: 2 });
    cluster.addHost({ id: 'h', cpuCores: 10, memoryGiB: 10 });
    cluster.addVm({ id: 'day', vcpus: 8, memoryGiB: 2, cpuTrace: [8, 1], memoryTrace: [2, 2] });
    cluster.addVm({ id: 'night', vcpus: 8, memoryGiB: 2, cpuTrace: [1, 8], memoryTrace: [2, 2] });
    cluster.addVm({ id: 'always', vcpus: 8, memoryGiB: 2, cpuTrace: [2, 2], memoryTrace: [2, 2] });
    cluster.place('day', 'h');
    cluster.place('night', 'h');
    expect(cluster.hostLoad('h').peakCpuCores).toBe(9);
    expect(cluster.canPlace('always', 'h')).toBe(false);
    expect(() => cluster.place('always', 'h')).toThrow(/cpu would reach 10 of 10|cpu would reach/);
    expect(cluster.capacityViolations(0.2)).toEqual([{ hostId: 'h', resource: 'cpu', peak: 9, limit: 8, sample: 0 }]);
  });
});

describe('power model', () => {
  it('is linear between idle and peak and charges nothing for switched-off hosts', () => {
    expect(powerDraw({ idleWatts: 100, peakWatts: 200 }, 0)).toBe(100);
    expect(powerDraw({ idleWatts: 100, peakWatts: 200 }, 0.25)).toBe(125);
    expect(powerDraw({ idleWatts: 100, peakWatts: 200 }, 2)).toBe(200);
    const cluster = new Cluster({ seed: 1, samples: 2 });
    cluster.addHost({ id: 'busy', cpuCores: 4, memoryGiB: 8, power: { idleWatts: 100, peakWatts: 200 } });
    cluster.addHost({ id: 'empty', cpuCores: 4, memoryGiB: 8 });
    cluster.addVm({ id: 'v', vcpus: 2, memoryGiB: 1, cpuTrace: [1, 3], memoryTrace: [1, 1] });
    cluster.place('v', 'busy');
    const report = cluster.powerReport();
    expect(report.hosts).toEqual([
      { hostId: 'busy', on: true, meanWatts: 150 },
      { hostId: 'empty', on: false, meanWatts: 0 },
    ]);
    expect(report.totalWatts).toBe(150);
  });

  it('gives a fleet on its own hardware the mean of powerDraw at each sample, clamped at both ends', () => {
    const power = { idleWatts: 100, peakWatts: 200 };
    const server = (id: string, cpuTrace: number[]): PhysicalServerSpec => ({
      id, service: id, cpuCores: 4, memoryGiB: 8, power, cpuTrace, memoryTrace: cpuTrace.map(() => 1),
    });
    // A sample below 0 (a faulty counter) draws idle power, one above the cores draws peak.
    const odd = server('odd', [-2, 1, 6]);
    const plain = server('plain', [0, 2, 4]);
    const meanDraw = (s: PhysicalServerSpec) => s.cpuTrace.map((cores) => powerDraw(s.power, cores / s.cpuCores)).reduce((a, b) => a + b, 0) / s.cpuTrace.length;
    expect(fleetPowerWatts([odd])).toBe(meanDraw(odd));
    expect(fleetPowerWatts([odd])).toBeGreaterThanOrEqual(power.idleWatts);
    expect(fleetPowerWatts([odd, plain])).toBe(meanDraw(odd) + meanDraw(plain));
    expect(fleetPowerWatts([server('unsampled', [])])).toBe(powerDraw(power, 0));
    const fleet = generateServerFleet({ seed: 9, services: 6 });
    expect(fleetPowerWatts(fleet)).toBe(fleet.reduce((sum, s) => sum + meanDraw(s), 0));
  });
});

describe('misuse of the cluster API', () => {
  it('throws SimError naming what was wrong', () => {
    const cluster = new Cluster({ seed: 1, samples: 3 });
    cluster.addHost({ id: 'h', cpuCores: 4, memoryGiB: 8 });
    expect(() => cluster.addHost({ id: 'h', cpuCores: 4, memoryGiB: 8 })).toThrow(/already exists/);
    expect(() => cluster.addHost({ id: 'x', cpuCores: 0, memoryGiB: 8 })).toThrow(/cpuCores/);
    expect(() => cluster.addHost({ id: 'y', cpuCores: 4, memoryGiB: 8, power: { idleWatts: 300, peakWatts: 200 } })).toThrow(/peakWatts/);
    expect(() => cluster.addVm({ id: 'v', vcpus: 1, memoryGiB: 1, cpuTrace: [1, 1] })).toThrow(/exactly 3 samples/);
    expect(() => cluster.place('nope', 'h')).toThrow(SimError);
    cluster.addVm({ id: 'v', vcpus: 1, memoryGiB: 1 });
    expect(() => cluster.place('v', 'nohost')).toThrow(/no host/);
    cluster.place('v', 'h');
    expect(() => cluster.place('v', 'h')).toThrow(/already running/);
    expect(() => cluster.canPlace('v', 'h', 1.5)).toThrow(/headroom/);
    cluster.failHost('h');
    expect(() => cluster.failHost('h')).toThrow(/already failed/);
    expect(() => cluster.place('v', 'h')).toThrow(/has failed/);
    expect(() => new Cluster({ seed: 1.5 })).toThrow(SimError);
  });
});
