/**
 * The explorable's monitor: just enough trap-and-emulate for its one tiny guest (guest.ts), on
 * purpose. It emulates the handful of privileged instructions that guest uses, in virtual
 * supervisor mode with paging off, and stops the VM on anything else, so it is no answer to
 * lab 3 (which needs every instruction, user mode, traps, interrupts and paging). Each exit is
 * described in words for the lesson's timeline.
 */
import { ControlRegister, Port, Status } from '../../sim/machine/isa.ts';
import type { ExitContext } from '../../sim/hv/exit-context.ts';

const STACK_POINTER = 15;

const hex = (value: number) => `0x${(value >>> 0).toString(16)}`;
const onOff = (status: number) => ((status & Status.IE) !== 0 ? 'on' : 'off');

function setVirtualInterrupts(exit: ExitContext, on: boolean): void {
  const status = exit.vcpu.getControl('status');
  exit.vcpu.setControl('status', on ? status | Status.IE : status & ~Status.IE);
}

type Emulation = (exit: ExitContext, rd: number, imm: number) => string;

/** What the monitor does for each instruction the guest may trap on, as it would explain it. */
const EMULATIONS: Readonly<Record<string, Emulation>> = {
  sti: (exit) => {
    setVirtualInterrupts(exit, true);
    return 'turned the virtual interrupt flag on';
  },
  cli: (exit) => {
    setVirtualInterrupts(exit, false);
    return 'turned the virtual interrupt flag off';
  },
  pushf: (exit) => {
    const sp = (exit.vcpu.getRegister(STACK_POINTER) - 4) >>> 0;
    const status = exit.vcpu.getControl('status');
    exit.writeGuestPhysical(sp, status);
    exit.vcpu.setRegister(STACK_POINTER, sp);
    return `pushed the virtual status word ${hex(status)} (interrupts ${onOff(status)})`;
  },
  popf: (exit) => {
    const sp = exit.vcpu.getRegister(STACK_POINTER) >>> 0;
    const word = exit.readGuestPhysical(sp);
    exit.vcpu.setRegister(STACK_POINTER, sp + 4);
    setVirtualInterrupts(exit, (word & Status.IE) !== 0);
    return `popped ${hex(word)} and set the virtual interrupt flag from it: ${onOff(word)}`;
  },
  mfcr: (exit, rd, imm) => {
    if (imm !== ControlRegister.STATUS) throw new UnknownToThisMonitor();
    const status = exit.vcpu.getControl('status');
    exit.vcpu.setRegister(rd, status);
    return `gave r${rd} the virtual status word ${hex(status)} (interrupts ${onOff(status)})`;
  },
  out: (exit, rd, port) => {
    const value = exit.vcpu.getRegister(rd);
    if (port === Port.CONSOLE_DATA) {
      exit.ioWrite(port, value);
      return `wrote "${String.fromCharCode(value & 0xff)}" to the VM's virtual console`;
    }
    if (port === Port.POWER_OFF) {
      exit.ioWrite(port, value);
      return "switched the VM's virtual power off";
    }
    throw new UnknownToThisMonitor();
  },
};

class UnknownToThisMonitor extends Error {}

/**
 * Resolves one exit of the explorable's guest and says what it did. Anything the guest was not
 * written to do shuts the VM down with a message instead of being emulated.
 */
export function resolveExit(exit: ExitContext): string {
  const decoded = exit.instruction;
  const emulate = decoded && exit.kind === 'privileged-instruction' && exit.vcpu.mode === 'supervisor' ? EMULATIONS[decoded.mnemonic] : undefined;
  if (decoded && emulate) {
    try {
      const action = emulate(exit, decoded.rd, decoded.imm);
      exit.skip();
      return action;
    } catch (error) {
      if (!(error instanceof UnknownToThisMonitor)) throw error;
    }
  }
  exit.powerOff();
  return 'this small monitor only knows the lesson’s guest, so it stopped the VM';
}
