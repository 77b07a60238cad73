/**
 * Lab 5: the shadow-paging part of a VMM, for VMs created with `{ mmu: 'shadow' }`.
 *
 * While the guest's paging bit is on, the hardware walks only the shadow table you activate
 * (`exit.shadow.activate(table)`): guest virtual → guest physical, which the simulator composes
 * with the VM's p2m. A missing or insufficient shadow entry is a `page-fault` exit to you.
 *
 * Your handler must:
 * - on a `page-fault` exit, walk the guest's own two-level tables (through guest-physical memory,
 *   from the virtual PTBR, with the permissions of the guest's virtual mode) and either fill the
 *   shadow entry and return (a hidden fault: the guest re-runs the access and never hears of it)
 *   or inject exactly the trap bare hardware would raise (a true fault);
 * - keep every shadow entry coherent with the guest entries it came from: write-protect the
 *   guest's page-table pages (`exit.protectPage(gpa, false)`), carry out the guest's stores to
 *   them (`carryOutStore` in guest-store.ts) and react to what changed, following the rules of
 *   the real, non-coherent TLB (see the instructions);
 * - follow `tlbi`, `tlbflush`, PTBR writes and the paging bit (changed by `mtcr status` or `iret`);
 * - keep one shadow per guest address space (a bounded cache: a VM may create at most 16 tables);
 * - hand every other exit, and the emulation of every privileged instruction, to `plainExit`.
 */
import type { ExitHandler } from '@virtlab/sim';

/**
 * A new shadow-paging VMM: one handler for every VM of a hypervisor (a function, or an object
 * with `handleExit(exit)`), keeping each VM's shadows apart.
 */
export function createShadowVmm(): ExitHandler {
  throw new Error('TODO: return an exit handler that keeps shadow page tables (see the instructions)');
}
