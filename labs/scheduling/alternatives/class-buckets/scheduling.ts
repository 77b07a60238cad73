// Alternative in a class style: one class per mechanism (a token bucket, a vCPU's account, the
// scheduler, the balancer), state in private fields, and the balance found by sorting
// breakpoints instead of bisection.
import type { BalloonBalanceQuery, BalloonVmView, MemoryBalancer, VcpuPickQuery, VcpuSchedulerPolicy, VcpuView } from '@virtlab/sim';
import { IDLE_MEMORY_TAX, type SchedulerOptions } from './types.ts';

/** Fills at a rate per quantum, holds at most two quanta. */
class Bucket {
  #ms: number;
  constructor(initialMs: number) {
    this.#ms = initialMs;
  }
  fill(percent: number, quantumMs: number): void {
    this.#ms = Math.min(2 * quantumMs, this.#ms + (percent / 100) * quantumMs);
  }
  get ms(): number {
    return this.#ms;
  }
  holds(ms: number): boolean {
    return this.#ms >= ms - 1e-9;
  }
  take(ms: number): void {
    this.#ms -= ms;
  }
  empty(): void {
    this.#ms = 0;
  }
  clampAtZero(): void {
    this.#ms = Math.max(0, this.#ms);
  }
}

class Account {
  pass = 0;
  wasRunnable = false;
  justWoke = false;
  readonly cap: Bucket;
  readonly reserve = new Bucket(0);
  constructor(quantumMs: number) {
    this.cap = new Bucket(quantumMs);
  }
}

class FairScheduler implements VcpuSchedulerPolicy {
  readonly name = 'proportional share (classes)';
  readonly #reservations: Readonly<Record<string, number>>;
  readonly #accounts = new Map<string, Account>();

  constructor(options: SchedulerOptions) {
    this.#reservations = options.reservations ?? {};
  }

