/**
 * Address translation for a vCPU in direct execution. Two modes:
 *
 * - **nested** (hardware-assisted, like AMD NPT / Intel EPT): on a TLB miss the hardware walks
 *   the guest's own page tables (guest-physical addresses, read through the p2m) and then maps
 *   the resulting guest-physical page through the p2m. The guest changes its page tables and
 *   PTBR freely; only the VMM's emulation of `mtcr ptbr`/`tlbflush` is needed.
 * - **shadow**: the hardware uses a *shadow page table* the VMM maintains (guest-virtual →
 *   guest-physical, composed with the p2m by the hypervisor). A miss is a `page-fault` exit; the
 *   VMM decides whether the guest's own tables map the page (a "hidden" fault: fill the shadow
 *   and resume) or not (a true fault: reflect it into the guest). While the guest's paging bit is
 *   off, the hardware maps guest-physical addresses straight through the p2m.
 *
 * In both modes, page permissions (USER, WRITABLE) are checked against the guest's *virtual*
 * mode, and a guest-physical page the p2m does not allow is a `memory-violation` exit.
 * @module
 */
import { Cause, Pte, Status } from '../machine/isa.ts';
import { Access, failTrap, FaultKind, neededPerm, Perm, pageFaultCause, permFromPte, type Mmu, type TranslationSink } from '../machine/mmu.ts';
import type { GuestMemory } from './guest-memory.ts';
import type { ShadowTable } from './shadow.ts';

/** Which memory-virtualization technique a VM uses. */
export type MmuMode = 'nested' | 'shadow';

/** Binary-translation bookkeeping shared with the MMU (write detection on translated pages). */
export interface TranslationState {
  /** Per host frame: 1 if the frame's code has been scanned. */
  readonly scanned: Uint8Array;
  /** Forget a frame's translation (the guest wrote to it). */
  invalidate(frame: number): void;
}

/** The MMU of one vCPU. */
export class VmMmu implements Mmu {
  mode: MmuMode;
  /** The shadow table the hardware uses in shadow mode (null: every access faults). */
  activeShadow: ShadowTable | null = null;
  /** Set while binary translation is enabled for the VM. */
  translation: TranslationState | null = null;
  #memory: GuestMemory;
  #nestedCost: number;
  #flatCost: number;

  constructor(memory: GuestMemory, mode: MmuMode, nestedCost: number, flatCost: number) {
    this.#memory = memory;
    this.mode = mode;
    this.#nestedCost = nestedCost;
    this.#flatCost = flatCost;
  }

  fill(sink: TranslationSink, va: number, access: number, user: boolean): boolean {
    const paging = (sink.ctl[0]! & Status.PAGING) !== 0;
    let gpa: number;
    let perm: number;
    if (!paging) {
      gpa = va >>> 0;
      perm = Perm.ALL;
      sink.fillCost = this.#flatCost;
    } else if (this.mode === 'shadow') {
      sink.fillCost = this.#flatCost;
      const entry = this.activeShadow === null ? -1 : this.activeShadow.lookupPacked(va >>> 12);
      if (entry < 0) return failTrap(sink, pageFaultCause(access), va, access);
      gpa = ((entry >>> 2) << 12) | (va & 0xfff);
      perm = permFromPte(Pte.PRESENT | ((entry & 1) !== 0 ? Pte.WRITABLE : 0) | ((entry & 2) !== 0 ? Pte.USER : 0));
      if ((perm & neededPerm(access, user)) === 0) return failTrap(sink, pageFaultCause(access), va, access);
    } else {
      sink.fillCost = this.#nestedCost;
      const mem = this.#memory;
      const dirGpa = ((sink.ctl[1]! & Pte.FRAME_MASK) >>> 0) + ((va >>> 22) << 2);
      const dirIndex = mem.hostIndex(dirGpa);
      if (dirIndex < 0) return this.#unbacked(sink, dirGpa, va, access);
      const pde = mem.hostWords[dirIndex]!;
      if ((pde & Pte.PRESENT) === 0) return failTrap(sink, pageFaultCause(access), va, access);
      const pteGpa = ((pde & Pte.FRAME_MASK) >>> 0) + (((va >>> 12) & 1023) << 2);
      const pteIndex = mem.hostIndex(pteGpa);
      if (pteIndex < 0) return this.#unbacked(sink, pteGpa, va, access);
      const pte = mem.hostWords[pteIndex]!;
      if ((pte & Pte.PRESENT) === 0) return failTrap(sink, pageFaultCause(access), va, access);
      perm = permFromPte(pde & pte);
      if ((perm & neededPerm(access, user)) === 0) return failTrap(sink, pageFaultCause(access), va, access);
      gpa = ((pte & Pte.FRAME_MASK) >>> 0) | (va & 0xfff);
    }
    return this.#mapGuestPhysical(sink, gpa, va, access, perm);
  }

  /** A guest-physical address outside the VM: the bus error bare hardware would raise. */
  #unbacked(sink: TranslationSink, gpa: number, va: number, access: number): false {
    const mem = this.#memory;
    const page = gpa >>> 12;
    if (page < mem.pages && mem.frameOf[page]! < 0) return this.#violation(sink, gpa, va, access);
    return failTrap(sink, Cause.BUS_ERROR, gpa, access);
  }

  #violation(sink: TranslationSink, gpa: number, va: number, access: number): false {
    sink.faultKind = FaultKind.VIOLATION;
    sink.faultCause = 0;
    sink.faultTval = gpa | 0;
    sink.faultAccess = access;
    sink.faultAddress = va | 0;
    return false;
  }

  #mapGuestPhysical(sink: TranslationSink, gpa: number, va: number, access: number, guestPerm: number): boolean {
    const mem = this.#memory;
    const page = gpa >>> 12;
    if (page >= mem.pages) return failTrap(sink, Cause.BUS_ERROR, gpa, access);
    const frame = mem.frameOf[page]!;
    if (frame < 0) return this.#violation(sink, gpa, va, access);
    let perm = guestPerm;
    if (mem.writable[page] === 0) {
      if (access === Access.WRITE) return this.#violation(sink, gpa, va, access);
      perm &= ~(Perm.SUPERVISOR_WRITE | Perm.USER_WRITE);
    }
    const translation = this.translation;
    if (translation !== null && translation.scanned[frame] === 1) {
      // Writing translated code invalidates its translation; keep later writes visible too.
      if (access === Access.WRITE) translation.invalidate(frame);
      else perm &= ~(Perm.SUPERVISOR_WRITE | Perm.USER_WRITE);
    }
    mem.touched[frame] = 1;
    sink.fillFrame = frame << 10;
    sink.fillPerm = perm;
    return true;
  }
}
