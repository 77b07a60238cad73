/**
 * A shadow-paging VMM (lab 5 reference, test side only): the guest's page tables are never
 * used by the hardware; the VMM keeps one shadow table, fills it on hidden page faults by
 * walking the guest's tables in software, reflects true faults, and drops shadow entries when
 * the guest switches address spaces or invalidates its TLB — exactly when bare hardware would
 * forget cached translations.
 */
import type { ExitContext, ShadowTable } from '../../../../src/sim/hv/index.ts';
import { Cause, ControlRegister, Pte, Status } from '../../../../src/sim/machine/index.ts';
import { emulateInstruction, trapAndEmulate } from './trap-and-emulate.ts';

/** Walks the guest page tables; the shadow mapping to install, or null for a true fault. */
function guestMapping(exit: ExitContext, va: number): { gpa: number; writable: boolean; user: boolean } | null {
  const vcpu = exit.vcpu;
  const dirGpa = ((vcpu.getControl('ptbr') & Pte.FRAME_MASK) >>> 0) + ((va >>> 22) << 2);
  if (dirGpa + 4 > exit.vm.memoryBytes) return null;
  const pde = exit.readGuestPhysical(dirGpa);
  if ((pde & Pte.PRESENT) === 0) return null;
  const pteGpa = ((pde & Pte.FRAME_MASK) >>> 0) + (((va >>> 12) & 1023) << 2);
  if (pteGpa + 4 > exit.vm.memoryBytes) return null;
  const pte = exit.readGuestPhysical(pteGpa);
  if ((pte & Pte.PRESENT) === 0) return null;
  const gpa = (pte & Pte.FRAME_MASK) >>> 0;
  if (gpa >= exit.vm.memoryBytes) return null;
  const flags = pde & pte;
  return { gpa, writable: (flags & Pte.WRITABLE) !== 0, user: (flags & Pte.USER) !== 0 };
}

export interface ShadowVmmStats {
  hiddenFaults: number;
  trueFaults: number;
}

/** Builds a shadow-paging VMM around the trap-and-emulate handlers. */
export function createShadowVmm(stats: ShadowVmmStats = { hiddenFaults: 0, trueFaults: 0 }): (exit: ExitContext) => void {
  const tables = new Map<number, ShadowTable>();
  const table = (exit: ExitContext): ShadowTable => {
    let t = tables.get(exit.vm.id);
    if (t === undefined) {
      t = exit.shadow.createTable();
      tables.set(exit.vm.id, t);
      exit.shadow.activate(t);
    }
    return t;
  };
  return (exit) => {
    const shadow = table(exit);
    if (exit.kind === 'page-fault') {
      const va = exit.address;
      const mapping = guestMapping(exit, va);
      const user = exit.vcpu.mode === 'user';
      const write = exit.access === 'write';
      const allowed = mapping !== null && (!user || mapping.user) && (!write || mapping.writable);
      const already = shadow.get(va);
      if (allowed && (already === null || already.guestPhysical !== mapping.gpa || already.writable !== mapping.writable || already.user !== mapping.user)) {
        stats.hiddenFaults++;
        shadow.set(va, mapping.gpa, { writable: mapping.writable, user: mapping.user });
        return;
      }
      stats.trueFaults++;
      if (mapping !== null && mapping.gpa >= exit.vm.memoryBytes) exit.inject(Cause.BUS_ERROR, mapping.gpa);
      else exit.inject(exit.cause, exit.value);
      return;
    }
    if ((exit.kind === 'privileged-instruction' || exit.kind === 'sensitive-instruction') && exit.vcpu.mode === 'supervisor') {
      const ins = exit.instruction;
      if (ins?.mnemonic === 'tlbflush' || (ins?.mnemonic === 'mtcr' && ins.imm === ControlRegister.PTBR)) shadow.clearAll();
      else if (ins?.mnemonic === 'tlbi') shadow.clear(exit.vcpu.getRegister(ins.rd) >>> 0);
      else if (ins?.mnemonic === 'mtcr' && ins.imm === ControlRegister.STATUS && ((exit.vcpu.getRegister(ins.rd) ^ exit.vcpu.getControl('status')) & Status.PAGING) !== 0) {
        shadow.clearAll();
      }
      emulateInstruction(exit);
      return;
    }
    trapAndEmulate(exit);
  };
}
