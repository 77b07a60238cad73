/**
 * Lab 5 reference: the shadow-paging part of a VMM.
 *
 * The hardware walks a shadow table (guest virtual → guest physical, composed by the simulator
 * with the VM's p2m), filled lazily on page-fault exits from the guest's own tables. Every guest
 * page-table page that a shadow entry was built from is write-protected, so the VMM sees every
 * change to it. Shadow entries then follow the rules of the real, non-coherent TLB: an entry of
 * the address space in use stays (stale) until the guest invalidates it with `tlbi`, `tlbflush`,
 * a PTBR write or paging off and on; entries of other address spaces, which bare hardware would
 * have flushed at the switch anyway, are dropped at once. One shadow per address space is kept
 * in a small cache, so switching back to a process finds its shadow ready.
 */
import { Cause, ControlRegister, Pte, Status, type ExitContext, type ExitHandler, type ShadowTable } from '@virtlab/sim';
import { carryOutStore } from '../starter/guest-store.ts';
import { plainExit } from '../starter/trap-and-emulate.ts';

/** Address spaces kept per VM (the simulator lets a VM create at most 16 shadow tables). */
export const CACHED_SPACES = 8;

/** Where the guest's own tables lead for one access. */
type GuestTranslation =
  | { readonly ok: true; readonly gpa: number; readonly writable: boolean; readonly user: boolean; readonly pdeAt: number; readonly pteAt: number }
  | { readonly ok: false; readonly cause: number; readonly value: number };

/**
 * Walks the guest's two-level tables for `va` as the hardware would for this access in the
 * guest's virtual mode: a missing entry or a refused permission is the page fault bare hardware
 * raises; a table or frame beyond the VM's memory is a bus error at that physical address.
 */
function walkGuest(exit: ExitContext, va: number): GuestTranslation {
  const limit = exit.vm.memoryBytes;
  const pageFault = { ok: false, cause: exit.cause, value: va | 0 } as const;
  const pdeAt = ((exit.vcpu.getControl('ptbr') & Pte.FRAME_MASK) >>> 0) + ((va >>> 22) << 2);
  if (pdeAt >= limit) return { ok: false, cause: Cause.BUS_ERROR, value: pdeAt | 0 };
  const pde = exit.readGuestPhysical(pdeAt);
  if ((pde & Pte.PRESENT) === 0) return pageFault;
  const pteAt = ((pde & Pte.FRAME_MASK) >>> 0) + (((va >>> 12) & 1023) << 2);
  if (pteAt >= limit) return { ok: false, cause: Cause.BUS_ERROR, value: pteAt | 0 };
  const pte = exit.readGuestPhysical(pteAt);
  if ((pte & Pte.PRESENT) === 0) return pageFault;
  // Both levels must allow an access: the guest's permission is the intersection.
  const writable = (pde & pte & Pte.WRITABLE) !== 0;
  const user = (pde & pte & Pte.USER) !== 0;
  if (exit.vcpu.mode === 'user' && !user) return pageFault;
  if (exit.access === 'write' && !writable) return pageFault;
  const gpa = (pte & Pte.FRAME_MASK) >>> 0;
  if (gpa >= limit) return { ok: false, cause: Cause.BUS_ERROR, value: (gpa | (va & 0xfff)) | 0 };
  return { ok: true, gpa, writable, user, pdeAt, pteAt };
}

/** One guest address space: its shadow and where each shadow entry came from. */
interface Space {
  /** Guest-physical address of its page directory (the PTBR that selects it). */
  readonly directory: number;
  readonly table: ShadowTable;
  /** Filled virtual page → the guest directory and table entries (word addresses) it was built from. */
  readonly sources: Map<number, readonly [number, number]>;
  /** Virtual pages whose guest entry changed while this space was in use: stale, as in a TLB. */
  readonly stale: Set<number>;
}

/** What the VMM keeps for one VM. */
class VmShadows {
  /** Cached address spaces, least recently used first. */
  readonly spaces = new Map<number, Space>();
  /** Guest entry (word address) → the shadow entries built from it. */
  readonly watchers = new Map<number, { space: Space; vpn: number }[]>();
  readonly protectedPages = new Set<number>();
  active: Space | null = null;

  /** The space of `directory`, from the cache or made (evicting the least recently used). */
  spaceFor(exit: ExitContext, directory: number): Space {
    const cached = this.spaces.get(directory);
    if (cached !== undefined) {
      this.spaces.delete(directory);
      this.spaces.set(directory, cached);
      return cached;
    }
    let table: ShadowTable;
    if (this.spaces.size < CACHED_SPACES) table = exit.shadow.createTable();
    else {
      const [oldest, evicted] = this.spaces.entries().next().value as [number, Space];
      this.spaces.delete(oldest);
      evicted.sources.clear(); // its watchers now match nothing
      table = evicted.table;
      table.clearAll();
    }
    const space: Space = { directory, table, sources: new Map(), stale: new Set() };
    this.spaces.set(directory, space);
    return space;
  }

