/**
 * Lab 4 reference, part 3: paravirtualization. The patch rewrites the kernel's architecture
 * layer line by line (a table of native instruction runs and their paravirtual replacements),
 * and the handlers implement the hypercall ABI of `pv-abi.ts`, validating every guest-physical
 * address a guest names, as Xen validates page-table updates.
 */
import { Cause, Port, Pte, Status, type ExitContext } from '@virtlab/sim';
import { plainExit } from '../starter/trap-and-emulate.ts';
import { Hypercall, MMU_BATCH_LIMIT, REFUSED, SharedFrame, USER_CODE_MARK } from '../starter/pv-abi.ts';

/** Native instruction runs (normalized) and what the paravirtual kernel does instead. */
const REPLACEMENTS: ReadonlyArray<readonly [readonly string[], readonly string[]]> = [
  [['li r1, trap_entry', 'mtcr tvec, r1'], ['li r2, trap_entry', 'li r3, SHARED', 'hcall HC_SETUP']],
  [['mtcr ptbr, r1', 'mfcr r2, status', 'ori r2, r2, STATUS_PAGING', 'mtcr status, r2'], ['mov r2, r1', 'hcall HC_SET_PTBR']],
  [['out TIMER_PERIOD, r1'], ['mov r2, r1', 'hcall HC_SET_TIMER']],
  [['mfcr r2, epc'], ['ld r2, [zero+SHARED+8]']],
  [['mfcr r3, cause'], ['ld r3, [zero+SHARED+0]']],
  [['mfcr r4, tval'], ['ld r4, [zero+SHARED+4]']],
  [['mtcr epc, r2'], ['st r2, [zero+SHARED+8]']],
  [['mtcr estatus, r3'], ['st r3, [zero+SHARED+12]']],
  [['iret'], ['hcall HC_IRET']],
  [['mtcr ptbr, r2'], ['st r2, [zero+SHARED+16]']], // HC_IRET loads it on the way out
  [['out TIMER_ACK, zero'], []], // the hypervisor acknowledges the virtual timer it delivers
  [['cli', 'halt'], ['hcall HC_HALT']],
  [['halt'], ['hcall HC_IDLE']],
  [['st r4, [r2+0]', 'tlbi r5'], ['mov r3, r4', 'mov r4, r5', 'hcall HC_MMU_UPDATE']],
  // One character per hypercall, through a byte of the (otherwise unused) console buffer.
  [['out CONSOLE_DATA, r5'], ['push r2', 'push r3', 'stb r5, [zero+KBUF]', 'li r2, KBUF', 'li r3, 1', 'hcall HC_CONSOLE_WRITE', 'pop r3', 'pop r2']],
  // The sensitive flavour: the kernel knows where it runs, and interrupts are already off
  // wherever it prints (boot and trap handlers), so saving and clearing the flag can go.
  [['rdmode r1'], ['li r1, 1']],
  [['pushf', 'cli'], []],
  [['popf'], []],
];

/** A line's instruction without comment, label-free indentation or repeated spaces. */
function normalize(line: string): string {
  return line.replace(/;.*$/, '').trim().replace(/\s+/g, ' ');
}

/** Rewrites the kernel part of `source` (everything before the user program) for the hypervisor. */
export function paravirtualize(source: string): string {
  const lines = source.split('\n');
  const out: string[] = [];
  let inKernel = true;
  for (let i = 0; i < lines.length; ) {
    if (normalize(lines[i]!) === USER_CODE_MARK) inKernel = false;
    const rule = inKernel ? REPLACEMENTS.find(([run]) => run.every((text, k) => normalize(lines[i + k] ?? '') === text)) : undefined;
    if (rule === undefined) {
      out.push(lines[i]!);
      i++;
      continue;
    }
    out.push(...rule[1].map((text) => `    ${text}`));
    i += rule[0].length;
  }
  return out.join('\n');
}

/** Whether `bytes` bytes from guest-physical `gpa` lie inside this VM. */
function inside(exit: ExitContext, gpa: number, bytes: number): boolean {
  return Number.isInteger(gpa) && gpa >= 0 && bytes >= 0 && gpa + bytes <= exit.vm.memoryBytes;
}

/** A page-table entry may be written only inside the VM and may map only the VM's own frames. */
function validEntry(exit: ExitContext, entryAt: number, value: number): boolean {
  if (entryAt % 4 !== 0 || !inside(exit, entryAt, 4)) return false;
  return (value & Pte.PRESENT) === 0 || ((value & Pte.FRAME_MASK) >>> 0) < exit.vm.memoryBytes;
}

