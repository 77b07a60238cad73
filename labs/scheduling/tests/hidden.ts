/**
 * Hidden tests of the Scheduling lab: the same properties as the public tests on cases the
 * learner has not seen (other weights, ids and orders, more physical CPUs, caps and reservations
 * that bind or do not, reservations that fill every physical CPU, vCPUs arriving and leaving, demand
 * that changes, noisy estimates, different shares, memory that fits exactly or with room).
 */
import { describe, test } from '@virtlab/test';
import {
  expectCapsHeld, expectReservationsMet, expectShares, expectWaitAtMost, expectWorkConserving, runCpu, type CpuScenario,
} from './cpu-checks.ts';
import {
  CONVERGE_PERIODS, expectConverged, expectNoFlapping, expectNoHostSwapping, expectReservationsKept, expectWorkingSetKept, runMemory, type MemoryScenario,
} from './memory-checks.ts';

describe('Part 1: vCPU scheduler (hidden)', () => {
  test('divides 3 physical CPUs among 7 busy vCPUs of uneven weights, starving none', { points: 2, timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: 'uneven weights', pcpus: 3, windows: 4, seed: 3,
      vcpus: [
        { id: 'zeta', vm: 'z', weight: 1000 }, { id: 'alpha', vm: 'a', weight: 100 }, { id: 'mu', vm: 'm' },
        { id: 'beta', vm: 'b', weight: 50 }, { id: 'omega', vm: 'o', weight: 512 }, { id: 'kappa', vm: 'k' }, { id: 'delta', vm: 'd' },
      ],
    };
    const windows = runCpu(scenario);
    expectShares(scenario, windows);
    expectWorkConserving(windows);
  });

  test('caps that bind and caps that do not, with spare physical CPU left to the uncapped', { timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: 'caps', pcpus: 2, windows: 4,
      vcpus: [
        { id: 'c30', vm: 'x', weight: 2048, capPercent: 30 }, { id: 'c50', vm: 'y', capPercent: 50 },
        { id: 'free', vm: 'z', weight: 64 }, { id: 'loose', vm: 'w', weight: 64, capPercent: 100 },
      ],
    };
    const windows = runCpu(scenario);
    expectCapsHeld(scenario, windows);
    expectShares(scenario, windows);
  });

  test('meets reservations of low-weight vCPUs against heavy ones, and a reservation above demand gives only the demand', { timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: 'reservations', pcpus: 1, windows: 4,
      vcpus: [
        { id: 'heavy', vm: 'h', weight: 1024 }, { id: 'light', vm: 'l', weight: 64, reservationPercent: 45 },
        { id: 'tick', vm: 't', reservationPercent: 30, demand: { kind: 'periodic', periodMs: 100, workMs: 10 } },
      ],
    };
    const windows = runCpu(scenario);
    expectReservationsMet(scenario, windows);
    expectShares(scenario, windows);
  });

  test('gives an idle heavy VM\'s share to the busy ones in proportion to their weights', { timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: 'idle redistribution', pcpus: 1, windows: 4,
      vcpus: [
        { id: 'quiet', vm: 'q', weight: 1024, demand: { kind: 'periodic', periodMs: 200, workMs: 20 } },
        { id: 'small', vm: 's' }, { id: 'large', vm: 'l', weight: 512 },
      ],
    };
    const windows = runCpu(scenario);
    expectShares(scenario, windows);
    expectWorkConserving(windows);
  });

  test('a vCPU that arrives late gets its share from its first window, without taking the time before it arrived', { points: 2, timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: 'arrival', pcpus: 2, windows: 5,
      vcpus: [{ id: 'early-1', vm: 'e1' }, { id: 'early-2', vm: 'e2' }, { id: 'early-3', vm: 'e3' }, { id: 'late', vm: 'n', weight: 512, arrivesAtMs: 3000 }],
    };
    const windows = runCpu(scenario);
    expectShares(scenario, windows);
    expectWorkConserving(windows);
  });

  test('an interactive vCPU that wants more than its share wakes soon but gets only its share', { timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: 'greedy interactive', pcpus: 1, windows: 4,
      vcpus: [
        { id: 'b-1', vm: 'b1' }, { id: 'b-2', vm: 'b2' }, { id: 'b-3', vm: 'b3' },
        { id: 'chatty', vm: 'c', demand: { kind: 'periodic', periodMs: 100, workMs: 60 } },
        { id: 'ping', vm: 'p', weight: 512, demand: { kind: 'periodic', periodMs: 50, workMs: 10 } },
      ],
    };
    const windows = runCpu(scenario);
    expectShares(scenario, windows);
    expectWaitAtMost(windows, 'ping', 200, 'ping wakes 20 times a window with one quantum of work: at most one quantum of wait per wake-up');
  });

  test('wakes an interactive vCPU soon next to busy vCPUs of very different weights', { timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: 'wake-up among uneven weights', pcpus: 1, windows: 4,
      vcpus: [
        { id: 'hog', vm: 'h', weight: 4096 }, { id: 'trickle', vm: 't', weight: 16 },
        { id: 'tap', vm: 'p', weight: 1024, demand: { kind: 'periodic', periodMs: 100, workMs: 10 } },
      ],
    };
    const windows = runCpu(scenario);
    expectShares(scenario, windows);
    expectWaitAtMost(windows, 'tap', 100, 'tap wakes 10 times a window with one quantum of work: at most one quantum of wait per wake-up');
  });

  test('meets reservations that add up to every physical CPU exactly', { timeoutMs: 8000 }, () => {
    // 25.8 + 24.7 + 24.8 + 24.7 + 100 is exactly 200 in floating point too; the unreserved vCPU is entitled to nothing.
    const scenario: CpuScenario = {
      title: 'reservations at the limit', pcpus: 2, windows: 4,
      vcpus: [
        { id: 'r3', vm: 'c', weight: 2048, reservationPercent: 25.8 }, { id: 'r1', vm: 'a', weight: 32, reservationPercent: 24.7 },
        { id: 'r2', vm: 'b', reservationPercent: 24.8 }, { id: 'r4', vm: 'd', weight: 512, reservationPercent: 24.7 },
        { id: 'whole', vm: 'w', weight: 16, reservationPercent: 100 },
        { id: 'none', vm: 'n', weight: 4096 },
      ],
    };
    const windows = runCpu(scenario);
    expectReservationsMet(scenario, windows);
    expectShares(scenario, windows);
    expectWorkConserving(windows);
  });

  test('keeps every vCPU within its new entitlement while VMs arrive and leave, a returning name starting afresh', { points: 2, timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: 'arrivals and departures', pcpus: 2, windows: 7,
      vcpus: [
        { id: 'web-1', vm: 'w1' },
        { id: 'web-2', vm: 'w2', leavesAtMs: 2000 },
        { id: 'batch', vm: 'b', weight: 512, leavesAtMs: 5000 },
        { id: 'cron', vm: 'c', weight: 128, arrivesAtMs: 1000 },
        { id: 'db', vm: 'd', weight: 1024, arrivesAtMs: 2000, leavesAtMs: 4000 },
        { id: 'web-2', vm: 'w2-again', weight: 512, arrivesAtMs: 4000 },
        { id: 'etl', vm: 'e', weight: 384, arrivesAtMs: 5000 },
      ],
    };
    const windows = runCpu(scenario);
    expectShares(scenario, windows);
    expectWorkConserving(windows);
  });
});

