/**
 * The baseline of the hidden tests (never shipped to the site, hence the file name): first-fit
 * decreasing exactly as the instructions define it.
 */
import type { PhysicalServerSpec } from '@virtlab/sim';
import type { HostModel } from '../starter/types.ts';
import { constant } from './checks.ts';

/**
 * First-fit decreasing, as the instructions define the baseline (adapted from
 * tests/sim/cluster/reference-ffd.ts): servers largest first by the larger of peak CPU and peak
 * memory as a share of what one host may give (ties by id), each on the first host where it
 * fits at every sample and no replica of its service runs. Returns the plan.
 */
export function firstFitDecreasing(servers: readonly PhysicalServerSpec[], host: HostModel, headroom: number): { hosts: string[][] } {
  const cpuLimit = host.cpuCores * (1 - headroom);
  const memoryLimit = host.memoryGiB * (1 - headroom);
  const size = (s: PhysicalServerSpec) => Math.max(Math.max(...s.cpuTrace) / cpuLimit, Math.max(...s.memoryTrace) / memoryLimit);
  const order = [...servers].sort((a, b) => size(b) - size(a) || (a.id < b.id ? -1 : 1));
  const open: { ids: string[]; cpu: number[]; memory: number[]; services: Set<string> }[] = [];
  for (const s of order) {
    const fits = (h: (typeof open)[number]) => !h.services.has(s.service)
      && s.cpuTrace.every((v, t) => (h.cpu[t] as number) + v <= cpuLimit + 1e-9)
      && s.memoryTrace.every((v, t) => (h.memory[t] as number) + v <= memoryLimit + 1e-9);
    let chosen = open.find(fits);
    if (chosen === undefined) {
      chosen = { ids: [], cpu: constant(0, s.cpuTrace.length), memory: constant(0, s.cpuTrace.length), services: new Set() };
      open.push(chosen);
    }
    const target = chosen;
    s.cpuTrace.forEach((v, t) => { target.cpu[t] = (target.cpu[t] as number) + v; });
    s.memoryTrace.forEach((v, t) => { target.memory[t] = (target.memory[t] as number) + v; });
    target.services.add(s.service);
    target.ids.push(s.id);
  }
  return { hosts: open.map((h) => h.ids) };
}
