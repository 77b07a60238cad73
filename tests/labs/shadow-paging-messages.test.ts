/**
 * The shadow-paging lab's failure messages state the facts: graded through the real sandboxed
 * grader, typical mutants fail with messages that name each memory word, register or count that
 * differs from bare hardware with both values, and the hidden-fault and overhead figures against
 * their bounds.
 */
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { failureMessageOf as messageOf, gradedLab } from './graded-variants.ts';

const labDir = resolve(import.meta.dirname, '../../labs/shadow-paging');

describe('shadow-paging failure messages', () => {
  const lab = gradedLab(labDir);

  test('applying page-table writes at once names the words a stale translation would have left, with both values', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:no-stale-entries');
    const message = messageOf(result, "page-table edits follow the TLB's rules");
    expect(message).toMatch(/^AssertionError: 7 differences from bare hardware: console "ggfb\\n" \(bare "gfb\\n"\); \d+ memory words at 0x[0-9a-f]+/);
    // The extra page fault the guest logged comes first (a store fault at 0x12a004, not at 0x12a008).
    expect(message).toContain('0x6004–0x6008: 0x12a004, 0xe0 (bare 0x12a008, 0xe8)');
  });

  test('throwing the shadow away on every switch reports the hidden faults against the bound, and the overhead beside nested paging', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:drops-shadow-on-every-switch');
    expect(messageOf(result, 'switching back finds the shadow ready')).toMatch(
      /^AssertionError: hidden faults: 10 more rounds \(20 more context switches, no page-table change\) cost (\d+) more hidden faults \((\d+) → (\d+); needs ≤ 0\): keep one shadow per address space and switch to it$/,
    );
    const [, extra, fewer, more] = /cost (\d+) more hidden faults \((\d+) → (\d+)/.exec(messageOf(result, 'switching back finds the shadow ready'))!;
    expect(Number(more) - Number(fewer)).toBe(Number(extra));
    expect(messageOf(result, 'within 5 points of nested paging')).toMatch(
      /^AssertionError: overhead over native: shadow paging \d+\.\d%, nested paging \d+\.\d% \(needs ≤ \d+\.\d%\); your VMM took \d+ hidden faults and carried out 40 page-table stores over 105 PTBR writes$/,
    );
  });

  test('an unbounded cache of shadows says what the simulator refused and what to do', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:unbounded-cache');
    expect(messageOf(result, 'twenty address spaces')).toMatch(/your VMM threw: shadow\.createTable: a VM may create at most 16 shadow tables; keep a bounded cache and reuse an evicted table \(clearAll\(\) it first\)/);
  });

  test('the starter: every test ends in an error that says what to write', { timeout: 300_000 }, async () => {
    const starter = await lab.grade('starter');
    expect(starter.score).toBe(0);
    const verdicts = new Set(starter.tests.map((t) => `${t.verdict}: ${t.message}`));
    expect([...verdicts]).toEqual([expect.stringMatching(/^error: Error: TODO: return an exit handler that keeps shadow page tables \(see the instructions\)/)]);
  });
});
