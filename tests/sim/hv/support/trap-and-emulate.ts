/**
 * A worked trap-and-emulate VMM for the virtualizable VL32 — the reference solution of lab 3.
 * It lives under tests/ on purpose: it must never be shipped with the simulator.
 *
 * The guest kernel runs deprivileged; every privileged instruction exits and is emulated
 * against the vCPU's virtual state, every guest trap is reflected into the guest, and
 * virtual interrupts are delivered when the guest has them enabled.
 */
import type { ExitContext } from '../../../../src/sim/hv/index.ts';
import { Cause, ControlRegister, CONTROL_REGISTER_COUNT, Pte, Status } from '../../../../src/sim/machine/index.ts';

/** Delivers the lowest pending virtual interrupt if the guest accepts interrupts. */
export function deliverPending(exit: ExitContext): void {
  if (!exit.vcpu.interruptsEnabled) return;
  const cause = exit.pendingInterrupt();
  if (cause !== null) exit.inject(cause);
}

/**
 * Software walk of the guest's page tables (what the VMM must do to emulate an instruction
 * that touches guest-virtual memory). Returns the guest-physical address, or a fault cause.
 */
export function guestVirtualToPhysical(exit: ExitContext, va: number, write: boolean): { gpa: number } | { fault: number } {
  const vcpu = exit.vcpu;
  const status = vcpu.getControl('status');
  const faultCause = write ? Cause.PAGE_FAULT_STORE : Cause.PAGE_FAULT_LOAD;
  if ((status & Status.PAGING) === 0) return va >= exit.vm.memoryBytes ? { fault: Cause.BUS_ERROR } : { gpa: va };
  const user = (status & Status.SUPERVISOR) === 0;
  const dirGpa = ((vcpu.getControl('ptbr') & Pte.FRAME_MASK) >>> 0) + ((va >>> 22) << 2);
  if (dirGpa + 4 > exit.vm.memoryBytes) return { fault: Cause.BUS_ERROR };
  const pde = exit.readGuestPhysical(dirGpa);
  if ((pde & Pte.PRESENT) === 0) return { fault: faultCause };
  const pteGpa = ((pde & Pte.FRAME_MASK) >>> 0) + (((va >>> 12) & 1023) << 2);
  if (pteGpa + 4 > exit.vm.memoryBytes) return { fault: Cause.BUS_ERROR };
  const pte = exit.readGuestPhysical(pteGpa);
  if ((pte & Pte.PRESENT) === 0) return { fault: faultCause };
  const flags = pde & pte;
  if (user && (flags & Pte.USER) === 0) return { fault: faultCause };
  if (write && (flags & Pte.WRITABLE) === 0) return { fault: faultCause };
  return { gpa: ((pte & Pte.FRAME_MASK) >>> 0) | (va & 0xfff) };
}

/** Emulates one privileged (or, under BT, sensitive) instruction in virtual supervisor mode. */
export function emulateInstruction(exit: ExitContext): void {
  const vcpu = exit.vcpu;
  const ins = exit.instruction;
  if (ins === null) {
    exit.inject(Cause.ILLEGAL, exit.value);
    return;
  }
  const status = vcpu.getControl('status');
  switch (ins.mnemonic) {
    case 'mfcr':
    case 'mtcr':
      if (ins.imm >= CONTROL_REGISTER_COUNT) {
        exit.inject(Cause.ILLEGAL, ins.word | 0);
        return;
      }
      if (ins.mnemonic === 'mfcr') vcpu.setRegister(ins.rd, vcpu.getControl(ins.imm));
      else vcpu.setControl(ins.imm, vcpu.getRegister(ins.rd));
      exit.skip();
      if (ins.mnemonic === 'mtcr' && ins.imm === ControlRegister.STATUS) deliverPending(exit);
      return;
    case 'iret':
      vcpu.setControl('status', vcpu.getControl('estatus'));
      vcpu.pc = vcpu.getControl('epc') >>> 0;
      deliverPending(exit);
      return;
    case 'cli':
      vcpu.setControl('status', status & ~Status.IE);
      exit.skip();
      return;
    case 'sti':
      vcpu.setControl('status', status | Status.IE);
      exit.skip();
      deliverPending(exit);
      return;
    case 'in':
      vcpu.setRegister(ins.rd, exit.ioRead(ins.imm));
      exit.skip();
      return;
    case 'out':
      exit.ioWrite(ins.imm, vcpu.getRegister(ins.rd));
      exit.skip();
      return;
    case 'tlbflush':
      exit.flushTlb();
      exit.skip();
      return;
    case 'tlbi':
      exit.invalidatePage(vcpu.getRegister(ins.rd));
      exit.skip();
      return;
    case 'halt':
      exit.skip();
      exit.waitForInterrupt();
      return;
    case 'rdmode':
      vcpu.setRegister(ins.rd, 1);
      exit.skip();
      return;
    case 'rdptb':
      vcpu.setRegister(ins.rd, vcpu.getControl('ptbr'));
      exit.skip();
      return;
    case 'pushf': {
      const sp = (vcpu.getRegister(15) - 4) >>> 0;
      const where = guestVirtualToPhysical(exit, sp, true);
      if ('fault' in where) {
        exit.inject(where.fault, sp | 0);
        return;
      }
      exit.writeGuestPhysical(where.gpa, status);
      vcpu.setRegister(15, sp | 0);
      exit.skip();
      return;
    }
    case 'popf': {
      const sp = vcpu.getRegister(15) >>> 0;
      const where = guestVirtualToPhysical(exit, sp, false);
      if ('fault' in where) {
        exit.inject(where.fault, sp | 0);
        return;
      }
      const value = exit.readGuestPhysical(where.gpa);
      vcpu.setRegister(15, (sp + 4) | 0);
      vcpu.setControl('status', (status & ~Status.IE) | (value & Status.IE));
      exit.skip();
      deliverPending(exit);
      return;
    }
    default:
      exit.inject(Cause.ILLEGAL, ins.word | 0);
  }
}

/** The lab 3 reference VMM: an exit handler for the virtualizable configuration. */
export function trapAndEmulate(exit: ExitContext): void {
  switch (exit.kind) {
    case 'privileged-instruction':
      // In virtual user mode bare hardware would trap: reflect it.
      if (exit.vcpu.mode === 'user') exit.inject(Cause.PRIVILEGED, exit.value);
      else emulateInstruction(exit);
      return;
    case 'sensitive-instruction':
      emulateInstruction(exit);
      return;
    case 'syscall':
    case 'page-fault':
    case 'exception':
      exit.inject(exit.cause, exit.value);
      return;
    case 'memory-violation':
      exit.inject(Cause.BUS_ERROR, exit.guestPhysicalAddress | 0);
      return;
    case 'interrupt':
      deliverPending(exit);
      return;
    case 'hypercall':
      // A native guest has no hypercalls: on bare hardware `hcall` is an illegal instruction.
      exit.vcpu.pc = (exit.pc - 4) >>> 0;
      exit.inject(Cause.ILLEGAL, exit.instruction?.word ?? 0);
      return;
  }
}
