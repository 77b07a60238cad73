// Mutant: enlarges the host it was given (cores and memory divided by 1 − headroom) to squeeze more servers in, then packs to the original size.
import { SimError, powerDraw } from '@virtlab/sim';
import type { ConsolidationPlan, ConsolidationReport, HostModel, PhysicalServerSpec } from './types.ts';

/** Sums of floating-point trace values may be off by a few ulps; the simulator allows 1e-9. */
const EPSILON = 1e-9;

/** A host being filled: its load at every sample and the services already on it. */
interface OpenHost {
  readonly servers: string[];
  readonly services: Set<string>;
  readonly cpu: number[];
  readonly memory: number[];
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
  const cpuLimit = host.cpuCores * (1 - headroom);
  const memoryLimit = host.memoryGiB * (1 - headroom);
  // A server's size: its peak demand as a share of what one host may give, for the scarcer resource.
  const size = new Map<string, number>();
  for (const server of servers) {
    const share = Math.max(Math.max(0, ...server.cpuTrace) / cpuLimit, Math.max(0, ...server.memoryTrace) / memoryLimit);
    if (share > 1 + EPSILON) {
      throw new SimError('CAPACITY_EXCEEDED', `server ${server.id} needs more than one host can give at headroom ${headroom}`);
    }
    size.set(server.id, share);
  }
  // "Make room for the headroom": on a host this big, filling the original size leaves the headroom free.
  const packCpu = host.cpuCores;
  const packMemory = host.memoryGiB;
  const resized = host as { cpuCores: number; memoryGiB: number };
  resized.cpuCores = packCpu / (1 - headroom);
  resized.memoryGiB = packMemory / (1 - headroom);
  const order = [...servers].sort((a, b) => (size.get(b.id) as number) - (size.get(a.id) as number) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const hosts: OpenHost[] = [];
  for (const server of order) {
    let chosen = hosts.find((h) => !h.services.has(server.service) && fits(h, server, packCpu, packMemory));
    if (chosen === undefined) {
      const samples = server.cpuTrace.length;
      chosen = { servers: [], services: new Set(), cpu: new Array<number>(samples).fill(0), memory: new Array<number>(samples).fill(0) };
      hosts.push(chosen);
    }
    add(chosen, server);
  }
  return { hosts: hosts.map((h) => h.servers) };
}

function fits(host: OpenHost, server: PhysicalServerSpec, cpuLimit: number, memoryLimit: number): boolean {
  for (let t = 0; t < server.cpuTrace.length; t++) {
    if ((host.cpu[t] as number) + (server.cpuTrace[t] as number) > cpuLimit + EPSILON) return false;
    if ((host.memory[t] as number) + (server.memoryTrace[t] as number) > memoryLimit + EPSILON) return false;
  }
  return true;
}

function add(host: OpenHost, server: PhysicalServerSpec): void {
  for (let t = 0; t < server.cpuTrace.length; t++) {
    host.cpu[t] = (host.cpu[t] as number) + (server.cpuTrace[t] as number);
    host.memory[t] = (host.memory[t] as number) + (server.memoryTrace[t] as number);
  }
  host.servers.push(server.id);
  host.services.add(server.service);
}

/**
 * The figures of a consolidation: hosts saved, utilization and power before and after (see
 * `ConsolidationReport` in types.ts for each figure's definition). Use the servers' own power
 * models before and the host model's after, with `powerDraw` from the simulator.
 */
export function reportConsolidation(servers: readonly PhysicalServerSpec[], plan: ConsolidationPlan, host: HostModel): ConsolidationReport {
  const byId = new Map(servers.map((s) => [s.id, s]));
  let meanCores = 0;
  let meanMemory = 0;
  let ownCores = 0;
  let ownMemory = 0;
  let powerBefore = 0;
  for (const server of servers) {
    meanCores += mean(server.cpuTrace);
    meanMemory += mean(server.memoryTrace);
    ownCores += server.cpuCores;
    ownMemory += server.memoryGiB;
    powerBefore += mean(server.cpuTrace.map((cores) => powerDraw(server.power, cores / server.cpuCores)));
  }

  let hostsAfter = 0;
  let powerAfter = 0;
  for (const ids of plan.hosts) {
    if (ids.length === 0) continue; // an empty host is switched off
    hostsAfter++;
    const first = byId.get(ids[0] as string) as PhysicalServerSpec;
    const load = new Array<number>(first.cpuTrace.length).fill(0);
    for (const id of ids) {
      (byId.get(id) as PhysicalServerSpec).cpuTrace.forEach((cores, t) => { load[t] = (load[t] as number) + cores; });
    }
    // Power is not linear once a host is saturated (powerDraw clamps at 100%), so draw per sample.
    powerAfter += mean(load.map((cores) => powerDraw(host.power, cores / host.cpuCores)));
  }

  return {
    serversBefore: servers.length,
    hostsAfter,
    hostsSaved: servers.length - hostsAfter,
    cpuUtilizationBefore: meanCores / ownCores,
    cpuUtilizationAfter: meanCores / (hostsAfter * host.cpuCores),
    memoryUtilizationBefore: meanMemory / ownMemory,
    memoryUtilizationAfter: meanMemory / (hostsAfter * host.memoryGiB),
    powerBeforeWatts: powerBefore,
    powerAfterWatts: powerAfter,
    powerSavedWatts: powerBefore - powerAfter,
  };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return values.length === 0 ? 0 : sum / values.length;
}
