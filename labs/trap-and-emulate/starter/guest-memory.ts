/**
 * Read-only helper for lab 3: the software page walk a VMM needs to emulate an instruction
 * that touches guest-virtual memory (`pushf` and `popf` push to and pop from the guest's stack).
 *
 * The hardware walks the guest's page tables for everything the guest runs directly; an
 * instruction the VMM emulates never reaches the hardware, so the VMM repeats the walk in
 * software, with the permissions of the guest's *virtual* mode, and reports the fault bare
 * hardware would raise if the access is not allowed.
 */
import { Cause, Pte, Status, type ExitContext } from '@virtlab/sim';

/** Where a guest-virtual access lands: a guest-physical address, or the trap to reflect. */
export type GuestAccess =
  | { readonly ok: true; readonly gpa: number }
  | { readonly ok: false; readonly cause: number; readonly value: number };

function fault(cause: number, value: number): GuestAccess {
  return { ok: false, cause, value: value | 0 };
}

/**
 * Translates the guest-virtual address `va` for a word access, exactly as the VL32 MMU would
 * for the guest's current virtual mode, paging bit and page-table base:
 * - misaligned `va`: MISALIGNED with the address;
 * - paging off: `va` is the guest-physical address (BUS_ERROR past the VM's memory);
 * - paging on: a two-level walk from the virtual PTBR; a missing entry or a permission the
 *   virtual mode does not have is a page fault (load or store) with the address; a table or
 *   frame past the VM's memory is a BUS_ERROR with that physical address.
 *
 * Each page-table read is charged to the VM like any other guest-memory access by the VMM.
 */
export function translateGuestVirtual(exit: ExitContext, va: number, access: 'read' | 'write'): GuestAccess {
  const address = va >>> 0;
  const write = access === 'write';
  if ((address & 3) !== 0) return fault(Cause.MISALIGNED, address);
  const limit = exit.vm.memoryBytes;
  const status = exit.vcpu.getControl('status');
  if ((status & Status.PAGING) === 0) {
    return address < limit ? { ok: true, gpa: address } : fault(Cause.BUS_ERROR, address);
  }
  const pageFault = write ? Cause.PAGE_FAULT_STORE : Cause.PAGE_FAULT_LOAD;
  const user = (status & Status.SUPERVISOR) === 0;
  const directoryEntry = ((exit.vcpu.getControl('ptbr') & Pte.FRAME_MASK) >>> 0) + ((address >>> 22) << 2);
  if (directoryEntry >= limit) return fault(Cause.BUS_ERROR, directoryEntry);
  const pde = exit.readGuestPhysical(directoryEntry);
  if ((pde & Pte.PRESENT) === 0) return fault(pageFault, address);
  const tableEntry = ((pde & Pte.FRAME_MASK) >>> 0) + (((address >>> 12) & 1023) << 2);
  if (tableEntry >= limit) return fault(Cause.BUS_ERROR, tableEntry);
  const pte = exit.readGuestPhysical(tableEntry);
  if ((pte & Pte.PRESENT) === 0) return fault(pageFault, address);
  const allowed = pde & pte;
  if (user && (allowed & Pte.USER) === 0) return fault(pageFault, address);
  if (write && (allowed & Pte.WRITABLE) === 0) return fault(pageFault, address);
  const gpa = (((pte & Pte.FRAME_MASK) >>> 0) | (address & 0xfff)) >>> 0;
  if (gpa >= limit) return fault(Cause.BUS_ERROR, gpa);
  return { ok: true, gpa };
}
