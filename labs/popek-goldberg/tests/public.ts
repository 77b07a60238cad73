// Public tests of lab 4 (they run in your browser too). Each runs a guest on a bare x86-like
// machine and in a VM under your binary translator and lists every difference (check.ts).
import { CALIBRATION_KERNEL, referenceKernel } from '@virtlab/sim';
import { attach, describe, expect, test } from '@virtlab/test';
import { handleExit, scanPage } from '../starter/translate.ts';
import { plainExit } from '../starter/trap-and-emulate.ts';
import { compare, expectSame, type Comparison, type Monitor } from './check.ts';

/** Your monitor, looked up when a test runs (not while tests are collected). */
const translator = (): Monitor => ({ handleExit, scanner: scanPage });

/** Hands the results panel what the simulator did, per approach (all from the tests' own counts). */
function draw(title: string, runs: Readonly<Record<string, Comparison>>): void {
  attach('popek-goldberg', {
    title,
    approaches: Object.entries(runs).map(([name, run]) => ({
      name,
      exits: run.exits,
      directShare: run.vm.stats.directShare,
      differences: run.differences.length,
      calloutSites: run.calloutSites,
    })),
  });
}

/** A kernel that uses all four silent sensitive instructions with interrupts on and off. */
const SENSITIVE_TOUR = `
    li sp, 0x8000
    rdmode r1                 ; 1 in supervisor mode
    rdptb r2                  ; the kernel's own page-table base
    li r3, 0x4000
    mtcr ptbr, r3
    rdptb r4
    sti
    pushf                     ; status with IE on
    ld r5, [sp+0]
    cli
    pushf                     ; status with IE off
    ld r6, [sp+0]
    addi sp, sp, 4
    popf                      ; IE back on from the stack
    mfcr r7, status
    pushf
    cli
    popf                      ; IE on again: the saved word had it
    mfcr r8, status
    cli
    li r9, 'k'
    out CONSOLE_DATA, r9
    halt`;

describe('part 1: the plain VMM fails on x86-like', () => {
  test('the reference kernel with pushf/popf/rdmode: the plain VMM diverges, your translator does not', { points: 3, timeoutMs: 20000 }, () => {
    const source = referenceKernel({ sensitive: true, iterations: 3, work: 20 });
    const plain = compare(source, { handleExit: plainExit });
    const yours = compare(source, translator());
    draw('Reference kernel (sensitive flavour)', { 'plain trap-and-emulate': plain, 'your binary translation': yours });
    expect(plain.differences.length, `the plain VMM should differ from bare hardware here (it found ${plain.differences.length} differences)`).toBeGreaterThan(0);
    expectSame('your translator on the reference kernel', yours.differences);
  });
});

describe('part 2: binary translation', () => {
  test('rdmode, rdptb, pushf and popf in supervisor mode, interrupts on and off', { points: 3, timeoutMs: 10000 }, () => {
    const yours = compare(SENSITIVE_TOUR, translator());
    expectSame('sensitive-instruction tour', yours.differences);
  });

  test('efficiency: callouts only for silent sensitive instructions, kernel code runs directly', { points: 2, timeoutMs: 30000 }, () => {
    const run = compare(referenceKernel({ ...CALIBRATION_KERNEL, iterations: 8, sensitive: true }), translator());
    expectSame('calibration kernel', run.differences);
    const callouts = run.exits['sensitive-instruction'] ?? 0;
    const share = run.vm.stats.directShare;
    expect(share >= 0.99, `share of instructions run directly ${(share * 100).toFixed(2)}% (needs ≥ 99%)`).toBe(true);
    expect(callouts <= 1000, `callouts ${callouts} (needs ≤ 1000 on this workload)`).toBe(true);
  });
});