describe('Part 2: memory balancer (hidden)', () => {
  test('with equal working sets, takes more from the VMs with fewer shares', { points: 2, timeoutMs: 8000 }, () => {
    const scenario: MemoryScenario = {
      title: 'shares', physicalMiB: 6144, periods: 30, seed: 5,
      vms: [
        { id: 'gold', configuredMiB: 3072, shares: 2000, workingSet: { kind: 'constant', mib: 600 } },
        { id: 'bronze', configuredMiB: 3072, shares: 500, workingSet: { kind: 'constant', mib: 600 } },
        { id: 'silver', configuredMiB: 3072, shares: 1000, workingSet: { kind: 'constant', mib: 600 } },
      ],
    };
    const samples = runMemory(scenario);
    expectConverged(scenario, samples, CONVERGE_PERIODS);
    expectNoFlapping(scenario, samples, CONVERGE_PERIODS);
  });

  test('follows a change in demand within 10 periods, and settles', { points: 2, timeoutMs: 8000 }, () => {
    const scenario: MemoryScenario = {
      title: 'demand swaps', physicalMiB: 4096, periods: 45,
      vms: [
        { id: 'batch', configuredMiB: 2560, workingSet: { kind: 'phases', phases: [{ ms: 15_000, mib: 300 }, { ms: 1000, mib: 1900 }] } },
        { id: 'web', configuredMiB: 2560, workingSet: { kind: 'phases', phases: [{ ms: 15_000, mib: 1900 }, { ms: 1000, mib: 300 }] } },
        { id: 'db', configuredMiB: 1024, reservationMiB: 768, workingSet: { kind: 'constant', mib: 700 } },
      ],
    };
    const samples = runMemory(scenario);
    expectConverged(scenario, samples, CONVERGE_PERIODS, 15);
    expectConverged(scenario, samples, 15 + CONVERGE_PERIODS);
    expectNoFlapping(scenario, samples, 15 + CONVERGE_PERIODS);
    expectReservationsKept(scenario, samples);
  });

  test('keeps the host from swapping in steady state despite the noisy estimates of large, half-active VMs', { timeoutMs: 8000 }, () => {
    // 3 GiB of each 6 GiB VM active: sampling 100 pages puts ±5% of the allocation of noise on every estimate.
    const scenario: MemoryScenario = {
      title: 'noisy estimates', physicalMiB: 8192, periods: 40, seed: 6,
      vms: [
        { id: 'left', configuredMiB: 6144, workingSet: { kind: 'constant', mib: 3000 } },
        { id: 'right', configuredMiB: 6144, workingSet: { kind: 'constant', mib: 3000 } },
        { id: 'small', configuredMiB: 2048, shares: 500, workingSet: { kind: 'constant', mib: 1000 } },
      ],
    };
    // Reclaiming 6 GiB at 256 MiB/s per balloon takes longer than 10 periods: graded from period 15.
    expectConverged(scenario, runMemory(scenario), 15);
  });

  test('inflates no balloon when configured memory fits, exactly or with room to spare, for one VM or several', { timeoutMs: 8000 }, () => {
    for (const vms of [
      [{ id: 'roomy', configuredMiB: 3000, workingSet: { kind: 'constant', mib: 2500 } }],
      [{ id: 'only', configuredMiB: 4096, workingSet: { kind: 'constant', mib: 4096 } }],
      [{ id: 'a', configuredMiB: 2048, workingSet: { kind: 'constant', mib: 0 } }, { id: 'b', configuredMiB: 2048, workingSet: { kind: 'constant', mib: 100 } }],
    ] as const) {
      const scenario: MemoryScenario = { title: 'fits', physicalMiB: 4096, periods: 12, vms };
      expectConverged(scenario, runMemory(scenario), 1);
    }
  });

  test('when working sets do not fit, keeps reservations, stops host swapping, and spares the VM with most shares and least active memory', { timeoutMs: 8000 }, () => {
    const scenario: MemoryScenario = {
      title: 'working sets do not fit', physicalMiB: 3072, periods: 30,
      vms: [
        { id: 'r', configuredMiB: 2048, reservationMiB: 1024, workingSet: { kind: 'constant', mib: 1800 } },
        { id: 's', configuredMiB: 2048, workingSet: { kind: 'constant', mib: 1800 } },
        { id: 't', configuredMiB: 2048, shares: 3000, workingSet: { kind: 'constant', mib: 1000 } },
      ],
    };
    const samples = runMemory(scenario);
    expectReservationsKept(scenario, samples);
    expectNoHostSwapping(samples, CONVERGE_PERIODS);
    expectWorkingSetKept(samples, 't', CONVERGE_PERIODS, 't has 3 times the shares of the others and the least active memory');
  });
});
