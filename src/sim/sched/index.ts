/**
 * Scheduling: virtual CPUs with weights and caps on a host's physical CPUs under a pluggable
 * policy, and memory overcommit with reservations, shares and balloon drivers. See
 * src/sim/kernel/README.md ("Scheduling") for the design and sources.
 * @packageDocumentation
 */
export { VcpuSchedulingHost, createRoundRobinScheduler } from './vcpu.ts';
export type {
  VcpuDemand, VcpuPickQuery, VcpuScheduleReport, VcpuSchedulerPolicy, VcpuSpec, VcpuUsage, VcpuView,
} from './vcpu.ts';
export { BALLOON_SAMPLED_PAGES, BALLOON_TICK_MS, BalloonMemoryHost, NO_BALLOONING } from './balloon.ts';
export type {
  BalloonBalanceQuery, BalloonReport, BalloonVmSpec, BalloonVmUsage, BalloonVmView, MemoryBalancer, WorkingSetSpec,
} from './balloon.ts';
