/**
 * The model of lesson 3's pre-copy explorable: one VM live-migrated over one link by the
 * simulator's cluster, driven round by round with the three Xen stop rules the lesson states
 * (30 rounds, fewer than 50 pages dirtied in the last round, more than 3 × memory sent). It is
 * plain pre-copy on purpose: no held-back working set, no downtime estimate, no rate limit.
 * Every figure it reports is the simulator's own (its rounds, dirty log and migration record).
 * It runs in the explorable's worker (worker.ts); the page draws the plain state it sends.
 */
import { HOT_SHARE, XEN_FEW_DIRTY_PAGES, XEN_MAX_ROUNDS, XEN_MAX_SENT_FACTOR } from './options.ts';
import { Cluster, type MigrationRecord, type MigrationSession, type VmMemoryWorkload } from '../../sim/cluster/index.ts';
import type { SteppedModel } from '../worker/protocol.ts';
import { modelOfSessions } from '../worker/host.ts';

export type StopReason = 'few-dirty' | 'max-rounds' | 'sent-cap';

export interface PreCopySettings {
  readonly seed: number;
  readonly memoryMiB: number;
  readonly bandwidthMBps: number;
  /** Page writes per simulated second. */
  readonly writesPerSecond: number;
  /** Pages that get HOT_SHARE of the writes (the writable working set), or null for writes spread over all memory. */
  readonly hotPages: number | null;
}

/** One copy round, as the migration saw it. */
export interface RoundRecord {
  /** 1 for the full copy. */
  readonly number: number;
  /** Whether the VM was stopped (the stop-and-copy). */
  readonly stopped: boolean;
  readonly pagesSent: number;
  /** Simulated ms the round took. */
  readonly ms: number;
  /** Pages the dirty log held after the round: what the next round must send. */
  readonly pagesDirtied: number;
}

/** What the page draws of a migration: the session's figures as plain data. */
export interface PreCopyState {
  readonly settings: PreCopySettings;
  readonly pageCount: number;
  readonly rounds: readonly RoundRecord[];
  /** Which rule ended the rounds, once one has. */
  readonly stopReason: StopReason | null;
  /** The simulator's record of the migration, once the VM has resumed on the destination. */
  readonly record: MigrationRecord | null;
  readonly finished: boolean;
}

const SOURCE = 'source';
const DESTINATION = 'destination';
const VM = 'guest';

function workloadOf(settings: PreCopySettings): VmMemoryWorkload {
  if (settings.writesPerSecond === 0) return { kind: 'idle' };
  return settings.hotPages === null
    ? { kind: 'uniform', pagesPerSecond: settings.writesPerSecond }
    : { kind: 'hotset', pagesPerSecond: settings.writesPerSecond, hotPages: settings.hotPages, hotShare: HOT_SHARE };
}

export class PreCopySession implements PreCopyState {
  readonly settings: PreCopySettings;
  readonly #cluster: Cluster;
  readonly #migration: MigrationSession;
  readonly #rounds: RoundRecord[] = [];
  #dirty: number[] = [];
  #pagesSentRunning = 0;
  #stopReason: StopReason | null = null;
  #record: MigrationRecord | null = null;

  constructor(settings: PreCopySettings) {
    this.settings = settings;
    this.#cluster = new Cluster({ seed: settings.seed });
    for (const id of [SOURCE, DESTINATION]) this.#cluster.addHost({ id, cpuCores: 4, memoryGiB: 8 });
    // No latency: the lesson's model loses no time between rounds.
    this.#cluster.addLink(SOURCE, DESTINATION, { bandwidthMBps: settings.bandwidthMBps, latencyMs: 0 });
    this.#cluster.addVm({ id: VM, vcpus: 1, memoryGiB: 1, memoryMiB: settings.memoryMiB, workload: workloadOf(settings) });
    this.#cluster.place(VM, SOURCE);
    this.#migration = this.#cluster.beginMigration(VM, DESTINATION);
  }

  get pageCount(): number {
    return this.#migration.pageCount;
  }
  get pageSizeBytes(): number {
    return this.#migration.pageSizeBytes;
  }
  get rounds(): readonly RoundRecord[] {
    return this.#rounds;
  }
  /** Which rule ended the rounds, once one has. */
  get stopReason(): StopReason | null {
    return this.#stopReason;
  }
  /** The simulator's record of the migration, once the VM has resumed on the destination. */
  get record(): MigrationRecord | null {
    return this.#record;
  }
  get finished(): boolean {
    return this.#record !== null;
  }

  /** The Xen rule that holds now (checked before each further round), or null to copy again. */
  #ruleThatHolds(): StopReason | null {
    if (this.#rounds.length >= XEN_MAX_ROUNDS) return 'max-rounds';
    if (this.#dirty.length < XEN_FEW_DIRTY_PAGES) return 'few-dirty';
    if (this.#pagesSentRunning > XEN_MAX_SENT_FACTOR * this.pageCount) return 'sent-cap';
    return null;
  }

  #copy(pages: readonly number[] | 'all', stopped: boolean): void {
    const { pagesSent, ms } = this.#migration.copyPages(pages);
    if (!stopped) this.#pagesSentRunning += pagesSent;
    this.#dirty = this.#migration.takeDirtyPages();
    this.#rounds.push({ number: this.#rounds.length + 1, stopped, pagesSent, ms, pagesDirtied: this.#dirty.length });
  }

  /** One round: the full copy first, then the pages dirtied since, until a rule holds; then the stop-and-copy. */
  step(): RoundRecord | null {
    if (this.finished) return null;
    if (this.#rounds.length === 0) {
      this.#copy('all', false);
      return this.#rounds.at(-1)!;
    }
    this.#stopReason = this.#ruleThatHolds();
    if (this.#stopReason === null) {
      this.#copy(this.#dirty, false);
      return this.#rounds.at(-1)!;
    }
    // Stop-and-copy: what was dirty at the last read, and anything written since.
    this.#migration.stop();
    const last = new Set([...this.#dirty, ...this.#migration.takeDirtyPages()]);
    this.#copy([...last].sort((a, b) => a - b), true);
    this.#record = this.#migration.resume();
    return this.#rounds.at(-1)!;
  }

  runToEnd(): readonly RoundRecord[] {
    while (!this.finished) this.step();
    return this.#rounds;
  }
}

/** A copy of the session's state that can cross to the page. */
export function stateOf(session: PreCopySession): PreCopyState {
  const { settings, pageCount, rounds, stopReason, record, finished } = session;
  return { settings, pageCount, rounds: [...rounds], stopReason, record, finished };
}

/** The migration as the worker holds it: a round per step. */
export const preCopyModel: SteppedModel<PreCopySettings, PreCopyState> = modelOfSessions((settings) => new PreCopySession(settings), stateOf);
