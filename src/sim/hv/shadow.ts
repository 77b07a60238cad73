/**
 * Shadow page tables (lab 5). A shadow table maps guest-virtual pages to guest-physical pages
 * with permissions; the hypervisor composes it with the VM's p2m, so the hardware ends up using
 * guest-virtual → host-physical translations the guest never sees, and a VMM cannot point a
 * guest at memory outside its VM.
 * @module
 */
import { SimError } from '../common/errors.ts';

/** One shadow mapping. */
export interface ShadowEntry {
  /** Guest-physical address of the mapped page (page aligned). */
  readonly guestPhysical: number;
  readonly writable: boolean;
  /** Accessible in (virtual) user mode. */
  readonly user: boolean;
}

/** Permissions of a shadow mapping. */
export interface ShadowPermissions {
  /** Allow stores (default false). */
  writable?: boolean;
  /** Allow user-mode access (default false). */
  user?: boolean;
}

/** What a table needs from its VM; never reachable from the table's public surface. */
export interface ShadowBinding {
  readonly guestPages: number;
  readonly maxEntries: number;
  /** Charges monitor work for one table update. */
  charge(): void;
  /** A mapping for virtual page `vpn` changed (-1: all of them). */
  changed(table: ShadowTable, vpn: number): void;
  /** Next table id (per VM, so ids are the same in every run). */
  nextId(): number;
}

/** A shadow page table owned by one VM. Create it with `exit.shadow.createTable()`. */
export class ShadowTable {
  /** Identifies the table in traces and error messages. */
  readonly id: number;
  #entries = new Map<number, number>();
  #binding: ShadowBinding;

  /** @internal Use `exit.shadow.createTable()`. */
  constructor(binding: ShadowBinding) {
    this.#binding = binding;
    this.id = binding.nextId();
  }

  /** Number of mappings. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Maps the page containing guest-virtual address `va` to the guest-physical page containing
   * `guestPhysical`, replacing any previous mapping.
   */
  set(va: number, guestPhysical: number, permissions: ShadowPermissions = {}): void {
    checkAddress(va, 'ShadowTable.set: va');
    if (!Number.isInteger(guestPhysical) || guestPhysical < 0 || guestPhysical >>> 12 >= this.#binding.guestPages) {
      throw new SimError(
        'OUT_OF_RANGE',
        `ShadowTable.set: guest-physical address ${guestPhysical} is outside this VM's ${this.#binding.guestPages} pages; map only the VM's own memory`,
      );
    }
    if (permissions === null || typeof permissions !== 'object') throw new SimError('INVALID_ARGUMENT', 'ShadowTable.set: permissions must be an object like { writable: true, user: false }');
    const vpn = va >>> 12;
    if (!this.#entries.has(vpn) && this.#entries.size >= this.#binding.maxEntries) {
      throw new SimError('CAPACITY_EXCEEDED', `ShadowTable.set: a shadow table holds at most ${this.#binding.maxEntries} mappings; clear some first`);
    }
    this.#binding.charge();
    this.#entries.set(vpn, ((guestPhysical >>> 12) << 2) | (permissions.writable === true ? 1 : 0) | (permissions.user === true ? 2 : 0));
    this.#binding.changed(this, vpn);
  }

  /** Removes the mapping of the page containing `va` (if any). */
  clear(va: number): void {
    checkAddress(va, 'ShadowTable.clear: va');
    const vpn = va >>> 12;
    this.#binding.charge();
    if (this.#entries.delete(vpn)) this.#binding.changed(this, vpn);
  }

  /** Removes every mapping. */
  clearAll(): void {
    this.#binding.charge();
    this.#entries.clear();
    this.#binding.changed(this, -1);
  }

  /** The mapping of the page containing `va`, or null. */
  get(va: number): ShadowEntry | null {
    checkAddress(va, 'ShadowTable.get: va');
    const packed = this.#entries.get(va >>> 12);
    if (packed === undefined) return null;
    return Object.freeze({ guestPhysical: (packed >>> 2) << 12, writable: (packed & 1) !== 0, user: (packed & 2) !== 0 });
  }

  /** Hardware lookup: packed entry (page << 2 | user << 1 | writable) or -1. */
  lookupPacked(vpn: number): number {
    return this.#entries.get(vpn) ?? -1;
  }
}

function checkAddress(va: number, what: string): void {
  if (!Number.isInteger(va) || va < 0 || va > 0xffffffff) {
    throw new SimError('INVALID_ARGUMENT', `${what} must be a 32-bit address (0…0xffffffff), got ${va}`);
  }
}
