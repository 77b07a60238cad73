/**
 * Alternative (style: classes). `ShadowVmm.handleExit` keeps one `VmShadows` object per VM; each
 * guest address space is an `AddressSpace` with its shadow table and the two guest entries every
 * shadow entry came from. An explicit reverse map (guest word → the spaces and pages built from
 * it) finds what a page-table store affects. The cache of spaces evicts the least recently used.
 */
import { MAX_SHADOW_TABLES, Cause, Pte, Status, type ExitContext, type ExitHandler, type ShadowTable } from '@virtlab/sim';
import { carryOutStore } from './guest-store.ts';
import { plainExit } from './trap-and-emulate.ts';

/** The two guest words a shadow entry was built from. */
interface Source {
  readonly pdeAt: number;
  readonly pteAt: number;
}

/** Outcome of walking the guest's tables for one access. */
type Walk =
  | { readonly ok: true; readonly source: Source; readonly frame: number; readonly writable: boolean; readonly user: boolean }
  | { readonly ok: false; readonly cause: number; readonly value: number };

/** One guest address space: its shadow table and what each of its entries depends on. */
class AddressSpace {
  readonly directory: number;
  readonly table: ShadowTable;
  readonly sources = new Map<number, Source>();
  /** Pages whose guest entries changed while this space was in use (the TLB keeps them). */
  readonly stale = new Set<number>();

  constructor(directory: number, table: ShadowTable) {
    this.directory = directory;
    this.table = table;
  }
}

/** guest word address → space → virtual page numbers built from that word. */
class ReverseMap {
  readonly #links = new Map<number, Map<AddressSpace, Set<number>>>();

  add(word: number, space: AddressSpace, vpn: number): void {
    let bySpace = this.#links.get(word);
    if (bySpace === undefined) this.#links.set(word, (bySpace = new Map()));
    let pages = bySpace.get(space);
    if (pages === undefined) bySpace.set(space, (pages = new Set()));
    pages.add(vpn);
  }

  remove(word: number, space: AddressSpace, vpn: number): void {
    const bySpace = this.#links.get(word);
    const pages = bySpace?.get(space);
    if (bySpace === undefined || pages === undefined) return;
    pages.delete(vpn);
    if (pages.size === 0) bySpace.delete(space);
    if (bySpace.size === 0) this.#links.delete(word);
  }

  /** A copy, since the caller drops entries while going through it. */
  dependents(word: number): Array<[AddressSpace, number[]]> {
    const bySpace = this.#links.get(word);
    if (bySpace === undefined) return [];
    return [...bySpace].map(([space, pages]) => [space, [...pages]]);
  }
}

/** Walks the guest's two-level tables as bare hardware would (order: directory, table, permissions, frame). */
function walkGuest(exit: ExitContext, va: number): Walk {
  const memory = exit.vm.memoryBytes;
  const pdeAt = ((exit.vcpu.getControl('ptbr') & Pte.FRAME_MASK) >>> 0) + (va >>> 22) * 4;
  if (pdeAt >= memory) return { ok: false, cause: Cause.BUS_ERROR, value: pdeAt | 0 };
  const pde = exit.readGuestPhysical(pdeAt);
  if ((pde & Pte.PRESENT) === 0) return { ok: false, cause: exit.cause, value: va | 0 };
  const pteAt = ((pde & Pte.FRAME_MASK) >>> 0) + ((va >>> 12) & 1023) * 4;
  if (pteAt >= memory) return { ok: false, cause: Cause.BUS_ERROR, value: pteAt | 0 };
  const pte = exit.readGuestPhysical(pteAt);
  if ((pte & Pte.PRESENT) === 0) return { ok: false, cause: exit.cause, value: va | 0 };
  const writable = (pde & pte & Pte.WRITABLE) !== 0;
  const user = (pde & pte & Pte.USER) !== 0;
  if (!allows(exit, writable, user)) return { ok: false, cause: exit.cause, value: va | 0 };
  const frame = (pte & Pte.FRAME_MASK) >>> 0;
  if (frame >= memory) return { ok: false, cause: Cause.BUS_ERROR, value: (frame | (va & 0xfff)) | 0 };
  return { ok: true, source: { pdeAt, pteAt }, frame, writable, user };
}

/** Whether combined permissions allow the exit's access in the guest's current mode. */
function allows(exit: ExitContext, writable: boolean, user: boolean): boolean {
  if (exit.vcpu.mode === 'user' && !user) return false;
  return exit.access !== 'write' || writable;
}

/** The first address of virtual page `vpn`, unsigned. */
function pageAddress(vpn: number): number {
  return (vpn << 12) >>> 0;
}

function pagingOn(status: number): boolean {
  return (status & Status.PAGING) !== 0;
}

/** Every shadow of one VM, and the one its hardware uses. */
class VmShadows {
  /** Insertion order is recency: the first key is the least recently used space. */
  readonly #spaces = new Map<number, AddressSpace>();
  readonly #reverse = new ReverseMap();
  readonly #protected = new Set<number>();
  readonly #spareTables: ShadowTable[] = [];
  #tablesCreated = 0;
  /** The space whose shadow is active (null while paging is off). */
  #current: AddressSpace | null = null;

