/**
 * Live-migration primitives: the handle a migration algorithm drives, and the record the
 * simulator keeps of what really happened.
 *
 * The primitives are those of pre-copy live migration (C. Clark et al., "Live Migration of
 * Virtual Machines", NSDI 2005): copy pages over a link while the VM keeps running and dirtying
 * memory, read and clear the dirty log between rounds, stop the VM, copy what is left, resume it
 * on the destination. The simulator measures downtime (from stop to resume) and total migration
 * time itself, counts every page sent, and checks that the destination's memory is current when
 * the VM resumes there. An algorithm cannot report its own numbers.
 */
import { SimError, requireArgument } from '../common/errors.ts';

/** Bytes of CPU and device state sent while the VM is stopped (registers, device models); chosen, not measured. */
export const MIGRATION_CPU_STATE_BYTES = 64 * 1024;
/** Pages sent per burst; the VM runs (and dirties pages) between bursts. */
export const MIGRATION_BURST_PAGES = 64;
/**
 * The most `copyPages` rounds one migration may make before the simulator stops it: far above any
 * stop rule worth having (Xen stops after 30), and low enough that a policy that never stops is
 * told so quickly.
 */
export const MIGRATION_MAX_ROUNDS = 1_000;

/** What the simulator recorded about one migration. */
export interface MigrationRecord {
  readonly id: number;
  readonly vmId: string;
  readonly from: string;
  readonly to: string;
  readonly state: 'in-progress' | 'completed' | 'aborted';
  readonly startMs: number;
  /** When the VM was stopped (null if it never was). */
  readonly stopMs: number | null;
  readonly endMs: number | null;
  /** Time the VM was not running anywhere: from stop to resume on the destination. */
  readonly downtimeMs: number | null;
  /** From the start of the migration to the resume on the destination. */
  readonly totalMs: number | null;
  /** Calls of copyPages (rounds), including those made while stopped. */
  readonly rounds: number;
  /** Pages sent in all, and of those, while the VM was stopped. */
  readonly pagesSent: number;
  readonly pagesSentWhileStopped: number;
  readonly bytesSent: number;
  /**
   * The highest rate pages were sent at while the VM was running, bytes per ms (0 if no page was
   * sent while it ran): the link's bandwidth, or a round's `maxBytesPerMs` if lower. The rest of
   * the link is what the running service had left.
   */
  readonly peakRunningBytesPerMs: number;
  /** Whether every page at the destination held the source's latest version when the VM resumed there. */
  readonly consistent: boolean | null;
  /** Pages whose destination copy was stale at resume (0 when consistent). */
  readonly stalePages: number;
}

/** The internal side of a migration, implemented by the cluster. */
export interface MigrationEngine {
  readonly pageCount: number;
  readonly pageSizeBytes: number;
  readonly bandwidthBytesPerMs: number;
  readonly latencyMs: number;
  now(): number;
  /** Sends pages (capturing their current versions) in bursts at `bytesPerMs`, letting simulated time pass. */
  send(pages: readonly number[], bytesPerMs: number): void;
  takeDirty(): number[];
  stop(): void;
  resume(): MigrationRecord;
  abort(): MigrationRecord;
  record(): MigrationRecord;
}

/** How one copy round may use the link. */
export interface CopyOptions {
  /**
   * Send at most this many bytes per simulated ms (a rate limit, so that the running service keeps
   * the rest of the link); default and ceiling: the link's bandwidth.
   */
  readonly maxBytesPerMs?: number;
}

/** A summary of one copy round, as seen by the algorithm. */
export interface MigrationRoundResult {
  readonly pagesSent: number;
  readonly ms: number;
}

/**
 * The handle a migration algorithm drives. It exposes the primitives and the facts an algorithm
 * may use (sizes, link speed, elapsed time); the truth is kept by the cluster
 * (`Cluster.migrations()`).
 */
export class MigrationSession {
  readonly #engine: MigrationEngine;
  readonly vmId: string;
  readonly source: string;
  readonly destination: string;
  #state: 'copying' | 'stopped' | 'finished' = 'copying';
  #rounds = 0;

  /** @internal Made by `Cluster.beginMigration`. */
  constructor(engine: MigrationEngine, vmId: string, source: string, destination: string) {
    this.#engine = engine;
    this.vmId = vmId;
    this.source = source;
    this.destination = destination;
    Object.freeze(this);
  }

