// Mutant: keeps "the" interrupt flag in the VMM itself, changed by whichever guest runs cli/sti/popf/iret/mtcr status: one guest's virtual IF decides delivery for every VM.
/**
 * A trap-and-emulate VMM for the virtualizable VL32.
 *
 * The guest kernel runs deprivileged, so every privileged instruction exits. The VMM emulates
 * it against the vCPU's *virtual* state (mode, interrupt flag, page-table base, trap registers,
 * devices), reflects every guest trap into the guest exactly as bare hardware would deliver it,
 * and delivers virtual interrupts only while the guest has them enabled.
 */
import { Cause, CONTROL_REGISTER_COUNT, ControlRegister, Status, type ExitContext } from '@virtlab/sim';
import { translateGuestVirtual } from './guest-memory.ts';

/** A VMM: the hypervisor calls `handleExit` for every exit of every VM it runs. */
export interface Vmm {
  handleExit(exit: ExitContext): void;
}

/** Creates the VMM. One VMM may serve several VMs: everything it needs is in the exit. */
let interruptFlag = false;

export function createVmm(): Vmm {
  interruptFlag = false;
  return { handleExit };
}

/** Mirrors the guest's IE into the VMM's flag after every change of STATUS. */
function track(exit: ExitContext): void {
  interruptFlag = (exit.vcpu.getControl('status') & Status.IE) !== 0;
}

/** Resolves one exit and returns; the hypervisor then resumes the guest. */
export function handleExit(exit: ExitContext): void {
  switch (exit.kind) {
    case 'privileged-instruction':
      // Bare hardware would have trapped in user mode: the guest's own kernel must see it.
      if (exit.vcpu.mode === 'user') {
        exit.inject(Cause.PRIVILEGED, exit.value);
        interruptFlag = false;
      } else emulatePrivileged(exit);
      return;
    case 'sensitive-instruction':
      // Only under binary translation, which this VMM does not use; emulate it all the same.
      emulatePrivileged(exit);
      return;
    case 'syscall':
    case 'exception':
    case 'page-fault':
      reflectTrap(exit);
      return;
    case 'memory-violation':
      // Only for pages a VMM write-protects (this one does not): a guest-physical page the
      // VM may not write behaves as memory that is not there, a bus error at that address.
      exit.inject(Cause.BUS_ERROR, exit.guestPhysicalAddress | 0);
      interruptFlag = false;
      return;
    case 'hypercall':
      // A native kernel has no hypercalls: on bare hardware `hcall` is an undefined
      // instruction, reported at the instruction itself.
      exit.vcpu.pc = (exit.pc - 4) >>> 0;
      exit.inject(Cause.ILLEGAL, exit.instruction?.word ?? 0);
      return;
    case 'interrupt':
      deliverPendingInterrupt(exit);
      return;
  }
}

/**
 * Reflects a guest trap (system call, exception, page fault) into the guest: the architectural
 * trap entry on the virtual CPU, with the cause and value bare hardware would report. The vCPU's
 * pc is already where bare hardware would save EPC (the next instruction for `syscall`/`brk`,
 * the faulting one otherwise).
 */
export function reflectTrap(exit: ExitContext): void {
  exit.inject(exit.cause, exit.value);
  interruptFlag = false;
}

/** Delivers the lowest raised virtual interrupt line, if the guest has interrupts enabled. */
export function deliverPendingInterrupt(exit: ExitContext): void {
  if (!interruptFlag) return;
  const cause = exit.pendingInterrupt();
  if (cause !== null) {
    exit.inject(cause);
    interruptFlag = false;
  }
}

/** Emulates a privileged instruction the guest executed in virtual supervisor mode. */
export function emulatePrivileged(exit: ExitContext): void {
  const vcpu = exit.vcpu;
  const ins = exit.instruction;
  if (ins === null) {
    exit.inject(Cause.ILLEGAL, exit.value);
    return;
  }
  const status = vcpu.getControl('status');
  switch (ins.mnemonic) {
    case 'mfcr':
      if (ins.imm >= CONTROL_REGISTER_COUNT) return exit.inject(Cause.ILLEGAL, ins.word | 0);
      vcpu.setRegister(ins.rd, vcpu.getControl(ins.imm));
      exit.skip();
      return;
    case 'mtcr':
      if (ins.imm >= CONTROL_REGISTER_COUNT) return exit.inject(Cause.ILLEGAL, ins.word | 0);
      // The virtual register: the hardware walks the guest's tables from the virtual PTBR and
      // checks permissions against the virtual mode (setControl also flushes the TLB as needed).
      vcpu.setControl(ins.imm, vcpu.getRegister(ins.rd));
      track(exit);
      exit.skip();
      if (ins.imm === ControlRegister.STATUS) deliverPendingInterrupt(exit);
      return;
    case 'iret':
      vcpu.setControl('status', vcpu.getControl('estatus'));
      vcpu.pc = vcpu.getControl('epc') >>> 0;
      track(exit);
      deliverPendingInterrupt(exit);
      return;
    case 'cli':
      vcpu.setControl('status', status & ~Status.IE);
      track(exit);
      exit.skip();
      return;
    case 'sti':
      vcpu.setControl('status', status | Status.IE);
      track(exit);
      exit.skip();
      deliverPendingInterrupt(exit);
      return;
    case 'halt':
      exit.skip();
      exit.waitForInterrupt();
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
    case 'rdmode':
      vcpu.setRegister(ins.rd, 1); // we only emulate in virtual supervisor mode
      exit.skip();
      return;
    case 'rdptb':
      vcpu.setRegister(ins.rd, vcpu.getControl('ptbr'));
      exit.skip();
      return;
    case 'pushf': {
      const sp = (vcpu.getRegister(15) - 4) | 0;
      const where = translateGuestVirtual(exit, sp, 'write');
      if (!where.ok) return exit.inject(where.cause, where.value);
      exit.writeGuestPhysical(where.gpa, status);
      vcpu.setRegister(15, sp);
      exit.skip();
      return;
    }
    case 'popf': {
      const sp = vcpu.getRegister(15);
      const where = translateGuestVirtual(exit, sp, 'read');
      if (!where.ok) {
        exit.inject(where.cause, where.value);
        interruptFlag = false;
        return;
      }
      const popped = exit.readGuestPhysical(where.gpa);
      vcpu.setRegister(15, (sp + 4) | 0);
      // Only the interrupt flag: popf never changes the mode or the paging bit.
      vcpu.setControl('status', (status & ~Status.IE) | (popped & Status.IE));
      track(exit);
      exit.skip();
      deliverPendingInterrupt(exit);
      return;
    }
    default:
      exit.inject(Cause.ILLEGAL, ins.word | 0);
  }
}
