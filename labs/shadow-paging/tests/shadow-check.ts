// Helpers of this lab's public and hidden tests (public, so you can read exactly how you are
// graded). compare.ts (shared with lab 3) runs a guest on bare hardware and under your VMM and
// lists every difference; this file adds what shadow paging needs: VMs in shadow mode, hidden
// and true faults told apart by what the simulator did, the efficiency bounds, the overhead
// against nested paging, and the data of the workbench's picture.
import { assemble, ControlRegister, Pte, type ExitContext, type ExitHandler, type ShadowTable, type VirtualMachine } from '@virtlab/sim';
import { expect } from '@virtlab/test';
import { callVmm, compareAlone, compareTogether, type GuestSpec, type TogetherResult } from './compare.ts';

/** One page fault your VMM handled, as the simulator saw it. */
export interface FaultEvent {
  /** Guest time (timer ticks) when it happened. */
  readonly tick: number;
  readonly va: number;
  readonly access: 'read' | 'write' | 'execute';
  readonly mode: 'user' | 'supervisor';
  /** Hidden: the guest resumed at the same instruction; true: the VMM reflected a trap. */
  readonly kind: 'hidden' | 'true';
}

/** What a run under your VMM did, counted per VM from the simulator's own state. */
export class ShadowLog {
  /** Page faults per VM id, in order (the first {@link EVENT_LIMIT} are kept in full). */
  readonly #faults = new Map<number, FaultEvent[]>();
  readonly #counts = new Map<number, { hidden: number; true: number; tableStores: number; tableSwitches: number }>();
  /** The shadow table each VM's hardware used last. */
  readonly #lastTable = new Map<number, ShadowTable | null>();
  /** Guest time at the exit being handled (set by {@link observe}, which runs just before). */
  #tick = 0;

  /** The observer to pass to compare.ts's runs, so that each fault gets its guest time. */
  readonly observe = (vm: VirtualMachine): void => {
    this.#tick = vm.stats.guestTime;
  };

