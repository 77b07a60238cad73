/**
 * The shapes the Consolidate lab's functions take and return (read-only: the tests use this
 * file as it is here).
 *
 * The servers you consolidate are the simulator's `PhysicalServerSpec` (from
 * `generateServerFleet`): each has its own cores, memory and power model, a `service` (servers
 * of one service are replicas of each other) and two traces with one sample per hour: cores in
 * use (`cpuTrace`) and GiB in use (`memoryTrace`).
 */
import type { HostPowerModel, PhysicalServerSpec } from '@virtlab/sim';

export type { HostPowerModel, PhysicalServerSpec };

/** The kind of virtualization host the servers move to; every host you open is one of these. */
export interface HostModel {
  readonly cpuCores: number;
  readonly memoryGiB: number;
  /** Watts drawn idle and at full CPU load; see `powerDraw` in `@virtlab/sim`. */
  readonly power: HostPowerModel;
}

/**
 * Where each server goes. `hosts[i]` lists the ids of the servers on host number `i`; the tests
 * create hosts `host-0`, `host-1`, … of the {@link HostModel} and place the servers there
 * through the simulator. Every server appears exactly once. A host with no server is switched
 * off.
 */
export interface ConsolidationPlan {
  readonly hosts: readonly (readonly string[])[];
}

/**
 * What the consolidation achieves, computed from the servers' traces and the power models.
 * "Mean" is over the samples of the traces. Utilizations are fractions in [0, 1].
 */
export interface ConsolidationReport {
  /** Physical servers before consolidation (one per server, all switched on). */
  readonly serversBefore: number;
  /** Hosts switched on after consolidation: those that carry at least one server. */
  readonly hostsAfter: number;
  /** serversBefore − hostsAfter. */
  readonly hostsSaved: number;
  /** Mean cores in use over all servers ÷ the servers' cores added up. */
  readonly cpuUtilizationBefore: number;
  /** The same mean cores in use ÷ the cores of the hosts switched on. */
  readonly cpuUtilizationAfter: number;
  /** Mean GiB in use over all servers ÷ the servers' memory added up. */
  readonly memoryUtilizationBefore: number;
  /** The same mean GiB in use ÷ the memory of the hosts switched on. */
  readonly memoryUtilizationAfter: number;
  /** Mean watts of the servers on their own hardware, each with its own power model. */
  readonly powerBeforeWatts: number;
  /** Mean watts of the hosts switched on, with the host model's power model. */
  readonly powerAfterWatts: number;
  /** powerBeforeWatts − powerAfterWatts. */
  readonly powerSavedWatts: number;
}
