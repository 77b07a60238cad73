// Hidden tests of lab 4: the same properties on guests the public tests do not show: paging and
// faulting stacks, stacks at the end of memory, code the kernel rewrites, interrupts that arrive
// inside pushf/cli/popf windows, seeded random kernels and two VMs at once; paravirtual kernels
// with other options and hypercalls at every limit; measurements of other workloads, and the
// lecture's bands exactly at each limit and one step past it.
import { assemble, CALIBRATION_KERNEL, referenceKernel, type KernelOptions } from '@virtlab/sim';
import { describe, expect, test } from '@virtlab/test';
import { handleExit, scanPage } from '../starter/translate.ts';
import { handleExit as paravirtualExit, paravirtualize } from '../starter/paravirt.ts';
import { assemblePatched, changedLines, CHANGED_LINES_LIMIT, expectNone, kernelLeftovers, pvDifferences, runParavirtual, wordFacts } from './pv-check.ts';
import { BATCHES, BATCHES_EXPECTED, IRET_BEFORE_SETUP, iretBeforeSetupExpected, PENDING_AT_IRET, pendingAtIretExpected, FRAME_ELSEWHERE, FRAME_ELSEWHERE_EXPECTED, UNKNOWN_HYPERCALL, unknownHypercallExpected, UPDATE_LIMITS, UPDATE_LIMITS_EXPECTED } from './hidden-pv-guests.ts';
import { compare, differences, expectSame, runBare, runVirtual, type Monitor } from './check.ts';
import { bandOf, measure } from '../starter/measure.ts';
import type { Band } from '../starter/overhead.ts';
import { measureWorkload, reportDifferences } from './measure-check.ts';
import { BARE_STACK, PAGED_STACK, PENDING_AT_POPF, TICKS_AMONG_SILENT, randomKernel, REWRITES_ITSELF } from './hidden-guests.ts';

/** Your monitor, looked up when a test runs (not while tests are collected). */
const translator = (): Monitor => ({ handleExit, scanner: scanPage });

describe('callouts that fault', () => {
  test('pushf and popf with paging: read-only, unmapped and misaligned stacks; rdptb and rdmode', { points: 3, timeoutMs: 10000 }, () => {
    expectSame('paged stack', compare(PAGED_STACK, translator()).differences);
  });
  test('pushf and popf at the end of memory and past it, paging off', { points: 2, timeoutMs: 10000 }, () => {
    expectSame('stack at the end of memory', compare(BARE_STACK, translator()).differences);
  });
});

describe('translated code the guest rewrites', () => {
  test('a slot rewritten to popf is intercepted; a pushf rewritten to addi is not', { points: 3, timeoutMs: 10000 }, () => {
    expectSame('self-modifying kernel', compare(REWRITES_ITSELF, translator()).differences);
  });
});

describe('interrupts around pushf, cli and popf', () => {
  test('a timer tick pending while interrupts are off arrives right at the popf that enables them', { points: 2, timeoutMs: 10000 }, () => {
    expectSame('pending interrupt at popf', compare(PENDING_AT_POPF, translator()).differences);
  });
  test('timer interrupts that arrive just before a silent sensitive instruction are delivered, not emulated over', { points: 1, timeoutMs: 10000 }, () => {
    expectSame('ticks among silent instructions', compare(TICKS_AMONG_SILENT, translator()).differences);
  });
  for (const [period, processes] of [[71, 1], [101, 2], [263, 2]] as const) {
    test(`reference kernel, sensitive flavour, timer every ${period} ticks, ${processes} process(es)`, { points: 1, timeoutMs: 20000 }, () => {
      const run = compare(referenceKernel({ sensitive: true, timerPeriod: period, processes, iterations: 4, work: 15, remapEvery: 3, yieldEvery: 2 }), translator(), period);
      expectSame(`timer period ${period}`, run.differences);
    });
  }
});

describe('seeded random kernels', () => {
  test('eight random kernels of silent sensitive and ordinary instructions', { points: 3, timeoutMs: 20000 }, () => {
    const report: string[] = [];
    for (const seed of [3, 8, 21, 34, 55, 89, 144, 233]) {
      const found = compare(randomKernel(seed), translator(), seed).differences;
      if (found.length > 0) report.push(`seed ${seed}: ${found.slice(0, 3).join('; ')}`);
    }
    expect(report.length === 0, `${report.length} of 8 random kernels differ from bare hardware: ${report.slice(0, 3).join(' | ')}`).toBe(true);
  });
});

