/**
 * Correct alternative, object-oriented style: the VMM is a class, and each exit is resolved by
 * a short-lived `Emulation` object that holds the exit, the vCPU and the decoded instruction and
 * has one method per group of instructions (control registers, interrupt flag, devices, TLB,
 * stack). Guest-stack access goes through one `stackWord` method shared by pushf and popf.
 * The starter's exported functions remain, as thin entries into the same class.
 */
import { Cause, CONTROL_REGISTER_COUNT, ControlRegister, Status, type DecodedInstruction, type ExitContext } from '@virtlab/sim';
import { translateGuestVirtual } from './guest-memory.ts';

/** A VMM: the hypervisor calls `handleExit` for every exit of every VM it runs. */
export interface Vmm {
  handleExit(exit: ExitContext): void;
}

const STACK_POINTER = 15;
const WORD = 4;

/** One exit being resolved. Nothing outlives it: all state is the VM's own virtual state. */
class Emulation {
  readonly exit: ExitContext;
  readonly ins: DecodedInstruction;

  constructor(exit: ExitContext, ins: DecodedInstruction) {
    this.exit = exit;
    this.ins = ins;
  }

  get vcpu() {
    return this.exit.vcpu;
  }

  /** Bare hardware's answer to an instruction it does not know. */
  illegal(): void {
    this.exit.inject(Cause.ILLEGAL, this.ins.word | 0);
  }

  /** Continue at the next instruction. */
  next(): void {
    this.exit.skip();
  }

  /** Continue at the next instruction, then take a pending interrupt if IE is now set. */
  nextAndMaybeInterrupt(): void {
    this.exit.skip();
    deliverPendingInterrupt(this.exit);
  }

  controlRegister(): void {
    const { rd, imm } = this.ins;
    if (imm >= CONTROL_REGISTER_COUNT) return this.illegal();
    if (this.ins.mnemonic === 'mfcr') {
      this.vcpu.setRegister(rd, this.vcpu.getControl(imm));
      return this.next();
    }
    // The vCPU's virtual register: the hardware walks from the virtual PTBR, checks the
    // virtual mode, and flushes its TLB as a real write would.
    this.vcpu.setControl(imm, this.vcpu.getRegister(rd));
    if (imm === ControlRegister.STATUS) this.nextAndMaybeInterrupt();
    else this.next();
  }

  interruptFlag(enable: boolean): void {
    const status = this.vcpu.getControl('status');
    this.vcpu.setControl('status', enable ? status | Status.IE : status & ~Status.IE);
    if (enable) this.nextAndMaybeInterrupt();
    else this.next();
  }

  returnFromTrap(): void {
    this.vcpu.setControl('status', this.vcpu.getControl('estatus'));
    this.vcpu.pc = this.vcpu.getControl('epc') >>> 0;
    deliverPendingInterrupt(this.exit);
  }

  halt(): void {
    this.next();
    this.exit.waitForInterrupt();
  }

  port(direction: 'in' | 'out'): void {
    const { rd, imm } = this.ins;
    if (direction === 'in') this.vcpu.setRegister(rd, this.exit.ioRead(imm));
    else this.exit.ioWrite(imm, this.vcpu.getRegister(rd));
    this.next();
  }

  tlb(which: 'all' | 'page'): void {
    if (which === 'all') this.exit.flushTlb();
    else this.exit.invalidatePage(this.vcpu.getRegister(this.ins.rd));
    this.next();
  }

  /** Sensitive reads answered from the virtual state, never the real machine's. */
  readVirtual(value: number): void {
    this.vcpu.setRegister(this.ins.rd, value);
    this.next();
  }

  /**
   * The guest-physical address of the stack word at `sp`, walked in software with the guest's
   * virtual mode and tables; null after reflecting the fault bare hardware would raise.
   */
  stackWord(sp: number, access: 'read' | 'write'): number | null {
    const where = translateGuestVirtual(this.exit, sp, access);
    if (where.ok) return where.gpa;
    this.exit.inject(where.cause, where.value);
    return null;
  }

  pushFlags(): void {
    const status = this.vcpu.getControl('status');
    const sp = (this.vcpu.getRegister(STACK_POINTER) - WORD) | 0;
    const gpa = this.stackWord(sp, 'write');
    if (gpa === null) return;
    this.exit.writeGuestPhysical(gpa, status);
    this.vcpu.setRegister(STACK_POINTER, sp);
    this.next();
  }

