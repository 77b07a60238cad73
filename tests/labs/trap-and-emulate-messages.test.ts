/**
 * The trap-and-emulate lab's failure messages state the facts: graded through the real sandboxed
 * grader, typical mutants fail with messages that name each difference from bare hardware with
 * both values (registers, memory words grouped by address in hex, console output, what the VMM
 * threw), which guest it was, how many more there are, and the efficiency figure against its bound.
 */
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { failureMessageOf as messageOf, gradedLab } from './graded-variants.ts';

const labDir = resolve(import.meta.dirname, '../../labs/trap-and-emulate');

describe('trap-and-emulate failure messages', () => {
  const lab = gradedLab(labDir);

  test('one wrong word names the guest, its address in hex and both values', { timeout: 300_000 }, async () => {
    // popf that takes the paging bit: the status the guest stored after popf (RESULTS + 44).
    const result = await lab.grade('mutant:popf-takes-paging-bit');
    expect(messageOf(result, 'page tables: PTBR switches')).toBe('AssertionError: paging: 1 difference from bare hardware: 1 memory word at 0x712c: 0x3 (bare 0x7)');
  });

  test('a wrong pc is named with both values, and nothing else is listed', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:halt-without-skip');
    expect(messageOf(result, 'boots a small guest')).toBe('AssertionError: 1 difference from bare hardware: pc = 0x58 (bare 0x5c)');
  });

  test('runs of consecutive words are grouped, and each guest of a run is named', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:pushf-moves-sp-before-fault');
    expect(messageOf(result, 'every trap reaches the guest kernel')).toBe(
      'AssertionError: emulated instructions that fault: 1 difference from bare hardware: 4 memory words at 0x6064: 0x7ffe (bare 0x8002); 0x7108–0x7110: 0x7ffe, 0x7ffe, 0x10004 (bare 0x8002, 0x8002, 0x10008)',
    );
    expect(messageOf(result, 'reaches past its memory')).toBe(
      'AssertionError: memory edges, 64 KiB: 1 difference from bare hardware: 1 memory word at 0x7114: 0x10000 (bare 0x10004). memory edges, 36 KiB: 1 difference from bare hardware: 1 memory word at 0x7114: 0x9000 (bare 0x9004)',
    );
  });

  test('many differences: the first few with their values, then how many more', { timeout: 300_000 }, async () => {
    const starter = await lab.grade('starter');
    const message = messageOf(starter, 'boots a small guest');
    expect(message).toMatch(/^AssertionError: \d+ differences from bare hardware: your VMM threw: TODO: emulatePrivileged/);
    expect(message).toContain('the VM ended failed (bare hardware halted)');
    expect(message).toContain('console "" (bare "hi\\n")');
    expect(message).toContain('scratch = 0x0 (bare 0x1234)');
    const [, total] = /^AssertionError: (\d+) differences/.exec(message)!;
    const [, more] = /; and (\d+) more$/.exec(message) ?? [];
    expect(Number(more), 'the message counts what it does not show').toBe(Number(total) - 6);
  });

  test('several VMs: each differing guest is named with its own differences', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:rdptb-answer-not-per-vm');
    expect(messageOf(result, 'devices belong to their VM')).toMatch(/^AssertionError: guest 2: 1 difference from bare hardware: 3 memory words at 0x[0-9a-f]+: 0x[0-9a-f]+ \(bare 0x2001\);/);
  });

  test('a VM the budget stopped says so, with the budget', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:halt-busy-waits');
    expect(messageOf(result, 'interrupts arrive exactly where')).toMatch(
      /^AssertionError: interrupts: \d+ differences from bare hardware: the VM was still running \(bare hardware halted\) when the run's budget of [\d,]+ instructions and [\d,]+ exits for all VMs together ran out; /,
    );
  });

  test('efficiency: the overhead as a percentage, with the bound it needs', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:polls-timer-every-exit');
    const message = messageOf(result, 'at most 50% overhead');
    const [, shown] = /^AssertionError: overhead \(VM cycles ÷ bare busy cycles − 1\) (\d+\.\d)% \(needs ≤ 50%\)$/.exec(message) ?? [];
    expect(shown, message).toBeDefined();
    expect(Number(shown)).toBeGreaterThan(50);
  });
});
