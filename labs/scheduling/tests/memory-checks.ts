/**
 * Checks of Part 2, shared by the public and hidden tests. A scenario runs the learner's
 * balancer on a fresh BalloonMemoryHost and samples the host's own report once a balance period:
 * balloons, allocations, true working sets (which the balancer never sees) and swapping.
 */
import { BalloonMemoryHost, type BalloonVmSpec, type WorkingSetSpec } from '@virtlab/sim';
import { attach, expect } from '@virtlab/test';
import { createMemoryBalancer } from '../starter/scheduling.ts';
import { IDLE_MEMORY_TAX } from '../starter/types.ts';

export const PERIOD_MS = 1000;
/** Periods a balancer has to converge after the start or a change in demand. */
export const CONVERGE_PERIODS = 10;
/** Allowed distance of an allocation from the one the tax implies: sampling is noisy. */
export const ALLOCATION_TOLERANCE_MIB = 160;
/** Most a balloon may move (max − min) over steady periods: more is flapping. */
export const FLAP_TOLERANCE_MIB = 128;

export interface MemoryScenario {
  readonly title: string;
  readonly physicalMiB: number;
  readonly vms: readonly BalloonVmSpec[];
  readonly periods: number;
  readonly seed?: number;
}

export interface MemorySample {
  readonly nowMs: number;
  readonly hostSwapMiBs: number;
  readonly vms: Readonly<Record<string, { readonly balloonMiB: number; readonly allocatedMiB: number; readonly workingSetMiB: number; readonly minAllocatedMiB: number }>>;
}

/** Runs the scenario; one sample at the end of each period. */
export function runMemory(scenario: MemoryScenario): MemorySample[] {
  const host = new BalloonMemoryHost({ physicalMiB: scenario.physicalMiB, seed: scenario.seed ?? 11, balancePeriodMs: PERIOD_MS });
  for (const vm of scenario.vms) host.addVm(vm);
  host.setBalancer(createMemoryBalancer());
  const samples: MemorySample[] = [];
  for (let p = 0; p < scenario.periods; p++) {
    host.advance(PERIOD_MS);
    const r = host.report();
    samples.push({
      nowMs: r.nowMs, hostSwapMiBs: r.hostSwapMiBs,
      vms: Object.fromEntries(r.vms.map((v) => [v.id, { balloonMiB: v.balloonMiB, allocatedMiB: v.allocatedMiB, workingSetMiB: v.workingSetMiB, minAllocatedMiB: v.minAllocatedMiB }])),
    });
  }
  return samples;
}

/** A working set's size at a time (as the simulator computes it). */
export function workingSetAt(spec: WorkingSetSpec, configuredMiB: number, nowMs: number): number {
  if (spec.kind === 'constant') return Math.min(spec.mib, configuredMiB);
  let start = 0;
  for (const phase of spec.phases) {
    if (nowMs < start + phase.ms) return Math.min(phase.mib, configuredMiB);
    start += phase.ms;
  }
  return Math.min(spec.phases[spec.phases.length - 1]!.mib, configuredMiB);
}

/**
 * The allocations the idle memory tax implies for true working sets A: each VM gets
 * clamp(((k − 1)·A + λ·shares) / k, floor, configured), k = 1 / (1 − τ), or λ·shares if that is
 * less than A (a VM with less than its working set is all active), λ such that they sum to the
 * host's memory; floor = max(reservation, A) when those floors fit, else the reservation.
 * Configured memory that fits is simply given.
 */
export function expectedAllocations(physicalMiB: number, vms: readonly BalloonVmSpec[], nowMs: number): Record<string, number> {
  const configured = vms.reduce((sum, vm) => sum + vm.configuredMiB, 0);
  if (configured <= physicalMiB) return Object.fromEntries(vms.map((vm) => [vm.id, vm.configuredMiB]));
  const k = 1 / (1 - IDLE_MEMORY_TAX);
  const active = vms.map((vm) => workingSetAt(vm.workingSet, vm.configuredMiB, nowMs));
  const reserved = vms.map((vm) => vm.reservationMiB ?? 0);
  const withActive = vms.map((_, i) => Math.max(reserved[i]!, active[i]!));
  const floors = withActive.reduce((a, b) => a + b, 0) <= physicalMiB ? withActive : reserved;
  // A VM given less than its working set looks fully active (sampling sees no idle page), so there
  // it is charged like active memory: λ·shares; above it, ((k − 1)·A + λ·shares) / k.
  const taxed = (a: number, share: number) => (share <= a ? share : ((k - 1) * a + share) / k);
  const at = (lambda: number) => vms.map((vm, i) => Math.min(vm.configuredMiB, Math.max(floors[i]!, taxed(active[i]!, lambda * (vm.shares ?? 1000)))));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  let lo = 0;
  let hi = 1;
  while (sum(at(hi)) < physicalMiB && hi < 1e12) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (sum(at(mid)) < physicalMiB) lo = mid;
    else hi = mid;
  }
  return Object.fromEntries(vms.map((vm, i) => [vm.id, at(lo)[i]!]));
}

const mib = (x: number) => Math.round(x);

