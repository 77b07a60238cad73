/**
 * The cost model: how many simulated cycles each kind of work costs.
 *
 * Costs are in cycles of a notional in-order CPU where a simple instruction takes one cycle.
 * The *ratios* follow the literature qualitatively; the exact numbers are chosen so that the
 * reference workloads in `src/sim/guests` reproduce the overhead bands of the 2007 lecture
 * (paravirtualization 3–8%, full virtualization 30–50%). They are teaching constants, not
 * measurements of any real processor. See `src/sim/README.md` for the derivation.
 *
 * Sources (qualitative):
 * - K. Adams and O. Agesen, "A Comparison of Software and Hardware Techniques for x86
 *   Virtualization", ASPLOS 2006: a VM exit/entry round trip costs on the order of a thousand
 *   cycles or more — far more than a native trap — so trap-heavy guest kernel code (privileged
 *   instructions, page-table updates, context switches) is where virtualization overhead
 *   comes from; binary translation replaces many traps with cheaper in-monitor callouts.
 * - P. Barham et al., "Xen and the Art of Virtualization", SOSP 2003: a paravirtualized guest
 *   replaces sensitive operations by (batched) hypercalls and takes system calls without
 *   entering the hypervisor, so it runs within a few percent of native.
 * - R. Bhargava et al., "Accelerating Two-Dimensional Page Walks for Virtualized Systems",
 *   ASPLOS 2008: a nested (two-dimensional) page walk makes many more memory references than
 *   a native one, so TLB misses cost more under nested paging.
 * - G. J. Popek and R. P. Goldberg, CACM 1974: efficiency demands that most instructions run
 *   directly, at native cost.
 * @module
 */

/** Cycle costs. All values are non-negative integers. */
export interface CostModel {
  /** Any instruction that runs directly (bare hardware or direct execution in a VM). */
  readonly instruction: number;
  /** Extra cycles for a TLB miss that walks a native two-level page table (2 memory reads). */
  readonly tlbMiss: number;
  /** Extra cycles for a TLB miss under nested paging (guest walk × host map, up to 8 reads). */
  readonly nestedTlbMiss: number;
  /** Delivering a trap or interrupt on bare hardware (save state, switch mode, jump to TVEC). */
  readonly trapEntry: number;
  /** `iret` on bare hardware (restore mode and pc), in addition to `instruction`. */
  readonly trapReturn: number;
  /** An `in`/`out` on bare hardware (a device register access), in addition to `instruction`. */
  readonly ioAccess: number;
  /** Hardware part of a VM exit: the trap into the monitor. Accounted as "trap". */
  readonly vmExit: number;
  /** Saving and restoring guest state on an exit and the following entry. "world switch". */
  readonly worldSwitch: number;
  /** Switching the host CPU from one VM to another. "world switch". */
  readonly vmSwitch: number;
  /** Monitor work to dispatch any exit (read exit information, find the handler). "emulation". */
  readonly exitDispatch: number;
  /** Fetching and decoding the faulting guest instruction and emulating it. "emulation". */
  readonly emulateInstruction: number;
  /** Emulating a device register access in a virtual device model. "emulation". */
  readonly emulateIo: number;
  /** Injecting (reflecting) a trap or interrupt into the guest. "emulation". */
  readonly inject: number;
  /**
   * The trap into the hypervisor for a hypercall, in place of `vmExit` + `worldSwitch`: a
   * paravirtual hypervisor is mapped into every guest address space (Xen, Barham et al. 2003),
   * so a hypercall is a software trap, not a switch of worlds. Accounted as "trap".
   */
  readonly hypercallTrap: number;
  /** Handling a hypercall: arguments arrive in registers, nothing to decode. "emulation". */
  readonly hypercall: number;
  /** The monitor reading or writing one word of guest memory. "emulation". */
  readonly guestMemoryAccess: number;
  /** Translating one guest instruction (binary translation, once per code page). "emulation". */
  readonly translateInstruction: number;
  /**
   * A callout from translated code into the monitor: no hardware trap and no world switch, but
   * the monitor still emulates the instruction. Chosen to reproduce the lecture's band. "emulation".
   */
  readonly callout: number;
}

/**
 * The default constants. Chosen (see README) so the reference workloads land in the lecture's
 * bands; the instruction/trap/exit *ordering* follows the sources above.
 */
export const DEFAULT_COSTS: CostModel = Object.freeze({
  instruction: 1,
  tlbMiss: 20,
  nestedTlbMiss: 60,
  trapEntry: 60,
  trapReturn: 30,
  ioAccess: 40,
  vmExit: 250,
  worldSwitch: 150,
  vmSwitch: 600,
  exitDispatch: 40,
  emulateInstruction: 120,
  emulateIo: 80,
  inject: 60,
  hypercallTrap: 150,
  hypercall: 40,
  guestMemoryAccess: 10,
  translateInstruction: 30,
  callout: 250,
});

/** Returns a complete, frozen cost model: defaults overridden by `overrides`, validated. */
export function resolveCosts(overrides: Partial<CostModel> | undefined, errorFactory: (message: string) => Error): CostModel {
  const merged: Record<string, number> = { ...DEFAULT_COSTS };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (!(key in DEFAULT_COSTS)) throw errorFactory(`unknown cost "${key}": known costs are ${Object.keys(DEFAULT_COSTS).join(', ')}`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw errorFactory(`cost "${key}" must be a non-negative integer, got ${String(value)}`);
    }
    merged[key] = value;
  }
  if ((merged.instruction as number) !== 1) throw errorFactory('cost "instruction" must be 1: every other cost is measured in instructions');
  return Object.freeze(merged) as unknown as CostModel;
}
