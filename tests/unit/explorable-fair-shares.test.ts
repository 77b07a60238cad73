/**
 * Lesson 6's fair-shares explorable, checked against the simulator's own figures: its windows
 * replayed on a fresh VcpuSchedulingHost, the host's busy time, the entitlement rule against the
 * figures the lesson states for lab 7's public scenarios, and the claims the lesson's
 * explanation makes about the run.
 */
import { describe, expect, test } from 'vitest';
import { entitlements } from '../../src/explorables/fair-shares/entitlement.ts';
import { DEFAULT_IDLE, IDLE_AT_MS, IDLE_CHOICES, PCPUS, RUN_MS, VMS, WINDOW_MS, WINDOWS, type IdleChoice } from '../../src/explorables/fair-shares/options.ts';
import { FairSharesSession, entitlementsWhile, meanOver } from '../../src/explorables/fair-shares/session.ts';
import { settingsOf, summary, windowRow } from '../../src/explorables/fair-shares/view.ts';
import { VcpuSchedulingHost } from '../../src/sim/index.ts';

const finished = (idle: IdleChoice, seed = 42) => {
  const session = new FairSharesSession({ seed, idle });
  session.runToEnd();
  return session;
};
const index = (id: string) => VMS.findIndex((vm) => vm.id === id);
const busyOnly = (claims: { shares: number; reservationPercent?: number; mostPercent?: number }[]) =>
  claims.map((claim) => ({ reservationPercent: 0, mostPercent: 100, ...claim }));

