// Hidden tests of lab 3: the three Popek–Goldberg properties of the learner's VMM, judged from
// the simulator's own state (the VM's CPU, memory, devices, host frames and accounting), never
// from anything the VMM reports.
import { assemble, CALIBRATION_KERNEL, referenceKernel, SeededRandom, type KernelOptions } from '@virtlab/sim';
import { describe, expect, test } from '@virtlab/test';
import { createVmm } from '../starter/vmm.ts';
import { compareAlone, compareTogether, expectEquivalent, expectPercent, KERNEL_GUEST_BYTES, SMALL_GUEST_BYTES } from './compare.ts';
import { CONTROL_REGISTERS, DEGENERATE, DEVICES, ESCAPE_ATTEMPTS, EXCEPTIONS, FAULTING_EMULATION, INTERRUPTS, memoryEdges, PAGING, randomGuest } from './hidden-guests.ts';

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
    expectEquivalent(differingGuests({ 'control registers': { source: CONTROL_REGISTERS, memoryBytes: SMALL_GUEST_BYTES } }));
  });

  test('every trap reaches the guest kernel with the cause, value, saved pc and saved status of bare hardware', { points: 2, timeoutMs: 5000 }, () => {
    expectEquivalent(
      differingGuests({
        'traps from supervisor and user mode': { source: EXCEPTIONS, memoryBytes: SMALL_GUEST_BYTES },
        'emulated instructions that fault': { source: FAULTING_EMULATION, memoryBytes: SMALL_GUEST_BYTES },
      }),
    );
  });

  test('interrupts arrive exactly where bare hardware takes them', { points: 2, timeoutMs: 5000 }, () => {
    expectEquivalent(differingGuests({ interrupts: { source: INTERRUPTS, memoryBytes: SMALL_GUEST_BYTES } }));
  });

  test('page tables: PTBR switches, TLB maintenance, paged stacks and user-mode page faults', { points: 2, timeoutMs: 5000 }, () => {
    expectEquivalent(differingGuests({ paging: { source: PAGING, memoryBytes: SMALL_GUEST_BYTES } }));
  });

  test('devices: time, disk DMA and power-off', { points: 1, timeoutMs: 5000 }, () => {
    const result = compareAlone(DEVICES, SMALL_GUEST_BYTES, createVmm());
    expectEquivalent(result.differences);
    expect(result.vm.state).toBe('powered-off');
    expect(result.vm.exitCode).toBe(42);
  });

  test('guests that do next to nothing: halt at once, keep interrupts off, power off at once', { points: 1, timeoutMs: 5000 }, () => {
    const guests = Object.fromEntries(Object.entries(DEGENERATE).map(([name, source]) => [name, { source, memoryBytes: SMALL_GUEST_BYTES }]));
    expectEquivalent(differingGuests(guests));
  });
});

describe('equivalence: guest kernels', () => {
  test('the reference kernel using sensitive instructions (rdmode, pushf/popf around its console output)', { points: 1, timeoutMs: 8000 }, () => {
    const source = referenceKernel({ sensitive: true, timerPeriod: 333, yieldEvery: 3 });
    const result = compareAlone(source, KERNEL_GUEST_BYTES, createVmm());
    expect(result.machine.console.output).not.toContain('warning');
    expectEquivalent(result.differences);
  });

  test('seeded random configurations of the reference kernel', { points: 1, timeoutMs: 10000 }, () => {
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
    expectEquivalent(found);
  });

  test('seeded random kernels: masking, traps, devices, user mode and paging in random order', { points: 2, timeoutMs: 10000 }, () => {
    const found: Record<string, string[]> = {};
    for (const seed of [7, 19, 23, 42, 58, 77, 101, 144, 233, 377]) {
      const result = compareAlone(randomGuest(seed), SMALL_GUEST_BYTES, createVmm());
      if (result.differences.length > 0) found[`seed ${seed}`] = result.differences;
    }
    expectEquivalent(found);
  });
});

