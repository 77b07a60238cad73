/**
 * The simulator's side of the explorable: a tiny guest on a bare `Machine` (two-level tables, as
 * in every simulated guest) that turns paging on and reads a few pages the seed chooses, with
 * the TLB misses and the cycles they cost read from the machine's own stats. What a miss costs
 * in a VM comes from the same cost model: `VmMmu` (src/sim/hv/vm-mmu.ts) charges
 * `nestedTlbMiss` for a miss under nested paging and `tlbMiss` for one that walks a shadow
 * table. Running this guest in a VM would need a monitor to emulate its `mtcr`s, which labs 3
 * and 5 ask learners to write, so the page runs it on bare hardware only and says so.
 */
import { SeededRandom } from '../../sim/common/rng.ts';
import { assemble, type Program } from '../../sim/machine/assembler.ts';
import { DEFAULT_COSTS, type CostModel } from '../../sim/machine/costs.ts';
import { Machine } from '../../sim/machine/machine.ts';

/**
 * 128 pages: twice the 64-entry direct-mapped TLB, so a data page may evict the list's entry and
 * cost a second miss on it (the CPU keeps the code page's translation while it runs in it).
 */
export const MEMORY_PAGES = 128;
/** Pages the guest reads after turning paging on. */
export const READS = 24;
/** Page 0 code, 1 directory, 2 table, 3 the list of addresses to read; data from page 4. */
export const FIRST_DATA_PAGE = 4;
const PAGE = 4096;

/** The virtual pages the guest reads, in order (repeats allowed: a repeat may hit in the TLB). */
export function pagesToRead(seed: number): number[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: READS }, () => random.int(FIRST_DATA_PAGE, MEMORY_PAGES - 1));
}

/** The guest: identity-maps all memory, turns paging on at `paged`, then reads one word of each page in the list. */
export function guestProgram(pages: readonly number[]): Program {
  const entries = Array.from({ length: MEMORY_PAGES }, (_, page) => `    .word ${page * PAGE} | PTE_PRESENT | PTE_WRITABLE`);
  return assemble(
    [
      '    li r1, 0x1000',
      '    mtcr ptbr, r1',
      '    mfcr r2, status',
      '    ori r2, r2, STATUS_PAGING',
      '    mtcr status, r2',
      'paged:',
      '    li r3, 0x3000',
      `    li r4, ${pages.length}`,
      'read:',
      '    ld r5, [r3+0]',
      '    ld r6, [r5+0]',
      '    addi r3, r3, 4',
      '    addi r4, r4, -1',
      '    bne r4, zero, read',
      '    halt',
      '    .org 0x1000',
      '    .word 0x2000 | PTE_PRESENT | PTE_WRITABLE',
      '    .org 0x2000',
      ...entries,
      '    .org 0x3000',
      ...pages.map((page) => `    .word ${page * PAGE}`),
    ].join('\n'),
  );
}

export interface MissMeasurement {
  readonly pages: readonly number[];
  /** TLB misses with paging on (each a two-level walk). */
  readonly misses: number;
  /** Instructions retired with paging on. */
  readonly instructions: number;
  /** Cycles spent with paging on beyond one per instruction: the walks. */
  readonly walkCycles: number;
  /** The cost model the machine ran with. */
  readonly costs: CostModel;
}

/** Runs the guest; `costs` overrides the simulator's defaults (the tests change them to see the charge follow). */
export function measureMisses(seed: number, costs: Partial<CostModel> = {}): MissMeasurement {
  const pages = pagesToRead(seed);
  const program = guestProgram(pages);
  const machine = new Machine({ memoryBytes: MEMORY_PAGES * PAGE, costs });
  machine.load(program);
  // First only the straight-line set-up, so that the misses taken with paging off (which cost nothing) are left out.
  const setUp = machine.run({ maxInstructions: program.symbols.get('paged')! / 4 });
  if (setUp.outcome !== 'budget') throw new Error(`the tiny guest stopped during its set-up (${setUp.outcome})`);
  const before = machine.stats;
  const end = machine.run({ maxInstructions: 10_000 });
  if (end.outcome !== 'halted') throw new Error(`the tiny guest did not halt (${end.outcome})`);
  const after = machine.stats;
  const instructions = after.instructions - before.instructions;
  return { pages, misses: after.tlbMisses - before.tlbMisses, instructions, walkCycles: after.cycles - before.cycles - instructions, costs: { ...DEFAULT_COSTS, ...costs } };
}
