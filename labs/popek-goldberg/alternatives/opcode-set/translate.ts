// Style: table-driven. The scanner asks the simulator's own instruction table which opcodes are
// sensitive yet unprivileged on this CPU, and callouts dispatch through a record of handlers.
import { INSTRUCTIONS, Status, type CodePage, type ExitContext } from '@virtlab/sim';
import { offerInterrupt, plainExit } from './trap-and-emulate.ts';
import { locateGuestWord } from './guest-stack.ts';

/** Sensitive (by Popek and Goldberg's definition) but not trapping on the x86-like CPU. */
const SILENT = new Set(INSTRUCTIONS.filter((row) => row.sensitivity !== 'innocuous' && !row.privileged['x86-like']).map((row) => row.opcode));

export function scanPage(page: CodePage): number[] {
  return page.words.flatMap((word, index) => (SILENT.has(word >>> 24) ? [page.address + index * 4] : []));
}

type Callout = (exit: ExitContext, rd: number) => void;

const CALLOUTS: Readonly<Record<string, Callout>> = {
  rdmode: (exit, rd) => {
    exit.vcpu.setRegister(rd, 1);
    exit.skip();
  },
  rdptb: (exit, rd) => {
    exit.vcpu.setRegister(rd, exit.vcpu.getControl('ptbr'));
    exit.skip();
  },
  pushf: (exit) => {
    const sp = (exit.vcpu.getRegister(15) - 4) >>> 0;
    const place = locateGuestWord(exit, sp, true);
    if ('trap' in place) {
      exit.inject(place.trap, place.value);
      return;
    }
    exit.writeGuestPhysical(place.gpa, exit.vcpu.getControl('status'));
    exit.vcpu.setRegister(15, sp | 0);
    exit.skip();
  },
  popf: (exit) => {
    const sp = exit.vcpu.getRegister(15) >>> 0;
    const place = locateGuestWord(exit, sp, false);
    if ('trap' in place) {
      exit.inject(place.trap, place.value);
      return;
    }
    const flag = exit.readGuestPhysical(place.gpa) & Status.IE;
    exit.vcpu.setRegister(15, (sp + 4) | 0);
    exit.vcpu.setControl('status', (exit.vcpu.getControl('status') & ~Status.IE) | flag);
    exit.skip();
    offerInterrupt(exit);
  },
};

export function emulateCallout(exit: ExitContext): void {
  const decoded = exit.instruction;
  const callout = decoded === null ? undefined : CALLOUTS[decoded.mnemonic];
  if (callout === undefined || decoded === null) plainExit(exit);
  else callout(exit, decoded.rd);
}

export function handleExit(exit: ExitContext): void {
  if (exit.kind === 'sensitive-instruction') emulateCallout(exit);
  else plainExit(exit);
}
