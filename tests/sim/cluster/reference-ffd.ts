/**
 * First-fit decreasing consolidation: the baseline (and a reference solution) of the Consolidate
 * lab. Lives only in the tests. It works on plain data, as a learner's placer would, and its
 * plan is then checked by applying it to a Cluster.
 */
import { SimError, type PhysicalServerSpec } from '../../../src/sim/index.ts';

/** The kind of host every new host is. */
export interface HostTemplate {
  readonly cpuCores: number;
  readonly memoryGiB: number;
}

/** Server id → host index (hosts are numbered from 0 in the order they were opened). */
export type PlacementPlan = ReadonlyMap<string, number>;

interface OpenHost {
  readonly cpu: number[];
  readonly memory: number[];
  readonly services: Set<string>;
}

/**
 * Places servers, largest first (by the larger of peak CPU and peak memory as a share of a
 * host), on the first host where they fit at every sample below `1 − headroom` and where no
 * replica of their service already runs; opens a new host otherwise. Throws SimError
 * CAPACITY_EXCEEDED for a server that would not fit even on an empty host.
 */
export function firstFitDecreasing(servers: readonly PhysicalServerSpec[], host: HostTemplate, headroom: number): PlacementPlan {
  const cpuLimit = host.cpuCores * (1 - headroom);
  const memoryLimit = host.memoryGiB * (1 - headroom);
  const size = (s: PhysicalServerSpec) => Math.max(Math.max(...s.cpuTrace) / cpuLimit, Math.max(...s.memoryTrace) / memoryLimit);
  for (const server of servers) {
    if (size(server) > 1) {
      throw new SimError('CAPACITY_EXCEEDED', `server ${server.id} needs more than one host can give at headroom ${headroom}`);
    }
  }
  const order = [...servers].sort((a, b) => size(b) - size(a) || (a.id < b.id ? -1 : 1));
  const hosts: OpenHost[] = [];
  const plan = new Map<string, number>();
  for (const server of order) {
    let index = hosts.findIndex((h) => !h.services.has(server.service) && fits(h, server, cpuLimit, memoryLimit));
    if (index < 0) {
      const samples = server.cpuTrace.length;
      hosts.push({ cpu: new Array<number>(samples).fill(0), memory: new Array<number>(samples).fill(0), services: new Set() });
      index = hosts.length - 1;
    }
    const chosen = hosts[index] as OpenHost;
    server.cpuTrace.forEach((v, t) => { chosen.cpu[t] = (chosen.cpu[t] as number) + v; });
    server.memoryTrace.forEach((v, t) => { chosen.memory[t] = (chosen.memory[t] as number) + v; });
    chosen.services.add(server.service);
    plan.set(server.id, index);
  }
  return plan;
}

function fits(host: OpenHost, server: PhysicalServerSpec, cpuLimit: number, memoryLimit: number): boolean {
  return server.cpuTrace.every((v, t) => (host.cpu[t] as number) + v <= cpuLimit + 1e-9)
    && server.memoryTrace.every((v, t) => (host.memory[t] as number) + v <= memoryLimit + 1e-9);
}

/** How many hosts a plan uses. */
export function hostsUsed(plan: PlacementPlan): number {
  return new Set(plan.values()).size;
}
