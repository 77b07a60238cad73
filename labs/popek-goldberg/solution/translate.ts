/**
 * Lab 4 reference: a binary translator for the x86-like CPU. The scanner marks exactly the four
 * instructions that are sensitive but do not trap there; the privileged ones trap anyway and
 * reach the plain trap-and-emulate VMM, so marking them would buy nothing.
 */
import { Op, Status, type CodePage, type ExitContext } from '@virtlab/sim';
import { offerInterrupt, plainExit } from '../starter/trap-and-emulate.ts';
import { locateGuestWord } from '../starter/guest-stack.ts';

/** Opcodes that are sensitive but unprivileged on the x86-like CPU (Robin & Irvine's kind). */
const SILENT_SENSITIVE = new Set<number>([Op.PUSHF, Op.POPF, Op.RDMODE, Op.RDPTB]);

/** Marks every silent sensitive instruction of the page; a pure function of the words, so a rescanned page is never stale. */
export function scanPage(page: CodePage): number[] {
  const marks: number[] = [];
  for (let i = 0; i < page.words.length; i++) {
    if (SILENT_SENSITIVE.has(page.words[i]! >>> 24)) marks.push(page.address + 4 * i);
  }
  return marks;
}

/** Runs a marked instruction as bare hardware runs it in supervisor mode, on the virtual CPU. */
export function emulateCallout(exit: ExitContext): void {
  const vcpu = exit.vcpu;
  const decoded = exit.instruction;
  switch (decoded?.mnemonic) {
    case 'rdmode':
      vcpu.setRegister(decoded.rd, 1); // the guest kernel is in (virtual) supervisor mode
      exit.skip();
      return;
    case 'rdptb':
      vcpu.setRegister(decoded.rd, vcpu.getControl('ptbr')); // its own table, not the monitor's
      exit.skip();
      return;
    case 'pushf': {
      const top = (vcpu.getRegister(15) - 4) >>> 0;
      const slot = locateGuestWord(exit, top, true);
      if ('trap' in slot) return exit.inject(slot.trap, slot.value);
      exit.writeGuestPhysical(slot.gpa, vcpu.getControl('status'));
      vcpu.setRegister(15, top | 0);
      exit.skip();
      return;
    }
    case 'popf': {
      const top = vcpu.getRegister(15) >>> 0;
      const slot = locateGuestWord(exit, top, false);
      if ('trap' in slot) return exit.inject(slot.trap, slot.value);
      const saved = exit.readGuestPhysical(slot.gpa);
      vcpu.setRegister(15, (top + 4) | 0);
      // Only the interrupt flag comes from the stack, as on the hardware.
      vcpu.setControl('status', (vcpu.getControl('status') & ~Status.IE) | (saved & Status.IE));
      exit.skip();
      offerInterrupt(exit);
      return;
    }
    default:
      plainExit(exit); // anything else a scanner marked is handled as its trap would be
  }
}

/** The monitor's exit handler: callouts to `emulateCallout`, every other exit to `plainExit`. */
export function handleExit(exit: ExitContext): void {
  if (exit.kind === 'sensitive-instruction') emulateCallout(exit);
  else plainExit(exit);
}