  /** Wraps your VMM: every exit goes to it unchanged; the log only looks before and after. */
  wrap(vmm: ExitHandler): ExitHandler {
    return (exit: ExitContext) => {
      const id = exit.vm.id;
      const counts = this.#countsOf(id);
      const kind = exit.kind;
      const mode = exit.vcpu.mode;
      const before = kind === 'page-fault' ? { va: exit.address, access: exit.access ?? 'read', mode } : null;
      // Only virtual supervisor mode writes PTBR (in user mode the instruction traps into the guest).
      if (exit.instruction?.mnemonic === 'mtcr' && exit.instruction.imm === ControlRegister.PTBR && mode === 'supervisor') counts.tableSwitches++;
      callVmm(vmm, exit);
      if (kind === 'memory-violation' && exit.vcpu.pc === ((exit.pc + 4) >>> 0)) counts.tableStores++;
      if (exit.vm.mmu === 'shadow') this.#lastTable.set(id, exit.shadow.active);
      if (before === null) return;
      // A hidden fault is retried: the guest resumes at the very instruction that faulted.
      const hidden = exit.vcpu.pc === exit.pc;
      counts[hidden ? 'hidden' : 'true']++;
      let events = this.#faults.get(id);
      if (events === undefined) this.#faults.set(id, (events = []));
      if (events.length < EVENT_LIMIT) events.push({ ...before, tick: this.#tick, kind: hidden ? 'hidden' : 'true' });
    };
  }

  #countsOf(id: number): { hidden: number; true: number; tableStores: number; tableSwitches: number } {
    let counts = this.#counts.get(id);
    if (counts === undefined) this.#counts.set(id, (counts = { hidden: 0, true: 0, tableStores: 0, tableSwitches: 0 }));
    return counts;
  }

  /** Hidden and true faults, stores to protected pages your VMM carried out, and PTBR writes, of one VM. */
  counts(vm: VirtualMachine): { readonly hidden: number; readonly true: number; readonly tableStores: number; readonly tableSwitches: number } {
    return { ...this.#countsOf(vm.id) };
  }

  faults(vm: VirtualMachine): readonly FaultEvent[] {
    return this.#faults.get(vm.id) ?? [];
  }

  /** The shadow table the VM's hardware used at its last exit. */
  lastTable(vm: VirtualMachine): ShadowTable | null {
    return this.#lastTable.get(vm.id) ?? null;
  }
}

/** Page faults kept per VM for the picture. */
const EVENT_LIMIT = 400;

/** A run of one guest bare and in a shadow-mode VM under your VMM. */
export interface ShadowRun {
  readonly differences: string[];
  readonly vm: VirtualMachine;
  readonly log: ShadowLog;
}

/** Runs `source` bare and in one shadow-mode VM under `vmm`, logging what the VMM did. */
export function runShadow(source: string, memoryBytes: number, vmm: ExitHandler): ShadowRun {
  const log = new ShadowLog();
  const { differences, vm } = compareAlone(assemble(source), memoryBytes, log.wrap(vmm), { mmu: 'shadow', observe: log.observe });
  return { differences, vm, log };
}

/** Runs `specs` together in shadow-mode VMs under one `vmm` (each compared with its own bare run). */
export function runShadowTogether(specs: readonly GuestSpec[], vmm: ExitHandler): TogetherResult & { log: ShadowLog } {
  const log = new ShadowLog();
  return { ...compareTogether(specs, log.wrap(vmm), { mmu: 'shadow', observe: log.observe }), log };
}

/**
 * Efficiency: the hidden faults that `more` costs over `fewer` (the same guest doing more of
 * something: more context switches, more page-table updates) must stay within `allowed`.
 * The message names the quantity, both counts and the bound.
 */
export function expectExtraHiddenFaults(what: string, fewer: ShadowRun, more: ShadowRun, allowed: number, why: string): void {
  const extra = more.log.counts(more.vm).hidden - fewer.log.counts(fewer.vm).hidden;
  if (extra > allowed) {
    expect.fail(
      `hidden faults: ${what} cost ${extra} more hidden faults (${fewer.log.counts(fewer.vm).hidden} → ${more.log.counts(more.vm).hidden}; needs ≤ ${allowed}): ${why}`,
    );
  }
}

/** The guest's own translation of `va` (under the PTBR `directory`), or null where it maps nothing. */
export function guestTranslation(vm: VirtualMachine, directory: number, va: number): { gpa: number; writable: boolean; user: boolean } | null {
  const pdeAt = directory + ((va >>> 22) << 2);
  if (pdeAt + 4 > vm.memoryBytes) return null;
  const pde = vm.readGuestPhysical(pdeAt);
  if ((pde & Pte.PRESENT) === 0) return null;
  const pteAt = ((pde & Pte.FRAME_MASK) >>> 0) + (((va >>> 12) & 1023) << 2);
  if (pteAt + 4 > vm.memoryBytes) return null;
  const pte = vm.readGuestPhysical(pteAt);
  if ((pte & Pte.PRESENT) === 0) return null;
  return { gpa: (pte & Pte.FRAME_MASK) >>> 0, writable: (pde & pte & Pte.WRITABLE) !== 0, user: (pde & pte & Pte.USER) !== 0 };
}

/** One virtual page in the picture: the guest's entry beside the shadow's, with the host frame. */
export interface PageRow {
  readonly va: number;
  readonly guest: { readonly gpa: number; readonly writable: boolean; readonly user: boolean } | null;
  readonly shadow: { readonly gpa: number; readonly hostAddress: number; readonly writable: boolean; readonly user: boolean } | null;
}

/** What the workbench draws for one run (a few kilobytes). */
export interface ShadowPicture {
  readonly title: string;
  /** The PTBR of the address space shown. */
  readonly directory: number;
  readonly pages: readonly PageRow[];
  readonly faults: readonly FaultEvent[];
  readonly counts: { readonly hidden: number; readonly true: number; readonly tableStores: number; readonly tableSwitches: number };
  readonly differences: readonly string[];
}

/** The picture of `run` for the pages `vas`, read from the guest's memory and the last shadow table. */
export function shadowPicture(title: string, run: ShadowRun, vas: readonly number[]): ShadowPicture {
  const { vm, log } = run;
  const directory = (vm.cpuState.control.ptbr & Pte.FRAME_MASK) >>> 0;
  const table = log.lastTable(vm);
  const pages = vas.map((va): PageRow => {
    const entry = table?.get(va) ?? null;
    return {
      va,
      guest: guestTranslation(vm, directory, va),
      shadow: entry === null ? null : { gpa: entry.guestPhysical, hostAddress: vm.hostAddressOf(entry.guestPhysical), writable: entry.writable, user: entry.user },
    };
  });
  return { title, directory, pages, faults: log.faults(vm), counts: log.counts(vm), differences: run.differences.slice(0, 3) };
}
