/**
 * Memory overcommit on one host: VMs with configured memory, reservations, shares, working sets
 * that change over time, a balloon driver in each guest, and the swapping that results.
 *
 * After C. A. Waldspurger, "Memory Resource Management in VMware ESX Server", OSDI 2002:
 * - a VM is given `configured − balloon` MiB; when the VMs together are given more than the
 *   host has, the hypervisor must swap the excess, and since it cannot tell which guest pages
 *   are idle, the pages it swaps are hit in proportion to the guest's working set;
 * - inflating a balloon makes the guest OS itself give up memory: it drops idle pages first,
 *   and only pages out (guest swapping) when its working set no longer fits;
 * - the hypervisor does not know a guest's working set; it estimates the active fraction by
 *   sampling pages (the paper samples 100 pages per period); {@link BalloonMemoryHost} gives
 *   balancers that sampled estimate, never the truth;
 * - reservations are guaranteed: no balloon may take a VM below its reservation, and the
 *   hypervisor never swaps reserved memory.
 * How much memory each VM should get (shares, an idle memory tax, working-set estimates) is the
 * balancer's decision; the default balancer never inflates a balloon.
 */
import { SimError, requireArgument } from '../common/errors.ts';
import { SeededRandom } from '../common/rng.ts';

/** How a VM's working set (memory it actively uses) evolves. */
export type WorkingSetSpec =
  | { readonly kind: 'constant'; readonly mib: number }
  /** Consecutive phases, each `ms` long; the last one lasts forever. */
  | { readonly kind: 'phases'; readonly phases: readonly { readonly ms: number; readonly mib: number }[] };

export interface BalloonVmSpec {
  readonly id: string;
  readonly configuredMiB: number;
  /** Guaranteed minimum; default 0. */
  readonly reservationMiB?: number;
  /** Proportional share of memory; default 1000. */
  readonly shares?: number;
  readonly workingSet: WorkingSetSpec;
}

/** What a balancer sees of a VM: configuration, balloon, and a sampled estimate of activity. */
export interface BalloonVmView {
  readonly id: string;
  readonly configuredMiB: number;
  readonly reservationMiB: number;
  readonly shares: number;
  /** Current balloon size and target. */
  readonly balloonMiB: number;
  readonly balloonTargetMiB: number;
  /** Memory the VM is given now: configured − balloon. */
  readonly allocatedMiB: number;
  /** Estimated active memory from sampling `sampledPages` pages of its allocation (noisy). */
  readonly estimatedActiveMiB: number;
  readonly sampledPages: number;
}

export interface BalloonBalanceQuery {
  readonly nowMs: number;
  readonly physicalMiB: number;
  readonly vms: readonly BalloonVmView[];
}

/**
 * Decides balloon targets every period. Returns a target balloon size in MiB per VM id; VMs left
 * out keep their target. A target must keep the VM at or above its reservation and be within
 * 0..configured (else SimError).
 */
export interface MemoryBalancer {
  readonly name?: string;
  balance(query: BalloonBalanceQuery): Readonly<Record<string, number>>;
}

/** No ballooning: what overcommit looks like without a balloon driver. */
export const NO_BALLOONING: MemoryBalancer = Object.freeze({ name: 'no ballooning', balance: () => ({}) });

/** Per-VM measurements, integrated over time (MiB × seconds). */
export interface BalloonVmUsage {
  readonly id: string;
  readonly balloonMiB: number;
  readonly allocatedMiB: number;
  /** The true working set now. */
  readonly workingSetMiB: number;
  /** Guest paging: working set beyond what the guest was given. */
  readonly guestSwapMiBs: number;
  /** Memory the hypervisor swapped out of this VM. */
  readonly hostSwapMiBs: number;
  /** Of that, working-set pages (each one a slow fault for the guest). */
  readonly hostSwapActiveMiBs: number;
  /** Lowest allocation seen, and whether it ever went below the reservation (it cannot). */
  readonly minAllocatedMiB: number;
}

