/**
 * The popek-goldberg lab's failure messages state the facts: graded through the real sandboxed
 * grader, typical mutants fail with messages that name each register, memory word or count that
 * differs from bare hardware with both values, and the efficiency figures against their bounds.
 */
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { failureMessageOf as messageOf, gradedLab } from './graded-variants.ts';

const labDir = resolve(import.meta.dirname, '../../labs/popek-goldberg');

describe('popek-goldberg failure messages', () => {
  const lab = gradedLab(labDir);

  test('a missed rdptb names both registers that read the page-table base, with both values', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:misses-rdptb');
    const message = messageOf(result, 'rdmode, rdptb, pushf and popf');
    expect(message).toMatch(/^AssertionError: sensitive-instruction tour: 2 difference\(s\) from bare hardware: r2 = 0x[0-9a-f]+ \(bare 0x0\); r4 = 0x[0-9a-f]+ \(bare 0x4000\)$/);
  });

  test('rdmode reporting user mode names the register with both values', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:rdmode-reports-user');
    const message = messageOf(result, 'rdmode, rdptb, pushf and popf');
    expect(message).toBe('AssertionError: sensitive-instruction tour: 1 difference(s) from bare hardware: r1 = 0x0 (bare 0x1)');
  });

  test('the starter: what it threw, then the first six differences and how many more', { timeout: 300_000 }, async () => {
    const starter = await lab.grade('starter');
    const message = messageOf(starter, 'rdmode, rdptb, pushf and popf');
    expect(message).toMatch(/^AssertionError: sensitive-instruction tour: \d+ difference\(s\) from bare hardware: your monitor threw: TODO: scanPage; the run ended failed \(bare halted\); console from character 0: "" \(bare "k"\);/);
    const [, total] = /(\d+) difference\(s\)/.exec(message)!;
    const [, more] = /; and (\d+) more$/.exec(message) ?? [];
    expect(Number(more), 'the message counts what it does not show').toBe(Number(total) - 6);
  });

  test('part 3: a cli left before the HALT hypercall is named with its address and count', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:pv-keeps-cli-before-halt');
    const message = messageOf(result, 'the calibration kernel, paravirtualized');
    expect(message).toMatch(/^AssertionError: instructions your kernel still runs that a hypervisor must trap: 1 problem\(s\): cli at 0x[0-9a-f]+ \(×1\)$/);
  });

  test('part 3: a handler trusting the mapped frame names each result and entry with both values', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:pv-trusts-mapped-frame');
    const message = messageOf(result, 'an MMU update inside the VM is applied');
    expect(message).toBe('AssertionError: MMU updates inside and outside the VM: 2 problem(s): r2 after the update mapping a frame past the VM = 0x4004 (expected 0xffffffff); the entry at 0x4004 = 0x40001 (expected 0x0)');
  });

  test('part 3: leaving system calls exiting reports the overhead against the band and the exits by kind', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:pv-no-direct-syscalls');
    const message = messageOf(result, "lands in the lecture's 3–8% band");
    expect(message).toMatch(/^AssertionError: overhead \d+\.\d\d% over native \(needs 3–8%\); exits: \d+ syscall, \d+ hypercall, \d+ interrupt/);
  });

  test('part 4: counting idle time names the native figure with both values, then each overhead against the measured one', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:measure-counts-idle');
    const message = messageOf(result, 'your report of the calibration workload');
    expect(message).toMatch(/^AssertionError: your report of the calibration workload: 5 problem\(s\): nativeBusyCycles (\d+) \(the bare machine's busy cycles are (\d+), idle excluded; within 0\.5%\); trapAndEmulate\.overhead 0\.\d+ \(the simulator measured 0\.\d{4}, i\.e\. \d+\.\d\d%; a fraction, within ±0\.005\);/);
    const [, reported, measured] = /nativeBusyCycles (\d+) \(the bare machine's busy cycles are (\d+)/.exec(message)!;
    expect(Number(reported), 'idle cycles make the reported figure larger').toBeGreaterThan(Number(measured));
  });

  test('part 4: bands without their limits are named value by value', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:band-limits-excluded');
    const message = messageOf(result, 'bandOf at each limit');
    expect(message).toBe(`AssertionError: the lecture's bands: 4 problem(s): bandOf(0.03) = "neither" (expected 'xen'); bandOf(0.08) = "neither" (expected 'xen'); bandOf(0.3) = "neither" (expected 'full-virtualization'); bandOf(0.5) = "neither" (expected 'full-virtualization')`);
  });
});
