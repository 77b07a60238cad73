/**
 * Hidden tests of the Live migration lab: the same properties as the public tests on other
 * workloads, seeds, links and policies, every stop rule on its own, the writable working set,
 * and evacuations that need the right order.
 */
import { describe, expect, test } from '@virtlab/test';
import {
  XEN_POLICY, expectConsistent, expectDowntimeAtMost, expectPagesSentAtMost, expectRoundsAtMost, expectValidEvacuation, host, meanSends, round, runMigration, vm,
} from './checks.ts';

describe('no write lost', () => {
  const cases = [
    { memoryMiB: 8, workload: { kind: 'uniform', pagesPerSecond: 3000 }, bandwidthMBps: 100, latencyMs: 2, seed: 11 },
    { memoryMiB: 32, workload: { kind: 'hotset', pagesPerSecond: 40000, hotPages: 2000, hotShare: 0.5 }, bandwidthMBps: 125, latencyMs: 0, seed: 12 },
    { memoryMiB: 12, workload: { kind: 'hotset', pagesPerSecond: 90000, hotPages: 7, hotShare: 1 }, bandwidthMBps: 60, latencyMs: 5, seed: 13 },
  ] as const;
  for (const [index, c] of cases.entries()) {
    test(`stale pages at resume: 0 on workload ${index + 1}`, () => {
      expectConsistent(runMigration(c, { ...XEN_POLICY, downtimeTargetMs: index * 20 }));
    });
  }
});

describe('downtime', () => {
  test('a game server with a 4 MiB writable working set: downtime within 60 ms', { points: 2 }, () => {
    const o = runMigration({ memoryMiB: 32, workload: { kind: 'hotset', pagesPerSecond: 20000, hotPages: 1024 }, bandwidthMBps: 125, latencyMs: 0.5, seed: 21 }, { ...XEN_POLICY, downtimeTargetMs: 60 });
    expectConsistent(o);
    expectDowntimeAtMost(o, 60, 'the downtime target, as Clark et al. measured for Quake 3');
  });
});

describe('stop rules', () => {
  test('sends the dirtied pages in a second round when that brings the downtime within the target', () => {
    // After the full copy (about 537 ms) about 1000 pages wait: about 34 ms, over the 20 ms target; after one more round, a few dozen.
    const o = runMigration({ memoryMiB: 64, workload: { kind: 'uniform', pagesPerSecond: 2000 }, bandwidthMBps: 125, latencyMs: 0.5, seed: 35 }, { ...XEN_POLICY, downtimeTargetMs: 20 });
    expectConsistent(o);
    expectDowntimeAtMost(o, 20, 'the downtime target; one round of the pages dirtied during the full copy gets there');
  });


  test('stops as soon as fewer than minPendingPages pages wait', () => {
    const o = runMigration({ memoryMiB: 4, workload: { kind: 'uniform', pagesPerSecond: 100 }, bandwidthMBps: 125, latencyMs: 0.5, seed: 31 }, XEN_POLICY);
    expectConsistent(o);
    expectRoundsAtMost(o, 2, 'about 3 pages are dirtied during the full copy, fewer than minPendingPages 50');
  });

  test('stops after maxRounds rounds', () => {
    const o = runMigration({ memoryMiB: 16, workload: { kind: 'uniform', pagesPerSecond: 50000 }, bandwidthMBps: 125, latencyMs: 0.5, seed: 32 }, { ...XEN_POLICY, maxRounds: 5 });
    expectConsistent(o);
    expectRoundsAtMost(o, 6, 'maxRounds 5 rounds while running, then the final copy');
  });

  test('stops before maxSentFactor × memory is sent while running', { points: 2 }, () => {
    const o = runMigration({ memoryMiB: 8, workload: { kind: 'uniform', pagesPerSecond: 80000 }, bandwidthMBps: 100, latencyMs: 1, seed: 33 }, { ...XEN_POLICY, maxRounds: 1000, maxSentFactor: 1.5 });
    expectConsistent(o);
    expect(o.record.pagesSent - o.record.pagesSentWhileStopped <= 1.5 * o.pageCount,
      `pages sent while running: ${o.record.pagesSent - o.record.pagesSentWhileStopped}, expected at most maxSentFactor 1.5 × ${o.pageCount} pages (${o.describe})`).toBe(true);
  });

  test('stops once the estimated downtime is within the target, even with pages left', () => {
    const o = runMigration({ memoryMiB: 16, workload: { kind: 'uniform', pagesPerSecond: 2000 }, bandwidthMBps: 125, latencyMs: 0.5, seed: 34 }, { ...XEN_POLICY, downtimeTargetMs: 100 });
    expectConsistent(o);
    expectRoundsAtMost(o, 2, 'after the full copy about 230 pages wait, about 10 ms to send: within the 100 ms target');
  });
});

