/**
 * Alternative, part 3 (style: a class per half). `KernelPatch` edits the source by instruction:
 * each native instruction maps to its paravirtual lines wherever it appears in the kernel, with a
 * small state machine for the two-instruction idioms (`cli; halt`, `pushf; cli`). The monitor is
 * a class whose methods are the hypercalls, with its per-VM state in one map.
 */
import { Cause, Port, Pte, Status, type ExitContext } from '@virtlab/sim';
import { plainExit } from './trap-and-emulate.ts';
import { Hypercall, MMU_BATCH_LIMIT, REFUSED, SharedFrame, USER_CODE_MARK } from './pv-abi.ts';

class KernelPatch {
  /** One native instruction → its replacement (the empty list deletes it). */
  static readonly SINGLE: ReadonlyMap<string, readonly string[]> = new Map([
    ['mtcr tvec, r1', ['mov r2, r1', 'li r3, SHARED', 'hcall HC_SETUP']],
    ['mfcr r2, status', []],
    ['ori r2, r2, STATUS_PAGING', []],
    ['mtcr status, r2', []],
    ['mtcr ptbr, r1', ['mov r2, r1', 'hcall HC_SET_PTBR']],
    ['out TIMER_PERIOD, r1', ['mov r2, r1', 'hcall HC_SET_TIMER']],
    ['mfcr r2, epc', ['ld r2, [zero+SHARED+8]']],
    ['mfcr r3, cause', ['ld r3, [zero+SHARED+0]']],
    ['mfcr r4, tval', ['ld r4, [zero+SHARED+4]']],
    ['mtcr epc, r2', ['st r2, [zero+SHARED+8]']],
    ['mtcr estatus, r3', ['st r3, [zero+SHARED+12]']],
    ['iret', ['hcall HC_IRET']],
    ['mtcr ptbr, r2', ['st r2, [zero+SHARED+16]']],
    ['out TIMER_ACK, zero', []],
    ['halt', ['hcall HC_IDLE']],
    ['tlbi r5', ['mov r3, r4', 'mov r4, r5', 'hcall HC_MMU_UPDATE']],
    ['out CONSOLE_DATA, r5', ['push r2', 'push r3', 'stb r5, [zero+KBUF+1]', 'li r2, KBUF+1', 'li r3, 1', 'hcall HC_CONSOLE_WRITE', 'pop r3', 'pop r2']],
    ['rdmode r1', ['li r1, 1']],
    ['pushf', []],
    ['popf', []],
  ]);

  private readonly out: string[] = [];
  /** The first instruction of a two-instruction idiom, held back until the next one is seen. */
  private pending: 'cli' | 'pushf-cli' | null = null;
  private readonly source: string;

  constructor(source: string) {
    this.source = source;
  }

  run(): string {
    let user = false;
    for (const line of this.source.split('\n')) {
      const op = line.replace(/;.*$/, '').trim().replace(/\s+/g, ' ');
      if (op === USER_CODE_MARK) user = true;
      if (!user) {
        this.kernelLine(line, op);
        continue;
      }
      this.flushPending();
      this.out.push(line);
    }
    this.flushPending();
    return this.out.join('\n');
  }

  private kernelLine(line: string, op: string): void {
    if (op === '') return void this.out.push(line); // a blank line never breaks an idiom
    if (this.pending === 'cli' && op === 'halt') return this.emit(['hcall HC_HALT'], true);
    if (this.pending === 'pushf-cli' && op === 'cli') return this.emit([], true);
    this.flushPending();
    if (op === 'cli') return void (this.pending = 'cli');
    // st r4,[r2+0] before tlbi r5 is the entry store the MMU_UPDATE does for the kernel.
    if (op === 'st r4, [r2+0]') return;
    if (op === 'pushf') return void (this.pending = 'pushf-cli');
    const replacement = KernelPatch.SINGLE.get(op);
    if (replacement === undefined) this.out.push(line);
    else this.emit(replacement, false);
  }

  private emit(lines: readonly string[], clearPending: boolean): void {
    if (clearPending) this.pending = null;
    this.out.push(...lines.map((text) => `    ${text}`));
  }

  /** A held-back first instruction of an idiom that did not complete is kept as it was. */
  private flushPending(): void {
    if (this.pending === 'cli') this.out.push('    cli');
    this.pending = null;
  }
}

export function paravirtualize(source: string): string {
  return new KernelPatch(source).run();
}

class ParavirtualMonitor {
  private readonly frames = new Map<number, number>();