/** Hands the workbench each VM's balloon, allocation and working set per period. */
export function attachMemory(scenario: MemoryScenario, samples: readonly MemorySample[]): void {
  attach('scheduling', {
    kind: 'memory', title: scenario.title, periodMs: PERIOD_MS, physicalMiB: scenario.physicalMiB,
    vms: scenario.vms.map((vm) => ({
      id: vm.id, configuredMiB: vm.configuredMiB, reservationMiB: vm.reservationMiB ?? 0, shares: vm.shares ?? 1000,
      periods: samples.map((s) => ({ balloonMiB: mib(s.vms[vm.id]!.balloonMiB), allocatedMiB: mib(s.vms[vm.id]!.allocatedMiB), workingSetMiB: mib(s.vms[vm.id]!.workingSetMiB) })),
    })),
  });
}

function report(problem: string, failures: readonly string[]): void {
  const shown = failures.slice(0, 4).join('; ') + (failures.length > 4 ? `; and ${failures.length - 4} more` : '');
  expect(failures.length, `${problem}: ${shown}`).toBe(0);
}

/**
 * From `fromPeriod` (a change in demand plus CONVERGE_PERIODS) to `toPeriod`: every allocation
 * within ALLOCATION_TOLERANCE_MIB of the tax's, and no host swapping.
 */
export function expectConverged(scenario: MemoryScenario, samples: readonly MemorySample[], fromPeriod: number, toPeriod = samples.length): void {
  const failures: string[] = [];
  for (let p = fromPeriod; p < toPeriod; p++) {
    const s = samples[p]!;
    const expected = expectedAllocations(scenario.physicalMiB, scenario.vms, s.nowMs - PERIOD_MS);
    for (const vm of scenario.vms) {
      const got = s.vms[vm.id]!.allocatedMiB;
      if (Math.abs(got - expected[vm.id]!) > ALLOCATION_TOLERANCE_MIB) {
        failures.push(`${vm.id} allocated ${mib(got)} MiB at ${s.nowMs} ms, the tax implies ${mib(expected[vm.id]!)} (working set ${mib(s.vms[vm.id]!.workingSetMiB)}, shares ${vm.shares ?? 1000}, reservation ${vm.reservationMiB ?? 0}, configured ${vm.configuredMiB})`);
      }
    }
    const swapped = s.hostSwapMiBs - samples[p - 1]!.hostSwapMiBs;
    if (swapped > 0) failures.push(`the host swapped ${mib(swapped)} MiB·s in the period ending at ${s.nowMs} ms`);
  }
  report(`allocations more than ${ALLOCATION_TOLERANCE_MIB} MiB from the idle memory tax's, or host swapping, from period ${fromPeriod} on`, failures);
}

/** No VM ever below its reservation (the simulator's record of the lowest allocation). */
export function expectReservationsKept(scenario: MemoryScenario, samples: readonly MemorySample[]): void {
  const last = samples[samples.length - 1]!;
  const failures = scenario.vms.filter((vm) => last.vms[vm.id]!.minAllocatedMiB < (vm.reservationMiB ?? 0))
    .map((vm) => `${vm.id} went down to ${mib(last.vms[vm.id]!.minAllocatedMiB)} MiB, reservation ${vm.reservationMiB}`);
  report('reservations broken', failures);
}

/** From `fromPeriod` to `toPeriod` (steady demand): each balloon's range at most FLAP_TOLERANCE_MIB. */
export function expectNoFlapping(scenario: MemoryScenario, samples: readonly MemorySample[], fromPeriod: number, toPeriod = samples.length): void {
  const failures: string[] = [];
  for (const vm of scenario.vms) {
    const balloons = samples.slice(fromPeriod, toPeriod).map((s) => s.vms[vm.id]!.balloonMiB);
    const range = Math.max(...balloons) - Math.min(...balloons);
    if (range > FLAP_TOLERANCE_MIB) failures.push(`${vm.id}'s balloon moved over ${mib(range)} MiB (${mib(Math.min(...balloons))}..${mib(Math.max(...balloons))}) in periods ${fromPeriod}..${toPeriod - 1} of steady demand`);
  }
  report(`balloons flapping by more than ${FLAP_TOLERANCE_MIB} MiB`, failures);
}

/** From `fromPeriod` on: no host swapping at all (the VMs are given at most the host's memory). */
export function expectNoHostSwapping(samples: readonly MemorySample[], fromPeriod: number): void {
  const failures: string[] = [];
  for (let p = Math.max(1, fromPeriod); p < samples.length; p++) {
    const swapped = samples[p]!.hostSwapMiBs - samples[p - 1]!.hostSwapMiBs;
    if (swapped > 0) failures.push(`the host swapped ${mib(swapped)} MiB·s in the period ending at ${samples[p]!.nowMs} ms`);
  }
  report('host swapping while balloons could reclaim', failures);
}

/** From `fromPeriod` on: the VM is given at least its working set (less ALLOCATION_TOLERANCE_MIB for sampling noise). */
export function expectWorkingSetKept(samples: readonly MemorySample[], id: string, fromPeriod: number, why: string): void {
  const failures = samples.slice(fromPeriod).filter((s) => s.vms[id]!.allocatedMiB < s.vms[id]!.workingSetMiB - ALLOCATION_TOLERANCE_MIB)
    .map((s) => `${id} allocated ${mib(s.vms[id]!.allocatedMiB)} MiB at ${s.nowMs} ms, working set ${mib(s.vms[id]!.workingSetMiB)}`);
  report(`working set not kept (${why})`, failures);
}