describe('two VMs at once', () => {
  test('each of two VMs under one monitor matches its own bare machine', { points: 2, timeoutMs: 20000 }, () => {
    const programs = [assemble(REWRITES_ITSELF), assemble(referenceKernel({ sensitive: true, timerPeriod: 89, iterations: 3, work: 10 }))];
    const bare = programs.map((program) => runBare(program));
    const bareTotal = bare.reduce((sum, run) => sum + run.machine.stats.instructions, 0);
    const { vms } = runVirtual(programs, translator(), 17, 2 * bareTotal + 10_000);
    const found = vms.flatMap((vm, i) => differences(bare[i]!.machine, bare[i]!.ended, vm).map((fact) => `VM ${i}: ${fact}`));
    expectSame('two VMs', found);
  });
});

describe('efficiency', () => {
  test('a kernel of ordinary instructions gets no callout beyond its two privileged ones', { points: 1, timeoutMs: 10000 }, () => {
    const run = compare('    li sp, 0x9000\n    li r1, 300\nloop:\n    addi r2, r2, 3\n    addi r1, r1, -1\n    bne r1, zero, loop\n    cli\n    halt', translator());
    expectSame('ordinary kernel', run.differences);
    const callouts = run.exits['sensitive-instruction'] ?? 0;
    // Only its final cli and halt may be intercepted (marking privileged instructions is allowed).
    expect(callouts <= 2, `callouts ${callouts} (needs ≤ 2: the kernel's only sensitive instructions are one cli and one halt)`).toBe(true);
  });
});

/** Kernels part 3 is graded on: both flavours, one and two processes, faults, remaps, yields and timers. */
const PV_KERNELS: ReadonlyArray<readonly [string, KernelOptions]> = [
  ['calibration kernel, plain flavour', { ...CALIBRATION_KERNEL, iterations: 12 }],
  ['one process that faults, timer every 71 ticks', { processes: 1, timerPeriod: 71, iterations: 6, work: 30, remapEvery: 2 }],
  ['one process, sensitive flavour, timer every 263 ticks', { processes: 1, sensitive: true, timerPeriod: 263, iterations: 5, work: 25, remapEvery: 3, yieldEvery: 2 }],
  ['two processes that fault, sensitive flavour, timer every 40 000 ticks', { sensitive: true, timerPeriod: 40_000, iterations: 9, work: 900, remapEvery: 1, yieldEvery: 1 }],
  ['two processes, no remaps, no idle ticks', { timerPeriod: 50_000, iterations: 7, work: 1200, remapEvery: 0, yieldEvery: 1, faults: false, idleTicks: 0 }],
];

describe('part 3: paravirtual kernels', () => {
  for (const [name, options] of PV_KERNELS) {
    test(`${name}: same console and user memory as bare hardware, nothing left that traps, few lines changed`, { points: 1, timeoutMs: 20000 }, () => {
      const native = referenceKernel(options);
      const patched = paravirtualize(native);
      const program = assemblePatched(patched);
      const vm = runParavirtual([program], paravirtualExit, { seed: 11 }).vms[0]!;
      const found = [...pvDifferences(native, vm), ...kernelLeftovers(program, paravirtualExit).map((site) => `still runs ${site}`)];
      const changed = changedLines(native, patched);
      if (changed > CHANGED_LINES_LIMIT) found.push(`lines changed ${changed} (needs ≤ ${CHANGED_LINES_LIMIT})`);
      expectNone(name, found);
    });
  }
});

