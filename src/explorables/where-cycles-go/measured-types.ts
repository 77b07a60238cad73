/** The shape of what scripts/measure-where-cycles-go.ts records (the simulator's VmStats, abridged). */
import type { ApproachId } from './options.ts';

/** One VM's run. */
export interface MeasuredVm {
  /** stats.cycles.total: direct + trap + emulation + worldSwitch (idle is not overhead). */
  readonly busyCycles: number;
  readonly accounts: { readonly direct: number; readonly trap: number; readonly emulation: number; readonly worldSwitch: number };
  readonly exits: number;
  /** Share of retired instructions run directly (Popek and Goldberg's efficiency). */
  readonly directShare: number;
  /**
   * The guest's console against the native kernel's on bare hardware (the paravirtual kernel's
   * banner and tick count aside): the same, the same characters with the two processes'
   * output interleaved differently, or different.
   */
  readonly printed: 'same' | 'interleaved-differently' | 'different';
}

/** One workload mix: bare hardware's busy cycles when it was measured, and each approach's VM. */
export interface MeasuredMix {
  readonly nativeBusyCycles: number;
  readonly vms: Readonly<Record<ApproachId, MeasuredVm>>;
}