describe('resource control', () => {
  test('a guest that reaches past its memory gets the bus errors of bare hardware, its last word works, and it touches only its own frames', { points: 2, timeoutMs: 8000 }, () => {
    const together = compareTogether(
      [
        { program: assemble(ESCAPE_ATTEMPTS), memoryBytes: SMALL_GUEST_BYTES },
        { program: assemble(referenceKernel({ timerPeriod: 450 })), memoryBytes: KERNEL_GUEST_BYTES },
      ],
      createVmm(),
      { slice: 400, seed: 29 },
    );
    // The edge of memory, at two sizes (a VMM must take the size from the VM, not assume one).
    const edges = differingGuests({
      'memory edges, 64 KiB': { source: memoryEdges(SMALL_GUEST_BYTES), memoryBytes: SMALL_GUEST_BYTES },
      'memory edges, 36 KiB': { source: memoryEdges(36 * 1024), memoryBytes: 36 * 1024 },
    });
    expectEquivalent({ ...together.report, ...edges }, together.violations);
  });

  test('three VMs on one VMM stay apart, each equivalent to its own bare machine', { points: 1, timeoutMs: 10000 }, () => {
    const guests = [
      { program: assemble(referenceKernel({ timerPeriod: 300, sensitive: true, iterations: 8 })), memoryBytes: KERNEL_GUEST_BYTES },
      { program: assemble(referenceKernel({ timerPeriod: 710, processes: 1, remapEvery: 2, iterations: 10, work: 90 })), memoryBytes: KERNEL_GUEST_BYTES },
      { program: assemble(INTERRUPTS), memoryBytes: SMALL_GUEST_BYTES },
    ];
    const { report, violations } = compareTogether(guests, createVmm(), { slice: 250, seed: 31 });
    expectEquivalent(report, violations);
  });

  test('VMs stay apart whatever their order, memory sizes and slice lengths', { points: 1, timeoutMs: 10000 }, () => {
    const guests = [
      { program: assemble(INTERRUPTS), memoryBytes: SMALL_GUEST_BYTES },
      { program: assemble(randomGuest(23)), memoryBytes: SMALL_GUEST_BYTES },
      { program: assemble(CONTROL_REGISTERS), memoryBytes: 128 * 1024 },
      { program: assemble(PAGING), memoryBytes: SMALL_GUEST_BYTES },
    ];
    const found: Record<string, string[]> = {};
    for (const [order, slice, seed] of [['first to last', 97, 41], ['last to first', 1000, 43], ['first to last', 13, 47]] as const) {
      const specs = order === 'first to last' ? guests : [...guests].reverse();
      const { report, violations } = compareTogether(specs, createVmm(), { slice, seed });
      for (const [name, facts] of Object.entries(report)) found[`${order}, slices of ${slice}, ${name}`] = facts;
      if (violations.length > 0) found[`${order}, slices of ${slice}, host`] = violations;
    }
    expectEquivalent(found);
  });

  test('devices belong to their VM: one guest powering off or using its disk changes nothing for the others', { points: 2, timeoutMs: 10000 }, () => {
    const guests = [
      { program: assemble(DEVICES), memoryBytes: SMALL_GUEST_BYTES },
      { program: assemble(referenceKernel({ timerPeriod: 520 })), memoryBytes: KERNEL_GUEST_BYTES },
      { program: assemble(randomGuest(5)), memoryBytes: SMALL_GUEST_BYTES },
    ];
    const { report, violations, vms, bare } = compareTogether(guests, createVmm(), { slice: 300, seed: 37 });
    vms.forEach((vm, i) => {
      const disk = [vm.devices.block.operations, bare[i]!.machine.devices.block.operations].map((operations) => JSON.stringify(operations));
      if (disk[0] !== disk[1]) (report[`guest ${i}`] ??= []).push(`disk operations ${disk[0]} (bare ${disk[1]})`);
    });
    expectEquivalent(report, violations);
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
    expectEquivalent(run.differences);
    expectPercent('share of instructions run directly', run.share, '≥', 0.99);
  });

  test('the calibration workload runs with at most 50% overhead, the lab\'s bound for trap-and-emulate in the simulator\'s cost model', { points: 2, timeoutMs: 10000 }, () => {
    const run = calibrationRun();
    expectEquivalent(run.differences);
    expectPercent('overhead (VM cycles ÷ bare busy cycles − 1)', run.overhead, '≤', 0.5);
  });
});
