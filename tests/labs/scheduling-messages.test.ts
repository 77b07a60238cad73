/**
 * The scheduling lab's failure messages state the facts: graded through the real sandboxed
 * grader, typical mutants fail with messages that name the quantity and show the values (the
 * vCPU, the window, the share it got against its entitlement and its configuration; the cap or
 * reservation against the CPU time; the VM, its allocation against the tax's, its working set,
 * shares and reservation; the host's swapping).
 */
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { failureMessageOf as messageOf, gradedLab } from './graded-variants.ts';

const labDir = resolve(import.meta.dirname, '../../labs/scheduling');

describe('scheduling failure messages', () => {
  const lab = gradedLab(labDir);

  test('shares that ignore weights name the vCPU, the window, got against entitled and the weight', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:ignores-weights');
    expect(messageOf(result, 'divides two busy physical CPUs by weight'))
      .toContain('vCPU shares more than 3 points of one pCPU from their entitlement: db got 50% in 1000..2000 ms, entitled 80% (weight 512)');
  });

  test('an ignored cap names the vCPU, the CPU time in the window and what the cap allows', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:ignores-caps');
    expect(messageOf(result, 'never lets a capped vCPU exceed its cap'))
      .toContain('caps exceeded: a ran 500 ms in 0..1000 ms, cap 20% allows 210 ms (one quantum of slack)');
  });

  test('a missed reservation and wasted CPU name the time against the reservation and the idle physical CPU', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:weights-as-caps');
    expect(messageOf(result, 'meets a reservation on a busy host')).toMatch(/reservations not met: db ran \d+ ms in 0\.\.1000 ms, reservation 80% needs 790 ms/);
    expect(messageOf(result, 'gives an interactive VM its CPU soon')).toMatch(/not work-conserving: \d+ ms of physical CPU idle in 0\.\.1000 ms while vCPUs had work \(\d+ ms used\)/);
  });

  test('ballooning by size names the VM, its allocation, the tax\'s, its working set and configuration', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:balloon-by-size');
    expect(messageOf(result, 'takes memory from idle VMs first'))
      .toContain('busy allocated 1365 MiB at 11000 ms, the tax implies 2048 (working set 1800, shares 1000, reservation 0, configured 2048)');
  });

  test('host swapping left by stale targets names the amount and the period', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:hysteresis-overcommits');
    expect(messageOf(result, 'takes memory from idle VMs first')).toMatch(/the host swapped \d+ MiB·s in the period ending at 11000 ms/);
  });
});
