/**
 * The shapes the Live migration lab's functions take and return (read-only: the tests use this
 * file as it is here).
 *
 * A migration is driven through the simulator's `MigrationSession` (from `@virtlab/sim`):
 * `copyPages` (with an optional `{ maxBytesPerMs }` rate limit), `takeDirtyPages`, `stop`,
 * `resume`, and the facts `pageCount`, `pageSizeBytes`,
 * `bandwidthBytesPerMs`, `latencyMs`, `elapsedMs`. The simulator measures what really happened.
 */
import type { MigrationSession } from '@virtlab/sim';
import { MIGRATION_CPU_STATE_BYTES } from '@virtlab/sim';

export type { MigrationSession };
export { MIGRATION_CPU_STATE_BYTES };

/** When to stop iterating and do the final stop-and-copy (Xen's rules, plus a downtime target). */
export interface MigrationPolicy {
  /** Stop after this many copy rounds while the VM runs, counting the first full copy (Xen: 30). */
  readonly maxRounds: number;
  /** Stop when fewer than this many pages wait to be sent (Xen: 50). */
  readonly minPendingPages: number;
  /** Stop before the pages sent while running would exceed this multiple of the VM's memory (Xen: 3). */
  readonly maxSentFactor: number;
  /** Stop as soon as the estimated downtime of a stop now is at most this many ms. */
  readonly downtimeTargetMs: number;
  /**
   * While the VM runs, send at most this many bytes per ms, so that the service keeps the rest of
   * the link (`copyPages(pages, { maxBytesPerMs })`); null: no limit. The final copy, after
   * `stop()`, may use the whole link.
   */
  readonly rateLimitBytesPerMs: number | null;
}

/** A host as the evacuation planner sees it. */
export interface EvacuationHost {
  readonly id: string;
  readonly cpuCores: number;
  readonly memoryGiB: number;
  /** A failed host can take no VM. */
  readonly state: 'up' | 'failed';
}

/** A VM and where it runs now. VMs with the same `service` are replicas of one service. */
export interface EvacuationVm {
  readonly id: string;
  readonly service: string | null;
  readonly vcpus: number;
  readonly memoryGiB: number;
  readonly host: string;
}

/** The cluster to evacuate a host of. Every host is linked to every other. */
export interface EvacuationInput {
  readonly hosts: readonly EvacuationHost[];
  readonly vms: readonly EvacuationVm[];
  /** The host to empty (for maintenance or a predicted failure). */
  readonly drain: string;
}

/** One live migration of the plan: VM `vm` moves to host `to`. Moves run one after another. */
export interface EvacuationMove {
  readonly vm: string;
  readonly to: string;
}
