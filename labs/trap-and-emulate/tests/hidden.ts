// Hidden tests of lab 3: the three Popek–Goldberg properties of the learner's VMM, judged from
// the simulator's own state (the VM's CPU, memory, devices, host frames and accounting), never
// from anything the VMM reports.
import { assemble, CALIBRATION_KERNEL, referenceKernel, SeededRandom, type KernelOptions } from '@virtlab/sim';
import { describe, expect, test } from '@virtlab/test';
import { createVmm } from '../starter/vmm.ts';
import { compareAlone, differences, isolationViolations, KERNEL_GUEST_BYTES, runBare, runVirtual, SMALL_GUEST_BYTES } from './compare.ts';
import { CONTROL_REGISTERS, DEVICES, ESCAPE_ATTEMPTS, EXCEPTIONS, FAULTING_EMULATION, INTERRUPTS, PAGING, randomGuest } from './hidden-guests.ts';

/** Runs each named guest alone and returns the differences of those that differ. */
function differingGuests(guests: Record<string, { source: string; memoryBytes: number; instructions?: boolean }>): Record<string, string[]> {
  const found: Record<string, string[]> = {};
  for (const [name, guest] of Object.entries(guests)) {
    const result = compareAlone(guest.source, guest.memoryBytes, createVmm(), { instructions: guest.instructions });
    if (result.differences.length > 0) found[name] = result.differences;
  }
  return found;
}

describe('equivalence: hand-picked guests', () => {
  test('control registers, rdmode, rdptb, pushf and popf', { points: 2, timeoutMs: 5000 }, () => {
    expect(differingGuests({ 'control registers': { source: CONTROL_REGISTERS, memoryBytes: SMALL_GUEST_BYTES } })).toEqual({});
  });

  test('every trap reaches the guest kernel with the cause, value, saved pc and saved status of bare hardware', { points: 2, timeoutMs: 5000 }, () => {
    expect(
      differingGuests({
        'traps from supervisor and user mode': { source: EXCEPTIONS, memoryBytes: SMALL_GUEST_BYTES },
        'emulated instructions that fault': { source: FAULTING_EMULATION, memoryBytes: SMALL_GUEST_BYTES },
      }),
    ).toEqual({});
  });

  test('interrupts arrive exactly where bare hardware takes them', { points: 2, timeoutMs: 5000 }, () => {
    expect(differingGuests({ interrupts: { source: INTERRUPTS, memoryBytes: SMALL_GUEST_BYTES } })).toEqual({});
  });

  test('page tables: PTBR switches, TLB maintenance and user-mode page faults', { points: 2, timeoutMs: 5000 }, () => {
    expect(differingGuests({ paging: { source: PAGING, memoryBytes: SMALL_GUEST_BYTES } })).toEqual({});
  });

  test('devices: time, disk DMA and power-off', { points: 1, timeoutMs: 5000 }, () => {
    const result = compareAlone(DEVICES, SMALL_GUEST_BYTES, createVmm());
    expect(result.differences).toEqual([]);
    expect(result.vm.state).toBe('powered-off');
    expect(result.vm.exitCode).toBe(42);
  });
});

describe('equivalence: guest kernels', () => {
  test('the reference kernel using sensitive instructions (rdmode, pushf/popf around its console output)', { points: 1, timeoutMs: 8000 }, () => {
    const source = referenceKernel({ sensitive: true, timerPeriod: 333, yieldEvery: 3 });
    const result = compareAlone(source, KERNEL_GUEST_BYTES, createVmm());
    expect(result.machine.console.output).not.toContain('warning');
    expect(result.differences).toEqual([]);
  });

  test('seeded random configurations of the reference kernel', { points: 2, timeoutMs: 10000 }, () => {
    const rng = new SeededRandom(3141);
    const found: Record<string, string[]> = {};
    for (let i = 0; i < 8; i++) {
      const options: KernelOptions = {
        iterations: rng.int(1, 16),
        work: rng.int(1, 300),
        timerPeriod: rng.int(60, 3000),
        processes: rng.pick([1, 2] as const),
        faults: rng.chance(0.6),
        sensitive: rng.chance(0.5),
        remapEvery: rng.int(0, 4),
        yieldEvery: rng.int(0, 3),
        idleTicks: rng.int(0, 3),
      };
      const result = compareAlone(referenceKernel(options), KERNEL_GUEST_BYTES, createVmm());
      if (result.differences.length > 0) found[JSON.stringify(options)] = result.differences;
    }
    expect(found).toEqual({});
  });

  test('seeded random kernels: masking, traps, devices, user mode and paging in random order', { points: 2, timeoutMs: 10000 }, () => {
    const found: Record<string, string[]> = {};
    for (const seed of [7, 19, 23, 42, 58, 77, 101, 144, 233, 377]) {
      const result = compareAlone(randomGuest(seed), SMALL_GUEST_BYTES, createVmm());
      if (result.differences.length > 0) found[`seed ${seed}`] = result.differences;
    }
    expect(found).toEqual({});
  });
});

