/**
 * Read-only for labs 4 and 5 (one file: lab 5's is a link to lab 4's): a plain trap-and-emulate
 * VMM, the kind lab 3 had you write. It emulates every instruction that traps (the privileged
 * ones), reflects the guest's traps and delivers its interrupts.
 *
 * Lab 4: on the `x86-like` CPU that is not enough: `pushf`, `popf`, `rdmode` and `rdptb` never
 * trap, so they run directly and see the real (deprivileged) machine. Your binary translator
 * delegates every ordinary exit to `plainExit` and handles only its own callouts.
 *
 * Lab 5: it knows nothing of shadow page tables. Your shadow-paging VMM handles page faults,
 * stores to the page-table pages it protects and the instructions that change translation, and
 * hands everything else (and the emulation of those instructions) to `plainExit`.
 */
import { Cause, CONTROL_REGISTER_COUNT, Status, type ExitContext } from '@virtlab/sim';

/** Bare hardware raises interrupts as soon as they are enabled: do the same after any change. */
export function offerInterrupt(exit: ExitContext): void {
  if (!exit.vcpu.interruptsEnabled) return;
  const line = exit.pendingInterrupt();
  if (line !== null) exit.inject(line);
}

/** Sets or clears the virtual interrupt flag, keeping every other status bit. */
function withInterruptFlag(exit: ExitContext, on: boolean): void {
  const before = exit.vcpu.getControl('status');
  exit.vcpu.setControl('status', on ? before | Status.IE : before & ~Status.IE);
}

type Emulation = (exit: ExitContext, rd: number, imm: number) => void;

/** One entry per privileged mnemonic: what it does to the virtual CPU (the pc is moved after). */
const PRIVILEGED: Readonly<Record<string, Emulation>> = {
  mfcr: (exit, rd, imm) => exit.vcpu.setRegister(rd, exit.vcpu.getControl(imm)),
  mtcr: (exit, rd, imm) => exit.vcpu.setControl(imm, exit.vcpu.getRegister(rd)),
  cli: (exit) => withInterruptFlag(exit, false),
  sti: (exit) => withInterruptFlag(exit, true),
  in: (exit, rd, imm) => exit.vcpu.setRegister(rd, exit.ioRead(imm)),
  out: (exit, rd, imm) => exit.ioWrite(imm, exit.vcpu.getRegister(rd)),
  tlbflush: (exit) => exit.flushTlb(),
  tlbi: (exit, rd) => exit.invalidatePage(exit.vcpu.getRegister(rd)),
};

/**
 * Emulates a privileged instruction the guest ran in virtual supervisor mode; returns false if
 * `exit.instruction` is not one this table knows (the caller decides what that means).
 */
export function emulatePrivileged(exit: ExitContext): boolean {
  const decoded = exit.instruction;
  if (decoded === null) return false;
  const { mnemonic, rd, imm, word } = decoded;
  if (mnemonic === 'iret') {
    exit.vcpu.setControl('status', exit.vcpu.getControl('estatus'));
    exit.vcpu.pc = exit.vcpu.getControl('epc') >>> 0;
    offerInterrupt(exit);
    return true;
  }
  if (mnemonic === 'halt') {
    exit.skip();
    exit.waitForInterrupt(); // asleep until a line rises
    return true;
  }
  const emulate = PRIVILEGED[mnemonic];
  if (emulate === undefined) return false;
  if ((mnemonic === 'mfcr' || mnemonic === 'mtcr') && imm >= CONTROL_REGISTER_COUNT) {
    exit.inject(Cause.ILLEGAL, word | 0);
    return true;
  }
  emulate(exit, rd, imm);
  exit.skip();
  offerInterrupt(exit);
  return true;
}

/** The plain VMM: every exit a trap-and-emulate monitor sees, resolved as bare hardware would. */
export function plainExit(exit: ExitContext): void {
  const kind = exit.kind;
  if (kind === 'interrupt') return offerInterrupt(exit);
  if (kind === 'syscall' || kind === 'exception' || kind === 'page-fault') return exit.inject(exit.cause, exit.value);
  if (kind === 'memory-violation') return exit.inject(Cause.BUS_ERROR, exit.guestPhysicalAddress | 0);
  if (kind === 'hypercall') {
    // Bare hardware has no hcall: it is undefined, reported at the hcall itself.
    const hcallAddress = (exit.pc - 4) >>> 0;
    exit.vcpu.pc = hcallAddress;
    return exit.inject(Cause.ILLEGAL, exit.instruction?.word ?? 0);
  }
  // A privileged (or marked) instruction: bare hardware traps it in user mode.
  if (exit.vcpu.mode === 'user') return exit.inject(Cause.PRIVILEGED, exit.value);
  if (!emulatePrivileged(exit)) exit.inject(Cause.ILLEGAL, exit.instruction?.word ?? exit.value);
}
