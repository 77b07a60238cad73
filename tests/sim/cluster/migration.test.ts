/** Live-migration primitives, measured by the simulator; the reference pre-copy migrator is in the tests only. */
import { describe, expect, it } from 'vitest';
import { Cluster, MIGRATION_MAX_ROUNDS, SimError, type VmMemoryWorkload } from '../../../src/sim/index.ts';
import { preCopyMigrate, stopAndCopyMigrate } from './reference-precopy.ts';

/** Two hosts joined by gigabit Ethernet (125 MB/s, 0.1 ms), and a 256 MiB VM on the first. */
function twoHosts(workload: VmMemoryWorkload, seed = 42) {
  const cluster = new Cluster({ seed, samples: 1 });
  cluster.addHost({ id: 'src', cpuCores: 8, memoryGiB: 16 });
  cluster.addHost({ id: 'dst', cpuCores: 8, memoryGiB: 16 });
  cluster.addLink('src', 'dst', { bandwidthMBps: 125, latencyMs: 0.1 });
  cluster.addVm({ id: 'vm', vcpus: 2, memoryGiB: 1, memoryMiB: 256, workload });
  cluster.place('vm', 'src');
  cluster.advance(1000); // the guest runs for a second before the migration
  return cluster;
}

const HOTSET: VmMemoryWorkload = { kind: 'hotset', pagesPerSecond: 20_000, hotPages: 1_500 };