describe('resource control', () => {
  test('a guest that reaches past its memory gets the bus errors of bare hardware and touches only its own frames', { points: 2, timeoutMs: 8000 }, () => {
    const escape = assemble(ESCAPE_ATTEMPTS);
    const kernel = assemble(referenceKernel({ timerPeriod: 450 }));
    const { hv, vms } = runVirtual(
      [
        { program: escape, memoryBytes: SMALL_GUEST_BYTES },
        { program: kernel, memoryBytes: KERNEL_GUEST_BYTES },
      ],
      createVmm(),
      { slice: 400, seed: 29 },
    );
    const bareEscape = runBare(escape, SMALL_GUEST_BYTES);
    const bareKernel = runBare(kernel, KERNEL_GUEST_BYTES);
    expect({
      escape: differences(bareEscape.machine, bareEscape.outcome, vms[0]!),
      neighbour: differences(bareKernel.machine, bareKernel.outcome, vms[1]!),
      host: isolationViolations(hv, vms),
    }).toEqual({ escape: [], neighbour: [], host: [] });
  });

  test('three VMs on one VMM stay apart, each equivalent to its own bare machine', { points: 2, timeoutMs: 10000 }, () => {
    const guests = [
      { program: assemble(referenceKernel({ timerPeriod: 300, sensitive: true, iterations: 8 })), memoryBytes: KERNEL_GUEST_BYTES },
      { program: assemble(referenceKernel({ timerPeriod: 710, processes: 1, remapEvery: 2, iterations: 10, work: 90 })), memoryBytes: KERNEL_GUEST_BYTES },
      { program: assemble(INTERRUPTS), memoryBytes: SMALL_GUEST_BYTES },
    ];
    const { hv, vms } = runVirtual(guests, createVmm(), { slice: 250, seed: 31 });
    const found: Record<string, string[]> = {};
    guests.forEach((guest, i) => {
      const bare = runBare(guest.program, guest.memoryBytes);
      const diff = differences(bare.machine, bare.outcome, vms[i]!);
      if (diff.length > 0) found[`guest ${i}`] = diff;
    });
    const host = isolationViolations(hv, vms);
    if (host.length > 0) found.host = host;
    expect(found).toEqual({});
  });

  test('devices belong to their VM: one guest powering off or using its disk changes nothing for the others', { points: 2, timeoutMs: 10000 }, () => {
    const guests = [
      { program: assemble(DEVICES), memoryBytes: SMALL_GUEST_BYTES },
      { program: assemble(referenceKernel({ timerPeriod: 520 })), memoryBytes: KERNEL_GUEST_BYTES },
      { program: assemble(randomGuest(5)), memoryBytes: SMALL_GUEST_BYTES },
    ];
    const { hv, vms } = runVirtual(guests, createVmm(), { slice: 300, seed: 37 });
    const found: Record<string, string[]> = {};
    guests.forEach((guest, i) => {
      const bare = runBare(guest.program, guest.memoryBytes);
      const diff = differences(bare.machine, bare.outcome, vms[i]!);
      const disk = [vms[i]!.devices.block.operations, bare.machine.devices.block.operations];
      if (JSON.stringify(disk[0]) !== JSON.stringify(disk[1])) diff.push(`disk operations: VM ${JSON.stringify(disk[0])}, bare ${JSON.stringify(disk[1])}`);
      if (diff.length > 0) found[`guest ${i}`] = diff;
    });
    const host = isolationViolations(hv, vms);
    if (host.length > 0) found.host = host;
    expect(found).toEqual({});
    expect(vms[0]!.state).toBe('powered-off');
    expect(vms[1]!.console.output).toContain('idle done');
  });
});

describe('efficiency', () => {
  /** The calibration workload bare and virtualized (an OS-intensive kernel of 2.4 M instructions). */
  function calibrationRun(): { share: number; overhead: number; differences: string[] } {
    const result = compareAlone(referenceKernel(CALIBRATION_KERNEL), KERNEL_GUEST_BYTES, createVmm());
    const nativeBusy = result.machine.stats.cycles - result.machine.stats.idleCycles;
    return { share: result.vm.stats.directShare, overhead: result.vm.stats.cycles.total / nativeBusy - 1, differences: result.differences };
  }

  test('at least 99% of the calibration workload\'s instructions run directly on the CPU', { points: 2, timeoutMs: 10000 }, () => {
    const run = calibrationRun();
    expect(run.differences).toEqual([]);
    expect(run.share).toBeGreaterThanOrEqual(0.99);
  });

  test('the calibration workload runs within the lecture\'s 30–50% trap-and-emulate overhead', { points: 2, timeoutMs: 10000 }, () => {
    const run = calibrationRun();
    expect(run.differences).toEqual([]);
    expect(run.overhead).toBeLessThanOrEqual(0.5);
  });
});
