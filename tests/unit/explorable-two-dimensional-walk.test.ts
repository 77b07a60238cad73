/**
 * Lesson 7's two-dimensional-walk explorable against the lesson and the simulator: the walk's
 * shape and counts follow the (n + 1)(m + 1) − 1 argument reference by reference; the tiny
 * guest's TLB misses are what an independent model of the simulator's 64-entry direct-mapped TLB
 * predicts for the seed's pages; the cycles it reports are the machine's own charge per miss
 * (they follow a changed cost model); and `VmMmu` charges the constants the page shows for a
 * nested and for a shadow miss.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { LEVELS, SIMULATOR_LEVELS } from '../../src/explorables/two-dimensional-walk/options.ts';
import { FIRST_DATA_PAGE, measureMisses, MEMORY_PAGES, pagesToRead, READS } from '../../src/explorables/two-dimensional-walk/measure.ts';
import { simulatorMissCost, WalkSession } from '../../src/explorables/two-dimensional-walk/session.ts';
import { nativeReferences, nestedReferences, nestedWalk, shadowReferences } from '../../src/explorables/two-dimensional-walk/walk.ts';
import { settingsOf, simulatorCells, walkCells } from '../../src/explorables/two-dimensional-walk/view.ts';
import { DEFAULT_COSTS, Status, TLB_ENTRIES } from '../../src/sim/index.ts';
import { GuestMemory } from '../../src/sim/hv/guest-memory.ts';
import { VmMmu } from '../../src/sim/hv/vm-mmu.ts';
import { Access, type TranslationSink } from '../../src/sim/machine/mmu.ts';

describe('the nested walk', () => {
  test('makes (n + 1)(m + 1) − 1 references for every choice, 24 for x86-64’s four levels on both sides', () => {
    for (const n of LEVELS) {
      for (const m of LEVELS) {
        const walk = nestedWalk(n, m);
        expect(walk.length).toBe(nestedReferences(n, m));
        // The lesson's form of the count: n guest entries, each found with m nested references, and m for the final address.
        expect(walk.length).toBe(n * (m + 1) + m);
        expect(walk.filter((reference) => reference.table === 'guest')).toHaveLength(n);
      }
    }
    expect(nestedReferences(4, 4)).toBe(24);
    expect(nativeReferences(4)).toBe(4);
    expect(shadowReferences(4)).toBe(4);
  });

  test('goes row by row: each guest-physical address through the nested levels top first, then the guest entry it leads to', () => {
    const n = 3;
    const m = 2;
    const walk = nestedWalk(n, m);
    expect(walk.map((reference) => reference.number)).toEqual(walk.map((_, index) => index + 1));
    expect(walk.map((reference) => `${reference.table[0]}${reference.level}`)).toEqual(['n2', 'n1', 'g3', 'n2', 'n1', 'g2', 'n2', 'n1', 'g1', 'n2', 'n1']);
    expect(new Set(walk.map((reference) => `${reference.row},${reference.column}`)).size).toBe(walk.length);
    // The corner of the grid, reading the data page itself, is not part of the walk.
    expect(walk.some((reference) => reference.row === n && reference.column === m)).toBe(false);
    expect(walk[0]!.text).toContain('gCR3');
    expect(walk.at(-1)!.text).toMatch(/data page .*host-physical address/);
  });

  test('the simulator’s two-level case is 2 references natively and 8 nested, the reads its cost model names', () => {
    expect(nativeReferences(SIMULATOR_LEVELS)).toBe(2);
    expect(nestedReferences(SIMULATOR_LEVELS, SIMULATOR_LEVELS)).toBe(8);
  });
});

/**
 * TLB misses of the guest's reads with paging on, in a direct-mapped TLB (slot = page mod
 * entries) flushed when paging went on. Instruction fetches miss once: the CPU keeps the current
 * code page's translation while it runs in it (cpu.ts, `fetchVpn`), as a separate instruction TLB
 * would, so a data page that evicts the code page's entry costs no refetch.
 */
function modelMisses(pages: readonly number[]): number {
  const slots = new Array<number>(TLB_ENTRIES).fill(-1);
  slots[0] = 0; // the code page, filled by the first fetch
  let misses = 1;
  for (const page of pages.flatMap((page) => [3, page])) {
    const slot = page % TLB_ENTRIES;
    if (slots[slot] === page) continue;
    slots[slot] = page;
    misses++;
  }
  return misses;
}

describe('the tiny guest on bare hardware', () => {
  test('reads the seed’s pages, and the same seed gives the same pages', () => {
    expect(pagesToRead(42)).toEqual(pagesToRead(42));
    expect(pagesToRead(42)).not.toEqual(pagesToRead(7));
    for (const page of pagesToRead(42)) expect(page).toBeGreaterThanOrEqual(FIRST_DATA_PAGE);
    expect(pagesToRead(42)).toHaveLength(READS);
  });

  test('takes the TLB misses an independent model of the TLB predicts, evictions of the list’s entry included', () => {
    let evictions = 0;
    for (let seed = 0; seed < 60; seed++) {
      const measured = measureMisses(seed);
      expect(measured.misses, `seed ${seed}`).toBe(modelMisses(measured.pages));
      if (measured.misses > new Set([0, 3, ...measured.pages]).size) evictions++;
    }
    expect(evictions, 'some seeds evict the list’s entry').toBeGreaterThan(0);
    expect(MEMORY_PAGES).toBeGreaterThan(TLB_ENTRIES);
  });

  test('its walk cycles are the machine’s own charge per miss, and follow a changed cost model', () => {
    const measured = measureMisses(42);
    expect(measured.walkCycles).toBe(measured.misses * DEFAULT_COSTS.tlbMiss);
    const changed = measureMisses(42, { tlbMiss: 37, nestedTlbMiss: 99 });
    expect(changed.misses).toBe(measured.misses);
    expect(changed.walkCycles).toBe(measured.misses * 37);
    expect(simulatorMissCost(changed)).toEqual({ native: 37, nested: 99, shadow: 37, exitAtLeast: DEFAULT_COSTS.vmExit + DEFAULT_COSTS.worldSwitch + DEFAULT_COSTS.exitDispatch });
  });
});

