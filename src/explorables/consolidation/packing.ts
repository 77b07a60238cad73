/**
 * The explorable's packing, deliberately plain: first-fit in the fleet's given order. Each server
 * goes on the first host already open where the simulator's `canPlace` says it fits at every
 * sample with the headroom kept free, else on a new host. No sorting and no care for replicas:
 * lab 1 (labs/consolidate) asks learners for a better packing, so this one must not be it.
 */
import type { Cluster, ClusterHostSpec } from '../../sim/cluster/index.ts';

/** Where one server went, and why a new host was opened for it if one was. */
export interface Placement {
  readonly serverId: string;
  readonly hostId: string;
  readonly opened: boolean;
  /** It does not fit an empty host with this headroom either: it has a host of its own, above the line. */
  readonly overHeadroom: boolean;
}

/** Places `serverId` (already a VM in `cluster`) on the first open host that takes it, or on a new host. */
export function placeFirstFit(cluster: Cluster, serverId: string, openHosts: string[], host: Omit<ClusterHostSpec, 'id'>, headroom: number): Placement {
  const fits = openHosts.find((hostId) => cluster.canPlace(serverId, hostId, headroom));
  if (fits !== undefined) {
    cluster.place(serverId, fits);
    return { serverId, hostId: fits, opened: false, overHeadroom: false };
  }
  const hostId = `host-${openHosts.length + 1}`;
  cluster.addHost({ id: hostId, ...host });
  openHosts.push(hostId);
  const overHeadroom = !cluster.canPlace(serverId, hostId, headroom);
  // place() refuses only beyond 100 %; every generated server fits an empty host of these sizes.
  cluster.place(serverId, hostId);
  return { serverId, hostId, opened: true, overHeadroom };
}
