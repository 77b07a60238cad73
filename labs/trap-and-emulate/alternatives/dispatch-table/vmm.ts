/**
 * Correct alternative, table-driven style: one dispatch table maps each exit kind to its
 * handler and another maps each privileged mnemonic to an emulator, instead of two switches.
 * An emulator only changes the virtual state and says how the guest resumes (`next`: after the
 * instruction; `next-unmasked`: after it, taking a pending interrupt if IE is now set;
 * `jumped`: it set the pc itself; `trapped`: it reflected a fault). One `resume` function then
 * advances the pc and delivers interrupts, so no emulator repeats that bookkeeping.
 */
import { Cause, CONTROL_REGISTER_COUNT, ControlRegister, Status, type DecodedInstruction, type ExitContext } from '@virtlab/sim';
import { translateGuestVirtual } from './guest-memory.ts';

/** A VMM: the hypervisor calls `handleExit` for every exit of every VM it runs. */
export interface Vmm {
  handleExit(exit: ExitContext): void;
}

/** How the guest goes on after an emulated instruction. */
type Resume = 'next' | 'next-unmasked' | 'jumped' | 'jumped-unmasked' | 'trapped';

type Emulator = (exit: ExitContext, ins: DecodedInstruction) => Resume;

const SP = 15;

/** Injects the trap bare hardware would raise, and tells `resume` not to touch the pc. */
function trap(exit: ExitContext, cause: number, value: number): Resume {
  exit.inject(cause, value);
  return 'trapped';
}

const illegal: Emulator = (exit, ins) => trap(exit, Cause.ILLEGAL, ins.word | 0);

/** Sets the virtual interrupt flag from `ie` (only that bit of STATUS). */
function setInterruptFlag(exit: ExitContext, ie: number): void {
  const status = exit.vcpu.getControl('status');
  exit.vcpu.setControl('status', (status & ~Status.IE) | (ie & Status.IE));
}

const EMULATORS: Readonly<Record<string, Emulator>> = {
  mfcr: (exit, ins) => {
    if (ins.imm >= CONTROL_REGISTER_COUNT) return illegal(exit, ins);
    exit.vcpu.setRegister(ins.rd, exit.vcpu.getControl(ins.imm));
    return 'next';
  },
  mtcr: (exit, ins) => {
    if (ins.imm >= CONTROL_REGISTER_COUNT) return illegal(exit, ins);
    // The virtual register itself: the MMU reads the virtual PTBR and mode; setControl flushes.
    exit.vcpu.setControl(ins.imm, exit.vcpu.getRegister(ins.rd));
    return ins.imm === ControlRegister.STATUS ? 'next-unmasked' : 'next';
  },
  iret: (exit) => {
    exit.vcpu.setControl('status', exit.vcpu.getControl('estatus'));
    exit.vcpu.pc = exit.vcpu.getControl('epc') >>> 0;
    return 'jumped-unmasked';
  },
  cli: (exit) => {
    setInterruptFlag(exit, 0);
    return 'next';
  },
  sti: (exit) => {
    setInterruptFlag(exit, Status.IE);
    return 'next-unmasked';
  },
  halt: (exit) => {
    exit.skip();
    exit.waitForInterrupt(); // the VM sleeps (or stops, with IE clear) until a line is raised
    return 'jumped';
  },
  in: (exit, ins) => {
    exit.vcpu.setRegister(ins.rd, exit.ioRead(ins.imm));
    return 'next';
  },
  out: (exit, ins) => {
    exit.ioWrite(ins.imm, exit.vcpu.getRegister(ins.rd));
    return 'next';
  },
  tlbflush: (exit) => {
    exit.flushTlb();
    return 'next';
  },
  tlbi: (exit, ins) => {
    exit.invalidatePage(exit.vcpu.getRegister(ins.rd));
    return 'next';
  },
  rdmode: (exit, ins) => {
    exit.vcpu.setRegister(ins.rd, 1); // emulated only in virtual supervisor mode
    return 'next';
  },
  rdptb: (exit, ins) => {
    exit.vcpu.setRegister(ins.rd, exit.vcpu.getControl('ptbr'));
    return 'next';
  },
  pushf: (exit) => {
    const status = exit.vcpu.getControl('status');
    const sp = (exit.vcpu.getRegister(SP) - 4) | 0;
    const where = translateGuestVirtual(exit, sp, 'write');
    if (!where.ok) return trap(exit, where.cause, where.value);
    exit.writeGuestPhysical(where.gpa, status);
    exit.vcpu.setRegister(SP, sp);
    return 'next';
  },
  popf: (exit) => {
    const sp = exit.vcpu.getRegister(SP);
    const where = translateGuestVirtual(exit, sp, 'read');
    if (!where.ok) return trap(exit, where.cause, where.value);
    setInterruptFlag(exit, exit.readGuestPhysical(where.gpa));
    exit.vcpu.setRegister(SP, (sp + 4) | 0);
    return 'next-unmasked';
  },
};

function resume(exit: ExitContext, how: Resume): void {
  if (how === 'next' || how === 'next-unmasked') exit.skip();
  if (how === 'next-unmasked' || how === 'jumped-unmasked') deliverPendingInterrupt(exit);
}

type ExitHandlerTable = { readonly [K in ExitContext['kind']]: (exit: ExitContext) => void };

const EXIT_HANDLERS: ExitHandlerTable = {
  'privileged-instruction': (exit) => (exit.vcpu.mode === 'user' ? exit.inject(Cause.PRIVILEGED, exit.value) : emulatePrivileged(exit)),
  'sensitive-instruction': (exit) => emulatePrivileged(exit),
  syscall: (exit) => reflectTrap(exit),
  exception: (exit) => reflectTrap(exit),
  'page-fault': (exit) => reflectTrap(exit),
  // Guest-physical memory the VM may not write acts as absent memory: a bus error there.
  'memory-violation': (exit) => exit.inject(Cause.BUS_ERROR, exit.guestPhysicalAddress | 0),
  hypercall: (exit) => {
    // No hypercalls on bare hardware: an illegal instruction, with EPC at the hcall itself.
    exit.vcpu.pc = (exit.pc - 4) >>> 0;
    exit.inject(Cause.ILLEGAL, exit.instruction?.word ?? 0);
  },
  interrupt: (exit) => deliverPendingInterrupt(exit),
};

/** Creates the VMM: the tables are shared and the VMM keeps no state of its own. */
export function createVmm(): Vmm {
  return { handleExit };
}

/** Resolves one exit and returns; the hypervisor then resumes the guest. */
export function handleExit(exit: ExitContext): void {
  EXIT_HANDLERS[exit.kind](exit);
}

/** Reflects a guest trap into the guest with the cause, value and EPC bare hardware would give. */
export function reflectTrap(exit: ExitContext): void {
  exit.inject(exit.cause, exit.value);
}

/** Delivers the lowest raised virtual interrupt line, if the guest has interrupts enabled. */
export function deliverPendingInterrupt(exit: ExitContext): void {
  if (!exit.vcpu.interruptsEnabled) return;
  const line = exit.pendingInterrupt();
  if (line !== null) exit.inject(line);
}

/** Emulates a privileged instruction the guest executed in virtual supervisor mode. */
export function emulatePrivileged(exit: ExitContext): void {
  const ins = exit.instruction;
  if (ins === null) {
    exit.inject(Cause.ILLEGAL, exit.value);
    return;
  }
  const emulator = Object.hasOwn(EMULATORS, ins.mnemonic) ? EMULATORS[ins.mnemonic]! : illegal;
  resume(exit, emulator(exit, ins));
}