describe('VmMmu charges the constants the page shows', () => {
  /** Guest pages 0–3 in host frames 5–8; guest directory at 0x1000, its table at 0x2000, virtual page 3 → guest page 3. */
  function guest() {
    const host = new Int32Array(16 * 1024);
    const memory = new GuestMemory(host, [5, 6, 7, 8]);
    memory.write(0x1000, 0x2000 | 1); // PRESENT
    memory.write(0x2000 + 3 * 4, 0x3000 | 1 | 2);
    const sink: TranslationSink = { fillFrame: 0, fillPerm: 0, fillCost: -1, faultKind: 0, faultCause: 0, faultTval: 0, faultAccess: 0, faultAddress: 0, ctl: new Int32Array(8) };
    sink.ctl[0] = Status.PAGING | Status.SUPERVISOR;
    sink.ctl[1] = 0x1000;
    return { memory, sink };
  }

  test('a nested miss costs nestedTlbMiss and lands in the host frame behind the guest page', () => {
    const { memory, sink } = guest();
    const mmu = new VmMmu(memory, 'nested', DEFAULT_COSTS.nestedTlbMiss, DEFAULT_COSTS.tlbMiss);
    expect(mmu.fill(sink, 0x3004, Access.READ, false)).toBe(true);
    expect(sink.fillCost).toBe(DEFAULT_COSTS.nestedTlbMiss);
    expect(sink.fillFrame).toBe(8 << 10);
  });

  test('a shadow walk costs tlbMiss, as a native one does', () => {
    const { memory, sink } = guest();
    const mmu = new VmMmu(memory, 'shadow', DEFAULT_COSTS.nestedTlbMiss, DEFAULT_COSTS.tlbMiss);
    mmu.fill(sink, 0x3004, Access.READ, false); // no shadow yet: the miss faults to the monitor
    expect(sink.fillCost).toBe(DEFAULT_COSTS.tlbMiss);
  });
});

describe('the page', () => {
  test('reads its settings, falling back to x86-64’s four levels', () => {
    expect(settingsOf({ seed: 3, choices: { guest: '2', nested: '3' } })).toEqual({ seed: 3, guestLevels: 2, nestedLevels: 3 });
    expect(settingsOf({ seed: 3, choices: { guest: '9' } })).toEqual({ seed: 3, guestLevels: 4, nestedLevels: 4 });
  });

  test('a session steps once per reference, then runs the simulator; its tables say what it measured', () => {
    const session = new WalkSession({ seed: 42, guestLevels: 2, nestedLevels: 2 });
    for (let index = 0; index < 7; index++) session.step();
    expect(session.finished).toBe(false);
    expect(walkCells(session.done, 2)).toHaveLength(7);
    session.step();
    expect(session.finished).toBe(true);
    const measured = measureMisses(42);
    expect(simulatorCells(session)).toEqual([
      ['Bare hardware (measured here)', '2', String(DEFAULT_COSTS.tlbMiss), (measured.misses * DEFAULT_COSTS.tlbMiss).toLocaleString('en-US')],
      ['Nested paging', '8', String(DEFAULT_COSTS.nestedTlbMiss), (measured.misses * DEFAULT_COSTS.nestedTlbMiss).toLocaleString('en-US')],
      ['Shadow paging', '2', `${DEFAULT_COSTS.tlbMiss}, plus ≥ ${DEFAULT_COSTS.vmExit + DEFAULT_COSTS.worldSwitch + DEFAULT_COSTS.exitDispatch} an exit`, `${(measured.misses * DEFAULT_COSTS.tlbMiss).toLocaleString('en-US')} plus exits`],
    ]);
  });
});

describe('lesson 7', () => {
  const lesson = readFileSync(new URL('../../content/lessons/07-full-virtualization.mdx', import.meta.url), 'utf8');
  const explanation = /<TwoDimensionalWalk[\s\S]*?<\/TwoDimensionalWalk>/.exec(lesson)![0];

  test('its explanation quotes the simulator’s constants and counts as they are', () => {
    expect(explanation).toContain(`at least ${DEFAULT_COSTS.vmExit + DEFAULT_COSTS.worldSwitch + DEFAULT_COSTS.exitDispatch} cycles against ${DEFAULT_COSTS.nestedTlbMiss} for a nested miss`);
    expect(explanation).toContain(`${DEFAULT_COSTS.tlbMiss} cycles for a native miss and ${DEFAULT_COSTS.nestedTlbMiss} for a nested one: a ratio of ${DEFAULT_COSTS.nestedTlbMiss / DEFAULT_COSTS.tlbMiss},`);
    expect(explanation).toContain(`gives ${nestedReferences(2, 2)} references to ${nativeReferences(2)}`);
    expect(explanation).toContain(`${nestedReferences(4, 4)} for four levels on both sides`);
  });

  test('the prediction the explanation confirms is the one option with the walk’s counts', () => {
    const options = [...explanation.matchAll(/text: "(\d+), (\d+) and (\d+):/g)].map((match) => match.slice(1).map(Number));
    expect(options.filter(([native, nested, shadow]) => native === nativeReferences(4) && nested === nestedReferences(4, 4) && shadow === shadowReferences(4))).toHaveLength(1);
  });
});