  #account(id: string, quantumMs: number): Account {
    let a = this.#accounts.get(id);
    if (!a) {
      a = new Account(quantumMs);
      this.#accounts.set(id, a);
    }
    return a;
  }

  pick(query: VcpuPickQuery): readonly string[] {
    const q = query.quantumMs;
    // The account of a vCPU that left the host goes too: an id that comes back is a new vCPU.
    const onHost = new Set(query.all.map((v) => v.id));
    for (const id of [...this.#accounts.keys()]) if (!onHost.has(id)) this.#accounts.delete(id);
    const runnable = new Set(query.runnable.map((v) => v.id));
    let joinAt = Infinity;
    for (const v of query.runnable) {
      const a = this.#account(v.id, q);
      if (a.wasRunnable) joinAt = Math.min(joinAt, a.pass);
    }
    for (const v of query.all) {
      const a = this.#account(v.id, q);
      const has = runnable.has(v.id);
      a.justWoke = has && !a.wasRunnable;
      if (a.justWoke && joinAt !== Infinity && a.pass < joinAt) a.pass = joinAt;
      if (v.capPercent > 0) a.cap.fill(v.capPercent, q);
      if (has) a.reserve.fill(this.#reservations[v.id] ?? 0, q);
      else a.reserve.empty();
      a.wasRunnable = has;
    }
    const need = (v: VcpuView) => Math.min(q, v.pendingMs);
    const order = (x: VcpuView, y: VcpuView): number => {
      const ax = this.#account(x.id, q);
      const ay = this.#account(y.id, q);
      if (ax.pass !== ay.pass) return ax.pass - ay.pass;
      if (ax.justWoke !== ay.justWoke) return ax.justWoke ? -1 : 1;
      return x.id.localeCompare(y.id, 'en');
    };
    const mayRun = query.runnable.filter((v) => v.capPercent === 0 || this.#account(v.id, q).cap.holds(need(v)));
    const urgent = mayRun.filter((v) => this.#account(v.id, q).reserve.holds(need(v)));
    const rest = mayRun.filter((v) => !urgent.includes(v));
    // The most overdue reservation first: when reservations take every physical CPU, none may overflow.
    const overdue = (x: VcpuView, y: VcpuView) => this.#account(y.id, q).reserve.ms - this.#account(x.id, q).reserve.ms || order(x, y);
    const chosen = [...urgent.sort(overdue), ...rest.sort(order)].slice(0, query.pcpus);
    for (const v of chosen) {
      const a = this.#account(v.id, q);
      a.pass += need(v) / v.weight;
      a.cap.take(need(v));
      a.reserve.take(need(v));
      a.reserve.clampAtZero();
    }
    return chosen.map((v) => v.id);
  }
}

export function createFairScheduler(options: SchedulerOptions = {}): VcpuSchedulerPolicy {
  return new FairScheduler(options);
}

class TaxBalancer implements MemoryBalancer {
  readonly name = 'idle memory tax (classes)';
  readonly #average = new Map<string, number>();

  balance(query: BalloonBalanceQuery): Record<string, number> {
    const active = query.vms.map((vm) => {
      const before = this.#average.get(vm.id) ?? vm.estimatedActiveMiB;
      const now = (before + vm.estimatedActiveMiB) / 2;
      this.#average.set(vm.id, now);
      return Math.min(vm.configuredMiB, now);
    });
    const allocation = TaxBalancer.allocate(query.physicalMiB, query.vms, active);
    const targets: Record<string, number> = {};
    let given = 0;
    query.vms.forEach((vm, i) => {
      const target = vm.configuredMiB - allocation[i]!;
      const keep = Math.abs(target - vm.balloonTargetMiB) <= 48 && target !== 0;
      if (!keep) targets[vm.id] = target;
      given += vm.configuredMiB - (keep ? vm.balloonTargetMiB : target);
    });
    if (given > query.physicalMiB + 1e-6) query.vms.forEach((vm, i) => { targets[vm.id] = vm.configuredMiB - allocation[i]!; });
    return targets;
  }

  /** The tax's allocations, solved exactly: piecewise linear in λ, so walk its breakpoints. */
  static allocate(physicalMiB: number, vms: readonly BalloonVmView[], active: readonly number[]): number[] {
    if (vms.reduce((s, vm) => s + vm.configuredMiB, 0) <= physicalMiB) return vms.map((vm) => vm.configuredMiB);
    const k = 1 / (1 - IDLE_MEMORY_TAX);
    const full = vms.map((vm) => vm.estimatedActiveMiB >= vm.allocatedMiB);
    const wanted = vms.map((vm, i) => Math.max(vm.reservationMiB, active[i]!));
    const floor = wanted.reduce((s, x) => s + x, 0) <= physicalMiB ? wanted : vms.map((vm) => vm.reservationMiB);
    const curve = (i: number, lambda: number): number => {
      const share = lambda * vms[i]!.shares;
      const raw = full[i] || share <= active[i]! ? share : ((k - 1) * active[i]! + share) / k;
      return Math.min(vms[i]!.configuredMiB, Math.max(floor[i]!, raw));
    };
    const total = (lambda: number) => vms.reduce((s, _, i) => s + curve(i, lambda), 0);
    // Breakpoints of each curve: where it leaves its floor, crosses A, reaches configured.
    const points = new Set<number>([0]);
    vms.forEach((vm, i) => {
      const a = active[i]!;
      for (const y of [floor[i]!, a, vm.configuredMiB]) {
        points.add(y / vm.shares);
        if (!full[i]) points.add((k * y - (k - 1) * a) / vm.shares);
      }
    });
    const sorted = [...points].filter((x) => x >= 0 && Number.isFinite(x)).sort((x, y) => x - y);
    let lo = 0;
    let hi = sorted[sorted.length - 1]!;
    for (const x of sorted) {
      if (total(x) < physicalMiB) lo = x;
      else {
        hi = x;
        break;
      }
    }
    // Linear between breakpoints: interpolate.
    const tLo = total(lo);
    const tHi = total(hi);
    const lambda = tHi === tLo ? hi : lo + ((physicalMiB - tLo) * (hi - lo)) / (tHi - tLo);
    return vms.map((_, i) => curve(i, lambda));
  }
}

export function createMemoryBalancer(): MemoryBalancer {
  return new TaxBalancer();
}
