/**
 * Scheduling (reference).
 *
 * Part 1: stride-style proportional share with token buckets for caps and reservations.
 * Part 2: the idle memory tax over smoothed working-set estimates, with hysteresis.
 */
import type { BalloonBalanceQuery, BalloonVmView, MemoryBalancer, VcpuPickQuery, VcpuSchedulerPolicy, VcpuView } from '@virtlab/sim';
import { IDLE_MEMORY_TAX, type SchedulerOptions } from '../starter/types.ts';

interface VcpuState {
  virtualTime: number;
  capTokensMs: number;
  reserveTokensMs: number;
  wasRunnable: boolean;
}

export function createFairScheduler(options: SchedulerOptions = {}): VcpuSchedulerPolicy {
  const reservations = options.reservations ?? {};
  const states = new Map<string, VcpuState>();

  function stateOf(v: VcpuView, quantumMs: number): VcpuState {
    let s = states.get(v.id);
    if (s === undefined) {
      s = { virtualTime: 0, capTokensMs: quantumMs, reserveTokensMs: 0, wasRunnable: false };
      states.set(v.id, s);
    }
    return s;
  }

  return {
    name: 'proportional share',
    pick(query: VcpuPickQuery): readonly string[] {
      const q = query.quantumMs;
      // A vCPU no longer on the host has left: forget it, so that an id that comes back starts afresh.
      const onHost = new Set(query.all.map((v) => v.id));
      for (const id of states.keys()) if (!onHost.has(id)) states.delete(id);
      // Virtual time of those who kept running: where a waking vCPU joins.
      const steady = query.runnable.filter((v) => states.get(v.id)?.wasRunnable === true);
      const floor = steady.length === 0 ? undefined : Math.min(...steady.map((v) => stateOf(v, q).virtualTime));
      const runnableIds = new Set(query.runnable.map((v) => v.id));
      const woke = new Set<string>();
      for (const v of query.all) {
        const s = stateOf(v, q);
        const runnable = runnableIds.has(v.id);
        if (runnable && !s.wasRunnable) {
          woke.add(v.id);
          if (floor !== undefined) s.virtualTime = Math.max(s.virtualTime, floor);
        }
        if (v.capPercent > 0) s.capTokensMs = Math.min(2 * q, s.capTokensMs + (v.capPercent / 100) * q);
        s.reserveTokensMs = runnable ? Math.min(2 * q, s.reserveTokensMs + ((reservations[v.id] ?? 0) / 100) * q) : 0;
        s.wasRunnable = runnable;
      }
      const willRun = (v: VcpuView) => Math.min(q, v.pendingMs);
      const allowed = query.runnable.filter((v) => v.capPercent === 0 || stateOf(v, q).capTokensMs >= willRun(v) - 1e-9);
      const byVirtualTime = (a: VcpuView, b: VcpuView) =>
        stateOf(a, q).virtualTime - stateOf(b, q).virtualTime || Number(woke.has(b.id)) - Number(woke.has(a.id));
      // Reservations that are due come first, the most overdue (fullest bucket) first, so that none overflows when
      // reservations take every physical CPU; then the smallest virtual times, a vCPU that just woke first among
      // equals (sort is stable: vCPUs still equal keep the host's order).
      const byOverdue = (a: VcpuView, b: VcpuView) => stateOf(b, q).reserveTokensMs - stateOf(a, q).reserveTokensMs;
      const due = allowed.filter((v) => stateOf(v, q).reserveTokensMs >= willRun(v) - 1e-9).sort(byOverdue);
      const others = allowed.filter((v) => !due.includes(v)).sort(byVirtualTime);
      const chosen = [...due, ...others].slice(0, query.pcpus);
      for (const v of chosen) {
        const s = stateOf(v, q);
        const ran = willRun(v);
        s.virtualTime += ran / v.weight;
        s.capTokensMs -= ran;
        s.reserveTokensMs = Math.max(0, s.reserveTokensMs - ran);
      }
      return chosen.map((v) => v.id);
    },
  };
}

/** Weight of the newest estimate in the moving average. */
const SMOOTHING = 0.5;
/** Targets closer than this to the current one are left alone. */
const HYSTERESIS_MIB = 48;

export function createMemoryBalancer(): MemoryBalancer {
  const active = new Map<string, number>();
  return {
    name: 'idle memory tax',
    balance(query: BalloonBalanceQuery): Record<string, number> {
      const demand = query.vms.map((vm) => {
        const previous = active.get(vm.id) ?? vm.estimatedActiveMiB;
        const smoothed = previous + SMOOTHING * (vm.estimatedActiveMiB - previous);
        active.set(vm.id, smoothed);
        return Math.min(vm.configuredMiB, smoothed);
      });
      const allocations = taxedAllocations(query.physicalMiB, query.vms, demand);
      const targets: Record<string, number> = {};
      query.vms.forEach((vm, i) => {
        const target = vm.configuredMiB - allocations[i]!;
        if (Math.abs(target - vm.balloonTargetMiB) > HYSTERESIS_MIB) targets[vm.id] = target;
      });
      // Targets left alone must not overcommit the host: then every target moves.
      const given = query.vms.reduce((sum, vm) => sum + vm.configuredMiB - (targets[vm.id] ?? vm.balloonTargetMiB), 0);
      if (given > query.physicalMiB + 1e-6) query.vms.forEach((vm, i) => { targets[vm.id] = vm.configuredMiB - allocations[i]!; });
      return targets;
    },
  };
}

/** Allocations that fill the host by the idle memory tax, active memory first. */
function taxedAllocations(physicalMiB: number, vms: readonly BalloonVmView[], activeMiB: readonly number[]): number[] {
  if (vms.reduce((sum, vm) => sum + vm.configuredMiB, 0) <= physicalMiB) return vms.map((vm) => vm.configuredMiB);
  const k = 1 / (1 - IDLE_MEMORY_TAX);
  const withActive = vms.map((vm, i) => Math.max(vm.reservationMiB, activeMiB[i]!));
  const floors = withActive.reduce((a, b) => a + b, 0) <= physicalMiB ? withActive : vms.map((vm) => vm.reservationMiB);
  // A VM whose every sampled page was touched may use more than it has: all its memory counts as active.
  const full = vms.map((vm) => vm.estimatedActiveMiB >= vm.allocatedMiB);
  const taxed = (i: number, share: number) => (full[i] || share <= activeMiB[i]! ? share : ((k - 1) * activeMiB[i]! + share) / k);
  const at = (lambda: number) => vms.map((vm, i) => Math.min(vm.configuredMiB, Math.max(floors[i]!, taxed(i, lambda * vm.shares))));
  const total = (lambda: number) => at(lambda).reduce((a, b) => a + b, 0);
  let lo = 0;
  let hi = 1;
  // Ends: with λ large enough every VM gets its configured memory, and together they have more than the host.
  while (total(hi) < physicalMiB) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) < physicalMiB) lo = mid;
    else hi = mid;
  }
  return at(lo);
}
