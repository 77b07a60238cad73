/**
 * Lesson 6's fair-shares explorable: the host and its three VMs (one vCPU each), shared by the
 * form (FairShares.astro), the model and the tests. Shares are Xen-style weights (default 256);
 * reservations and limits are in percent of one physical CPU, as in lab 7. The figures are this
 * explorable's own, not one of lab 7's test scenarios.
 */
export const PCPUS = 2;
/** CPU is measured per window; the simulator's quantum is 10 ms, so 25 quanta a window. */
export const WINDOW_MS = 250;
export const RUN_MS = 4000;
/** When the chosen VM goes idle: half-way, at a window boundary. */
export const IDLE_AT_MS = 2000;
export const WINDOWS = RUN_MS / WINDOW_MS;

export interface VmConfig {
  readonly id: string;
  readonly shares: number;
  /** Percent of one physical CPU; 0 for none. */
  readonly reservationPercent: number;
  /** Percent of one physical CPU; 0 for none (the simulator's capPercent). */
  readonly limitPercent: number;
}

export const VMS: readonly VmConfig[] = [
  { id: 'web', shares: 512, reservationPercent: 0, limitPercent: 0 },
  { id: 'db', shares: 256, reservationPercent: 90, limitPercent: 0 },
  { id: 'batch', shares: 256, reservationPercent: 0, limitPercent: 30 },
];

/** Which VM goes idle at IDLE_AT_MS, or none. */
export const IDLE_CHOICES = ['none', ...VMS.map((vm) => vm.id)] as const;
export type IdleChoice = (typeof IDLE_CHOICES)[number];
export const DEFAULT_IDLE: IdleChoice = 'web';

/** The VM's settings in words, for the form, the picture and the table. */
export function describeVm(vm: VmConfig): string {
  const parts = [`${vm.shares} shares`];
  if (vm.reservationPercent > 0) parts.push(`reservation ${vm.reservationPercent}\u00a0%`);
  if (vm.limitPercent > 0) parts.push(`limit ${vm.limitPercent}\u00a0%`);
  return parts.join(', ');
}
