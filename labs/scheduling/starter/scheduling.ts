/**
 * Scheduling: share one host fairly. Part 1 is a proportional-share vCPU scheduler for the
 * simulator's VcpuSchedulingHost; Part 2 a memory balancer for its BalloonMemoryHost.
 *
 * The tests install your policy with `host.setScheduler(createFairScheduler(options))` and your
 * balancer with `host.setBalancer(createMemoryBalancer())`, run the hosts, and read what each
 * vCPU and VM really got from the hosts' own `report()`.
 */
import type { MemoryBalancer, VcpuSchedulerPolicy } from '@virtlab/sim';
import { IDLE_MEMORY_TAX, type SchedulerOptions } from './types.ts';

/**
 * Returns a policy whose `pick(query)` names, each quantum, at most `query.pcpus` runnable vCPUs
 * (each once), such that over time:
 *
 * - every vCPU with work gets CPU in proportion to its `weight`, among the vCPUs that have work;
 * - a vCPU with `capPercent > 0` never gets more than that percent of one physical CPU;
 * - a vCPU with a reservation (`options.reservations[id]`) always gets at least that percent
 *   while it has work;
 * - no physical CPU is left idle while a vCPU that may run (not at its cap) has work;
 * - a vCPU that wakes up (had no work, now has) runs soon, without banking the time it slept.
 *
 * One policy object serves one host; vCPUs may be added to and removed from the host while it runs
 * (see `SchedulerOptions` in types.ts for what the policy then sees).
 */
export function createFairScheduler(options: SchedulerOptions = {}): VcpuSchedulerPolicy {
  void options;
  throw new Error('TODO: createFairScheduler');
}

/**
 * Returns a balancer whose `balance(query)` returns balloon targets (MiB per VM id) such that:
 *
 * - when the VMs' configured memory fits the host, no balloon is inflated;
 * - otherwise the VMs are given, together, no more than the host's memory (so the host never
 *   swaps), each at least its reservation;
 * - when the estimated working sets fit, every VM keeps its working set: memory is taken from
 *   idle memory first;
 * - idle memory is divided by the idle memory tax (τ = `IDLE_MEMORY_TAX`): the VM with the
 *   fewest shares per charged page loses memory first, where a page costs 1 if active and
 *   1 / (1 − τ) if idle;
 * - targets do not flap with the noise of the sampled estimates, and follow a change in demand
 *   within 10 balance periods.
 *
 * One balancer object serves one host.
 */
export function createMemoryBalancer(): MemoryBalancer {
  void IDLE_MEMORY_TAX;
  throw new Error('TODO: createMemoryBalancer');
}