  /** Makes the shadow of the guest's current PTBR the one the hardware walks. */
  activate(exit: ExitContext): void {
    const space = this.spaceFor(exit, (exit.vcpu.getControl('ptbr') & Pte.FRAME_MASK) >>> 0);
    this.active = space;
    exit.shadow.activate(space.table);
  }

  /** Drops one shadow entry. */
  forget(space: Space, vpn: number): void {
    if (!space.sources.delete(vpn)) return;
    space.stale.delete(vpn);
    space.table.clear((vpn << 12) >>> 0);
  }

  /** A point where bare hardware flushes its TLB: the stale entries of the space in use go. */
  flushStale(): void {
    const space = this.active;
    if (space === null) return;
    for (const vpn of [...space.stale]) this.forget(space, vpn);
  }

  /** Fills the shadow entry for a hidden fault and watches the guest entries it came from. */
  fill(exit: ExitContext, va: number, found: Extract<GuestTranslation, { ok: true }>): void {
    const space = this.active!;
    const vpn = va >>> 12;
    space.table.set(va, found.gpa, { writable: found.writable, user: found.user });
    space.sources.set(vpn, [found.pdeAt, found.pteAt]);
    space.stale.delete(vpn);
    for (const entry of [found.pdeAt, found.pteAt]) {
      let list = this.watchers.get(entry);
      if (list === undefined) this.watchers.set(entry, (list = []));
      if (!list.some((w) => w.space === space && w.vpn === vpn)) list.push({ space, vpn });
      const page = entry & ~0xfff;
      if (!this.protectedPages.has(page)) {
        this.protectedPages.add(page);
        exit.protectPage(page, false);
      }
    }
  }

  /** The guest changed the entry at `entry`: its shadow entries become stale (space in use) or go. */
  entryChanged(entry: number): void {
    const list = this.watchers.get(entry);
    if (list === undefined) return;
    this.watchers.delete(entry);
    for (const { space, vpn } of list) {
      const source = space.sources.get(vpn);
      if (source === undefined || (source[0] !== entry && source[1] !== entry)) continue;
      if (space === this.active) space.stale.add(vpn);
      else this.forget(space, vpn);
    }
  }
}

const pagingOn = (status: number): boolean => (status & Status.PAGING) !== 0;

/**
 * A shadow-paging VMM for VMs created with `{ mmu: 'shadow' }` (one handler for every VM of a
 * hypervisor, each with its own shadows).
 */
export function createShadowVmm(): ExitHandler {
  const vms = new Map<number, VmShadows>();
  return (exit: ExitContext): void => {
    let shadows = vms.get(exit.vm.id);
    if (shadows === undefined) vms.set(exit.vm.id, (shadows = new VmShadows()));

    if (exit.kind === 'page-fault') {
      const found = walkGuest(exit, exit.address);
      if (found.ok) shadows.fill(exit, exit.address, found); // hidden: the guest never hears of it
      else exit.inject(found.cause, found.value); // true: bare hardware faults here too
      return;
    }
    if (exit.kind === 'memory-violation' && shadows.protectedPages.has(exit.guestPhysicalAddress & ~0xfff)) {
      const store = carryOutStore(exit);
      if (store !== null) {
        if (store.before !== store.after) shadows.entryChanged(store.gpa);
        return;
      }
    }

    // Everything else is plain trap and emulate; then follow what the instruction did to translation.
    const privileged = exit.kind === 'privileged-instruction' && exit.vcpu.mode === 'supervisor';
    const instruction = exit.instruction;
    const pagingBefore = pagingOn(exit.vcpu.getControl('status'));
    const invalidated = privileged && instruction?.mnemonic === 'tlbi' ? exit.vcpu.getRegister(instruction.rd) >>> 0 : -1;
    plainExit(exit);
    if (!privileged || instruction === null) return;
    const pagingAfter = pagingOn(exit.vcpu.getControl('status'));
    const ptbrWritten = instruction.mnemonic === 'mtcr' && instruction.imm === ControlRegister.PTBR;
    if (invalidated >= 0 && shadows.active !== null) shadows.forget(shadows.active, invalidated >>> 12);
    // Where bare hardware flushes its whole TLB (mtcr status and iret may switch paging).
    const flushed = instruction.mnemonic === 'tlbflush' || ptbrWritten || pagingBefore !== pagingAfter;
    if (flushed) shadows.flushStale();
    if (pagingAfter && (flushed || shadows.active === null)) shadows.activate(exit);
  };
}
