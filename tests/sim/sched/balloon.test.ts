/** Memory overcommit and ballooning (Waldspurger, OSDI 2002): the simulator measures swapping; the balancer is the tests' reference. */
import { describe, expect, it } from 'vitest';
import { BalloonMemoryHost, SimError, type MemoryBalancer } from '../../../src/sim/index.ts';
import { createShareBalancer } from './reference-schedulers.ts';

/** Three 1 GiB VMs on a 2 GiB host: one busy, two mostly idle. */
function overcommitted(balancer: MemoryBalancer | null, seed = 3) {
  const host = new BalloonMemoryHost({ physicalMiB: 2048, seed });
  host.addVm({ id: 'busy', configuredMiB: 1024, reservationMiB: 256, workingSet: { kind: 'constant', mib: 900 } });
  host.addVm({ id: 'idle1', configuredMiB: 1024, reservationMiB: 128, workingSet: { kind: 'constant', mib: 150 } });
  host.addVm({ id: 'idle2', configuredMiB: 1024, workingSet: { kind: 'phases', phases: [{ ms: 20_000, mib: 100 }, { ms: 1, mib: 700 }] } });
  if (balancer) host.setBalancer(balancer);
  return host;
}

describe('memory overcommit', () => {
  it('makes the hypervisor swap working-set pages when nothing balloons', () => {
    const host = overcommitted(null);
    host.advance(10_000);
    const report = host.report();
    expect(report.configuredMiB).toBe(3072);
    expect(report.hostSwapMiBs).toBeCloseTo(1024 * 10, 0);
    const busy = report.vms.find((v) => v.id === 'busy');
    expect(busy?.hostSwapActiveMiBs).toBeGreaterThan(1000);
    expect(report.vms.every((v) => v.balloonMiB === 0)).toBe(true);
  });

  it('stops host swapping once balloons reclaim idle memory, without starving the busy VM', () => {
    const host = overcommitted(createShareBalancer());
    host.advance(10_000);
    const early = host.report().hostSwapMiBs;
    host.advance(8_000);
    const report = host.report();
    expect(report.hostSwapMiBs).toBe(early); // no more host swapping after the balloons inflated
    const busy = report.vms.find((v) => v.id === 'busy');
    expect(busy?.guestSwapMiBs).toBe(0);
    expect(report.vms.reduce((sum, v) => sum + v.allocatedMiB, 0)).toBeLessThanOrEqual(2048);
    const baseline = overcommitted(null);
    baseline.advance(18_000);
    expect(report.hostSwapMiBs).toBeLessThan(baseline.report().hostSwapMiBs / 4);
  });

  it('deflates a balloon when its guest becomes busy, and never goes below reservations', () => {
    const host = overcommitted(createShareBalancer());
    host.advance(19_000);
    const before = host.report().vms.find((v) => v.id === 'idle2')?.allocatedMiB as number;
    host.advance(15_000);
    const after = host.report();
    const idle2 = after.vms.find((v) => v.id === 'idle2');
    expect(idle2?.allocatedMiB).toBeGreaterThan(before + 200);
    expect(after.vms.find((v) => v.id === 'busy')?.minAllocatedMiB).toBeGreaterThanOrEqual(256);
    expect(after.vms.find((v) => v.id === 'idle1')?.minAllocatedMiB).toBeGreaterThanOrEqual(128);
  });

  it('gives balancers a sampled estimate of activity, not the truth', () => {
    const estimates: number[] = [];
    const host = overcommitted({ balance: (q) => {
      estimates.push(q.vms.find((v) => v.id === 'idle1')?.estimatedActiveMiB as number);
      return {};
    } });
    host.advance(50_000);
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    expect(new Set(estimates).size).toBeGreaterThan(1);
    expect(mean).toBeGreaterThan(150 * 0.85);
    expect(mean).toBeLessThan(150 * 1.15);
  });

  it('moves balloons at the driver rate', () => {
    const host = new BalloonMemoryHost({ physicalMiB: 4096, seed: 1, balloonRateMiBPerSecond: 200 });
    host.addVm({ id: 'v', configuredMiB: 1024, workingSet: { kind: 'constant', mib: 100 } });
    host.setBalloonTarget('v', 700);
    host.advance(1000);
    expect(host.report().vms[0]?.balloonMiB).toBeCloseTo(200, 6);
    host.advance(5000);
    expect(host.report().vms[0]?.balloonMiB).toBe(700);
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) => {
      const host = overcommitted(createShareBalancer(), seed);
      host.advance(25_000);
      return host.report();
    };
    expect(run(9)).toEqual(run(9));
  });

  it('throws SimError for targets that break reservations and reservations that do not fit', () => {
    const host = overcommitted(null);
    expect(() => host.setBalloonTarget('busy', 900)).toThrow(/within 0..768/);
    expect(() => host.setBalloonTarget('ghost', 10)).toThrow(SimError);
    expect(() => host.addVm({ id: 'big', configuredMiB: 4096, reservationMiB: 1800, workingSet: { kind: 'constant', mib: 1 } })).toThrow(/admission control/);
    host.setBalancer({ balance: () => ({ busy: -5 }) });
    expect(() => host.advance(100)).toThrow(SimError);
  });
});
