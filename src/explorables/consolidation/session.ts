/**
 * The model of lesson 2's consolidation explorable: a seeded fleet from the simulator's
 * generator, turned into VMs (P2V) on a simulator Cluster and placed one server at a time by
 * the plain first-fit of packing.ts. Every figure is the simulator's own: the fleet's traces and
 * power (fleetPowerWatts), the hosts' load over the week (hostLoad) and their power
 * (powerReport). Only the lesson's arithmetic from averages, and the nearest miss of a server
 * that opened a new host, are worked out here from those figures. It runs in the explorable's
 * worker (worker.ts); the page draws the plain state it sends (ConsolidationState).
 */
import {
  Cluster, DEFAULT_HOST_POWER, fleetPowerWatts, generateServerFleet,
  type ClusterHostLoad, type HostPowerModel, type PhysicalServerSpec,
} from '../../sim/cluster/index.ts';
import { FLEET_SERVICES, HOST_MODELS, type HostModelId } from './options.ts';
import { placeFirstFit, type Placement } from './packing.ts';
import type { SteppedModel } from '../worker/protocol.ts';
import { modelOfSessions } from '../worker/host.ts';

export interface ConsolidationSettings {
  readonly seed: number;
  /** Share of each host's CPU and memory kept free at every sample, 0..1. */
  readonly headroom: number;
  readonly host: HostModelId;
}

export type Resource = 'cpu' | 'memory';

/** How close a server came to fitting on an open host: its worst sample there. */
export interface Miss {
  readonly hostId: string;
  readonly resource: Resource;
  /** Share of the host's capacity the host would have used at that sample. */
  readonly utilization: number;
  readonly sample: number;
}

/** One step: the placement, and for a new host the open host the server came closest to fitting. */
export interface PlacementStep extends Placement {
  readonly nearestMiss: Miss | null;
}

/** One host's week, as the simulator measures it, and the step that opened it. */
export interface HostWeek {
  readonly hostId: string;
  readonly load: ClusterHostLoad;
  readonly meanWatts: number;
  readonly opener: PlacementStep;
}

/** Machines switched on, mean utilization of their CPU and memory, and their mean power. */
export interface Figures {
  readonly machines: number;
  readonly cpuUtilization: number;
  readonly memoryUtilization: number;
  readonly watts: number;
}

/** The lesson's arithmetic from averages: hosts each resource needs, and the larger. */
export interface AveragesBound {
  readonly cpu: number;
  readonly memory: number;
  readonly hosts: number;
}

/** What the page draws: the session's figures so far, as plain data. */
export interface ConsolidationState {
  readonly settings: ConsolidationSettings;
  readonly serverCount: number;
  readonly hostCpuCores: number;
  readonly hostMemoryGiB: number;
  readonly bound: AveragesBound;
  readonly before: Figures;
  readonly steps: readonly PlacementStep[];
  /** Each host switched on so far, with its week. */
  readonly hosts: readonly HostWeek[];
  readonly finished: boolean;
  /** Once every server is placed: the hosts' figures, and replicas of one service sharing a host. */
  readonly after: Figures | null;
  readonly replicasSharing: number | null;
}

/** Tolerance of the simulator's capacity checks, so "exactly n hosts" is not rounded up. */
const EPSILON = 1e-9;
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const sumOf = <T>(items: readonly T[], value: (item: T) => number) => items.reduce((sum, item) => sum + value(item), 0);

export class ConsolidationSession {
  readonly settings: ConsolidationSettings;
  readonly servers: readonly PhysicalServerSpec[];
  readonly hostCpuCores: number;
  readonly hostMemoryGiB: number;
  readonly hostPower: HostPowerModel = DEFAULT_HOST_POWER;
  readonly #cluster: Cluster;
  readonly #openHosts: string[] = [];
  readonly #steps: PlacementStep[] = [];
  #before: Figures | undefined;

  constructor(settings: ConsolidationSettings) {
    this.settings = settings;
    ({ cpuCores: this.hostCpuCores, memoryGiB: this.hostMemoryGiB } = HOST_MODELS[settings.host]);
    this.servers = generateServerFleet({ seed: settings.seed, services: FLEET_SERVICES });
    this.#cluster = new Cluster({ seed: settings.seed, samples: this.servers[0]!.cpuTrace.length });
    this.#cluster.addServersAsVms(this.servers);
  }

  get steps(): readonly PlacementStep[] {
    return this.#steps;
  }
  get finished(): boolean {
    return this.#steps.length === this.servers.length;
  }
  /** Hosts opened so far, in order. */
  get hostIds(): readonly string[] {
    return this.#openHosts;
  }

