/**
 * Alternative, part 3 (style: regular-expression rewrites of the kernel's text, and a dispatch
 * table of hypercall handlers). The console is buffered per line, as the simulator's own
 * paravirtual flavour does, so printing costs one hypercall per line instead of per character.
 */
import { Cause, Port, Pte, Status, type ExitContext } from '@virtlab/sim';
import { plainExit } from './trap-and-emulate.ts';
import { Hypercall, MMU_BATCH_LIMIT, REFUSED, SharedFrame, USER_CODE_MARK } from './pv-abi.ts';

const BUFFERED_PUTC = `kputc:
    ld r7, [zero+KBUF_LEN]
    li r8, KBUF
    add r8, r8, r7
    stb r5, [r8+0]
    addi r7, r7, 1
    st r7, [zero+KBUF_LEN]
    li r8, 10
    beq r5, r8, kflush
    li r8, 120
    bge r7, r8, kflush
    ret`;

const FLUSH = `kflush:
    push r2
    push r3
    li r2, KBUF
    ld r3, [zero+KBUF_LEN]
    beq r3, zero, kflush_end
    hcall HC_CONSOLE_WRITE
    st r0, [zero+KBUF_LEN]
kflush_end:
    pop r3
    pop r2
    ret`;

/** Each rewrite: a pattern over whole lines of the kernel and its paravirtual text. */
const REWRITES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\s*li r1, trap_entry\s*\n\s*mtcr tvec, r1\s*$/m, '    li r2, trap_entry\n    li r3, SHARED\n    hcall HC_SETUP'],
  [/^\s*li r1, PD_A\s*\n\s*mtcr ptbr, r1\s*\n\s*mfcr r2, status\s*\n\s*ori r2, r2, STATUS_PAGING\s*\n\s*mtcr status, r2\s*$/m, '    li r2, PD_A\n    hcall HC_SET_PTBR'],
  [/^\s*li r1, PERIOD\s*\n\s*out TIMER_PERIOD, r1\s*$/m, '    li r2, PERIOD\n    hcall HC_SET_TIMER'],
  [/^\s*mfcr r2, epc\s*$/m, '    ld r2, [zero+SHARED+8]'],
  [/^\s*mfcr r3, cause\s*$/m, '    ld r3, [zero+SHARED+0]'],
  [/^\s*mfcr r4, tval\s*$/m, '    ld r4, [zero+SHARED+4]'],
  [/^\s*mtcr epc, r2\s*$/m, '    st r2, [zero+SHARED+8]'],
  [/^\s*mtcr estatus, r3\s*$/m, '    st r3, [zero+SHARED+12]'],
  [/^\s*iret\s*$/m, '    hcall HC_IRET'],
  [/^\s*mtcr ptbr, r2\s*$/m, '    st r2, [zero+SHARED+16]'],
  [/^\s*out TIMER_ACK, zero\s*$/m, '    nop'],
  [/^\s*cli\s*\n\s*halt\s*$/m, '    hcall HC_HALT'],
  [/^(idle_loop:\s*\n)\s*halt\s*$/m, '$1    hcall HC_IDLE'],
  [/^\s*st r4, \[r2\+0\]\s*\n\s*tlbi r5\s*$/m, '    mov r3, r4\n    mov r4, r5\n    hcall HC_MMU_UPDATE'],
  [/^kputc:\s*\n\s*out CONSOLE_DATA, r5\s*\n\s*ret\s*$/m, BUFFERED_PUTC],
  [/^kflush:[^\n]*\n\s*ret\s*$/m, FLUSH],
  [/^\s*rdmode r1\b.*$/m, '    li r1, 1'],
  [/^\s*pushf\b.*\n\s*cli\s*$/m, '    nop\n    nop'],
  [/^\s*popf\b.*$/m, '    nop'],
];

/** Rewrites the kernel's text before the user program; the user program is kept as it is. */
export function paravirtualize(source: string): string {
  const split = source.search(new RegExp(`^${USER_CODE_MARK}\\s*$`, 'm'));
  const kernel = split < 0 ? source : source.slice(0, split);
  const user = split < 0 ? '' : source.slice(split);
  return REWRITES.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), kernel) + user;
}

type Handler = (exit: ExitContext) => boolean;

const arg = (exit: ExitContext, i: number): number => exit.vcpu.getRegister(i);

/** Guest-physical [gpa, gpa + bytes) lies within the VM. */
const within = (exit: ExitContext, gpa: number, bytes: number): boolean => gpa >= 0 && bytes >= 0 && gpa + bytes <= exit.vm.memoryBytes;

