/**
 * Public tests of the Scheduling lab (they also run in the learner's browser). Part 1 runs the
 * learner's vCPU policy on the simulator's VcpuSchedulingHost; Part 2 the learner's balancer on
 * its BalloonMemoryHost. Every figure graded is the simulator's own measurement.
 */
import { describe, test } from '@virtlab/test';
import {
  attachCpu, expectCapsHeld, expectReservationsMet, expectShares, expectWaitAtMost, expectWorkConserving, runCpu, type CpuScenario,
} from './cpu-checks.ts';
import { attachMemory, CONVERGE_PERIODS, expectConverged, expectNoFlapping, expectReservationsKept, runMemory, type MemoryScenario } from './memory-checks.ts';

function cpu(scenario: CpuScenario) {
  const windows = runCpu(scenario);
  attachCpu(scenario, windows);
  return windows;
}

describe('Part 1: vCPU scheduler', () => {
  test('divides two busy physical CPUs by weight: 512 gets twice what 256 gets', { timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: '2 pCPUs, 4 busy vCPUs, weights 512/256/256/256', pcpus: 2, windows: 4,
      vcpus: [{ id: 'db', vm: 'db', weight: 512 }, { id: 'web', vm: 'web' }, { id: 'mail', vm: 'mail' }, { id: 'build', vm: 'build' }],
    };
    expectShares(scenario, cpu(scenario));
  });

  test('never lets a capped vCPU exceed its cap, and gives the rest to the others', { timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: '1 pCPU: a capped at 20% despite weight 512', pcpus: 1, windows: 4,
      vcpus: [{ id: 'a', vm: 'a', weight: 512, capPercent: 20 }, { id: 'b', vm: 'b' }, { id: 'c', vm: 'c' }],
    };
    const windows = cpu(scenario);
    expectCapsHeld(scenario, windows);
    expectShares(scenario, windows);
  });

  test('meets a reservation on a busy host, and shares the rest by weight', { timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: '2 pCPUs, db reserved 80%', pcpus: 2, windows: 4,
      vcpus: [{ id: 'db', vm: 'db', reservationPercent: 80 }, { id: 'w1', vm: 'w1' }, { id: 'w2', vm: 'w2' }, { id: 'w3', vm: 'w3' }],
    };
    const windows = cpu(scenario);
    expectReservationsMet(scenario, windows);
    expectShares(scenario, windows);
  });

  test('gives an interactive VM its CPU soon, and its unused share to the busy ones (work-conserving)', { timeoutMs: 8000 }, () => {
    const scenario: CpuScenario = {
      title: '2 pCPUs, ui needs 10 ms every 100 ms', pcpus: 2, windows: 4,
      vcpus: [
        { id: 'ui', vm: 'ui', demand: { kind: 'periodic', periodMs: 100, workMs: 10 } },
        { id: 'b1', vm: 'b1' }, { id: 'b2', vm: 'b2' }, { id: 'b3', vm: 'b3' },
      ],
    };
    const windows = cpu(scenario);
    expectWorkConserving(windows);
    expectShares(scenario, windows);
    expectWaitAtMost(windows, 'ui', 100, 'ui wakes 10 times a window with one quantum of work: at most one quantum of wait per wake-up');
  });
});

function memory(scenario: MemoryScenario) {
  const samples = runMemory(scenario);
  attachMemory(scenario, samples);
  return samples;
}

describe('Part 2: memory balancer', () => {
  const overcommitted: MemoryScenario = {
    title: '4096 MiB host, 3 × 2048 MiB VMs, one busy', physicalMiB: 4096, periods: 30,
    vms: [
      { id: 'busy', configuredMiB: 2048, workingSet: { kind: 'constant', mib: 1800 } },
      { id: 'idle-1', configuredMiB: 2048, workingSet: { kind: 'constant', mib: 400 } },
      { id: 'idle-2', configuredMiB: 2048, workingSet: { kind: 'constant', mib: 400 } },
    ],
  };

  test('takes memory from idle VMs first, by the idle memory tax, and the host stops swapping', { points: 2, timeoutMs: 8000 }, () => {
    expectConverged(overcommitted, memory(overcommitted), CONVERGE_PERIODS);
  });

  test('never takes a VM below its reservation, and its balloons settle', { timeoutMs: 8000 }, () => {
    const scenario: MemoryScenario = {
      title: '4096 MiB host, an idle VM with a 1536 MiB reservation', physicalMiB: 4096, periods: 30,
      vms: [
        { id: 'app', configuredMiB: 3072, workingSet: { kind: 'constant', mib: 2000 } },
        { id: 'reserved', configuredMiB: 2048, reservationMiB: 1536, workingSet: { kind: 'constant', mib: 200 } },
        { id: 'spare', configuredMiB: 2048, workingSet: { kind: 'constant', mib: 300 } },
      ],
    };
    const samples = memory(scenario);
    expectReservationsKept(scenario, samples);
    expectConverged(scenario, samples, CONVERGE_PERIODS);
    expectNoFlapping(scenario, samples, CONVERGE_PERIODS);
  });
});
