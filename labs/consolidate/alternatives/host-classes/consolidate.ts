/**
 * Correct alternative, object-oriented style: a `HostBin` class owns one host's load per sample
 * and its services, and a `Consolidation` class owns the open hosts. Still first-fit
 * decreasing, but the order is decorate-sort-undecorate over precomputed sizes, and the report
 * is built from a per-host load class too.
 */
import { SimError, powerDraw } from '@virtlab/sim';
import type { ConsolidationPlan, ConsolidationReport, HostModel, PhysicalServerSpec } from './types.ts';

/** The simulator compares sums of trace values with this tolerance. */
const TOLERANCE = 1e-9;

/** What one host may give at a headroom. */
class Allowance {
  readonly cores: number;
  readonly memory: number;

  constructor(host: HostModel, headroom: number) {
    this.cores = host.cpuCores * (1 - headroom);
    this.memory = host.memoryGiB * (1 - headroom);
  }

  /** A server's peak as a share of the allowance, for its scarcer resource. */
  shareOf(server: PhysicalServerSpec): number {
    return Math.max(peak(server.cpuTrace) / this.cores, peak(server.memoryTrace) / this.memory);
  }
}

/** One host being filled. */
class HostBin {
  readonly ids: string[] = [];
  private readonly services = new Set<string>();
  private readonly cores: Float64Array;
  private readonly memory: Float64Array;
  private readonly allowance: Allowance;

  constructor(samples: number, allowance: Allowance) {
    this.allowance = allowance;
    this.cores = new Float64Array(samples);
    this.memory = new Float64Array(samples);
  }

  accepts(server: PhysicalServerSpec): boolean {
    if (this.services.has(server.service)) return false;
    return server.cpuTrace.every((cores, t) => this.cores[t]! + cores <= this.allowance.cores + TOLERANCE)
      && server.memoryTrace.every((gib, t) => this.memory[t]! + gib <= this.allowance.memory + TOLERANCE);
  }

  take(server: PhysicalServerSpec): void {
    server.cpuTrace.forEach((cores, t) => { this.cores[t] = this.cores[t]! + cores; });
    server.memoryTrace.forEach((gib, t) => { this.memory[t] = this.memory[t]! + gib; });
    this.services.add(server.service);
    this.ids.push(server.id);
  }
}

class Consolidation {
  private readonly bins: HostBin[] = [];
  private readonly allowance: Allowance;

  constructor(allowance: Allowance) {
    this.allowance = allowance;
  }

  place(server: PhysicalServerSpec): void {
    let bin = this.bins.find((candidate) => candidate.accepts(server));
    if (bin === undefined) {
      bin = new HostBin(server.cpuTrace.length, this.allowance);
      this.bins.push(bin);
    }
    bin.take(server);
  }

  plan(): ConsolidationPlan {
    return { hosts: this.bins.map((bin) => bin.ids) };
  }
}

/**
 * Places every server on a host of kind `host`, using as few hosts as you can.
 *
 * - At every sample, the servers on a host may use at most `(1 − headroom)` of its cores and
 *   at most `(1 − headroom)` of its memory.
 * - Two servers of the same service (replicas) never share a host.
 *
 * @param headroom the share of each host kept free, in [0, 1)
 * @throws SimError with code `CAPACITY_EXCEEDED`, naming the server, if a server would not fit
 *   even on an empty host at this headroom (then no plan is returned)
 */
export function planConsolidation(servers: readonly PhysicalServerSpec[], host: HostModel, headroom: number): ConsolidationPlan {
  const allowance = new Allowance(host, headroom);
  const sized = servers.map((server) => ({ server, share: allowance.shareOf(server) }));
  const oversized = sized.find(({ share }) => share > 1 + TOLERANCE);
  if (oversized !== undefined) {
    throw new SimError('CAPACITY_EXCEEDED', `server ${oversized.server.id} does not fit an empty host at headroom ${headroom}`);
  }
  sized.sort((a, b) => b.share - a.share || compareIds(a.server.id, b.server.id));
  const consolidation = new Consolidation(allowance);
  for (const { server } of sized) consolidation.place(server);
  return consolidation.plan();
}

/**
 * The figures of a consolidation: hosts saved, utilization and power before and after (see
 * `ConsolidationReport` in types.ts for each figure's definition). Use the servers' own power
 * models before and the host model's after, with `powerDraw` from the simulator.
 */
export function reportConsolidation(servers: readonly PhysicalServerSpec[], plan: ConsolidationPlan, host: HostModel): ConsolidationReport {
  const byId = new Map(servers.map((server) => [server.id, server] as const));
  const usedCores = sum(servers.map((server) => average(server.cpuTrace)));
  const usedMemory = sum(servers.map((server) => average(server.memoryTrace)));
  const powerBefore = sum(servers.map((server) => average(server.cpuTrace.map((cores) => powerDraw(server.power, cores / server.cpuCores)))));
  const switchedOn = plan.hosts.filter((ids) => ids.length > 0).map((ids) => new HostLoad(ids.map((id) => byId.get(id)!)));
  const powerAfter = sum(switchedOn.map((load) => load.meanWatts(host)));
  const hostsAfter = switchedOn.length;
  return {
    serversBefore: servers.length,
    hostsAfter,
    hostsSaved: servers.length - hostsAfter,
    cpuUtilizationBefore: usedCores / sum(servers.map((server) => server.cpuCores)),
    cpuUtilizationAfter: usedCores / (hostsAfter * host.cpuCores),
    memoryUtilizationBefore: usedMemory / sum(servers.map((server) => server.memoryGiB)),
    memoryUtilizationAfter: usedMemory / (hostsAfter * host.memoryGiB),
    powerBeforeWatts: powerBefore,
    powerAfterWatts: powerAfter,
    powerSavedWatts: powerBefore - powerAfter,
  };
}

/** The cores a switched-on host's servers use at each sample. */
class HostLoad {
  private readonly cores: number[];

  constructor(servers: readonly PhysicalServerSpec[]) {
    this.cores = servers[0]!.cpuTrace.map((_, t) => sum(servers.map((server) => server.cpuTrace[t]!)));
  }

  /** Power is not linear past saturation (powerDraw clamps), so it is averaged per sample. */
  meanWatts(host: HostModel): number {
    return average(this.cores.map((cores) => powerDraw(host.power, cores / host.cpuCores)));
  }
}

/** Ids in plain string order (code units), as the baseline takes equal sizes. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function peak(trace: readonly number[]): number {
  return trace.reduce((highest, value) => Math.max(highest, value), 0);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function average(values: readonly number[]): number {
  return values.length === 0 ? 0 : sum(values) / values.length;
}
