/**
 * Public types of the hypervisor API: exit kinds, cycle accounts, statistics, trace events.
 * @module
 */

/**
 * Why a vCPU stopped running the guest directly and handed control to the VMM.
 *
 * | kind | when | `pc` at the exit |
 * |---|---|---|
 * | `privileged-instruction` | the guest executed a privileged instruction (it always runs deprivileged) | the instruction |
 * | `sensitive-instruction` | binary translation: an instruction the scanner marked is about to run | the instruction |
 * | `syscall` | `syscall n` (unless direct syscalls are enabled) | the next instruction |
 * | `hypercall` | `hcall n` | the next instruction |
 * | `page-fault` | the guest's page tables (nested) or the shadow table (shadow) refused an access | the instruction |
 * | `exception` | any other architectural trap: illegal instruction, misaligned access, divide by zero, breakpoint, bus error | the instruction (after `brk`) |
 * | `memory-violation` | a guest-physical page the hypervisor's map does not allow (unmapped, write-protected) | the instruction |
 * | `interrupt` | a virtual device raised an interrupt line | the next instruction to run |
 */
export type ExitKind =
  | 'privileged-instruction'
  | 'sensitive-instruction'
  | 'syscall'
  | 'hypercall'
  | 'page-fault'
  | 'exception'
  | 'memory-violation'
  | 'interrupt';

/** Every exit kind, in a fixed order. */
export const EXIT_KINDS: readonly ExitKind[] = Object.freeze([
  'privileged-instruction',
  'sensitive-instruction',
  'syscall',
  'hypercall',
  'page-fault',
  'exception',
  'memory-violation',
  'interrupt',
]);

/** Cycles split by what they were spent on. */
export interface CycleAccount {
  /** Guest instructions run directly on the CPU, with their TLB walks and directly delivered traps. */
  readonly direct: number;
  /** Hardware cost of exits (the traps into the monitor). */
  readonly trap: number;
  /** Monitor work: decoding, emulating, injecting, device models, translation, shadow updates. */
  readonly emulation: number;
  /** Saving/restoring guest state around exits and switching between VMs. */
  readonly worldSwitch: number;
  /** Virtual time a vCPU spent halted waiting for an interrupt (not overhead; not in `total`). */
  readonly idle: number;
  /** direct + trap + emulation + worldSwitch. */
  readonly total: number;
}

/** Lifecycle of a VM. */
export type VmState =
  /** Ready to run. */
  | 'runnable'
  /** Halted and nothing can wake it (interrupts off, or no timer and no device event). */
  | 'halted'
  /** The guest wrote to its POWER_OFF port. */
  | 'powered-off'
  /** The VMM stopped it with `exit.powerOff()`. */
  | 'shut-down'
  /** The VMM's exit handler threw; see `failure`. */
  | 'failed';

/** Counters of one VM. */
export interface VmStats {
  /** Guest instructions retired by direct execution. */
  readonly directInstructions: number;
  /** Guest instructions the monitor completed (emulated privileged ones, callouts, hypercalls). */
  readonly emulatedInstructions: number;
  /** directInstructions ÷ all retired instructions (1 when nothing ran). */
  readonly directShare: number;
  /** Exits handled by the VMM. */
  readonly exits: number;
  readonly exitsByKind: Readonly<Record<ExitKind, number>>;
  /** Traps and interrupts put into the guest (by the VMM or by direct syscall delivery). */
  readonly injections: number;
  readonly tlbMisses: number;
  /** Guest time in timer ticks (retired instructions + idle). */
  readonly guestTime: number;
  readonly cycles: CycleAccount;
}

/** One entry of the hypervisor's event trace (for visualizations). */
export interface TraceEvent {
  /** Host cycle count when it happened. */
  readonly cycle: number;
  /** The VM's number on its hypervisor (1, 2, … in creation order), not its process-wide `id`. */
  readonly vm: number;
  readonly type: 'exit' | 'inject' | 'vm-switch' | 'state' | 'translate';
  /** Exit kind, injected cause name, new state... */
  readonly detail: string;
  readonly pc: number;
}