/** A page-table write Xen would accept: an aligned slot of this VM, mapping (if present) one of its frames. */
const acceptable = (exit: ExitContext, slot: number, entry: number): boolean =>
  slot % 4 === 0 && within(exit, slot, 4) && (!(entry & Pte.PRESENT) || ((entry & Pte.FRAME_MASK) >>> 0) + 4096 <= exit.vm.memoryBytes);

const frameOf = new Map<number, number>();

function offer(exit: ExitContext): void {
  if (!exit.vcpu.interruptsEnabled) return;
  const line = exit.pendingInterrupt();
  if (line === null) return;
  if (line === Cause.TIMER_INTERRUPT) exit.ioWrite(Port.TIMER_ACK, 0);
  exit.inject(line);
}

const setIe = (exit: ExitContext, on: boolean): void => {
  const status = exit.vcpu.getControl('status');
  exit.vcpu.setControl('status', on ? status | Status.IE : status & ~Status.IE);
};

const HANDLERS: Readonly<Record<number, Handler>> = {
  [Hypercall.SETUP]: (exit) => {
    const frame = arg(exit, 3);
    if (frame % 4 !== 0 || !within(exit, frame, SharedFrame.BYTES)) return false;
    exit.vcpu.setControl('tvec', arg(exit, 2));
    frameOf.set(exit.vm.id, frame);
    exit.enableDirectSyscalls(true, frame);
    return true;
  },
  [Hypercall.IRET]: (exit) => {
    const frame = frameOf.get(exit.vm.id);
    if (frame === undefined) return false;
    const [epc, estatus, next] = [SharedFrame.EPC, SharedFrame.ESTATUS, SharedFrame.NEXT_PTBR].map((offset) => exit.readGuestPhysical(frame + offset)) as [number, number, number];
    if (next !== 0) {
      exit.vcpu.setControl('ptbr', next);
      exit.writeGuestPhysical(frame + SharedFrame.NEXT_PTBR, 0);
    }
    exit.vcpu.setControl('status', estatus);
    exit.vcpu.pc = epc >>> 0;
    offer(exit);
    return true;
  },
  [Hypercall.SET_PTBR]: (exit) => {
    exit.vcpu.setControl('ptbr', arg(exit, 2));
    exit.vcpu.setControl('status', exit.vcpu.getControl('status') | Status.PAGING);
    return true;
  },
  [Hypercall.CONSOLE_WRITE]: (exit) => {
    const [start, length] = [arg(exit, 2), arg(exit, 3)];
    if (!within(exit, start, length)) return false;
    for (let address = start; address < start + length; address++) exit.ioWrite(Port.CONSOLE_DATA, exit.readGuestPhysical(address & ~3) >>> (8 * (address & 3)));
    return true;
  },
  [Hypercall.SET_TIMER]: (exit) => {
    exit.ioWrite(Port.TIMER_PERIOD, arg(exit, 2));
    return true;
  },
  [Hypercall.IDLE]: (exit) => {
    setIe(exit, true);
    exit.waitForInterrupt();
    return true;
  },
  [Hypercall.HALT]: (exit) => {
    setIe(exit, false);
    exit.waitForInterrupt();
    return true;
  },
  [Hypercall.MMU_UPDATE]: (exit) => {
    if (!acceptable(exit, arg(exit, 2), arg(exit, 3))) return false;
    exit.writeGuestPhysical(arg(exit, 2), arg(exit, 3));
    exit.invalidatePage(arg(exit, 4));
    return true;
  },
  [Hypercall.MMU_BATCH]: (exit) => {
    const [list, count] = [arg(exit, 2), arg(exit, 3)];
    if (count < 0 || count > MMU_BATCH_LIMIT || list % 4 !== 0 || !within(exit, list, 8 * count)) return false;
    const pairs = Array.from({ length: count }, (_, i) => [exit.readGuestPhysical(list + 8 * i), exit.readGuestPhysical(list + 8 * i + 4)] as const);
    if (pairs.some(([slot, entry]) => !acceptable(exit, slot, entry))) return false;
    pairs.forEach(([slot, entry]) => exit.writeGuestPhysical(slot, entry));
    exit.flushTlb();
    return true;
  },
};

/** Dispatches hypercalls through the table; interrupts are acknowledged and offered; the rest goes to plainExit. */
export function handleExit(exit: ExitContext): void {
  if (exit.kind === 'interrupt') return offer(exit);
  const handler = exit.kind === 'hypercall' ? HANDLERS[exit.hypercall ?? -1] : undefined;
  if (handler === undefined) return plainExit(exit);
  if (!handler(exit)) exit.vcpu.setRegister(2, REFUSED);
}