  /** Pages of guest memory. */
  get pageCount(): number {
    return this.#engine.pageCount;
  }
  get pageSizeBytes(): number {
    return this.#engine.pageSizeBytes;
  }
  /** Link bandwidth in bytes per simulated millisecond. */
  get bandwidthBytesPerMs(): number {
    return this.#engine.bandwidthBytesPerMs;
  }
  /** One-way link latency, paid once per round and once at resume. */
  get latencyMs(): number {
    return this.#engine.latencyMs;
  }
  /** Milliseconds since the migration began. */
  get elapsedMs(): number {
    return this.#engine.now();
  }
  /** Whether the VM has been stopped for the final copy. */
  get stopped(): boolean {
    return this.#state === 'stopped';
  }

  /**
   * Sends the given pages (or `'all'`) to the destination. While the VM runs, it keeps writing
   * memory during the transfer; pages written after they were sent are stale at the destination
   * and show up in the next `takeDirtyPages`. `options.maxBytesPerMs` caps this round's rate.
   */
  copyPages(pages: readonly number[] | 'all', options: CopyOptions = {}): MigrationRoundResult {
    this.#requireActive();
    const rate = checkRate(options, this.#engine.bandwidthBytesPerMs);
    if (++this.#rounds > MIGRATION_MAX_ROUNDS) {
      throw new SimError('BUDGET_EXHAUSTED', `a migration may make at most ${MIGRATION_MAX_ROUNDS} copy rounds`);
    }
    const list = pages === 'all' ? allPages(this.#engine.pageCount) : checkPages(pages, this.#engine.pageCount);
    const before = this.#engine.now();
    this.#engine.send(list, rate);
    return Object.freeze({ pagesSent: list.length, ms: this.#engine.now() - before });
  }

  /** The pages written since the migration began or since the last call (ascending); clears the log. */
  takeDirtyPages(): number[] {
    this.#requireActive();
    return this.#engine.takeDirty();
  }

  /** Stops the VM for the final copy: downtime starts now. */
  stop(): void {
    this.#requireActive();
    if (this.#state === 'stopped') throw new SimError('INVALID_STATE', 'the VM is already stopped');
    this.#state = 'stopped';
    this.#engine.stop();
  }

  /**
   * Sends the CPU state and resumes the VM on the destination: downtime ends. Pages not brought
   * up to date by then are stale; the cluster records the migration as inconsistent.
   */
  resume(): MigrationRecord {
    this.#requireActive();
    if (this.#state !== 'stopped') throw new SimError('INVALID_STATE', 'stop() the VM before resuming it on the destination');
    this.#state = 'finished';
    return this.#engine.resume();
  }

  /** Gives up: the VM keeps (or resumes) running on the source. */
  abort(): MigrationRecord {
    this.#requireActive();
    this.#state = 'finished';
    return this.#engine.abort();
  }

  #requireActive(): void {
    if (this.#state === 'finished') throw new SimError('INVALID_STATE', 'this migration has finished');
    if (this.#engine.record().state !== 'in-progress') {
      this.#state = 'finished';
      throw new SimError('INVALID_STATE', 'this migration was aborted (a host failed)');
    }
  }
}

function allPages(count: number): number[] {
  const pages = new Array<number>(count);
  for (let i = 0; i < count; i++) pages[i] = i;
  return pages;
}

/** The round's rate: the link's bandwidth, or the requested cap if it is lower. */
function checkRate(options: CopyOptions, bandwidthBytesPerMs: number): number {
  requireArgument(typeof options === 'object' && options !== null, 'copyPages options are { maxBytesPerMs? }');
  const cap = options.maxBytesPerMs;
  if (cap === undefined) return bandwidthBytesPerMs;
  requireArgument(typeof cap === 'number' && Number.isFinite(cap) && cap > 0, `maxBytesPerMs must be a positive number, got ${String(cap)}`);
  return Math.min(cap, bandwidthBytesPerMs);
}

function checkPages(pages: readonly number[], count: number): number[] {
  requireArgument(Array.isArray(pages), "copyPages takes an array of page numbers or 'all'");
  const list = [...pages];
  for (const page of list) {
    if (!Number.isSafeInteger(page) || page < 0 || page >= count) {
      throw new SimError('OUT_OF_RANGE', `page ${String(page)} is not a page of this VM (0..${count - 1})`);
    }
  }
  return list;
}