/** Delivers a pending interrupt if the guest has them on; the timer is acknowledged for it. */
function deliverInterrupt(exit: ExitContext): void {
  if (!exit.vcpu.interruptsEnabled) return;
  const line = exit.pendingInterrupt();
  if (line === null) return;
  if (line === Cause.TIMER_INTERRUPT) exit.ioWrite(Port.TIMER_ACK, 0);
  exit.inject(line);
}

/** Shared trap frame of each VM, as its SETUP registered it. */
const sharedFrames = new Map<number, number>();

/** Runs one hypercall; returns false if the guest named memory outside itself (the call is refused). */
function hypercall(exit: ExitContext): boolean {
  const vcpu = exit.vcpu;
  const arg = (i: number): number => vcpu.getRegister(i);
  switch (exit.hypercall) {
    case Hypercall.SETUP: {
      const frame = arg(3);
      if (frame % 4 !== 0 || !inside(exit, frame, SharedFrame.BYTES)) return false;
      vcpu.setControl('tvec', arg(2));
      sharedFrames.set(exit.vm.id, frame);
      exit.enableDirectSyscalls(true, frame); // system calls go straight to the guest's vector
      return true;
    }
    case Hypercall.IRET: {
      const frame = sharedFrames.get(exit.vm.id);
      if (frame === undefined) return false;
      const nextPtbr = exit.readGuestPhysical(frame + SharedFrame.NEXT_PTBR);
      if (nextPtbr !== 0) {
        vcpu.setControl('ptbr', nextPtbr);
        exit.writeGuestPhysical(frame + SharedFrame.NEXT_PTBR, 0);
      }
      vcpu.setControl('status', exit.readGuestPhysical(frame + SharedFrame.ESTATUS));
      vcpu.pc = exit.readGuestPhysical(frame + SharedFrame.EPC) >>> 0;
      deliverInterrupt(exit);
      return true;
    }
    case Hypercall.SET_PTBR:
      vcpu.setControl('ptbr', arg(2));
      vcpu.setControl('status', vcpu.getControl('status') | Status.PAGING);
      return true;
    case Hypercall.CONSOLE_WRITE: {
      const start = arg(2);
      const length = arg(3);
      if (!inside(exit, start, length)) return false;
      for (let i = 0; i < length; i++) {
        const address = start + i;
        const word = exit.readGuestPhysical(address & ~3);
        exit.ioWrite(Port.CONSOLE_DATA, (word >>> ((address & 3) * 8)) & 0xff);
      }
      return true;
    }
    case Hypercall.SET_TIMER:
      exit.ioWrite(Port.TIMER_PERIOD, arg(2));
      return true;
    case Hypercall.IDLE:
      vcpu.setControl('status', vcpu.getControl('status') | Status.IE);
      exit.waitForInterrupt();
      return true;
    case Hypercall.HALT:
      vcpu.setControl('status', vcpu.getControl('status') & ~Status.IE);
      exit.waitForInterrupt();
      return true;
    case Hypercall.MMU_UPDATE:
      if (!validEntry(exit, arg(2), arg(3))) return false;
      exit.writeGuestPhysical(arg(2), arg(3));
      exit.invalidatePage(arg(4));
      return true;
    case Hypercall.MMU_BATCH: {
      const list = arg(2);
      const count = arg(3);
      if (count < 0 || count > MMU_BATCH_LIMIT || list % 4 !== 0 || !inside(exit, list, 8 * count)) return false;
      const updates: Array<readonly [number, number]> = [];
      for (let i = 0; i < count; i++) updates.push([exit.readGuestPhysical(list + 8 * i), exit.readGuestPhysical(list + 8 * i + 4)]);
      // All or nothing: one bad entry refuses the whole batch before anything is written.
      if (!updates.every(([entryAt, value]) => validEntry(exit, entryAt, value))) return false;
      for (const [entryAt, value] of updates) exit.writeGuestPhysical(entryAt, value); // in list order
      exit.flushTlb();
      return true;
    }
    default:
      plainExit(exit); // no such hypercall: an illegal instruction, as on bare hardware
      return true;
  }
}

/** The paravirtual monitor: hypercalls here, interrupts acknowledged and delivered, the rest as trap-and-emulate. */
export function handleExit(exit: ExitContext): void {
  if (exit.kind === 'interrupt') return deliverInterrupt(exit);
  if (exit.kind !== 'hypercall') return plainExit(exit);
  if (!hypercall(exit)) exit.vcpu.setRegister(2, REFUSED);
}
