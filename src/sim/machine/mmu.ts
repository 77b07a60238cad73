/**
 * Address translation: the TLB layout shared by every CPU, the `Mmu` strategy a CPU calls on
 * a TLB miss, and the native two-level page walk.
 *
 * Page tables (built by the guest in memory): PTBR holds the physical address of a 4 KiB
 * page directory of 1024 entries; bits 31..22 of a virtual address pick a directory entry,
 * whose frame is a page table; bits 21..12 pick the page-table entry, whose frame is the
 * page. Entries use the {@link Pte} bits; access is allowed only if both levels allow it.
 * Supervisor stores honour WRITABLE too. The TLB caches successful translations only (never
 * "not present"), and is not coherent with memory: after changing an entry that may be cached,
 * the kernel executes `tlbi` or `tlbflush` (writing PTBR or toggling paging flushes it too).
 * @module
 */
import { Cause, Pte, Status } from './isa.ts';

/** TLB entries (direct-mapped by virtual page number). */
export const TLB_ENTRIES = 64;
/** Mask selecting a TLB slot from a virtual page number. */
export const TLB_MASK = TLB_ENTRIES - 1;

/** Permission bits cached in a TLB entry. */
export const Perm = {
  SUPERVISOR_READ: 1,
  SUPERVISOR_WRITE: 2,
  USER_READ: 4,
  USER_WRITE: 8,
  ALL: 15,
} as const;

/** Kinds of memory access. */
export const Access = { READ: 0, WRITE: 1, FETCH: 2 } as const;
/** One of {@link Access}. */
export type AccessKind = (typeof Access)[keyof typeof Access];

/** Names of the access kinds, as used by the hypervisor API. */
export const ACCESS_NAMES = ['read', 'write', 'execute'] as const;

/** Page-fault trap cause for an access kind. */
export function pageFaultCause(access: number): number {
  return access === Access.WRITE ? Cause.PAGE_FAULT_STORE : access === Access.FETCH ? Cause.PAGE_FAULT_FETCH : Cause.PAGE_FAULT_LOAD;
}

/** How a translation failed. */
export const FaultKind = {
  /** An architectural trap (page fault or bus error) that the guest's kernel should see. */
  TRAP: 1,
  /** Under a hypervisor: the guest-physical address is not allowed by the host's map. */
  VIOLATION: 2,
} as const;

/**
 * Where a translation result (or failure) is written. Implemented by the CPU; kept as an
 * interface so that MMUs do not depend on the interpreter.
 */
export interface TranslationSink {
  /** Word index (physical address ÷ 4) of the frame's first word. */
  fillFrame: number;
  /** {@link Perm} bits for the filled entry. */
  fillPerm: number;
  /** Extra cycles the fill cost (page-walk memory references). */
  fillCost: number;
  faultKind: number;
  faultCause: number;
  faultTval: number;
  faultAccess: number;
  /** The guest-virtual address an access was denied at (memory violations), or -1. */
  faultAddress: number;
  /** The CPU's control registers (STATUS, PTBR, ...). */
  readonly ctl: Int32Array;
}

/** Translates one virtual address on a TLB miss. */
export interface Mmu {
  /**
   * Translates `va` for `access` in user or supervisor mode. On success sets
   * `sink.fillFrame`/`fillPerm`/`fillCost` and returns true; on failure sets the fault fields
   * and returns false.
   */
  fill(sink: TranslationSink, va: number, access: number, user: boolean): boolean;
}

/** TLB permission bits for a pair of (present) entries' WRITABLE and USER bits. */
export function permFromPte(pte: number): number {
  const writable = (pte & Pte.WRITABLE) !== 0;
  const user = (pte & Pte.USER) !== 0;
  return Perm.SUPERVISOR_READ | (writable ? Perm.SUPERVISOR_WRITE : 0) | (user ? Perm.USER_READ : 0) | (user && writable ? Perm.USER_WRITE : 0);
}

/** The permission bit an access needs in a mode. */
export function neededPerm(access: number, user: boolean): number {
  if (access === Access.WRITE) return user ? Perm.USER_WRITE : Perm.SUPERVISOR_WRITE;
  return user ? Perm.USER_READ : Perm.SUPERVISOR_READ;
}

/** Records a page fault or bus error in `sink`; returns false for convenience. */
export function failTrap(sink: TranslationSink, cause: number, va: number, access: number): false {
  sink.faultKind = FaultKind.TRAP;
  sink.faultCause = cause;
  sink.faultTval = va | 0;
  sink.faultAccess = access;
  sink.faultAddress = -1;
  return false;
}

/** The MMU of a bare machine: identity when paging is off, a two-level walk when on. */
export class NativeMmu implements Mmu {
  #words: Int32Array;
  #walkCost: number;

  constructor(words: Int32Array, walkCost: number) {
    this.#words = words;
    this.#walkCost = walkCost;
  }

  fill(sink: TranslationSink, va: number, access: number, user: boolean): boolean {
    const words = this.#words;
    const limitWords = words.length;
    if ((sink.ctl[0]! & Status.PAGING) === 0) {
      const index = va >>> 2;
      if (index >= limitWords) return failTrap(sink, Cause.BUS_ERROR, va, access);
      sink.fillFrame = index & ~1023;
      sink.fillPerm = Perm.ALL;
      sink.fillCost = 0;
      return true;
    }
    sink.fillCost = this.#walkCost;
    const dirIndex = ((sink.ctl[1]! >>> 2) & ~1023) + (va >>> 22);
    if (dirIndex >= limitWords) return failTrap(sink, Cause.BUS_ERROR, dirIndex * 4, access);
    const pde = words[dirIndex]!;
    if ((pde & Pte.PRESENT) === 0) return failTrap(sink, pageFaultCause(access), va, access);
    const tableIndex = (pde >>> 2) & ~1023 & 0x3fffffff;
    const pteIndex = tableIndex + ((va >>> 12) & 1023);
    if (pteIndex >= limitWords) return failTrap(sink, Cause.BUS_ERROR, pteIndex * 4, access);
    const pte = words[pteIndex]!;
    if ((pte & Pte.PRESENT) === 0) return failTrap(sink, pageFaultCause(access), va, access);
    const perm = permFromPte(pde & pte);
    if ((perm & neededPerm(access, user)) === 0) return failTrap(sink, pageFaultCause(access), va, access);
    const frame = (pte >>> 2) & ~1023 & 0x3fffffff;
    if (frame >= limitWords) return failTrap(sink, Cause.BUS_ERROR, (pte & Pte.FRAME_MASK) | (va & 0xfff), access);
    sink.fillFrame = frame;
    sink.fillPerm = perm;
    return true;
  }
}
