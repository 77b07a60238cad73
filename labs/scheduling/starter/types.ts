/**
 * Shapes of the Scheduling lab (read-only). The simulator's own interfaces
 * (`VcpuSchedulerPolicy`, `MemoryBalancer`) come from `@virtlab/sim`.
 */

/**
 * What the administrator configured for the vCPU scheduler beyond each vCPU's weight and cap.
 *
 * VMs come and go while the host runs: a vCPU added to the host appears in `query.all` (and, while
 * it has work, in `query.runnable`) from the next quantum on; a vCPU whose VM leaves is absent from
 * `query.all` from the next quantum on, and never picked again. A VM may later arrive under the id
 * of one that left: it is a new vCPU with no history (it must not inherit the old one's CPU time
 * or debts), and its reservation, if any, is the one listed under that id.
 */
export interface SchedulerOptions {
  /**
   * Reservations: vCPU id → the least CPU it must get while it has work, in percent of one
   * physical CPU (0..100). vCPUs not listed have none. The tests only give reservations that
   * fit (their sum is at most 100 × pcpus, and each is at most the vCPU's cap when it has one).
   */
  readonly reservations?: Readonly<Record<string, number>>;
}

/** The idle memory tax of Waldspurger (OSDI 2002) and ESX's default: idle memory costs 4× active. */
export const IDLE_MEMORY_TAX = 0.75;