describe('pre-copy live migration', () => {
  it('moves every page of an idle VM exactly once', () => {
    const cluster = twoHosts({ kind: 'idle' });
    const record = preCopyMigrate(cluster.beginMigration('vm', 'dst'));
    const sends = cluster.migrationPageSends(record.id);
    expect(sends.length).toBe(65_536);
    expect(sends.every((count) => count === 1)).toBe(true);
    expect(record).toMatchObject({ state: 'completed', consistent: true, pagesSent: 65_536, pagesSentWhileStopped: 0 });
    expect(cluster.vm('vm')).toMatchObject({ host: 'dst', state: 'running', migrating: false });
  });

  it('keeps downtime far below stop-and-copy on a hot working set, at the price of total time', () => {
    const live = twoHosts(HOTSET);
    const liveRecord = preCopyMigrate(live.beginMigration('vm', 'dst'));
    const cold = twoHosts(HOTSET);
    const coldRecord = stopAndCopyMigrate(cold.beginMigration('vm', 'dst'));
    expect(liveRecord.consistent).toBe(true);
    expect(coldRecord.consistent).toBe(true);
    expect(liveRecord.rounds).toBeGreaterThan(2);
    expect(liveRecord.pagesSent).toBeGreaterThan(65_536);
    // 256 MiB at 125 MB/s is about 2.1 s of downtime when stopping first.
    expect(coldRecord.downtimeMs).toBeGreaterThan(2000);
    expect(liveRecord.downtimeMs).toBeLessThan(100);
    expect(liveRecord.totalMs).toBeGreaterThan(coldRecord.totalMs as number);
    // The simulator measured these: downtime is the stop-to-resume interval of its own clock.
    expect(liveRecord.downtimeMs).toBe((liveRecord.endMs as number) - (liveRecord.stopMs as number));
  });

  it('records a migration that resumes with stale pages as inconsistent', () => {
    const cluster = twoHosts(HOTSET);
    const session = cluster.beginMigration('vm', 'dst');
    session.copyPages('all');
    session.stop(); // forgets the pages dirtied during the copy
    const record = session.resume();
    expect(record.consistent).toBe(false);
    expect(record.stalePages).toBeGreaterThan(0);
    expect(cluster.migrations()[0]).toEqual(record);
  });

  it('still finishes, consistently, when the guest dirties memory faster than the link can send', () => {
    const cluster = twoHosts({ kind: 'uniform', pagesPerSecond: 60_000 });
    const record = preCopyMigrate(cluster.beginMigration('vm', 'dst'));
    expect(record.consistent).toBe(true);
    expect(record.rounds).toBeLessThan(30);
    expect(record.pagesSentWhileStopped).toBeGreaterThan(1_000);
  });

  it('is deterministic for a seed', () => {
    const first = preCopyMigrate(twoHosts(HOTSET, 7).beginMigration('vm', 'dst'));
    const second = preCopyMigrate(twoHosts(HOTSET, 7).beginMigration('vm', 'dst'));
    expect(second).toEqual(first);
    const other = preCopyMigrate(twoHosts(HOTSET, 8).beginMigration('vm', 'dst'));
    expect(other.pagesSent).not.toBe(first.pagesSent);
  });

  it('aborts when a host fails and refuses further use of the session', () => {
    const cluster = twoHosts(HOTSET);
    const session = cluster.beginMigration('vm', 'dst');
    session.copyPages('all');
    cluster.failHost('dst');
    expect(() => session.copyPages([0])).toThrow(/aborted/);
    expect(cluster.migrations()[0]?.state).toBe('aborted');
    expect(cluster.vm('vm')).toMatchObject({ host: 'src', state: 'running', migrating: false });
  });

  it('pauses and resumes: a paused guest writes nothing', () => {
    const cluster = twoHosts(HOTSET);
    const before = cluster.pageWrites('vm');
    cluster.pause('vm');
    cluster.advance(500);
    expect(cluster.pageWrites('vm')).toBe(before);
    cluster.resume('vm');
    cluster.advance(500);
    expect(cluster.pageWrites('vm')).toBe(before + 10_000);
  });

  it('throws SimError for invalid migration calls', () => {
    const cluster = twoHosts({ kind: 'idle' });
    cluster.addHost({ id: 'island', cpuCores: 8, memoryGiB: 16 });
    expect(() => cluster.beginMigration('vm', 'island')).toThrow(/no link/);
    expect(() => cluster.beginMigration('vm', 'src')).toThrow(SimError);
    const session = cluster.beginMigration('vm', 'dst');
    expect(() => cluster.beginMigration('vm', 'dst')).toThrow(/already migrating/);
    expect(() => session.copyPages([70_000])).toThrow(/not a page/);
    expect(() => session.resume()).toThrow(/stop\(\)/);
    expect(() => cluster.pause('vm')).toThrow(/migrating/);
    session.stop();
    expect(() => session.stop()).toThrow(/already stopped/);
    session.copyPages('all');
    session.resume();
    expect(() => session.takeDirtyPages()).toThrow(/finished/);
    expect(Object.keys(session)).toEqual(['vmId', 'source', 'destination']);
  });

  it('logs DMA writes like CPU writes, and lets a device write into a paused VM but not its CPUs', () => {
    const cluster = twoHosts({ kind: 'idle' });
    const session = cluster.beginMigration('vm', 'dst');
    session.copyPages('all');
    cluster.writePage('vm', 7, 'dma');
    cluster.writePage('vm', 9);
    expect(session.takeDirtyPages()).toEqual([7, 9]);
    session.stop();
    expect(() => cluster.writePage('vm', 3, 'cpu')).toThrow(/CPUs write only while it runs/);
    cluster.writePage('vm', 3, 'dma'); // a request completing as the VM stops
    expect(session.takeDirtyPages()).toEqual([3]);
    expect(cluster.pageWrites('vm')).toBe(3);
    const record = session.resume();
    expect(record).toMatchObject({ consistent: false, stalePages: 3 });
    expect(() => cluster.writePage('vm', 65_536, 'dma')).toThrow(/not a page/);
    expect(() => cluster.writePage('vm', 1, 'disk' as 'dma')).toThrow(/'cpu' or 'dma'/);
  });

  it('sends a round at its rate limit and records the highest rate used while the VM ran', () => {
    const cluster = twoHosts({ kind: 'idle' });
    const session = cluster.beginMigration('vm', 'dst');
    // 4096 pages of 4 KiB at 50 000 bytes/ms: 335.54432 ms, plus 0.1 ms of latency.
    const capped = session.copyPages([...Array(4096).keys()], { maxBytesPerMs: 50_000 });
    expect(capped.ms).toBeCloseTo(0.1 + (4096 * 4096) / 50_000, 6);
    // A cap above the link's 125 000 bytes/ms leaves the link's speed.
    const fast = session.copyPages([...Array(4096).keys()], { maxBytesPerMs: 1e9 });
    expect(fast.ms).toBeCloseTo(0.1 + (4096 * 4096) / 125_000, 6);
    expect(cluster.migrations()[0]?.peakRunningBytesPerMs).toBe(125_000);
    expect(() => session.copyPages([0], { maxBytesPerMs: 0 })).toThrow(/positive number/);
    expect(() => session.copyPages([0], { maxBytesPerMs: Number.NaN })).toThrow(/positive number/);
  });

  it('counts only rounds sent while the VM ran in the peak running rate', () => {
    const cluster = twoHosts({ kind: 'idle' });
    const session = cluster.beginMigration('vm', 'dst');
    session.copyPages('all', { maxBytesPerMs: 40_000 });
    session.copyPages([]); // an empty round at full speed sends nothing
    session.stop();
    session.copyPages([1, 2]);
    expect(session.resume()).toMatchObject({ peakRunningBytesPerMs: 40_000, consistent: true });
  });

  it('refuses a round past MIGRATION_MAX_ROUNDS, so a policy that never stops is told so', () => {
    const cluster = twoHosts({ kind: 'idle' });
    const session = cluster.beginMigration('vm', 'dst');
    for (let round = 0; round < MIGRATION_MAX_ROUNDS; round++) session.copyPages([]);
    expect(() => session.copyPages([])).toThrow(/at most 1000 copy rounds/);
  });
});
