// Style: a translator object. It also marks the privileged instructions (callouts are cheaper
// than traps, as classic VMware found) and lets the plain VMM emulate those; the silent sensitive
// ones it emulates itself with a stack helper shared by pushf and popf.
import { Op, Status, type CodePage, type ExitContext } from '@virtlab/sim';
import { emulatePrivileged, offerInterrupt, plainExit } from './trap-and-emulate.ts';
import { locateGuestWord } from './guest-stack.ts';

class Translator {
  static readonly PRIVILEGED = [Op.MFCR, Op.MTCR, Op.CLI, Op.STI, Op.IRET, Op.IN, Op.OUT, Op.HALT, Op.TLBFLUSH, Op.TLBI];
  static readonly SILENT = [Op.PUSHF, Op.POPF, Op.RDMODE, Op.RDPTB];
  readonly #intercepted = new Set<number>([...Translator.PRIVILEGED, ...Translator.SILENT]);

  scan(page: CodePage): number[] {
    const found: number[] = [];
    let address = page.address;
    for (const word of page.words) {
      if (this.#intercepted.has(word >>> 24)) found.push(address);
      address += 4;
    }
    return found;
  }

  /** Touches the stack word at `at`, then sets sp to `newSp` and moves past the instruction; false when the access trapped. */
  #stackWord(exit: ExitContext, at: number, write: boolean, body: (gpa: number) => void, newSp: number): boolean {
    const place = locateGuestWord(exit, at, write);
    if ('trap' in place) {
      exit.inject(place.trap, place.value);
      return false;
    }
    body(place.gpa);
    exit.vcpu.setRegister(15, newSp | 0);
    exit.skip();
    return true;
  }

  callout(exit: ExitContext): void {
    const vcpu = exit.vcpu;
    const decoded = exit.instruction;
    if (decoded === null) return plainExit(exit);
    const sp = vcpu.getRegister(15) >>> 0;
    if (decoded.mnemonic === 'pushf') {
      this.#stackWord(exit, (sp - 4) >>> 0, true, (gpa) => exit.writeGuestPhysical(gpa, vcpu.getControl('status')), sp - 4);
    } else if (decoded.mnemonic === 'popf') {
      const done = this.#stackWord(exit, sp, false, (gpa) => {
        const ie = exit.readGuestPhysical(gpa) & Status.IE;
        vcpu.setControl('status', (vcpu.getControl('status') & ~Status.IE) | ie);
      }, sp + 4);
      if (done) offerInterrupt(exit);
    } else if (decoded.mnemonic === 'rdmode') {
      vcpu.setRegister(decoded.rd, 1);
      exit.skip();
    } else if (decoded.mnemonic === 'rdptb') {
      vcpu.setRegister(decoded.rd, vcpu.getControl('ptbr'));
      exit.skip();
    } else if (!emulatePrivileged(exit)) {
      plainExit(exit);
    }
  }
}

const translator = new Translator();

export function scanPage(page: CodePage): number[] {
  return translator.scan(page);
}

export function emulateCallout(exit: ExitContext): void {
  translator.callout(exit);
}

export function handleExit(exit: ExitContext): void {
  if (exit.kind === 'sensitive-instruction') emulateCallout(exit);
  else plainExit(exit);
}
