// Alternative in a functional style with another algorithm: a credit (deficit) scheduler that
// computes every quantum the entitlement of the runnable vCPUs by water-filling and runs those
// owed the most, and a balancer written as pure functions over immutable records.
import type { BalloonBalanceQuery, BalloonVmView, MemoryBalancer, VcpuPickQuery, VcpuSchedulerPolicy, VcpuView } from '@virtlab/sim';
import { IDLE_MEMORY_TAX, type SchedulerOptions } from './types.ts';

type Credit = { readonly owedMs: number; readonly capMs: number };

const bisect = (total: (x: number) => number, target: number): number => {
  let hi = 1;
  while (total(hi) < target && hi < 1e12) hi *= 2;
  let lo = 0;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) < target) lo = mid;
    else hi = mid;
  }
  return hi;
};

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Entitlement of each runnable vCPU this quantum, percent of one physical CPU. */
const entitle = (runnable: readonly VcpuView[], pcpus: number, reservations: Readonly<Record<string, number>>): readonly number[] => {
  const most = runnable.map((v) => (v.capPercent > 0 ? v.capPercent : 100));
  const least = runnable.map((v, i) => Math.min(most[i]!, reservations[v.id] ?? 0));
  const at = (l: number) => runnable.map((v, i) => Math.min(most[i]!, Math.max(least[i]!, l * v.weight)));
  const capacity = Math.min(100 * pcpus, sum(most));
  return at(bisect((l) => sum(at(l)), capacity));
};

export const createFairScheduler = (options: SchedulerOptions = {}): VcpuSchedulerPolicy => {
  const reservations = options.reservations ?? {};
  let credits: ReadonlyMap<string, Credit> = new Map();
  let lastRunnable: ReadonlySet<string> = new Set();
  return {
    name: 'credit (functional)',
    pick: (query: VcpuPickQuery) => {
      const q = query.quantumMs;
      const shares = entitle(query.runnable, query.pcpus, reservations);
      const earned = new Map(query.runnable.map((v, i) => [v.id, (shares[i]! / 100) * q]));
      // Runnable vCPUs earn their entitlement; idle ones earn their weight's share of the host, up to one quantum, so a sleeper pays its debt but banks little.
      const totalWeight = sum(query.all.map((v) => v.weight));
      const updated = new Map(query.all.map((v): [string, Credit] => {
        const old = credits.get(v.id) ?? { owedMs: 0, capMs: q };
        const capMs = v.capPercent > 0 ? Math.min(2 * q, old.capMs + (v.capPercent / 100) * q) : old.capMs;
        const idleEarnMs = (v.weight / totalWeight) * query.pcpus * q;
        const owedMs = earned.has(v.id) ? Math.min(2 * q, old.owedMs + earned.get(v.id)!) : Math.min(q, old.owedMs + idleEarnMs);
        return [v.id, { owedMs, capMs }];
      }));
      const need = (v: VcpuView) => Math.min(q, v.pendingMs);
      // Xen's boost: a vCPU that just woke and is not in debt goes first.
      const woke = new Set(query.runnable.filter((v) => !lastRunnable.has(v.id)).map((v) => v.id));
      const boosted = (v: VcpuView) => woke.has(v.id) && updated.get(v.id)!.owedMs >= 0;
      lastRunnable = new Set(query.runnable.map((v) => v.id));
      const chosen = query.runnable
        .filter((v) => v.capPercent === 0 || updated.get(v.id)!.capMs >= need(v) - 1e-9)
        .slice()
        .sort((a, b) => Number(boosted(b)) - Number(boosted(a)) || updated.get(b.id)!.owedMs - updated.get(a.id)!.owedMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, query.pcpus);
      credits = new Map([...updated].map(([id, c]): [string, Credit] => {
        const v = chosen.find((x) => x.id === id);
        return v === undefined ? [id, c] : [id, { owedMs: c.owedMs - need(v), capMs: c.capMs - need(v) }];
      }));
      return chosen.map((v) => v.id);
    },
  };
};

type Estimate = { readonly id: string; readonly activeMiB: number };

const smooth = (previous: readonly Estimate[], vms: readonly BalloonVmView[]): readonly Estimate[] =>
  vms.map((vm) => {
    const before = previous.find((e) => e.id === vm.id)?.activeMiB ?? vm.estimatedActiveMiB;
    return { id: vm.id, activeMiB: Math.min(vm.configuredMiB, 0.5 * before + 0.5 * vm.estimatedActiveMiB) };
  });

const allocations = (physicalMiB: number, vms: readonly BalloonVmView[], active: readonly number[]): readonly number[] => {
  if (sum(vms.map((vm) => vm.configuredMiB)) <= physicalMiB) return vms.map((vm) => vm.configuredMiB);
  const k = 1 / (1 - IDLE_MEMORY_TAX);
  const wanted = vms.map((vm, i) => Math.max(vm.reservationMiB, active[i]!));
  const floor = sum(wanted) <= physicalMiB ? wanted : vms.map((vm) => vm.reservationMiB);
  const one = (vm: BalloonVmView, i: number, l: number) => {
    const share = l * vm.shares;
    const seenFull = vm.estimatedActiveMiB >= vm.allocatedMiB;
    const charged = seenFull || share <= active[i]! ? share : ((k - 1) * active[i]! + share) / k;
    return Math.min(vm.configuredMiB, Math.max(floor[i]!, charged));
  };
  const lambda = bisect((l) => sum(vms.map((vm, i) => one(vm, i, l))), physicalMiB);
  const result = vms.map((vm, i) => one(vm, i, lambda));
  // Bisection lands a hair above the host: scale the part above the floors back onto it.
  const over = sum(result) - physicalMiB;
  const slack = sum(result.map((a, i) => a - floor[i]!));
  return over > 0 && slack > 0 ? result.map((a, i) => a - (over * (a - floor[i]!)) / slack) : result;
};

export const createMemoryBalancer = (): MemoryBalancer => {
  let estimates: readonly Estimate[] = [];
  return {
    name: 'idle memory tax (functional)',
    balance: (query: BalloonBalanceQuery) => {
      estimates = smooth(estimates, query.vms);
      const wanted = allocations(query.physicalMiB, query.vms, estimates.map((e) => e.activeMiB));
      const fresh = Object.fromEntries(query.vms.map((vm, i) => [vm.id, vm.configuredMiB - wanted[i]!]));
      const moved = Object.fromEntries(Object.entries(fresh).filter(([id, t]) => {
        const vm = query.vms.find((v) => v.id === id)!;
        return t === 0 || Math.abs(t - vm.balloonTargetMiB) > 48;
      }));
      const given = sum(query.vms.map((vm) => vm.configuredMiB - (moved[vm.id] ?? vm.balloonTargetMiB)));
      return given > query.physicalMiB + 1e-6 ? fresh : moved;
    },
  };
};