export interface BalloonReport {
  readonly nowMs: number;
  readonly physicalMiB: number;
  readonly configuredMiB: number;
  /** Total hypervisor swapping so far, MiB × s. */
  readonly hostSwapMiBs: number;
  readonly vms: readonly BalloonVmUsage[];
}

/** Simulation step; balloons move and swapping is measured at this granularity. */
export const BALLOON_TICK_MS = 100;
/** Pages sampled per VM per balance period to estimate its active memory (Waldspurger 2002 samples 100). */
export const BALLOON_SAMPLED_PAGES = 100;

interface BalloonVm {
  readonly id: string;
  readonly configuredMiB: number;
  readonly reservationMiB: number;
  readonly shares: number;
  readonly workingSet: WorkingSetSpec;
  balloonMiB: number;
  targetMiB: number;
  guestSwapMiBs: number;
  hostSwapMiBs: number;
  hostSwapActiveMiBs: number;
  minAllocatedMiB: number;
  readonly random: SeededRandom;
}

/** One host's memory, overcommitted among VMs with balloon drivers. */
export class BalloonMemoryHost {
  readonly physicalMiB: number;
  /** How fast a balloon inflates or deflates, MiB per second. */
  readonly balloonRateMiBPerSecond: number;
  /** How often the balancer is consulted, ms. */
  readonly balancePeriodMs: number;
  readonly #random: SeededRandom;
  readonly #vms = new Map<string, BalloonVm>();
  #balancer: MemoryBalancer = NO_BALLOONING;
  #nowMs = 0;
  #hostSwapMiBs = 0;

  /**
   * @param options.balloonRateMiBPerSecond default 256 (chosen: the guest must find and pin
   *   pages; a few hundred MiB per second is the right order for a 2000s guest)
   * @param options.balancePeriodMs default 1000
   */
  constructor(options: { readonly physicalMiB: number; readonly seed: number; readonly balloonRateMiBPerSecond?: number; readonly balancePeriodMs?: number }) {
    requireArgument(typeof options === 'object' && options !== null, 'options { physicalMiB, seed } are required');
    requireArgument(Number.isFinite(options.physicalMiB) && options.physicalMiB > 0, 'physicalMiB must be positive');
    requireArgument(Number.isSafeInteger(options.seed), 'seed must be an integer');
    this.physicalMiB = options.physicalMiB;
    this.balloonRateMiBPerSecond = options.balloonRateMiBPerSecond ?? 256;
    this.balancePeriodMs = options.balancePeriodMs ?? 1000;
    requireArgument(this.balloonRateMiBPerSecond > 0, 'balloonRateMiBPerSecond must be positive');
    requireArgument(this.balancePeriodMs >= BALLOON_TICK_MS && this.balancePeriodMs % BALLOON_TICK_MS === 0, `balancePeriodMs must be a multiple of ${BALLOON_TICK_MS}`);
    this.#random = new SeededRandom(options.seed);
  }

  get nowMs(): number {
    return this.#nowMs;
  }

  addVm(spec: BalloonVmSpec): void {
    requireArgument(typeof spec === 'object' && spec !== null, 'addVm needs { id, configuredMiB, workingSet, ... }');
    requireArgument(typeof spec.id === 'string' && spec.id !== '', 'a VM id is a non-empty string');
    if (this.#vms.has(spec.id)) throw new SimError('ALREADY_EXISTS', `VM ${spec.id} already exists`);
    requireArgument(Number.isFinite(spec.configuredMiB) && spec.configuredMiB > 0, 'configuredMiB must be positive');
    const reservation = spec.reservationMiB ?? 0;
    requireArgument(reservation >= 0 && reservation <= spec.configuredMiB, 'reservationMiB must be within 0..configuredMiB');
    const shares = spec.shares ?? 1000;
    requireArgument(Number.isFinite(shares) && shares > 0, 'shares must be positive');
    const reserved = [...this.#vms.values()].reduce((sum, vm) => sum + vm.reservationMiB, 0);
    if (reserved + reservation > this.physicalMiB) {
      throw new SimError('CAPACITY_EXCEEDED', `reservations would total ${reserved + reservation} MiB on a ${this.physicalMiB} MiB host (admission control)`);
    }
    this.#vms.set(spec.id, {
      id: spec.id, configuredMiB: spec.configuredMiB, reservationMiB: reservation, shares,
      workingSet: validateWorkingSet(spec.workingSet), balloonMiB: 0, targetMiB: 0, guestSwapMiBs: 0, hostSwapMiBs: 0,
      hostSwapActiveMiBs: 0, minAllocatedMiB: spec.configuredMiB, random: this.#random.fork(),
    });
  }

