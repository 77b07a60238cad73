/**
 * The cluster: virtualization hosts with power models, VMs with demand traces and guest memory,
 * placement with capacity checks, anti-affinity, host failures, links and live migration.
 * See src/sim/kernel/README.md ("Cluster") for the design.
 * @packageDocumentation
 */
export { Cluster } from './cluster.ts';
export type {
  AntiAffinityViolation, CapacityViolation, ClusterHostInfo, ClusterHostLoad, ClusterHostSpec, ClusterLinkSpec, ClusterOptions,
  ClusterPowerReport, ClusterVmInfo, ClusterVmSpec, ClusterVmState, ServiceStatus,
} from './cluster.ts';
export { DEFAULT_HOST_POWER, DEFAULT_LEGACY_SERVER_POWER, powerDraw, type HostPowerModel } from './power.ts';
export { fleetPowerWatts, generateServerFleet, type PhysicalServerSpec, type ServerFleetOptions } from './fleet.ts';
export {
  MIGRATION_BURST_PAGES, MIGRATION_CPU_STATE_BYTES, MIGRATION_MAX_ROUNDS, MigrationSession,
  type CopyOptions, type MigrationRecord, type MigrationRoundResult,
} from './migration.ts';
export type { VmMemoryWorkload } from './vm-memory.ts';
