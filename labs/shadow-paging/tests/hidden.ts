// Hidden tests of lab 5: the same properties as the public tests, on guests you have not seen.
import { assemble, referenceKernel, SeededRandom, type KernelOptions } from '@virtlab/sim';
import { describe, expect, test } from '@virtlab/test';
import { createShadowVmm } from '../starter/shadow.ts';
import { expectEquivalent, KERNEL_GUEST_BYTES } from './compare.ts';
import { GUEST_BYTES } from './guests.ts';
import { BUS_ERRORS, DIRECTORY_EDITS, identicalRewrites, INACTIVE_EDITS, MANY_SPACES, NEVER_PAGED, PAGED_THEN_NOT, PAGING_TOGGLES, PERMISSIONS, PTBR_RELOAD, remaps, SHARED_TABLE } from './hidden-guests.ts';
import { expectExtraHiddenFaults, runShadow, runShadowTogether } from './shadow-check.ts';

/** Runs one guest under a fresh VMM and fails with every difference from bare hardware. */
function expectSameAsBare(source: string, memoryBytes = GUEST_BYTES): void {
  expectEquivalent(runShadow(source, memoryBytes, createShadowVmm()).differences);
}

/** Runs each guest (by name) under a fresh VMM and fails naming every guest that differs from bare hardware. */
function expectAllSameAsBare(guests: Readonly<Record<string, string>>, memoryBytes = GUEST_BYTES): void {
  const report: Record<string, string[]> = {};
  for (const [name, source] of Object.entries(guests)) {
    const found = runShadow(source, memoryBytes, createShadowVmm()).differences;
    if (found.length > 0) report[name] = found;
  }
  expectEquivalent(report);
}

describe('hidden and true faults', () => {
  test('permissions are the intersection of both levels; user fetches from pages it may not run', { points: 2, timeoutMs: 10_000 }, () => {
    expectSameAsBare(PERMISSIONS);
  });

  test('entries that point past the VM: the bus error bare hardware raises, and the last frame works', { points: 2, timeoutMs: 10_000 }, () => {
    expectSameAsBare(BUS_ERRORS);
  });
});

describe('degenerate guests', () => {
  test('a guest that never turns paging on, and one that turns it off for good', { points: 1, timeoutMs: 10_000 }, () => {
    expectAllSameAsBare({ 'never paged': NEVER_PAGED, 'paged, then not': PAGED_THEN_NOT });
  });
});

describe('coherence', () => {
  test('paging off and on, by mtcr status and by iret, drops stale translations; user mode and traps do not', { points: 2, timeoutMs: 10_000 }, () => {
    expectSameAsBare(PAGING_TOGGLES);
  });

  test('PTBR writes drop stale translations: the same directory reloaded, and a switch away and back', { points: 2, timeoutMs: 10_000 }, () => {
    expectSameAsBare(PTBR_RELOAD);
  });

  test('directory entries: retargeted (stale until tlbi) and removed', { points: 2, timeoutMs: 10_000 }, () => {
    expectSameAsBare(DIRECTORY_EDITS);
  });

  test('a table shared by two address spaces: a change reaches both', { points: 2, timeoutMs: 10_000 }, () => {
    expectSameAsBare(SHARED_TABLE);
  });

  test('changes to an address space not in use, including to a table it gained late', { points: 2, timeoutMs: 10_000 }, () => {
    expectSameAsBare(INACTIVE_EDITS);
  });
});

describe('address spaces', () => {
  test('twenty address spaces: a bounded cache of shadows, reused without leftovers', { points: 3, timeoutMs: 20_000 }, () => {
    expectSameAsBare(MANY_SPACES);
  });

  test('two VMs at once with the same guest-physical layout keep their shadows apart', { points: 2, timeoutMs: 20_000 }, () => {
    const { report, violations } = runShadowTogether(
      [
        { program: assemble(INACTIVE_EDITS), memoryBytes: GUEST_BYTES },
        { program: assemble(SHARED_TABLE), memoryBytes: GUEST_BYTES },
      ],
      createShadowVmm(),
    );
    expectEquivalent(report, violations);
  });
});

/** Kernel options for the seeded random kernels: every mix of processes, switches, remaps and faults. */
function randomKernelOptions(rng: SeededRandom): KernelOptions {
  return {
    iterations: rng.int(2, 14),
    work: rng.int(1, 60),
    timerPeriod: rng.int(150, 3000),
    remapEvery: rng.int(0, 3),
    yieldEvery: rng.int(0, 2),
    processes: rng.int(1, 2) as 1 | 2,
    faults: rng.int(0, 1) === 1,
  };
}

describe('the reference kernel', () => {
  test('seeded random kernels: processes, context switches, remaps and faults', { points: 3, timeoutMs: 60_000 }, () => {
    const rng = new SeededRandom(505);
    const kernels = Array.from({ length: 6 }, () => randomKernelOptions(rng));
    expectAllSameAsBare(Object.fromEntries(kernels.map((options) => [`kernel ${JSON.stringify(options)}`, referenceKernel(options)])), KERNEL_GUEST_BYTES);
  });
});

describe('efficiency', () => {
  test('each page-table update costs at most one more hidden fault', { points: 1, timeoutMs: 20_000 }, () => {
    const fewer = runShadow(remaps(8), GUEST_BYTES, createShadowVmm());
    const more = runShadow(remaps(24), GUEST_BYTES, createShadowVmm());
    expectEquivalent({ '8 remaps': fewer.differences, '24 remaps': more.differences });
    expectExtraHiddenFaults('16 more remaps (each with tlbi)', fewer, more, 16, 'a change to one entry should cost at most that entry');
  });

  test('rewriting an entry of a space not in use with the value it holds costs no hidden fault', { points: 1, timeoutMs: 20_000 }, () => {
    const fewer = runShadow(identicalRewrites(3), GUEST_BYTES, createShadowVmm());
    const more = runShadow(identicalRewrites(13), GUEST_BYTES, createShadowVmm());
    expectEquivalent({ '3 rounds': fewer.differences, '13 rounds': more.differences });
    expectExtraHiddenFaults('10 more rounds, each rewriting an entry of process B with the value it holds', fewer, more, 0, 'a store that changes nothing changes no translation');
  });

  test('context switches in the reference kernel cost no hidden faults once both shadows are built', { points: 1, timeoutMs: 30_000 }, () => {
    const kernel = (iterations: number): string => referenceKernel({ iterations, work: 20, yieldEvery: 1, remapEvery: 0, timerPeriod: 5000, faults: false });
    const fewer = runShadow(kernel(6), KERNEL_GUEST_BYTES, createShadowVmm());
    const more = runShadow(kernel(24), KERNEL_GUEST_BYTES, createShadowVmm());
    expectEquivalent({ '6 iterations': fewer.differences, '24 iterations': more.differences });
    const switches = more.log.counts(more.vm).tableSwitches - fewer.log.counts(fewer.vm).tableSwitches;
    expect(switches).toBeGreaterThan(20);
    expectExtraHiddenFaults(`${switches} more PTBR writes`, fewer, more, 0, 'keep one shadow per address space and switch to it');
  });
});
