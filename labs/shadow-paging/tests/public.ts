// Public tests of lab 5 (they run in your browser too). Each runs a guest twice — on a bare
// machine and in a VM with shadow paging under your VMM — and lists every difference: how the
// run ended, console output, registers, control registers, memory, instructions retired and
// virtual time (compare.ts). The efficiency tests count your hidden faults (shadow-check.ts).
// Every test attaches what happened for the picture in the results panel.
import { assemble, CALIBRATION_KERNEL, referenceKernel, type VirtualMachine } from '@virtlab/sim';
import { attach, describe, expect, test } from '@virtlab/test';
import { createShadowVmm } from '../starter/shadow.ts';
import { plainExit } from '../starter/trap-and-emulate.ts';
import { compareAlone, expectEquivalent, KERNEL_GUEST_BYTES } from './compare.ts';
import { FIRST_TOUCH, GUEST_BYTES, TABLE_EDITS, twoProcesses } from './guests.ts';
import { expectExtraHiddenFaults, runShadow, shadowPicture, type ShadowRun } from './shadow-check.ts';

/** The four user pages and the user code page: what the picture shows. */
const USER_PAGES = [0x9000, 0x128000, 0x129000, 0x12a000, 0x12b000];

/** Runs `source` under your VMM, attaches the picture, returns the run. */
function runAndDraw(title: string, source: string, memoryBytes = GUEST_BYTES, pages = USER_PAGES): ShadowRun {
  const run = runShadow(source, memoryBytes, createShadowVmm());
  attach('shadow', shadowPicture(title, run, pages));
  return run;
}

describe('hidden and true faults', () => {
  test('first touches: fills the shadow for what the guest maps, reflects what it refuses', { points: 3, timeoutMs: 10_000 }, () => {
    expectEquivalent(runAndDraw('First touches', FIRST_TOUCH).differences);
  });
});

describe('coherence', () => {
  test("page-table edits follow the TLB's rules: tlbi, tlbflush, stale translations until invalidated", { points: 3, timeoutMs: 10_000 }, () => {
    expectEquivalent(runAndDraw('Page-table edits', TABLE_EDITS).differences);
  });
});

describe('address spaces', () => {
  test('two processes: each sees its own pages, including a change made while the other ran', { points: 2, timeoutMs: 10_000 }, () => {
    expectEquivalent(runAndDraw('Two processes', twoProcesses(3)).differences);
  });

  test('two processes: switching back finds the shadow ready (no hidden fault for ten more rounds)', { points: 1, timeoutMs: 10_000 }, () => {
    const fewer = runShadow(twoProcesses(3), GUEST_BYTES, createShadowVmm());
    const more = runShadow(twoProcesses(13), GUEST_BYTES, createShadowVmm());
    expectEquivalent({ '3 rounds': fewer.differences, '13 rounds': more.differences });
    expectExtraHiddenFaults('10 more rounds (20 more context switches, no page-table change)', fewer, more, 0, 'keep one shadow per address space and switch to it');
  });
});

/** Busy cycles of a VM: everything but idle. */
function busyCycles(vm: VirtualMachine): number {
  const { direct, trap, emulation, worldSwitch } = vm.stats.cycles;
  return direct + trap + emulation + worldSwitch;
}

/** How much more than nested paging's overhead shadow paging may cost on the calibration kernel. */
const OVERHEAD_MARGIN = 0.05;

describe('the calibration kernel', () => {
  test('runs equivalently, within 5 points of nested paging’s overhead over native', { points: 2, timeoutMs: 30_000 }, () => {
    const source = referenceKernel(CALIBRATION_KERNEL);
    const shadow = runAndDraw('The calibration kernel', source, KERNEL_GUEST_BYTES, [0x100000, 0x101000, 0x102000, 0x103000]);
    const nested = compareAlone(assemble(source), KERNEL_GUEST_BYTES, plainExit);
    expectEquivalent(shadow.differences);
    const native = nested.machine.stats.cycles - nested.machine.stats.idleCycles;
    const overheads = { shadow: busyCycles(shadow.vm) / native - 1, nested: busyCycles(nested.vm) / native - 1 };
    attach('overhead', { native, shadow: busyCycles(shadow.vm), nested: busyCycles(nested.vm), cycles: { shadow: shadow.vm.stats.cycles, nested: nested.vm.stats.cycles } });
    const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
    if (overheads.shadow > overheads.nested + OVERHEAD_MARGIN) {
      const counts = shadow.log.counts(shadow.vm);
      expect.fail(
        `overhead over native: shadow paging ${percent(overheads.shadow)}, nested paging ${percent(overheads.nested)} (needs ≤ ${percent(overheads.nested + OVERHEAD_MARGIN)}); ` +
          `your VMM took ${counts.hidden} hidden faults and carried out ${counts.tableStores} page-table stores over ${counts.tableSwitches} PTBR writes`,
      );
    }
  });
});
