// Hidden tests of lab 4: the same properties on guests the public tests do not show: paging and
// faulting stacks, stacks at the end of memory, code the kernel rewrites, interrupts that arrive
// inside pushf/cli/popf windows, seeded random kernels and two VMs at once.
import { assemble, referenceKernel } from '@virtlab/sim';
import { describe, expect, test } from '@virtlab/test';
import { handleExit, scanPage } from '../starter/translate.ts';
import { compare, differences, expectSame, runBare, runVirtual, type Monitor } from './check.ts';
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
