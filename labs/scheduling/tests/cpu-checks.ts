/**
 * Checks of Part 1, shared by the public and hidden tests. A scenario runs the learner's policy
 * on a fresh VcpuSchedulingHost, window by window, and every figure comes from the host's own
 * report (CPU received, time waiting, physical CPU left idle while work waited), never from the
 * policy.
 */
import { VcpuSchedulingHost, type VcpuDemand, type VcpuSpec } from '@virtlab/sim';
import { attach, expect } from '@virtlab/test';
import { createFairScheduler } from '../starter/scheduling.ts';

/** Allowed distance of a vCPU's CPU share in a window from its entitlement, percent of one physical CPU. */
export const SHARE_TOLERANCE_POINTS = 3;
export const QUANTUM_MS = 10;
export const WINDOW_MS = 1000;

export interface CpuVcpu extends VcpuSpec {
  /** Reservation, percent of one physical CPU. */
  readonly reservationPercent?: number;
  /** When it is added to the host (default 0). */
  readonly arrivesAtMs?: number;
  /** When it is removed from the host (default: never). Its id may arrive again, as another entry. */
  readonly leavesAtMs?: number;
}

export interface CpuScenario {
  readonly title: string;
  readonly pcpus: number;
  readonly vcpus: readonly CpuVcpu[];
  readonly windows: number;
  /** Windows before the first one graded for shares (default 1). */
  readonly warmupWindows?: number;
  readonly seed?: number;
}

export interface WindowUsage {
  readonly startMs: number;
  /** vCPU id → CPU received in the window, ms (absent: not on the host yet). */
  readonly ranMs: Readonly<Record<string, number>>;
  readonly waitingMs: Readonly<Record<string, number>>;
  readonly idleWhileRunnableMs: number;
  readonly busyMs: number;
}

/** What a vCPU wants, percent of one physical CPU. */
export function demandPercent(demand: VcpuDemand | undefined): number {
  if (demand === undefined || demand.kind === 'busy') return 100;
  if (demand.kind === 'periodic') return Math.min(100, (100 * demand.workMs) / demand.periodMs);
  return 100 * demand.probability;
}

/**
 * Each vCPU's entitlement, percent of one physical CPU: clamp(λ × weight, reservation, most)
 * where most = min(cap or 100, demand), with λ such that the entitlements fill the host's
 * physical CPUs, or everyone gets its most if that is less. Idle share thus goes to those who
 * want more.
 */
export function entitlements(pcpus: number, vcpus: readonly CpuVcpu[]): Record<string, number> {
  const most = vcpus.map((v) => Math.min(v.capPercent ? v.capPercent : 100, demandPercent(v.demand)));
  const least = vcpus.map((v, i) => Math.min(v.reservationPercent ?? 0, most[i]!));
  const at = (lambda: number) => vcpus.map((v, i) => Math.min(most[i]!, Math.max(least[i]!, lambda * (v.weight ?? 256))));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const capacity = Math.min(100 * pcpus, sum(most));
  let lo = 0;
  let hi = 1;
  while (sum(at(hi)) < capacity - 1e-9 && hi < 1e12) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (sum(at(mid)) < capacity) lo = mid;
    else hi = mid;
  }
  return Object.fromEntries(vcpus.map((v, i) => [v.id, at(hi)[i]!]));
}

/** On the host during the window that starts at `startMs` (vCPUs arrive and leave only at window starts). */
const isPresent = (v: CpuVcpu, startMs: number) => (v.arrivesAtMs ?? 0) <= startMs && startMs < (v.leavesAtMs ?? Infinity);

/** Runs the scenario under the learner's policy; returns each window's measurements. */
export function runCpu(scenario: CpuScenario): WindowUsage[] {
  const host = new VcpuSchedulingHost({ pcpus: scenario.pcpus, seed: scenario.seed ?? 7, quantumMs: QUANTUM_MS });
  const reservations: Record<string, number> = {};
  for (const v of scenario.vcpus) if (v.reservationPercent !== undefined) reservations[v.id] = v.reservationPercent;
  host.setScheduler(createFairScheduler({ reservations }));
  const onHost = new Set<CpuVcpu>();
  const windows: WindowUsage[] = [];
  for (let w = 0; w < scenario.windows; w++) {
    const startMs = w * WINDOW_MS;
    // Leavers first, so that an id can leave and arrive again at the same time.
    for (const v of [...onHost].filter((p) => !isPresent(p, startMs))) {
      host.removeVcpu(v.id);
      onHost.delete(v);
    }
    for (const v of scenario.vcpus.filter((p) => !onHost.has(p) && isPresent(p, startMs))) {
      const { reservationPercent: _r, arrivesAtMs: _a, leavesAtMs: _l, ...spec } = v;
      host.addVcpu(spec);
      onHost.add(v);
    }
    const before = host.report();
    host.run(WINDOW_MS);
    const after = host.report();
    const old = new Map(before.vcpus.map((u) => [u.id, u]));
    windows.push({
      startMs,
      ranMs: Object.fromEntries(after.vcpus.map((u) => [u.id, u.ranMs - (old.get(u.id)?.ranMs ?? 0)])),
      waitingMs: Object.fromEntries(after.vcpus.map((u) => [u.id, u.waitingMs - (old.get(u.id)?.waitingMs ?? 0)])),
      idleWhileRunnableMs: after.idleWhileRunnableMs - before.idleWhileRunnableMs,
      busyMs: after.busyMs - before.busyMs,
    });
  }
  return windows;
}

