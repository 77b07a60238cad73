/**
 * The model of lesson 6's fair-shares explorable: three busy VMs on the simulator's
 * VcpuSchedulingHost under its built-in round-robin policy (the only scheduler the simulator
 * ships: a share-based one is what lab 7 asks learners to write, so none is here). Every CPU
 * figure is the simulator's own, read from its report window by window; only the entitlement
 * (entitlement.ts) is worked out here, as the target to compare with.
 */
import { VcpuSchedulingHost, createRoundRobinScheduler } from '../../sim/sched/index.ts';
import { entitlements } from './entitlement.ts';
import { IDLE_AT_MS, PCPUS, VMS, WINDOW_MS, WINDOWS, type IdleChoice } from './options.ts';

export interface FairSharesSettings {
  readonly seed: number;
  readonly idle: IdleChoice;
}

/** One window of the run, per VM in VMS order, in percent of one physical CPU. */
export interface Window {
  readonly index: number;
  readonly startMs: number;
  readonly endMs: number;
  /** CPU each VM got in the window, as the simulator measured it. */
  readonly got: readonly number[];
  /** What each VM was entitled to in the window. */
  readonly entitled: readonly number[];
  /** Whether each VM had work in the window. */
  readonly busy: readonly boolean[];
  /** Physical-CPU time used, percent of one physical CPU. */
  readonly used: number;
}

/** An idle VM has no work at all: a periodic demand that never brings any. */
const NO_WORK = { kind: 'periodic', periodMs: 1000, workMs: 0 } as const;

export class FairSharesSession {
  readonly settings: FairSharesSettings;
  readonly #host: VcpuSchedulingHost;
  readonly #windows: Window[] = [];

  constructor(settings: FairSharesSettings) {
    this.settings = settings;
    this.#host = new VcpuSchedulingHost({ pcpus: PCPUS, seed: settings.seed });
    this.#host.setScheduler(createRoundRobinScheduler());
    // The host keeps shares (weight) and limits (capPercent) for a policy to use; round robin ignores them.
    for (const vm of VMS) this.#host.addVcpu({ id: vm.id, vm: vm.id, weight: vm.shares, capPercent: vm.limitPercent });
  }

  get windows(): readonly Window[] {
    return this.#windows;
  }
  get finished(): boolean {
    return this.#windows.length === WINDOWS;
  }
  /** Whether VM `id` is idle from `ms` on. */
  isIdle(id: string, ms: number): boolean {
    return this.settings.idle === id && ms >= IDLE_AT_MS;
  }

  /** Runs the next window on the simulator and records what each VM got. */
  step(): Window | null {
    if (this.finished) return null;
    const startMs = this.#host.nowMs;
    if (startMs === IDLE_AT_MS && this.settings.idle !== 'none') {
      // The VM stops having work: the simulator's demands are fixed, so its vCPU is re-added with none (a new vCPU, ranMs 0).
      const vm = VMS.find((candidate) => candidate.id === this.settings.idle)!;
      this.#host.removeVcpu(vm.id);
      this.#host.addVcpu({ id: vm.id, vm: vm.id, weight: vm.shares, capPercent: vm.limitPercent, demand: NO_WORK });
    }
    const before = this.#ranMs();
    const busyBefore = this.#host.report().busyMs;
    this.#host.run(WINDOW_MS);
    const after = this.#ranMs();
    const report = this.#host.report();
    const busy = VMS.map((vm) => !this.isIdle(vm.id, startMs));
    const window: Window = {
      index: this.#windows.length,
      startMs,
      endMs: report.elapsedMs,
      // `before` is read after any re-add, so a re-added vCPU's baseline is its fresh 0.
      got: VMS.map((_, i) => (100 * (after[i]! - before[i]!)) / WINDOW_MS),
      entitled: entitlementsWhile(busy),
      busy,
      used: (100 * (report.busyMs - busyBefore)) / WINDOW_MS,
    };
    this.#windows.push(window);
    return window;
  }

  runToEnd(): readonly Window[] {
    while (this.step() !== null);
    return this.#windows;
  }

  #ranMs(): number[] {
    const vcpus = this.#host.report().vcpus;
    return VMS.map((vm) => vcpus.find((vcpu) => vcpu.id === vm.id)!.ranMs);
  }
}

/** The entitlements while the VMs marked busy want a whole physical CPU each and the others want none. */
export function entitlementsWhile(busy: readonly boolean[]): number[] {
  return entitlements(
    VMS.map((vm, i) => ({ shares: vm.shares, reservationPercent: vm.reservationPercent, mostPercent: busy[i] ? Math.min(100, vm.limitPercent || 100) : 0 })),
    PCPUS,
  );
}

/** Mean of a VM's figures over windows, percent. */
export function meanOver(windows: readonly Window[], vmIndex: number, figure: 'got' | 'entitled'): number {
  return windows.length ? windows.reduce((sum, window) => sum + window[figure][vmIndex]!, 0) / windows.length : 0;
}