  onPageFault(exit: ExitContext): void {
    if (this.#current === null) this.#enter(exit);
    const space = this.#current;
    if (space === null) return plainExit(exit); // paging off: not a shadow fault
    const walk = walkGuest(exit, exit.address);
    if (!walk.ok) return exit.inject(walk.cause, walk.value);
    this.#fill(exit, space, exit.address >>> 12, walk);
  }

  onMemoryViolation(exit: ExitContext): void {
    const store = carryOutStore(exit);
    if (store === null) return plainExit(exit);
    if (store.before !== store.after) this.#wordChanged(store.gpa);
  }

  onPrivileged(exit: ExitContext): void {
    const supervisor = exit.vcpu.mode === 'supervisor';
    const instruction = exit.instruction;
    const statusBefore = exit.vcpu.getControl('status');
    plainExit(exit);
    if (!supervisor || instruction === null) return;
    const pagingChanged = pagingOn(statusBefore) !== pagingOn(exit.vcpu.getControl('status'));
    const ptbrWritten = instruction.mnemonic === 'mtcr' && instruction.imm === 1;
    if (instruction.mnemonic === 'tlbi') this.#invalidate(exit.vcpu.getRegister(instruction.rd));
    if (instruction.mnemonic === 'tlbflush' || ptbrWritten || pagingChanged) this.#dropStale();
    if (ptbrWritten || pagingChanged) this.#enter(exit);
  }

  /** Activates the shadow of the guest's PTBR if paging is on; forgets the current one if off. */
  #enter(exit: ExitContext): void {
    if (!pagingOn(exit.vcpu.getControl('status'))) {
      this.#current = null;
      return;
    }
    this.#current = this.#spaceFor(exit, (exit.vcpu.getControl('ptbr') & Pte.FRAME_MASK) >>> 0);
    exit.shadow.activate(this.#current.table);
  }

  #spaceFor(exit: ExitContext, directory: number): AddressSpace {
    let space = this.#spaces.get(directory);
    if (space !== undefined) this.#spaces.delete(directory);
    else space = new AddressSpace(directory, this.#newTable(exit));
    this.#spaces.set(directory, space); // now the most recently used
    return space;
  }

  /** A fresh table while the VM may create one, else the least recently used space's, cleared. */
  #newTable(exit: ExitContext): ShadowTable {
    if (this.#spareTables.length === 0 && this.#tablesCreated >= MAX_SHADOW_TABLES) this.#evictOldest();
    const spare = this.#spareTables.pop();
    if (spare !== undefined) return spare;
    this.#tablesCreated++;
    return exit.shadow.createTable();
  }

  #evictOldest(): void {
    const oldest = this.#spaces.values().next().value;
    if (oldest === undefined) return;
    for (const vpn of [...oldest.sources.keys()]) this.#forget(oldest, vpn);
    oldest.table.clearAll();
    this.#spaces.delete(oldest.directory);
    this.#spareTables.push(oldest.table);
  }

  #fill(exit: ExitContext, space: AddressSpace, vpn: number, walk: Walk & { ok: true }): void {
    this.#forget(space, vpn);
    space.table.set(pageAddress(vpn), walk.frame, { writable: walk.writable, user: walk.user });
    space.sources.set(vpn, walk.source);
    this.#reverse.add(walk.source.pdeAt, space, vpn);
    this.#reverse.add(walk.source.pteAt, space, vpn);
    this.#protect(exit, walk.source.pdeAt);
    this.#protect(exit, walk.source.pteAt);
  }

  #protect(exit: ExitContext, word: number): void {
    const page = word >>> 12;
    if (this.#protected.has(page)) return;
    this.#protected.add(page);
    exit.protectPage(page << 12, false);
  }

  /** Removes the bookkeeping of one entry (the caller decides about the table itself). */
  #forget(space: AddressSpace, vpn: number): void {
    const source = space.sources.get(vpn);
    space.stale.delete(vpn);
    if (source === undefined) return;
    space.sources.delete(vpn);
    this.#reverse.remove(source.pdeAt, space, vpn);
    this.#reverse.remove(source.pteAt, space, vpn);
  }

  #drop(space: AddressSpace, vpn: number): void {
    this.#forget(space, vpn);
    space.table.clear(pageAddress(vpn));
  }

  /** In use, the TLB keeps the old translation until invalidated; elsewhere it must go now. */
  #wordChanged(word: number): void {
    for (const [space, pages] of this.#reverse.dependents(word)) {
      for (const vpn of pages) {
        if (space === this.#current) space.stale.add(vpn);
        else this.#drop(space, vpn);
      }
    }
  }

  #invalidate(va: number): void {
    if (this.#current !== null) this.#drop(this.#current, va >>> 12);
  }

  #dropStale(): void {
    const space = this.#current;
    if (space === null) return;
    for (const vpn of [...space.stale]) this.#drop(space, vpn);
  }
}

/** The VMM: routes each exit to its VM's shadows; everything else is plain trap-and-emulate. */
class ShadowVmm {
  readonly #vms = new Map<number, VmShadows>();

  handleExit(exit: ExitContext): void {
    const shadows = this.#shadowsOf(exit.vm.id);
    switch (exit.kind) {
      case 'page-fault':
        return shadows.onPageFault(exit);
      case 'memory-violation':
        return shadows.onMemoryViolation(exit);
      case 'privileged-instruction':
        return shadows.onPrivileged(exit);
      default:
        return plainExit(exit);
    }
  }

  #shadowsOf(id: number): VmShadows {
    let shadows = this.#vms.get(id);
    if (shadows === undefined) this.#vms.set(id, (shadows = new VmShadows()));
    return shadows;
  }
}

export function createShadowVmm(): ExitHandler {
  return new ShadowVmm();
}