describe('part 3: resource control', () => {
  test('MMU updates, console writes and shared frames exactly at the end of the VM and one past it', { points: 2, timeoutMs: 10000 }, () => {
    const vm = runParavirtual([assemblePatched(UPDATE_LIMITS)], paravirtualExit, { seed: 3 }).vms[0]!;
    const facts = wordFacts(vm, UPDATE_LIMITS_EXPECTED);
    const { registers, control } = vm.cpuState;
    if (registers[2] !== 0x1234) facts.push(`r2 after the final HALT = 0x${(registers[2]! >>> 0).toString(16)} (expected 0x1234: accepted hypercalls leave it)`);
    if (control.status !== 2) facts.push(`status after the final HALT = 0x${(control.status >>> 0).toString(16)} (expected 0x2: supervisor, interrupts off)`);
    if (vm.console.output !== 'end of memory!\n\n') facts.push(`console ${JSON.stringify(vm.console.output)} (expected ${JSON.stringify('end of memory!\n\n')}: only the write inside the VM)`);
    expectNone('hypercalls at the limits of the VM', facts);
  });
  test('batched updates: applied in order and then seen, refused whole when one entry is bad, at the limits of count and memory', { points: 2, timeoutMs: 10000 }, () => {
    const vm = runParavirtual([assemblePatched(BATCHES)], paravirtualExit, { seed: 7 }).vms[0]!;
    expectNone('batched page-table updates', wordFacts(vm, BATCHES_EXPECTED));
  });
  test('an unknown hypercall traps ILLEGAL into the guest at the hcall; HC_IRET before HC_SETUP is refused; a tick pending at HC_IRET is delivered there', { points: 1, timeoutMs: 10000 }, () => {
    const program = assemblePatched(UNKNOWN_HYPERCALL);
    const vm = runParavirtual([program], paravirtualExit).vms[0]!;
    expectNone('unknown hypercall', wordFacts(vm, unknownHypercallExpected(program.symbols.get('bad_call') ?? -1)));
    const early = assemblePatched(IRET_BEFORE_SETUP);
    const refused = runParavirtual([early], paravirtualExit).vms[0]!;
    expectNone('HC_IRET before HC_SETUP', wordFacts(refused, iretBeforeSetupExpected(early.symbols.get('trap') ?? -1)));
    const pending = assemblePatched(PENDING_AT_IRET);
    const resumed = runParavirtual([pending], paravirtualExit).vms[0]!;
    expectNone('a timer tick pending at HC_IRET', wordFacts(resumed, pendingAtIretExpected(pending.symbols.get('back') ?? -1)));
  });
  test('two VMs under one monitor: each its own shared frame, each matching what it should, frames apart', { points: 2, timeoutMs: 20000 }, () => {
    const native = referenceKernel({ sensitive: true, timerPeriod: 30_000, iterations: 6, work: 2500, yieldEvery: 1 });
    const { vms } = runParavirtual([assemblePatched(FRAME_ELSEWHERE), assemblePatched(paravirtualize(native))], paravirtualExit, { seed: 13 });
    const facts = [...wordFacts(vms[0]!, FRAME_ELSEWHERE_EXPECTED).map((f) => `VM 0: ${f}`), ...pvDifferences(native, vms[1]!).map((f) => `VM 1: ${f}`)];
    for (const [i, vm] of vms.entries()) {
      const own = new Set(vm.hostFrames());
      const strays = vm.touchedHostFrames().filter((frame) => !own.has(frame));
      if (strays.length > 0) facts.push(`VM ${i} touched ${strays.length} host frame(s) it does not own`);
    }
    expectNone('two VMs', facts);
  });
});

describe('part 4: measure', () => {
  /** Workloads unlike the calibration one, so that a report fitted to it, or to one approach, fails. */
  const WORKLOADS: ReadonlyArray<readonly [string, KernelOptions]> = [
    ['compute-bound, one process', { sensitive: true, processes: 1, iterations: 3, work: 9000, remapEvery: 0, yieldEvery: 0, timerPeriod: 40_000, faults: false, idleTicks: 5 }],
    ['system-call-heavy, plain flavour', { processes: 2, iterations: 50, work: 20, remapEvery: 0, yieldEvery: 1, timerPeriod: 20_000, faults: false }],
    ['page-table-heavy, with faults', { sensitive: true, processes: 2, iterations: 12, work: 300, remapEvery: 1, yieldEvery: 2, timerPeriod: 7_000, faults: true }],
  ];
  test('three other workloads: every figure as the simulator measured it, each in its band', { points: 2, timeoutMs: 60000 }, () => {
    const found = WORKLOADS.flatMap(([name, workload]) => reportDifferences(measure(workload), measureWorkload(workload)).map((f) => `${name}: ${f}`));
    expectNone('your reports of three other workloads', found);
  });
  test('bandOf at each limit of the lecture\'s bands and one step past it', { points: 1, timeoutMs: 10000 }, () => {
    const cases: ReadonlyArray<readonly [number, Band]> = [
      [0.03, 'xen'], [0.08, 'xen'], [0.055, 'xen'], [0.3, 'full-virtualization'], [0.5, 'full-virtualization'], [0.42, 'full-virtualization'],
      [0.0299, 'neither'], [0.0801, 'neither'], [0.2999, 'neither'], [0.5001, 'neither'], [0, 'neither'], [-0.04, 'neither'], [0.15, 'neither'], [1.3, 'neither'],
    ];
    const wrong = cases.flatMap(([overhead, want]) => {
      const got: unknown = bandOf(overhead); // compared with ===, so only the string itself passes
      return got === want ? [] : [`bandOf(${overhead}) = ${typeof got === 'string' ? JSON.stringify(got) : String(got)} (expected '${want}')`];
    });
    expectNone('the lecture\'s bands', wrong);
  });
});