const present = (scenario: CpuScenario, window: WindowUsage) => scenario.vcpus.filter((v) => isPresent(v, window.startMs));
const percent = (ms: number) => (100 * ms) / WINDOW_MS;
const round = (x: number) => Math.round(x * 10) / 10;

/** Hands the workbench each vCPU's share per window against its entitlement. */
export function attachCpu(scenario: CpuScenario, windows: readonly WindowUsage[]): void {
  attach('scheduling', {
    kind: 'cpu', title: scenario.title, windowMs: WINDOW_MS, pcpus: scenario.pcpus,
    vcpus: scenario.vcpus.map((v) => ({
      id: v.id, weight: v.weight ?? 256, capPercent: v.capPercent ?? 0, reservationPercent: v.reservationPercent ?? 0,
      windows: windows.map((w) => ({
        percent: w.ranMs[v.id] === undefined ? null : round(percent(w.ranMs[v.id]!)),
        entitledPercent: w.ranMs[v.id] === undefined ? null : round(entitlements(scenario.pcpus, present(scenario, w))[v.id]!),
      })),
    })),
  });
}

function report(problem: string, failures: readonly string[]): void {
  const shown = failures.slice(0, 4).join('; ') + (failures.length > 4 ? `; and ${failures.length - 4} more` : '');
  expect(failures.length, `${problem}: ${shown}`).toBe(0);
}

/** Every graded window: each vCPU's CPU within SHARE_TOLERANCE_POINTS of its entitlement. */
export function expectShares(scenario: CpuScenario, windows: readonly WindowUsage[]): void {
  const failures: string[] = [];
  for (const w of windows.slice(scenario.warmupWindows ?? 1)) {
    const entitled = entitlements(scenario.pcpus, present(scenario, w));
    for (const v of present(scenario, w)) {
      const got = percent(w.ranMs[v.id] ?? 0);
      if (Math.abs(got - entitled[v.id]!) > SHARE_TOLERANCE_POINTS) {
        failures.push(`${v.id} got ${round(got)}% in ${w.startMs}..${w.startMs + WINDOW_MS} ms, entitled ${round(entitled[v.id]!)}% (weight ${v.weight ?? 256}${v.capPercent ? `, cap ${v.capPercent}%` : ''}${v.reservationPercent ? `, reservation ${v.reservationPercent}%` : ''})`);
      }
    }
  }
  report(`vCPU shares more than ${SHARE_TOLERANCE_POINTS} points of one pCPU from their entitlement`, failures);
}

/** Every window, from the first: no capped vCPU above its cap (one quantum of slack per window). */
export function expectCapsHeld(scenario: CpuScenario, windows: readonly WindowUsage[]): void {
  const failures: string[] = [];
  for (const w of windows) {
    for (const v of present(scenario, w).filter((p) => (p.capPercent ?? 0) > 0)) {
      const got = w.ranMs[v.id] ?? 0;
      const limit = (v.capPercent! / 100) * WINDOW_MS + QUANTUM_MS;
      if (got > limit + 1e-9) failures.push(`${v.id} ran ${got} ms in ${w.startMs}..${w.startMs + WINDOW_MS} ms, cap ${v.capPercent}% allows ${limit} ms (one quantum of slack)`);
    }
  }
  report('caps exceeded', failures);
}

/** Every window, from the first: each reserved busy vCPU gets its reservation (one quantum of slack). */
export function expectReservationsMet(scenario: CpuScenario, windows: readonly WindowUsage[]): void {
  const failures: string[] = [];
  for (const w of windows) {
    for (const v of present(scenario, w).filter((p) => (p.reservationPercent ?? 0) > 0)) {
      const got = w.ranMs[v.id] ?? 0;
      const wanted = Math.min(v.reservationPercent!, demandPercent(v.demand));
      const least = (wanted / 100) * WINDOW_MS - QUANTUM_MS;
      if (got < least - 1e-9) failures.push(`${v.id} ran ${got} ms in ${w.startMs}..${w.startMs + WINDOW_MS} ms, reservation ${v.reservationPercent}% needs ${least} ms (one quantum of slack)`);
    }
  }
  report('reservations not met', failures);
}

/** No physical CPU idle while a vCPU had work, in any window (for scenarios without caps). */
export function expectWorkConserving(windows: readonly WindowUsage[]): void {
  const failures = windows.filter((w) => w.idleWhileRunnableMs > 0)
    .map((w) => `${w.idleWhileRunnableMs} ms of physical CPU idle in ${w.startMs}..${w.startMs + WINDOW_MS} ms while vCPUs had work (${w.busyMs} ms used)`);
  report('not work-conserving', failures);
}

/** Each window: the vCPU's time waiting with work at most `maxMs` (its wake-up latency summed over the window). */
export function expectWaitAtMost(windows: readonly WindowUsage[], id: string, maxMs: number, why: string): void {
  const failures = windows.filter((w) => (w.waitingMs[id] ?? 0) > maxMs)
    .map((w) => `${id} waited ${w.waitingMs[id]} ms with work in ${w.startMs}..${w.startMs + WINDOW_MS} ms, at most ${maxMs} allowed (${why})`);
  report('wake-up latency too long', failures);
}