  /** Places the next server of the fleet, in the fleet's order. */
  step(): PlacementStep | null {
    const server = this.servers[this.#steps.length];
    if (!server) return null;
    // The nearest miss is measured before the new host exists; the open hosts did not take it.
    const misses = this.#openHosts.map((hostId) => this.#worstSample(server, hostId));
    const placement = placeFirstFit(this.#cluster, server.id, this.#openHosts, { cpuCores: this.hostCpuCores, memoryGiB: this.hostMemoryGiB, power: this.hostPower }, this.settings.headroom);
    const nearestMiss = placement.opened ? misses.reduce<Miss | null>((best, miss) => (best && best.utilization <= miss.utilization ? best : miss), null) : null;
    const step = { ...placement, nearestMiss };
    this.#steps.push(step);
    return step;
  }

  runToEnd(): readonly PlacementStep[] {
    while (!this.finished) this.step();
    return this.#steps;
  }

  /** Each host switched on so far: the simulator's load over the week and its mean power, from one power report. */
  hosts(): readonly HostWeek[] {
    const report = this.#cluster.powerReport();
    return this.#openHosts.map((hostId) => ({
      hostId,
      load: this.#cluster.hostLoad(hostId),
      meanWatts: report.hosts.find((host) => host.hostId === hostId)!.meanWatts,
      opener: this.#steps.find((step) => step.opened && step.hostId === hostId)!,
    }));
  }

  /** Each server on its own hardware (the fleet does not change, so worked out once). */
  before(): Figures {
    const servers = this.servers;
    return (this.#before ??= {
      machines: servers.length,
      cpuUtilization: sumOf(servers, (s) => mean(s.cpuTrace)) / sumOf(servers, (s) => s.cpuCores),
      memoryUtilization: sumOf(servers, (s) => mean(s.memoryTrace)) / sumOf(servers, (s) => s.memoryGiB),
      watts: fleetPowerWatts(servers),
    });
  }

  /** The hosts switched on so far, as the simulator measures them. */
  after(): Figures {
    const report = this.#cluster.powerReport();
    const on = report.hosts.filter((host) => host.on).map((host) => this.#cluster.hostLoad(host.hostId));
    return {
      machines: report.hostsOn,
      cpuUtilization: on.length ? sumOf(on, (load) => mean(load.cpuCores)) / (on.length * this.hostCpuCores) : 0,
      memoryUtilization: on.length ? sumOf(on, (load) => mean(load.memoryGiB)) / (on.length * this.hostMemoryGiB) : 0,
      watts: report.totalWatts,
    };
  }

  /**
   * The lesson's arithmetic with the same headroom on both resources: mean demand over what one
   * host may give, rounded up. A lower bound: hosts that hold every sample under the line hold
   * the mean under it too.
   */
  averagesBound(): AveragesBound {
    const allowed = 1 - this.settings.headroom;
    const cpu = Math.ceil(sumOf(this.servers, (s) => mean(s.cpuTrace)) / (allowed * this.hostCpuCores) - EPSILON);
    const memory = Math.ceil(sumOf(this.servers, (s) => mean(s.memoryTrace)) / (allowed * this.hostMemoryGiB) - EPSILON);
    return { cpu, memory, hosts: Math.max(cpu, memory, 1) };
  }

  /** Replicas of one service that the plain first-fit put on the same host. */
  replicasSharing(): number {
    return this.#cluster.antiAffinityViolations().length;
  }

  /** The sample at which `server` would have used most of a host (by share of capacity), had it been placed there. */
  #worstSample(server: PhysicalServerSpec, hostId: string): Miss {
    const load = this.#cluster.hostLoad(hostId);
    let worst: Miss = { hostId, resource: 'cpu', utilization: -1, sample: 0 };
    for (let t = 0; t < server.cpuTrace.length; t++) {
      const cpu = (load.cpuCores[t]! + server.cpuTrace[t]!) / this.hostCpuCores;
      const memory = (load.memoryGiB[t]! + server.memoryTrace[t]!) / this.hostMemoryGiB;
      if (cpu > worst.utilization) worst = { hostId, resource: 'cpu', utilization: cpu, sample: t };
      if (memory > worst.utilization) worst = { hostId, resource: 'memory', utilization: memory, sample: t };
    }
    return worst;
  }
}

/** The session's figures so far, as the page draws them. */
export function stateOf(session: ConsolidationSession): ConsolidationState {
  const { settings, hostCpuCores, hostMemoryGiB, finished } = session;
  return {
    settings,
    serverCount: session.servers.length,
    hostCpuCores,
    hostMemoryGiB,
    bound: session.averagesBound(),
    before: session.before(),
    steps: [...session.steps],
    hosts: session.hosts(),
    finished,
    after: finished ? session.after() : null,
    replicasSharing: finished ? session.replicasSharing() : null,
  };
}

/** The placement as the worker holds it: a server per step. */
export const consolidationModel: SteppedModel<ConsolidationSettings, ConsolidationState> = modelOfSessions((settings) => new ConsolidationSession(settings), stateOf);
