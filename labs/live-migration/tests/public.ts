/**
 * Public tests of the Live migration lab (they also run in the learner's browser).
 *
 * Every figure is the simulator's: the migration record of `Cluster.migrations()` (downtime,
 * rounds, pages sent, stale pages at resume) and the per-page send counts; an evacuation plan is
 * carried out on a real cluster and checked after every move (see checks.ts).
 */
import { describe, test } from '@virtlab/test';
import {
  XEN_POLICY, expectConsistent, expectDowntimeAtMost, expectPagesSentAtMost, expectRateLimitKept, expectRoundsAtMost, expectValidEvacuation, host, runMigration, vm,
} from './checks.ts';

describe('migration', () => {
  test('a tiny idle VM: every page sent once, a full copy and an empty final copy', { points: 2 }, () => {
    const o = runMigration({ memoryMiB: 4, workload: { kind: 'idle' }, bandwidthMBps: 125, latencyMs: 0.5, seed: 1 }, XEN_POLICY, true);
    expectConsistent(o);
    expectPagesSentAtMost(o, o.pageCount, 'an idle VM dirties nothing, so each page is sent once');
    expectRoundsAtMost(o, 2, 'the full copy finds nothing dirty: stop at once');
  });

  test('a web server with a 4 MiB writable working set: no write lost, downtime within 210 ms', { points: 2 }, () => {
    // Clark's SPECweb case scaled down by 4 (memory, hot set, write rate and link): the same times, a quarter of the pages.
    const o = runMigration(
      { memoryMiB: 16, workload: { kind: 'hotset', pagesPerSecond: 15000, hotPages: 1024 }, bandwidthMBps: 31.25, latencyMs: 0.5, seed: 2 },
      { ...XEN_POLICY, downtimeTargetMs: 210 }, true,
    );
    expectConsistent(o);
    expectDowntimeAtMost(o, 210, 'the downtime target, as Clark et al. measured for SPECweb');
  });

  test('a VM dirtying memory faster than the link sends it still completes within 4 × memory sent', { points: 2 }, () => {
    const o = runMigration(
      { memoryMiB: 16, workload: { kind: 'uniform', pagesPerSecond: 50000 }, bandwidthMBps: 125, latencyMs: 0.5, seed: 3 },
      { ...XEN_POLICY, maxRounds: 100 },
    );
    expectConsistent(o);
    expectPagesSentAtMost(o, 4 * o.pageCount, 'at most maxSentFactor 3 × memory while running, and at most all of memory at the stop');
  });

  test('a rate limit of 40 MB/s on a 125 MB/s link: kept while the VM runs, downtime within 30 ms', { points: 2 }, () => {
    const o = runMigration(
      { memoryMiB: 8, workload: { kind: 'hotset', pagesPerSecond: 15000, hotPages: 400 }, bandwidthMBps: 125, latencyMs: 0.5, seed: 4 },
      { ...XEN_POLICY, downtimeTargetMs: 30, rateLimitBytesPerMs: 40_000 }, true,
    );
    expectConsistent(o);
    expectRateLimitKept(o, 40_000, 125_000);
    expectDowntimeAtMost(o, 30, 'the downtime target; once the VM is stopped the final copy may use the whole link');
  });
});

describe('evacuation', () => {
  test('empties a host, keeping replicas apart and hosts within capacity', { points: 2 }, () => {
    expectValidEvacuation({
      drain: 'h0',
      hosts: [host('h0', 16, 64), host('h1', 16, 64), host('h2', 8, 32)],
      vms: [vm('web-0', 'web', 4, 8, 'h0'), vm('db-0', 'db', 8, 32, 'h0'), vm('web-1', 'web', 4, 8, 'h1'), vm('db-1', 'db', 4, 16, 'h2')],
    }, true);
  });
});