describe('fair-shares explorable', () => {
  test('reads the form, and falls back to the default for a VM the page does not offer', () => {
    expect(settingsOf({ seed: 7, choices: { idle: 'batch' } })).toEqual({ seed: 7, idle: 'batch' });
    expect(settingsOf({ seed: 7, choices: { idle: 'mail' } })).toEqual({ seed: 7, idle: DEFAULT_IDLE });
    expect(settingsOf({ seed: 7, choices: {} })).toEqual({ seed: 7, idle: DEFAULT_IDLE });
  });

  test('the entitlement rule gives the figures the lesson states for lab 7\'s public scenarios', () => {
    // 2 pCPUs: db weight 512, three of 256 → 80, 40, 40, 40.
    expect(entitlements(busyOnly([{ shares: 512 }, { shares: 256 }, { shares: 256 }, { shares: 256 }]), 2).map(Math.round)).toEqual([80, 40, 40, 40]);
    // 1 pCPU: a weight 512 capped at 20 %, b and c 256 → 20, 40, 40.
    expect(entitlements(busyOnly([{ shares: 512, mostPercent: 20 }, { shares: 256 }, { shares: 256 }]), 1).map(Math.round)).toEqual([20, 40, 40]);
    // 2 pCPUs: db reserved 80 %, all 256 → 80, 40, 40, 40.
    expect(entitlements(busyOnly([{ shares: 256, reservationPercent: 80 }, { shares: 256 }, { shares: 256 }, { shares: 256 }]), 2).map(Math.round)).toEqual([80, 40, 40, 40]);
    // 2 pCPUs: ui needs 10 ms of every 100 ms, three busy → 10, 63.3 each.
    const ui = entitlements(busyOnly([{ shares: 256, mostPercent: 10 }, { shares: 256 }, { shares: 256 }, { shares: 256 }]), 2);
    expect(ui[0]).toBeCloseTo(10, 6);
    for (const share of ui.slice(1)) expect(share).toBeCloseTo(190 / 3, 6);
    // Less wanted than the host has: everyone gets what it wants.
    expect(entitlements(busyOnly([{ shares: 256, mostPercent: 30 }, { shares: 512, mostPercent: 0, reservationPercent: 50 }]), 2)).toEqual([30, 0]);
  });

  test('every window is what the simulator\'s round robin gives, replayed on a fresh host', () => {
    for (const idle of IDLE_CHOICES) {
      const session = finished(idle, 7);
      expect(session.windows).toHaveLength(WINDOWS);
      const host = new VcpuSchedulingHost({ pcpus: PCPUS, seed: 7 }); // round robin is the host's default policy
      for (const vm of VMS) host.addVcpu({ id: vm.id, vm: vm.id, weight: vm.shares, capPercent: vm.limitPercent });
      host.run(IDLE_AT_MS);
      const ran = host.report().vcpus.map((vcpu) => vcpu.ranMs);
      const firstHalf = session.windows.slice(0, IDLE_AT_MS / WINDOW_MS);
      VMS.forEach((_, i) => expect(firstHalf.reduce((sum, window) => sum + (window.got[i]! * WINDOW_MS) / 100, 0)).toBeCloseTo(ran[i]!, 6));
      // Every window, the CPUs the VMs got add up to the host's own busy time, and round robin leaves none idle.
      for (const window of session.windows) {
        expect(window.got.reduce((a, b) => a + b, 0)).toBeCloseTo(window.used, 6);
        expect(window.used).toBe(100 * PCPUS);
      }
    }
  });

  test('round robin ignores the settings: the same run with every VM at default settings gets the same CPU', () => {
    const host = new VcpuSchedulingHost({ pcpus: PCPUS, seed: 42 });
    for (const vm of VMS) host.addVcpu({ id: vm.id, vm: vm.id });
    host.run(RUN_MS);
    const plain = host.report().vcpus.map((vcpu) => (100 * vcpu.ranMs) / RUN_MS);
    const session = finished('none');
    VMS.forEach((_, i) => expect(meanOver(session.windows, i, 'got')).toBeCloseTo(plain[i]!, 6));
  });

  test('the lesson\'s claims: about 67 % each while all are busy, against 80, 90 and 30 entitled', () => {
    const session = finished('web');
    const first = session.windows.slice(0, IDLE_AT_MS / WINDOW_MS);
    expect(first[0]!.entitled).toEqual(entitlementsWhile([true, true, true]));
    expect(first[0]!.entitled.map(Math.round)).toEqual([80, 90, 30]);
    expect(first[0]!.entitled.reduce((a, b) => a + b, 0)).toBeCloseTo(100 * PCPUS, 6);
    for (const [i] of VMS.entries()) expect(Math.abs(meanOver(first, i, 'got') - 200 / 3)).toBeLessThan(1);
    expect(meanOver(first, index('web'), 'got')).toBeLessThan(80);
    expect(meanOver(first, index('db'), 'got')).toBeLessThan(90);
    expect(meanOver(first, index('batch'), 'got')).toBeGreaterThan(2 * 30);
    // By shares alone (2 : 1 : 1 of 200 %) web would get 100 and the others 50.
    expect(entitlements(VMS.map((vm) => ({ shares: vm.shares, reservationPercent: 0, mostPercent: 100 })), PCPUS).map(Math.round)).toEqual([100, 50, 50]);
  });

  test('the lesson\'s claims: with web idle, db and batch get a whole CPU each, and batch is still entitled to 30 %', () => {
    const session = finished('web');
    const second = session.windows.slice(IDLE_AT_MS / WINDOW_MS);
    expect(meanOver(second, index('web'), 'got')).toBe(0);
    expect(meanOver(second, index('db'), 'got')).toBe(100);
    expect(meanOver(second, index('batch'), 'got')).toBe(100);
    expect(second[0]!.entitled.map(Math.round)).toEqual([0, 100, 30]);
    // A scheduler that honours the limit leaves 70 % of a CPU idle.
    expect(100 * PCPUS - second[0]!.entitled.reduce((a, b) => a + b, 0)).toBeCloseTo(70, 6);
    expect(summary(session)).toMatch(/^Done: while all three were busy, round robin gave web 67\u00a0%, db 67\u00a0%, batch 67\u00a0% \(entitled 80\u00a0%, 90\u00a0%, 30\u00a0%\); with web idle: db 100\u00a0%, batch 100\u00a0% \(entitled 100\u00a0%, 30\u00a0%\)\.$/);
  });

  test('the seed changes nothing here, as the page says: busy and idle VMs draw nothing at random', () => {
    for (const idle of IDLE_CHOICES) expect(finished(idle, 1).windows).toEqual(finished(idle, 2024).windows);
  });

  test('a table row says the window, what each VM got and was entitled to, and marks the idle VM', () => {
    const session = finished('db');
    expect(windowRow(session, session.windows[0]!)).toEqual(['0\u00a0ms to 250\u00a0ms', ...session.windows[0]!.got.map((got, i) => `${Math.round(got)}\u00a0% (entitled ${Math.round(session.windows[0]!.entitled[i]!)}\u00a0%)`), '200\u00a0%']);
    expect(windowRow(session, session.windows.at(-1)!)[2]).toBe('idle: 0\u00a0% (entitled 0\u00a0%)');
  });
});
