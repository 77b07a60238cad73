/**
 * Read-only for lab 4: where a word of the guest's memory lives, found the way the MMU would
 * find it for the guest's *virtual* mode. A callout for `pushf` or `popf` needs it: the
 * instruction never reached the hardware, so the monitor repeats the walk in software and
 * reports the trap bare hardware would raise.
 */
import { Cause, Pte, Status, type ExitContext } from '@virtlab/sim';

/** A guest-physical address, or the trap (cause and value) bare hardware would raise instead. */
export type Located = { readonly gpa: number } | { readonly trap: number; readonly value: number };

/** Locates the word at guest-virtual `va` for a read or a write (misaligned, bus error and page faults as the CPU raises them). */
export function locateGuestWord(exit: ExitContext, va: number, write: boolean): Located {
  const address = va >>> 0;
  const size = exit.vm.memoryBytes;
  if (address % 4 !== 0) return { trap: Cause.MISALIGNED, value: address | 0 };
  const status = exit.vcpu.getControl('status');
  if (!(status & Status.PAGING)) return address < size ? { gpa: address } : { trap: Cause.BUS_ERROR, value: address | 0 };
  const missing = { trap: write ? Cause.PAGE_FAULT_STORE : Cause.PAGE_FAULT_LOAD, value: address | 0 };
  let entryAt = ((exit.vcpu.getControl('ptbr') & Pte.FRAME_MASK) >>> 0) + (address >>> 22) * 4;
  let rights = ~0;
  let entry = 0;
  for (const next of [((address >>> 12) & 1023) * 4, address & 0xfff]) {
    if (entryAt >= size) return { trap: Cause.BUS_ERROR, value: entryAt | 0 };
    entry = exit.readGuestPhysical(entryAt);
    if (!(entry & Pte.PRESENT)) return missing;
    rights &= entry;
    entryAt = ((entry & Pte.FRAME_MASK) >>> 0) + next;
  }
  if (!(status & Status.SUPERVISOR) && !(rights & Pte.USER)) return missing;
  if (write && !(rights & Pte.WRITABLE)) return missing;
  return entryAt < size ? { gpa: entryAt >>> 0 } : { trap: Cause.BUS_ERROR, value: entryAt | 0 };
}
