/**
 * Lesson 3's pre-copy explorable, checked against the simulator's own figures: its migration
 * record, a migration driven directly on a Cluster with the same seed, and the claims the
 * lesson's explanation makes about the settings it offers.
 */
import { describe, expect, test } from 'vitest';
import { PreCopySession, type PreCopySettings } from '../../src/explorables/pre-copy/session.ts';
import { BANDWIDTH_MBPS, DEFAULTS, HOT_PAGES, HOT_SHARE, MEMORY_MIB, XEN_FEW_DIRTY_PAGES, XEN_MAX_ROUNDS, XEN_MAX_SENT_FACTOR } from '../../src/explorables/pre-copy/options.ts';
import { settingsOf } from '../../src/explorables/pre-copy/view.ts';
import { Cluster, MIGRATION_CPU_STATE_BYTES } from '../../src/sim/index.ts';

const settings = (overrides: Partial<PreCopySettings> = {}): PreCopySettings => ({ seed: 42, ...DEFAULTS, hotPages: null, ...overrides });
const finished = (overrides: Partial<PreCopySettings> = {}) => {
  const session = new PreCopySession(settings(overrides));
  session.runToEnd();
  return session;
};
const preCopyRounds = (session: PreCopySession) => session.rounds.filter((round) => !round.stopped);

/** The same migration driven directly on the simulator: full copy, then the dirty log each round, Xen's three rules. */
function direct(chosen: PreCopySettings) {
  const cluster = new Cluster({ seed: chosen.seed });
  cluster.addHost({ id: 'a', cpuCores: 4, memoryGiB: 8 });
  cluster.addHost({ id: 'b', cpuCores: 4, memoryGiB: 8 });
  cluster.addLink('a', 'b', { bandwidthMBps: chosen.bandwidthMBps, latencyMs: 0 });
  const workload = chosen.hotPages === null
    ? { kind: 'uniform' as const, pagesPerSecond: chosen.writesPerSecond }
    : { kind: 'hotset' as const, pagesPerSecond: chosen.writesPerSecond, hotPages: chosen.hotPages, hotShare: HOT_SHARE };
  cluster.addVm({ id: 'guest', vcpus: 1, memoryGiB: 1, memoryMiB: chosen.memoryMiB, workload });
  cluster.place('guest', 'a');
  const migration = cluster.beginMigration('guest', 'b');
  const sent: number[] = [];
  let dirty: number[] | 'all' = 'all';
  let total = 0;
  for (;;) {
    const { pagesSent } = migration.copyPages(dirty);
    sent.push(pagesSent);
    total += pagesSent;
    dirty = migration.takeDirtyPages();
    if (sent.length >= 30 || dirty.length < 50 || total > 3 * migration.pageCount) break;
  }
  migration.stop();
  const last = [...new Set([...dirty, ...migration.takeDirtyPages()])];
  sent.push(migration.copyPages(last).pagesSent);
  return { sent, record: migration.resume() };
}

describe('pre-copy explorable', () => {
  test('uses the stop rules lesson 3 states for Xen', () => {
    expect([XEN_MAX_ROUNDS, XEN_FEW_DIRTY_PAGES, XEN_MAX_SENT_FACTOR]).toEqual([30, 50, 3]);
  });

  const cases: Partial<PreCopySettings>[] = [
    {},
    { writesPerSecond: 0 },
    { writesPerSecond: 40_000 },
    { writesPerSecond: 40_000, hotPages: HOT_PAGES },
    { memoryMiB: 16, bandwidthMBps: 1000, writesPerSecond: 2_000, seed: 7 },
  ];
  for (const overrides of cases) {
    test(`its rounds are the simulator's: ${JSON.stringify(overrides)}`, () => {
      const session = finished(overrides);
      const record = session.record!;
      const { sent, record: expected } = direct(settings(overrides));
      expect(session.rounds.map((round) => round.pagesSent)).toEqual(sent);
      expect(record).toMatchObject({ rounds: expected.rounds, pagesSent: expected.pagesSent, downtimeMs: expected.downtimeMs, totalMs: expected.totalMs, consistent: true });
      expect(record.pagesSent).toBe(session.rounds.reduce((sum, round) => sum + round.pagesSent, 0));
      expect(record.pagesSentWhileStopped).toBe(session.rounds.at(-1)!.pagesSent);
      // With no latency, time is the rounds' time plus the CPU state sent at resume.
      const stateMs = MIGRATION_CPU_STATE_BYTES / ((settings(overrides).bandwidthMBps * 1e6) / 1000);
      expect(record.totalMs).toBeCloseTo(session.rounds.reduce((sum, round) => sum + round.ms, 0) + stateMs, 9);
      expect(record.downtimeMs).toBeCloseTo(session.rounds.at(-1)!.ms + stateMs, 9);
      // Each round after the first sends what the round before left dirty.
      const running = preCopyRounds(session);
      for (let index = 1; index < running.length; index++) expect(running[index]!.pagesSent).toBe(running[index - 1]!.pagesDirtied);
    });
  }

  test('stepping gives the same run as running to the end', () => {
    const stepped = new PreCopySession(settings({ writesPerSecond: 40_000 }));
    while (stepped.step() !== null);
    expect(stepped.rounds).toEqual(finished({ writesPerSecond: 40_000 }).rounds);
  });

  test('the form chooses the settings; anything it does not offer falls back to the defaults', () => {
    expect(settingsOf({ seed: 5, choices: { memory: '16', link: '1000', writes: '0', spread: 'hot' } })).toEqual({ seed: 5, memoryMiB: 16, bandwidthMBps: 1000, writesPerSecond: 0, hotPages: HOT_PAGES });
    expect(settingsOf({ seed: 5, choices: { memory: '4096', link: 'x' } })).toEqual({ seed: 5, ...DEFAULTS, hotPages: null });
  });

  // What the lesson's question and explanation say, for several seeds.
  for (const seed of [42, 1, 7]) {
    test(`seed ${seed}: the lesson's claims hold`, () => {
      const converging = finished({ seed });
      expect(converging.stopReason).toBe('few-dirty');
      expect(converging.record!.totalMs!).toBeGreaterThan(preCopyRounds(converging)[0]!.ms);

      const tooFast = finished({ seed, writesPerSecond: 40_000 });
      expect(40_000 * tooFast.pageSizeBytes).toBeGreaterThan(DEFAULTS.bandwidthMBps * 1e6); // faster than the link
      expect(tooFast.stopReason).toBe('sent-cap');
      expect(tooFast.rounds.at(-1)!.pagesSent).toBeGreaterThan(tooFast.pageCount / 2); // most of memory still dirty
      expect(tooFast.record!.downtimeMs!).toBeGreaterThanOrEqual(100);

      for (const memoryMiB of MEMORY_MIB) {
        const hot = finished({ seed, memoryMiB, writesPerSecond: 40_000, hotPages: HOT_PAGES });
        expect(hot.stopReason).toBe(memoryMiB === 64 ? 'max-rounds' : 'sent-cap');
        expect(Math.min(...preCopyRounds(hot).map((round) => round.pagesDirtied))).toBeGreaterThanOrEqual(100);
        for (const hotPages of [null, HOT_PAGES]) {
          expect(finished({ seed, memoryMiB, bandwidthMBps: BANDWIDTH_MBPS[1], writesPerSecond: 40_000, hotPages }).stopReason).toBe('few-dirty');
        }
      }
    });
  }
});
