/**
 * Consolidate: move under-used physical servers onto as few virtualization hosts as possible.
 *
 * The tests apply your plan to the simulator's cluster and check what really happens there:
 * every host's load at every sample, replicas that share a host, and the power drawn.
 */
import { SimError, powerDraw } from '@virtlab/sim';
import type { ConsolidationPlan, ConsolidationReport, HostModel, PhysicalServerSpec } from './types.ts';

/**
 * Places every server on a host of kind `host`, using as few hosts as you can.
 *
 * - At every sample, the servers on a host may use at most `(1 − headroom)` of its cores and
 *   at most `(1 − headroom)` of its memory.
 * - Two servers of the same service (replicas) never share a host.
 *
 * @param headroom the share of each host kept free, in [0, 1)
 * @throws SimError with code `CAPACITY_EXCEEDED`, naming the server, if a server would not fit
 *   even on an empty host at this headroom (then no plan is returned)
 */
export function planConsolidation(servers: readonly PhysicalServerSpec[], host: HostModel, headroom: number): ConsolidationPlan {
  void servers;
  void host;
  void headroom;
  void SimError;
  throw new Error('TODO: planConsolidation');
}

/**
 * The figures of a consolidation: hosts saved, utilization and power before and after (see
 * `ConsolidationReport` in types.ts for each figure's definition). Use the servers' own power
 * models before and the host model's after, with `powerDraw` from the simulator.
 */
export function reportConsolidation(servers: readonly PhysicalServerSpec[], plan: ConsolidationPlan, host: HostModel): ConsolidationReport {
  void servers;
  void plan;
  void host;
  void powerDraw;
  throw new Error('TODO: reportConsolidation');
}
