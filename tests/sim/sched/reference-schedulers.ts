/**
 * Reference solutions of the scheduling lab; they live only in the tests.
 *
 * - Stride scheduling (Waldspurger & Weihl, 1995): each vCPU has a pass value that advances by
 *   stride = BIG / weight every quantum it runs; the runnable vCPUs with the lowest pass run. A
 *   vCPU that wakes after sleeping restarts at the current minimum pass (it cannot bank credit).
 *   Caps: a vCPU that has used its cap over the elapsed time is skipped.
 * - A balloon balancer after Waldspurger (OSDI 2002): memory above reservations is divided by
 *   shares-per-page with an idle memory tax, ρ = S / (P · (f + k(1 − f))), k = 1 / (1 − τ),
 *   using the sampled active fraction f; balloons move each VM toward its entitlement.
 */
import type { BalloonBalanceQuery, MemoryBalancer, VcpuSchedulerPolicy } from '../../../src/sim/index.ts';

const STRIDE_BIG = 1 << 20;

export function createStrideScheduler(): VcpuSchedulerPolicy {
  const pass = new Map<string, number>();
  return {
    name: 'stride',
    pick(query) {
      const eligible = query.runnable.filter((v) => v.capPercent === 0 || v.ranMs < (v.capPercent / 100) * (query.nowMs + query.quantumMs));
      const minPass = Math.min(...eligible.map((v) => pass.get(v.id) ?? 0), Infinity);
      for (const v of eligible) {
        const current = pass.get(v.id);
        if (current === undefined || current < minPass) pass.set(v.id, minPass === Infinity ? 0 : minPass);
      }
      const chosen = [...eligible]
        .sort((a, b) => (pass.get(a.id) as number) - (pass.get(b.id) as number) || (a.id < b.id ? -1 : 1))
        .slice(0, query.pcpus);
      for (const v of chosen) pass.set(v.id, (pass.get(v.id) as number) + STRIDE_BIG / v.weight);
      return chosen.map((v) => v.id);
    },
  };
}

/** The idle memory tax rate τ; ESX's default was 75%. */
export const IDLE_MEMORY_TAX = 0.75;

export function createShareBalancer(): MemoryBalancer {
  return {
    name: 'shares with idle memory tax',
    balance(query: BalloonBalanceQuery) {
      const k = 1 / (1 - IDLE_MEMORY_TAX);
      let free = query.physicalMiB - query.vms.reduce((sum, vm) => sum + vm.reservationMiB, 0);
      const entitlement = new Map(query.vms.map((vm) => [vm.id, vm.reservationMiB]));
      // Hand out memory in small slices to the VM with the highest shares-per-page ratio.
      const slice = 16;
      while (free >= slice) {
        let best: (typeof query.vms)[number] | undefined;
        let bestRho = -Infinity;
        for (const vm of query.vms) {
          const pages = entitlement.get(vm.id) as number;
          if (pages + slice > vm.configuredMiB) continue;
          // f: the share of this entitlement the VM actively uses; only idle memory is taxed.
          const f = Math.min(1, vm.estimatedActiveMiB / Math.max(pages, 1));
          const rho = vm.shares / (Math.max(pages, 1) * (f + k * (1 - f)));
          if (rho > bestRho) {
            bestRho = rho;
            best = vm;
          }
        }
        if (best === undefined) break;
        entitlement.set(best.id, (entitlement.get(best.id) as number) + slice);
        free -= slice;
      }
      return Object.fromEntries(query.vms.map((vm) => [vm.id, vm.configuredMiB - (entitlement.get(vm.id) as number)]));
    },
  };
}
