/**
 * The scheduling lab's failure messages state the facts: graded through the real sandboxed
 * grader, typical mutants fail with messages that name the quantity and show the values (the
 * vCPU, the window, the share it got against its entitlement and its configuration; the cap or
 * reservation against the CPU time; the VM, its allocation against the tax's, its working set,
 * shares and reservation; the host's swapping and the period it is graded from).
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

  test('a VM returning under an old id that inherits its history names every vCPU off its new entitlement, with the window', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:forgets-departures');
    expect(messageOf(result, 'while VMs arrive and leave'))
      .toContain('web-2 got 100% in 4000..5000 ms, entitled 72.7% (weight 512)');
  });

  test('reservations served by virtual time at the limit name the starved vCPU, its CPU time and what its reservation needs', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:reservations-by-virtual-time');
    expect(messageOf(result, 'reservations that add up to every physical CPU exactly'))
      .toMatch(/reservations not met: whole ran \d+ ms in 0\.\.1000 ms, reservation 100% needs 990 ms \(one quantum of slack\)/);
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

  test('balloons that follow the sampling noise name the periods the host swapped in, and from which period it was graded', { timeout: 300_000 }, async () => {
    const result = await lab.grade('mutant:no-smoothing-flaps');
    expect(messageOf(result, 'noisy estimates of large, half-active VMs'))
      .toMatch(/from period 15 on: .*the host swapped \d+ MiB·s in the period ending at \d+ ms/);
  });
});
