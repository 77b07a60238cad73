/**
 * Pre-copy live migration after Clark et al. (NSDI 2005): the reference solution of the live
 * migration lab. Lives only in the tests.
 *
 * Round 0 sends every page; each later round sends the pages dirtied during the previous one.
 * It stops iterating when the dirty set is small enough to send within the downtime target,
 * when it stops shrinking (the writable working set is being re-sent for nothing), or after a
 * maximum number of rounds; then it stops the VM, sends the last dirty pages and resumes.
 */
import type { MigrationRecord, MigrationSession } from '../../../src/sim/index.ts';

export interface PreCopyOptions {
  /** Downtime the final copy should fit in, ms; default 50. */
  readonly targetDowntimeMs?: number;
  /** Default 30 (Xen used a similar cap). */
  readonly maxRounds?: number;
}

export function preCopyMigrate(session: MigrationSession, options: PreCopyOptions = {}): MigrationRecord {
  const target = options.targetDowntimeMs ?? 50;
  const maxRounds = options.maxRounds ?? 30;
  const pagesWithinTarget = Math.max(1, Math.floor(((target - session.latencyMs) * session.bandwidthBytesPerMs) / session.pageSizeBytes));
  session.copyPages('all');
  let dirty = session.takeDirtyPages();
  for (let round = 1; round < maxRounds && dirty.length > pagesWithinTarget; round++) {
    session.copyPages(dirty);
    const next = session.takeDirtyPages();
    const shrinking = next.length < dirty.length * 0.9;
    dirty = next;
    if (!shrinking) break;
  }
  session.stop();
  // Pages dirtied during the last round, plus the set we decided not to send while running.
  const remaining = new Set([...dirty, ...session.takeDirtyPages()]);
  session.copyPages([...remaining].sort((a, b) => a - b));
  return session.resume();
}

/** Non-live migration for comparison: stop first, copy everything, resume. */
export function stopAndCopyMigrate(session: MigrationSession): MigrationRecord {
  session.stop();
  session.copyPages('all');
  return session.resume();
}
