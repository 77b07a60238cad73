/**
 * Correct alternative, another packing heuristic: it packs the fleet twice, by first fit
 * decreasing and by best fit decreasing (each server on the host it leaves with the least spare
 * peak capacity), and keeps the plan with fewer hosts, so it never needs more hosts than the
 * baseline and sometimes fewer. Written as pure functions over immutable per-host records,
 * with capacity checked as "spare capacity left at every sample" and the report in one pass
 * per host over an id → server map.
 */
import { SimError, powerDraw } from '@virtlab/sim';
import type { ConsolidationPlan, ConsolidationReport, HostModel, PhysicalServerSpec } from './types.ts';

/** Floating-point sums of trace values are compared with the simulator's tolerance. */
const TOLERANCE = 1e-9;

interface Limits {
  readonly cores: number;
  readonly memory: number;
}

/** A host of a plan under construction: its servers, services and spare capacity per sample. */
interface Bin {
  readonly ids: readonly string[];
  readonly services: ReadonlySet<string>;
  readonly spareCores: readonly number[];
  readonly spareMemory: readonly number[];
}

/** Chooses, among the bins that can take the server, the index of the one to use (or -1). */
type Chooser = (bins: readonly Bin[], server: PhysicalServerSpec) => number;

const canTake = (bin: Bin, server: PhysicalServerSpec): boolean =>
  !bin.services.has(server.service)
  && server.cpuTrace.every((cores, t) => cores <= bin.spareCores[t]! + TOLERANCE)
  && server.memoryTrace.every((gib, t) => gib <= bin.spareMemory[t]! + TOLERANCE);

const emptyBin = (samples: number, limits: Limits): Bin => ({
  ids: [],
  services: new Set(),
  spareCores: Array.from({ length: samples }, () => limits.cores),
  spareMemory: Array.from({ length: samples }, () => limits.memory),
});

const withServer = (bin: Bin, server: PhysicalServerSpec): Bin => ({
  ids: [...bin.ids, server.id],
  services: new Set([...bin.services, server.service]),
  spareCores: bin.spareCores.map((spare, t) => spare - server.cpuTrace[t]!),
  spareMemory: bin.spareMemory.map((spare, t) => spare - server.memoryTrace[t]!),
});

/** How tight a bin would be after taking the server: its smallest spare share, either resource. */
const tightnessAfter = (bin: Bin, server: PhysicalServerSpec, limits: Limits): number =>
  Math.min(
    ...bin.spareCores.map((spare, t) => (spare - server.cpuTrace[t]!) / limits.cores),
    ...bin.spareMemory.map((spare, t) => (spare - server.memoryTrace[t]!) / limits.memory),
  );

const firstFit: Chooser = (bins, server) => bins.findIndex((bin) => canTake(bin, server));

const bestFit = (limits: Limits): Chooser => (bins, server) => {
  let best = -1;
  let bestSpare = Infinity;
  bins.forEach((bin, index) => {
    if (!canTake(bin, server)) return;
    const spare = tightnessAfter(bin, server, limits);
    if (spare < bestSpare) {
      best = index;
      bestSpare = spare;
    }
  });
  return best;
};

const pack = (ordered: readonly PhysicalServerSpec[], limits: Limits, choose: Chooser): readonly Bin[] =>
  ordered.reduce<readonly Bin[]>((bins, server) => {
    const index = choose(bins, server);
    return index < 0
      ? [...bins, withServer(emptyBin(server.cpuTrace.length, limits), server)]
      : bins.map((bin, i) => (i === index ? withServer(bin, server) : bin));
  }, []);

const peakOf = (trace: readonly number[]): number => trace.reduce((a, b) => (b > a ? b : a), 0);

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
  const limits: Limits = { cores: host.cpuCores * (1 - headroom), memory: host.memoryGiB * (1 - headroom) };
  const size = (server: PhysicalServerSpec) => Math.max(peakOf(server.cpuTrace) / limits.cores, peakOf(server.memoryTrace) / limits.memory);
  for (const server of servers) {
    if (size(server) > 1 + TOLERANCE) throw new SimError('CAPACITY_EXCEEDED', `${server.id} is larger than an empty host at headroom ${headroom}`);
  }
  const largestFirst = servers
    .map((server) => [size(server), server] as const)
    .sort(([sizeA, a], [sizeB, b]) => sizeB - sizeA || (a.id === b.id ? 0 : a.id < b.id ? -1 : 1))
    .map(([, server]) => server);
  const firstFitPlan = pack(largestFirst, limits, firstFit);
  const bestFitPlan = pack(largestFirst, limits, bestFit(limits));
  const chosen = bestFitPlan.length < firstFitPlan.length ? bestFitPlan : firstFitPlan;
  return { hosts: chosen.map((bin) => [...bin.ids]) };
}

const meanOf = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
const total = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/**
 * The figures of a consolidation: hosts saved, utilization and power before and after (see
 * `ConsolidationReport` in types.ts for each figure's definition). Use the servers' own power
 * models before and the host model's after, with `powerDraw` from the simulator.
 */
export function reportConsolidation(servers: readonly PhysicalServerSpec[], plan: ConsolidationPlan, host: HostModel): ConsolidationReport {
  const byId = new Map(servers.map((server) => [server.id, server]));
  const before = {
    cores: total(servers.map((s) => meanOf(s.cpuTrace))),
    memory: total(servers.map((s) => meanOf(s.memoryTrace))),
    ownCores: total(servers.map((s) => s.cpuCores)),
    ownMemory: total(servers.map((s) => s.memoryGiB)),
    watts: total(servers.map((s) => meanOf(s.cpuTrace.map((cores) => powerDraw(s.power, cores / s.cpuCores))))),
  };
  const onHosts = plan.hosts.filter((ids) => ids.length > 0).map((ids) => ids.map((id) => byId.get(id)!));
  // Per host, the mean over samples of the power at that sample's load (powerDraw clamps at 100%).
  const wattsAfter = total(onHosts.map((members) => {
    const samples = members[0]!.cpuTrace.length;
    const load = Array.from({ length: samples }, (_, t) => total(members.map((s) => s.cpuTrace[t]!)));
    return meanOf(load.map((cores) => powerDraw(host.power, cores / host.cpuCores)));
  }));
  return {
    serversBefore: servers.length,
    hostsAfter: onHosts.length,
    hostsSaved: servers.length - onHosts.length,
    cpuUtilizationBefore: before.cores / before.ownCores,
    cpuUtilizationAfter: before.cores / (onHosts.length * host.cpuCores),
    memoryUtilizationBefore: before.memory / before.ownMemory,
    memoryUtilizationAfter: before.memory / (onHosts.length * host.memoryGiB),
    powerBeforeWatts: before.watts,
    powerAfterWatts: wattsAfter,
    powerSavedWatts: before.watts - wattsAfter,
  };
}