  handle(exit: ExitContext): void {
    if (exit.kind === 'interrupt') return this.deliver(exit);
    if (exit.kind !== 'hypercall') return plainExit(exit);
    const accepted = this.hypercall(exit, exit.hypercall ?? -1);
    if (accepted === false) exit.vcpu.setRegister(2, REFUSED);
  }

  private deliver(exit: ExitContext): void {
    if (!exit.vcpu.interruptsEnabled) return;
    const line = exit.pendingInterrupt();
    if (line === null) return;
    if (line === Cause.TIMER_INTERRUPT) exit.ioWrite(Port.TIMER_ACK, 0);
    exit.inject(line);
  }

  private fits(exit: ExitContext, gpa: number, bytes: number): boolean {
    return gpa >= 0 && bytes >= 0 && gpa <= exit.vm.memoryBytes - bytes;
  }

  private entryOk(exit: ExitContext, slot: number, entry: number): boolean {
    if ((slot & 3) !== 0 || !this.fits(exit, slot, 4)) return false;
    if ((entry & Pte.PRESENT) === 0) return true;
    return this.fits(exit, (entry & Pte.FRAME_MASK) >>> 0, 4096);
  }

  private status(exit: ExitContext, set: number, clear: number): void {
    exit.vcpu.setControl('status', (exit.vcpu.getControl('status') & ~clear) | set);
  }

  /** Returns false to refuse; anything else is done. */
  private hypercall(exit: ExitContext, number: number): boolean | void {
    const v = exit.vcpu;
    const [a, b, c] = [v.getRegister(2), v.getRegister(3), v.getRegister(4)];
    if (number === Hypercall.SETUP) {
      if ((b & 3) !== 0 || !this.fits(exit, b, SharedFrame.BYTES)) return false;
      v.setControl('tvec', a);
      this.frames.set(exit.vm.id, b);
      return exit.enableDirectSyscalls(true, b);
    }
    if (number === Hypercall.IRET) {
      const frame = this.frames.get(exit.vm.id);
      if (frame === undefined) return false;
      const ptbr = exit.readGuestPhysical(frame + SharedFrame.NEXT_PTBR);
      if (ptbr !== 0) {
        v.setControl('ptbr', ptbr);
        exit.writeGuestPhysical(frame + SharedFrame.NEXT_PTBR, 0);
      }
      v.setControl('status', exit.readGuestPhysical(frame + SharedFrame.ESTATUS));
      v.pc = exit.readGuestPhysical(frame + SharedFrame.EPC) >>> 0;
      return this.deliver(exit);
    }
    if (number === Hypercall.SET_PTBR) {
      v.setControl('ptbr', a);
      return this.status(exit, Status.PAGING, 0);
    }
    if (number === Hypercall.CONSOLE_WRITE) {
      if (!this.fits(exit, a, b)) return false;
      let text = '';
      for (let i = 0; i < b; i++) text += String.fromCharCode((exit.readGuestPhysical((a + i) & ~3) >>> (((a + i) & 3) * 8)) & 0xff);
      for (const ch of text) exit.ioWrite(Port.CONSOLE_DATA, ch.charCodeAt(0));
      return;
    }
    if (number === Hypercall.SET_TIMER) return exit.ioWrite(Port.TIMER_PERIOD, a);
    if (number === Hypercall.IDLE || number === Hypercall.HALT) {
      this.status(exit, number === Hypercall.IDLE ? Status.IE : 0, number === Hypercall.HALT ? Status.IE : 0);
      return exit.waitForInterrupt();
    }
    if (number === Hypercall.MMU_UPDATE) {
      if (!this.entryOk(exit, a, b)) return false;
      exit.writeGuestPhysical(a, b);
      return exit.invalidatePage(c);
    }
    if (number === Hypercall.MMU_BATCH) {
      if (b < 0 || b > MMU_BATCH_LIMIT || (a & 3) !== 0 || !this.fits(exit, a, 8 * b)) return false;
      const slots: number[] = [];
      const entries: number[] = [];
      for (let i = 0; i < b; i++) {
        slots.push(exit.readGuestPhysical(a + 8 * i));
        entries.push(exit.readGuestPhysical(a + 8 * i + 4));
        if (!this.entryOk(exit, slots[i]!, entries[i]!)) return false;
      }
      slots.forEach((slot, i) => exit.writeGuestPhysical(slot, entries[i]!));
      return exit.flushTlb();
    }
    return plainExit(exit);
  }
}

const monitor = new ParavirtualMonitor();

export function handleExit(exit: ExitContext): void {
  monitor.handle(exit);
}
