/**
 * Lab 3 — Trap and emulate. Your VMM for the virtualizable VL32.
 *
 * The hypervisor runs the guest kernel *deprivileged*: ordinary instructions run directly on
 * the CPU, and everything the guest may not do for real stops it with an exit. Your job is to
 * resolve each exit so that the guest cannot tell it is not on bare hardware:
 * - emulate privileged instructions against the vCPU's *virtual* state (`exit.vcpu`);
 * - reflect the guest's own traps (system calls, faults) into the guest kernel;
 * - deliver virtual interrupts when — and only when — the guest has them enabled.
 *
 * Everything you need is on the `ExitContext` (see the instructions for the list).
 */
import { Cause, type ExitContext } from '@virtlab/sim';
// For pushf/popf, which read and write the guest's stack: see guest-memory.ts.
import { translateGuestVirtual } from './guest-memory.ts';

/** A VMM: the hypervisor calls `handleExit` for every exit of every VM it runs. */
export interface Vmm {
  handleExit(exit: ExitContext): void;
}

/**
 * Creates your VMM. The tests create one per run and may give it several VMs at once, so
 * anything you keep between exits must belong to the right VM (`exit.vm.id`) — or, better,
 * live in the VM's own virtual state.
 */
export function createVmm(): Vmm {
  return { handleExit };
}

/** Resolves one exit and returns; the hypervisor then resumes the guest where `exit.vcpu.pc` says. */
export function handleExit(exit: ExitContext): void {
  switch (exit.kind) {
    case 'privileged-instruction':
      // TODO: a privileged instruction. In virtual supervisor mode, emulate it. But the guest
      // may also have been in virtual *user* mode: what would bare hardware do then?
      emulatePrivileged(exit);
      return;
    case 'syscall':
    case 'exception':
    case 'page-fault':
      reflectTrap(exit);
      return;
    case 'memory-violation':
      // Only for guest-physical pages a VMM write-protects with exit.protectPage (this lab's VMM
      // does not). A load or store past the VM's memory is not one of these: it raises the
      // architectural bus error, which reaches you as an 'exception' exit.
      exit.inject(Cause.BUS_ERROR, exit.guestPhysicalAddress | 0);
      return;
    case 'interrupt':
      deliverPendingInterrupt(exit);
      return;
    case 'hypercall':
      // TODO: an unmodified kernel has no hypercalls: on bare hardware `hcall` is an undefined
      // instruction (Cause.ILLEGAL, reported at the hcall itself, whose word is the value).
      throw new Error('TODO: handle hypercall exits');
    case 'sensitive-instruction':
      // Only with binary translation (lab 4); it does not happen in this lab.
      throw new Error(`unexpected exit kind ${exit.kind}`);
  }
}

/**
 * Reflects a trap of the guest (system call, exception, page fault) into the guest kernel, the
 * way bare hardware would deliver it: same cause, same value, same saved pc and status.
 */
export function reflectTrap(exit: ExitContext): void {
  void exit;
  throw new Error('TODO: reflectTrap');
}

/** Delivers the pending virtual interrupt, if any, when the guest accepts interrupts. */
export function deliverPendingInterrupt(exit: ExitContext): void {
  void exit;
  throw new Error('TODO: deliverPendingInterrupt');
}

/**
 * Emulates the privileged instruction `exit.instruction` (decoded: `mnemonic`, `rd`, `rs`,
 * `imm`, `word`) that the guest executed in virtual supervisor mode, then resumes the guest
 * where bare hardware would continue.
 */
export function emulatePrivileged(exit: ExitContext): void {
  void exit;
  void translateGuestVirtual;
  throw new Error('TODO: emulatePrivileged (start with mtcr and mfcr)');
}
