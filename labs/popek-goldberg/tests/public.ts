// Public tests of lab 4 (they run in your browser too). Each runs a guest on a bare x86-like
// machine and in a VM under your monitor and lists every difference (check.ts, pv-check.ts);
// part 4 compares your measurement report with the simulator's own (measure-check.ts).
import { CALIBRATION_KERNEL, disassembleWord, referenceKernel, type VirtualMachine } from '@virtlab/sim';
import { attach, describe, expect, test } from '@virtlab/test';
import { handleExit, scanPage } from '../starter/translate.ts';
import { handleExit as paravirtualExit, paravirtualize } from '../starter/paravirt.ts';
import { plainExit } from '../starter/trap-and-emulate.ts';
import { measure } from '../starter/measure.ts';
import { compare, expectSame, type Monitor, type ScannedPage } from './check.ts';
import { assemblePatched, changedLines, CHANGED_LINES_LIMIT, expectNone, kernelLeftovers, overheadOver, pvDifferences, runParavirtual, wordFacts } from './pv-check.ts';
import { RESULTS, UPDATE_INSIDE_AND_OUT } from './pv-guests.ts';
import { measureWorkload, reportDifferences } from './measure-check.ts';

/** Your monitor, looked up when a test runs (not while tests are collected). */
const translator = (): Monitor => ({ handleExit, scanner: scanPage });

/** One approach in the results panel: what the simulator recorded of its run. */
interface Drawn {
  readonly exits: Readonly<Record<string, number>>;
  readonly vm: VirtualMachine;
  readonly differences: readonly string[];
  readonly calloutSites?: readonly number[];
  readonly overhead?: number;
  readonly scannedPages?: readonly ScannedPage[];
}

/** A scanned page for the picture: its instructions up to the last nonzero word, disassembled, and the marks. */
function codePage(page: ScannedPage): { address: number; instructions: string[]; marked: readonly number[] } {
  let end = page.words.length;
  while (end > 0 && page.words[end - 1] === 0) end--;
  return { address: page.address, instructions: page.words.slice(0, end).map((word, i) => disassembleWord(word, page.address + 4 * i)), marked: page.marked };
}

/** Hands the results panel what the simulator did, per approach (exit counts, shares and overheads all from the simulator). */
function draw(title: string, runs: Readonly<Record<string, Drawn>>): void {
  attach('popek-goldberg', {
    title,
    approaches: Object.entries(runs).map(([name, run]) => ({
      name,
      exits: run.exits,
      directShare: run.vm.stats.directShare,
      differences: run.differences.length,
      calloutSites: run.calloutSites ?? [],
      ...(run.overhead === undefined ? {} : { overhead: run.overhead }),
      ...(run.scannedPages === undefined ? {} : { codePages: run.scannedPages.map(codePage) }),
    })),
  });
}

/** Exits the simulator counted for a VM, the kinds that happened only. */
function exitsOf(vm: VirtualMachine): Record<string, number> {
  return Object.fromEntries(Object.entries(vm.stats.exitsByKind).filter(([, n]) => n > 0));
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

/** The calibration kernel in its sensitive flavour: parts 2 and 3 are measured on the same workload. */
const CALIBRATION_SOURCE = (): string => referenceKernel({ ...CALIBRATION_KERNEL, sensitive: true });

describe('part 3: paravirtualization', () => {
  test('the calibration kernel, paravirtualized: same console and user memory as bare hardware, nothing left that traps, few lines changed', { points: 2, timeoutMs: 30000 }, () => {
    const native = CALIBRATION_SOURCE();
    const patched = paravirtualize(native);
    const program = assemblePatched(patched);
    const vm = runParavirtual([program], paravirtualExit).vms[0]!;
    const found = pvDifferences(native, vm);
    const bt = compare(native, translator());
    const changed = changedLines(native, patched);
    draw(`Calibration kernel: binary translation beside paravirtualization (your patch changes ${changed} lines; at most ${CHANGED_LINES_LIMIT} allowed)`, {
      'your binary translation': { ...bt, overhead: overheadOver(native, bt.vm) },
      'your paravirtualization': { exits: exitsOf(vm), vm, differences: found, overhead: overheadOver(native, vm) },
    });
    expectNone('your paravirtual kernel against the native kernel on bare hardware', found);
    expectNone('instructions your kernel still runs that a hypervisor must trap', kernelLeftovers(program, paravirtualExit));
    expect(changed <= CHANGED_LINES_LIMIT, `lines changed ${changed} (needs ≤ ${CHANGED_LINES_LIMIT}: lines of the native source removed plus lines added)`).toBe(true);
  });

  test('overhead on the calibration workload lands in the lecture\'s 3–8% band for Xen', { points: 1, timeoutMs: 30000 }, () => {
    const native = CALIBRATION_SOURCE();
    const vm = runParavirtual([assemblePatched(paravirtualize(native))], paravirtualExit).vms[0]!;
    expectNone('your paravirtual kernel on the calibration workload', pvDifferences(native, vm));
    const overhead = overheadOver(native, vm);
    const exits = Object.entries(exitsOf(vm)).map(([kind, n]) => `${n} ${kind}`).join(', ');
    expect(overhead >= 0.03 && overhead <= 0.08, `overhead ${(overhead * 100).toFixed(2)}% over native (needs 3–8%); exits: ${exits}`).toBe(true);
  });

  test('resource control: an MMU update inside the VM is applied; one naming memory outside it is refused', { points: 1, timeoutMs: 10000 }, () => {
    const vm = runParavirtual([assemblePatched(UPDATE_INSIDE_AND_OUT)], paravirtualExit).vms[0]!;
    const facts = wordFacts(vm, [
      ['r2 after the update inside the VM', RESULTS, 0x4000],
      ['r2 after the update of an entry past the VM', RESULTS + 4, -1],
      ['r2 after the update mapping a frame past the VM', RESULTS + 8, -1],
      ['the entry at 0x4000', 0x4000, 0x5003],
      ['the entry at 0x4004', 0x4004, 0],
    ]);
    expectNone('MMU updates inside and outside the VM', facts);
  });
});

describe('part 4: measure', () => {
  test('your report of the calibration workload: every figure as the simulator measured it, each in its band', { points: 2, timeoutMs: 60000 }, () => {
    const workload = { ...CALIBRATION_KERNEL, sensitive: true };
    const truth = measureWorkload(workload);
    const { trapAndEmulate: te, binaryTranslation: bt, paravirtualization: pv } = truth.runs;
    draw('Calibration kernel: what each approach costs over native (measured by the simulator)', {
      'trap-and-emulate (virtualizable CPU)': { exits: exitsOf(te.vm), vm: te.vm, differences: te.differences, overhead: te.overhead },
      'your binary translation': { exits: exitsOf(bt.vm), vm: bt.vm, differences: bt.differences, overhead: bt.overhead },
      'your paravirtualization': { exits: exitsOf(pv.vm), vm: pv.vm, differences: pv.differences, overhead: pv.overhead },
    });
    expectNone('your report of the calibration workload', reportDifferences(measure(workload), truth));
  });
});