describe('writable working set', () => {
  test('hot pages are not re-sent round after round', { points: 2 }, () => {
    const o = runMigration({ memoryMiB: 64, workload: { kind: 'hotset', pagesPerSecond: 60000, hotPages: 4096 }, bandwidthMBps: 125, latencyMs: 0.5, seed: 41 }, XEN_POLICY);
    expectConsistent(o);
    const mean = meanSends(o, 0, 4096);
    expect(mean <= 3.5, `mean sends of the 4096 hot pages: ${round(mean)}, expected at most 3.5 (the full copy, one more round, the final copy) (${o.describe})`).toBe(true);
  });

  test('a hot VM over a slow link sends at most 4 × memory', () => {
    const o = runMigration({ memoryMiB: 8, workload: { kind: 'hotset', pagesPerSecond: 30000, hotPages: 1500 }, bandwidthMBps: 40, latencyMs: 3, seed: 42 }, { ...XEN_POLICY, maxRounds: 200 });
    expectConsistent(o);
    expectPagesSentAtMost(o, 4 * o.pageCount, 'at most maxSentFactor 3 × memory while running, and at most all of memory at the stop');
  });
});

describe('evacuation', () => {
  test('moves a blocking replica first when only its host can take the big one', { points: 2 }, () => {
    // big-0 fits only on b (c is small), where big-1 runs; big-1 fits on c. Order matters.
    expectValidEvacuation({
      drain: 'a',
      hosts: [host('a', 16, 64), host('b', 16, 64), host('c', 4, 8)],
      vms: [vm('big-0', 'svc', 12, 48, 'a'), vm('big-1', 'svc', 2, 4, 'b')],
    });
  });

  test('never uses a failed host and fills hosts exactly to capacity', { points: 2 }, () => {
    expectValidEvacuation({
      drain: 'n2',
      hosts: [host('n1', 8, 16, 'failed'), host('n2', 8, 16), host('n3', 8, 16), host('n4', 8, 16)],
      vms: [vm('x', 'kv', 4, 8, 'n2'), vm('y', 'kv', 4, 8, 'n2'), vm('z', null, 4, 8, 'n3'), vm('w', null, 4, 8, 'n4')],
    });
  });

  test('places the largest VM first when only one host can take it', () => {
    // big needs 8 cores: only b has them. Placing small first on b would leave 7.
    expectValidEvacuation({
      drain: 'a',
      hosts: [host('a', 16, 64), host('b', 9, 64), host('c', 4, 64)],
      vms: [vm('small', 's', 2, 2, 'a'), vm('big', 'b', 8, 8, 'a')],
    });
  });

  test('checks memory as well as cores, and VMs of no service may share a host', () => {
    // q has the cores for solo but not the memory (6 + 4 > 8 GiB); r already runs peer, which has no service either.
    expectValidEvacuation({
      drain: 'p',
      hosts: [host('p', 8, 16), host('q', 8, 8), host('r', 8, 16)],
      vms: [vm('solo', null, 2, 4, 'p'), vm('lone', null, 1, 6, 'q'), vm('peer', null, 1, 1, 'r')],
    });
  });

  test('a host with nothing on it needs no move', () => {
    const moves = expectValidEvacuation({ drain: 'e', hosts: [host('e', 4, 4), host('f', 4, 4)], vms: [vm('v', 'one', 1, 1, 'f')] });
    expect(moves.length, `moves planned for an empty host: ${moves.length}, expected 0`).toBe(0);
  });

  test('evacuates many VMs of many services', { points: 2 }, () => {
    const hosts = [host('r0', 32, 128), host('r1', 32, 128), host('r2', 32, 128), host('r3', 32, 128)];
    const vms = [];
    for (let s = 0; s < 6; s++) {
      for (let r = 0; r < 3; r++) vms.push(vm(`s${s}-${r}`, `s${s}`, 2 + (s % 3), 4 + s, `r${(s + r) % 4}`));
    }
    expectValidEvacuation({ drain: 'r1', hosts, vms });
  });
});
