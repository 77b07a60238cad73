/**
 * Live migration: a pre-copy migration policy and a host evacuation plan.
 */
import type { EvacuationInput, EvacuationMove, MigrationPolicy, MigrationSession } from './types.ts';

/**
 * Migrates the VM of `session` by pre-copy (Clark et al., NSDI 2005) and resumes it on the
 * destination.
 *
 * - Round 1 sends every page (`copyPages('all')`) while the VM runs.
 * - Each further round sends the pages dirtied since they were last sent, read with
 *   `takeDirtyPages()` (which clears the log). Pages of the writable working set (dirtied again
 *   in two consecutive reads of the log) may be held back for the final copy.
 * - Before each further round, stop iterating if any of `policy`'s rules holds: `maxRounds`
 *   rounds made; fewer than `minPendingPages` pages wait; sending them would take the pages sent
 *   so far past `maxSentFactor` × `pageCount`; or a stop now would take at most
 *   `downtimeTargetMs` (estimate: 2 × latency + (pending pages × page size + the CPU state) ÷
 *   bandwidth).
 * - While the VM runs, every round keeps to `policy.rateLimitBytesPerMs` when it is not null
 *   (`copyPages(pages, { maxBytesPerMs })`).
 * - Then `stop()`, send every page not yet current at the destination (the VM may write until it
 *   stops, and a device may finish DMA into it after: read the log once more), and `resume()`.
 *
 * Returns nothing: the simulator measures downtime, time, pages sent and consistency itself.
 */
export function migrate(session: MigrationSession, policy: MigrationPolicy): void {
  void session;
  void policy;
  throw new Error('TODO: migrate the VM by pre-copy');
}

/**
 * Plans moving every VM off `input.drain`: a list of live migrations done one after another.
 * After every move (not only the last) no host may run two replicas of one service, no host may
 * need more than its cores or memory (sum of its VMs' `vcpus` and `memoryGiB`), and VMs only go
 * to hosts that are up and are not the drained host. The plan may move VMs of other hosts to
 * make room. The tests give only clusters where such a plan exists.
 */
export function planEvacuation(input: EvacuationInput): EvacuationMove[] {
  void input;
  throw new Error('TODO: plan the evacuation');
}