  /** Installs the balancer consulted every balance period. */
  setBalancer(balancer: MemoryBalancer): void {
    requireArgument(typeof balancer === 'object' && balancer !== null && typeof balancer.balance === 'function', 'a balancer is an object with balance(query)');
    this.#balancer = balancer;
  }

  /** Sets a balloon's target directly (the administrator's override). */
  setBalloonTarget(vmId: string, mib: number): void {
    const vm = this.#vm(vmId);
    checkTarget(vm, mib);
    vm.targetMiB = mib;
  }

  /** Runs for `ms` (whole ticks): balancer, balloons, swapping. */
  advance(ms: number): void {
    requireArgument(Number.isFinite(ms) && ms >= 0, 'advance needs a non-negative number of ms');
    const ticks = Math.round(ms / BALLOON_TICK_MS);
    for (let i = 0; i < ticks; i++) this.#tick();
  }

  #tick(): void {
    if (this.#nowMs % this.balancePeriodMs === 0) this.#consultBalancer();
    const step = (this.balloonRateMiBPerSecond * BALLOON_TICK_MS) / 1000;
    const seconds = BALLOON_TICK_MS / 1000;
    for (const vm of this.#vms.values()) {
      const delta = vm.targetMiB - vm.balloonMiB;
      vm.balloonMiB += Math.sign(delta) * Math.min(Math.abs(delta), step);
      const allocated = vm.configuredMiB - vm.balloonMiB;
      vm.minAllocatedMiB = Math.min(vm.minAllocatedMiB, allocated);
      vm.guestSwapMiBs += Math.max(0, this.#workingSet(vm) - allocated) * seconds;
    }
    // The hypervisor swaps what does not fit, never from reservations, in proportion to the unreserved allocation.
    const vms = [...this.#vms.values()];
    const given = vms.reduce((sum, vm) => sum + vm.configuredMiB - vm.balloonMiB, 0);
    const excess = Math.max(0, given - this.physicalMiB);
    if (excess > 0) {
      const swappable = vms.map((vm) => Math.max(0, vm.configuredMiB - vm.balloonMiB - vm.reservationMiB));
      const total = swappable.reduce((a, b) => a + b, 0);
      vms.forEach((vm, i) => {
        const swapped = total === 0 ? 0 : (excess * (swappable[i] as number)) / total;
        const allocated = vm.configuredMiB - vm.balloonMiB;
        const activeFraction = allocated > 0 ? Math.min(1, this.#workingSet(vm) / allocated) : 0;
        vm.hostSwapMiBs += swapped * seconds;
        vm.hostSwapActiveMiBs += swapped * activeFraction * seconds;
      });
      this.#hostSwapMiBs += excess * seconds;
    }
    this.#nowMs += BALLOON_TICK_MS;
  }

  #consultBalancer(): void {
    const query: BalloonBalanceQuery = Object.freeze({
      nowMs: this.#nowMs, physicalMiB: this.physicalMiB,
      vms: Object.freeze([...this.#vms.values()].map((vm) => this.#view(vm))),
    });
    let answer: unknown;
    try {
      answer = this.#balancer.balance(query);
    } catch (thrown) {
      throw new SimError('INVALID_STATE', `the balancer's balance() threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`);
    }
    if (typeof answer !== 'object' || answer === null) throw new SimError('INVALID_ARGUMENT', "the balancer's balance() must return { vmId: balloonMiB }");
    for (const [id, target] of Object.entries(answer)) {
      const vm = this.#vm(id);
      checkTarget(vm, target);
      vm.targetMiB = target as number;
    }
  }

  #view(vm: BalloonVm): BalloonVmView {
    const allocated = vm.configuredMiB - vm.balloonMiB;
    const activeFraction = allocated > 0 ? Math.min(1, this.#workingSet(vm) / allocated) : 0;
    let touched = 0;
    for (let i = 0; i < BALLOON_SAMPLED_PAGES; i++) if (vm.random.chance(activeFraction)) touched++;
    return Object.freeze({
      id: vm.id, configuredMiB: vm.configuredMiB, reservationMiB: vm.reservationMiB, shares: vm.shares,
      balloonMiB: vm.balloonMiB, balloonTargetMiB: vm.targetMiB, allocatedMiB: allocated,
      estimatedActiveMiB: (touched / BALLOON_SAMPLED_PAGES) * allocated, sampledPages: BALLOON_SAMPLED_PAGES,
    });
  }

  #workingSet(vm: BalloonVm): number {
    const ws = vm.workingSet;
    if (ws.kind === 'constant') return Math.min(ws.mib, vm.configuredMiB);
    let start = 0;
    for (const phase of ws.phases) {
      if (this.#nowMs < start + phase.ms) return Math.min(phase.mib, vm.configuredMiB);
      start += phase.ms;
    }
    return Math.min((ws.phases[ws.phases.length - 1] as { mib: number }).mib, vm.configuredMiB);
  }

  #vm(id: string): BalloonVm {
    const vm = this.#vms.get(id);
    if (vm === undefined) throw new SimError('NOT_FOUND', `no VM ${JSON.stringify(id)}`);
    return vm;
  }

  /** What really happened: balloons, allocations, true working sets and swapping. */
  report(): BalloonReport {
    const vms = [...this.#vms.values()];
    return Object.freeze({
      nowMs: this.#nowMs,
      physicalMiB: this.physicalMiB,
      configuredMiB: vms.reduce((sum, vm) => sum + vm.configuredMiB, 0),
      hostSwapMiBs: this.#hostSwapMiBs,
      vms: Object.freeze(vms.map((vm) => Object.freeze({
        id: vm.id, balloonMiB: vm.balloonMiB, allocatedMiB: vm.configuredMiB - vm.balloonMiB,
        workingSetMiB: this.#workingSet(vm), guestSwapMiBs: vm.guestSwapMiBs, hostSwapMiBs: vm.hostSwapMiBs,
        hostSwapActiveMiBs: vm.hostSwapActiveMiBs, minAllocatedMiB: vm.minAllocatedMiB,
      }))),
    });
  }
}

function checkTarget(vm: BalloonVm, mib: unknown): void {
  const max = vm.configuredMiB - vm.reservationMiB;
  if (typeof mib !== 'number' || !Number.isFinite(mib) || mib < 0 || mib > max) {
    throw new SimError('OUT_OF_RANGE', `balloon target for ${vm.id} must be within 0..${max} MiB (configured ${vm.configuredMiB}, reservation ${vm.reservationMiB}), got ${String(mib)}`);
  }
}

function validateWorkingSet(spec: WorkingSetSpec): WorkingSetSpec {
  requireArgument(typeof spec === 'object' && spec !== null, 'a working set is { kind, ... }');
  if (spec.kind === 'constant') {
    requireArgument(Number.isFinite(spec.mib) && spec.mib >= 0, 'working set mib must be non-negative');
    return Object.freeze({ kind: 'constant', mib: spec.mib });
  }
  if (spec.kind === 'phases') {
    requireArgument(Array.isArray(spec.phases) && spec.phases.length > 0, 'phases must be a non-empty array');
    for (const p of spec.phases) requireArgument(p.ms > 0 && p.mib >= 0, 'each phase needs ms > 0 and mib >= 0');
    return Object.freeze({ kind: 'phases', phases: Object.freeze(spec.phases.map((p) => Object.freeze({ ms: p.ms, mib: p.mib }))) });
  }
  return requireArgument(false, `unknown working set kind ${JSON.stringify((spec as { kind: unknown }).kind)}`) as never;
}
