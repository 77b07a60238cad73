// Public tests of lab 3 (they run in your browser too). Each runs a guest twice — on a bare
// machine and in a VM under your VMM — and lists every difference: how the run ended, console
// output, registers, control registers, memory, instructions retired and virtual time (see
// compare.ts). Each test also records your VMM's exits for the picture in the results panel.
import { assemble, referenceKernel } from '@virtlab/sim';
import { attach, describe, expect, test } from '@virtlab/test';
import { createVmm } from '../starter/vmm.ts';
import { compareAlone, compareTogether, expectEquivalent, expectPercent, ExitLog, KERNEL_GUEST_BYTES, SMALL_GUEST_BYTES } from './compare.ts';

/** Runs one guest bare and under your VMM; attaches the picture; returns the differences and the VM. */
function compareAndDraw(title: string, source: string, memoryBytes: number): ReturnType<typeof compareAlone> {
  const log = new ExitLog();
  const result = compareAlone(source, memoryBytes, createVmm(), { observe: log.observe });
  attach('exits', log.picture(title, result.vm, result.machine, result.differences));
  return result;
}

/** A guest's trap handler logs [cause, tval, epc, estatus] at 0x7000 + 16 × n. */
const LOG_TRAP = `
    mfcr r10, cause
    mfcr r11, tval
    mfcr r12, epc
    mfcr r13, estatus
    ld r14, [zero+0x6ffc]
    shli r14, r14, 4
    st r10, [r14+0x7000]
    st r11, [r14+0x7004]
    st r12, [r14+0x7008]
    st r13, [r14+0x700c]
    ld r14, [zero+0x6ffc]
    addi r14, r14, 1
    st r14, [zero+0x6ffc]`;

describe('first steps', () => {
  test('boots a small guest: control registers, console output and the final halt', { points: 2, timeoutMs: 3000 }, () => {
    const { differences: found } = compareAndDraw(
      'A small guest',
      `
    li sp, 0x8000
    li r1, trap
    mtcr tvec, r1
    li r1, 0x1234
    mtcr scratch, r1
    mfcr r2, scratch
    st r2, [zero+0x7000]
    sti
    mfcr r3, status
    cli
    mfcr r4, status
    st r3, [zero+0x7004]
    st r4, [zero+0x7008]
    li r1, 'h'
    out CONSOLE_DATA, r1
    li r1, 'i'
    out CONSOLE_DATA, r1
    li r1, 10
    out CONSOLE_DATA, r1
    cli
    halt
trap:
    halt`,
      SMALL_GUEST_BYTES,
    );
    expectEquivalent(found);
  });

  test('reflects system calls and faults from user mode into the guest kernel', { points: 2, timeoutMs: 3000 }, () => {
    const { differences: found } = compareAndDraw(
      'System calls from user mode',
      `
    li sp, 0x8000
    li r1, trap
    mtcr tvec, r1
    li r1, user
    mtcr epc, r1
    mtcr estatus, zero        ; user mode, interrupts off
    iret
trap:
${LOG_TRAP}
    li r14, CAUSE_SYSCALL
    bne r10, r14, fault
    out CONSOLE_DATA, r11     ; syscall n prints the character n
    iret
fault:
    li r1, '!'
    out CONSOLE_DATA, r1
    cli
    halt
user:
    syscall 'o'
    syscall 'k'
    syscall 10
    cli                       ; privileged in user mode: the kernel's fault path`,
      SMALL_GUEST_BYTES,
    );
    expectEquivalent(found);
  });

  test('delivers timer interrupts only while the guest has them enabled', { points: 2, timeoutMs: 3000 }, () => {
    const loop = (label: string, n: number): string => `    li r3, ${n}\n${label}:\n    addi r3, r3, -1\n    bne r3, zero, ${label}`;
    const { differences: found } = compareAndDraw(
      'Timer interrupts around cli and sti',
      `
    li sp, 0x8000
    li r1, trap
    mtcr tvec, r1
    li r1, 50
    out TIMER_PERIOD, r1
    sti
${loop('a', 60)}
    cli
${loop('b', 60)}
    sti                       ; the tick that came while masked is taken here
${loop('c', 30)}
    cli
    out TIMER_PERIOD, zero
    ld r1, [zero+0x6ffc]
    addi r1, r1, 'a'
    out CONSOLE_DATA, r1
    halt
trap:
${LOG_TRAP}
    out TIMER_ACK, zero
    iret`,
      SMALL_GUEST_BYTES,
    );
    expectEquivalent(found);
  });
});

describe('guest kernels', () => {
  test('runs the reference kernel exactly as bare hardware does', { points: 3, timeoutMs: 5000 }, () => {
    const { differences: found, vm } = compareAndDraw('The reference kernel', referenceKernel(), KERNEL_GUEST_BYTES);
    expectEquivalent(found);
    expect(vm.console.output).toContain('idle done');
  });

  test('two guest kernels on one VMM stay apart, each equivalent to its own bare machine', { points: 2, timeoutMs: 5000 }, () => {
    const guests = [
      { program: assemble(referenceKernel({ timerPeriod: 400 })), memoryBytes: KERNEL_GUEST_BYTES },
      { program: assemble(referenceKernel({ timerPeriod: 700, processes: 1 })), memoryBytes: KERNEL_GUEST_BYTES },
    ];
    const log = new ExitLog();
    const { report, violations, vms, bare } = compareTogether(guests, createVmm(), { slice: 500, seed: 5, observe: log.observe });
    vms.forEach((vm, i) => attach('exits', log.picture(`Two kernels on one VMM: guest ${i}`, vm, bare[i]!.machine, report[`guest ${i}`] ?? [])));
    expectEquivalent(report, violations);
  });

  test('runs at least 95% of the guest\'s instructions directly on the CPU', { points: 1, timeoutMs: 5000 }, () => {
    const { differences: found, vm } = compareAndDraw('A kernel with more computation', referenceKernel({ work: 400, iterations: 10 }), KERNEL_GUEST_BYTES);
    expectEquivalent(found);
    expectPercent('share of instructions run directly', vm.stats.directShare, '≥', 0.95);
  });
});