  popFlags(): void {
    const sp = this.vcpu.getRegister(STACK_POINTER);
    const gpa = this.stackWord(sp, 'read');
    if (gpa === null) return;
    const popped = this.exit.readGuestPhysical(gpa);
    this.vcpu.setRegister(STACK_POINTER, (sp + WORD) | 0);
    // popf moves the interrupt flag only, never the mode or the paging bit.
    const status = this.vcpu.getControl('status');
    this.vcpu.setControl('status', (status & ~Status.IE) | (popped & Status.IE));
    this.nextAndMaybeInterrupt();
  }

  run(): void {
    switch (this.ins.mnemonic) {
      case 'mfcr':
      case 'mtcr':
        return this.controlRegister();
      case 'cli':
        return this.interruptFlag(false);
      case 'sti':
        return this.interruptFlag(true);
      case 'iret':
        return this.returnFromTrap();
      case 'halt':
        return this.halt();
      case 'in':
      case 'out':
        return this.port(this.ins.mnemonic);
      case 'tlbflush':
        return this.tlb('all');
      case 'tlbi':
        return this.tlb('page');
      case 'rdmode':
        return this.readVirtual(1); // emulation happens only in virtual supervisor mode
      case 'rdptb':
        return this.readVirtual(this.vcpu.getControl('ptbr'));
      case 'pushf':
        return this.pushFlags();
      case 'popf':
        return this.popFlags();
      default:
        return this.illegal();
    }
  }
}

class TrapAndEmulateVmm implements Vmm {
  handleExit(exit: ExitContext): void {
    switch (exit.kind) {
      case 'privileged-instruction':
        // In virtual user mode bare hardware traps: the guest kernel must see it.
        if (exit.vcpu.mode === 'user') this.reflect(exit, Cause.PRIVILEGED, exit.value);
        else this.emulate(exit);
        return;
      case 'sensitive-instruction':
        this.emulate(exit);
        return;
      case 'syscall':
      case 'exception':
      case 'page-fault':
        this.reflect(exit, exit.cause, exit.value);
        return;
      case 'memory-violation':
        // Memory the VM may not write behaves as memory that is not there.
        this.reflect(exit, Cause.BUS_ERROR, exit.guestPhysicalAddress | 0);
        return;
      case 'hypercall':
        // Bare hardware has no hcall: an illegal instruction, reported at the instruction.
        exit.vcpu.pc = (exit.pc - WORD) >>> 0;
        this.reflect(exit, Cause.ILLEGAL, exit.instruction?.word ?? 0);
        return;
      case 'interrupt':
        this.interrupt(exit);
        return;
    }
  }

  /** The architectural trap entry on the virtual CPU, as bare hardware would make it. */
  reflect(exit: ExitContext, cause: number, value: number): void {
    exit.inject(cause, value);
  }

  /** A raised line reaches the guest only while its virtual IE is set; otherwise it waits. */
  interrupt(exit: ExitContext): void {
    if (!exit.vcpu.interruptsEnabled) return;
    const line = exit.pendingInterrupt();
    if (line !== null) exit.inject(line);
  }

  emulate(exit: ExitContext): void {
    const ins = exit.instruction;
    if (ins === null) this.reflect(exit, Cause.ILLEGAL, exit.value);
    else new Emulation(exit, ins).run();
  }
}

const shared = new TrapAndEmulateVmm();

/** Creates the VMM. It keeps nothing between exits, so one instance serves every VM. */
export function createVmm(): Vmm {
  return new TrapAndEmulateVmm();
}

/** Resolves one exit and returns; the hypervisor then resumes the guest. */
export function handleExit(exit: ExitContext): void {
  shared.handleExit(exit);
}

/** Reflects a guest trap (system call, exception, page fault) into the guest. */
export function reflectTrap(exit: ExitContext): void {
  shared.reflect(exit, exit.cause, exit.value);
}

/** Delivers the lowest raised virtual interrupt line, if the guest has interrupts enabled. */
export function deliverPendingInterrupt(exit: ExitContext): void {
  shared.interrupt(exit);
}

/** Emulates a privileged instruction the guest executed in virtual supervisor mode. */
export function emulatePrivileged(exit: ExitContext): void {
  shared.emulate(exit);
}
