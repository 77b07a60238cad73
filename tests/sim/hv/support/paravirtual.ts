/**
 * A VMM for the reference kernel's paravirtual flavour: implements the hypercall ABI in
 * `src/sim/guests/kernel.ts` (Xen-style: direct system calls, a shared trap frame, batched
 * console output, page-table updates by hypercall). Test-side reference, never shipped.
 */
import { Hypercall, SharedFrame } from '../../../../src/sim/guests/index.ts';
import type { ExitContext } from '../../../../src/sim/hv/index.ts';
import { Cause, Port, Status } from '../../../../src/sim/machine/index.ts';
import { trapAndEmulate } from './trap-and-emulate.ts';

function deliver(exit: ExitContext): void {
  if (!exit.vcpu.interruptsEnabled) return;
  const cause = exit.pendingInterrupt();
  if (cause === null) return;
  // Paravirtual timer: the hypervisor acknowledges the event it delivers.
  if (cause === Cause.TIMER_INTERRUPT) exit.ioWrite(Port.TIMER_ACK, 0);
  exit.inject(cause);
}

/** Per-VM shared-frame addresses registered by HC_SETUP. */
export function createParavirtualVmm(): (exit: ExitContext) => void {
  const frames = new Map<number, number>();
  return (exit) => {
    const vcpu = exit.vcpu;
    const arg = (i: number): number => vcpu.getRegister(i);
    if (exit.kind === 'interrupt') return deliver(exit);
    if (exit.kind !== 'hypercall') return trapAndEmulate(exit);
    const frame = frames.get(exit.vm.id) ?? SharedFrame.ADDRESS;
    switch (exit.hypercall) {
      case Hypercall.SETUP:
        vcpu.setControl('tvec', arg(2));
        frames.set(exit.vm.id, arg(3));
        exit.enableDirectSyscalls(true, arg(3));
        return;
      case Hypercall.IRET: {
        const nextPtbr = exit.readGuestPhysical(frame + SharedFrame.NEXT_PTBR);
        if (nextPtbr !== 0) {
          vcpu.setControl('ptbr', nextPtbr);
          exit.writeGuestPhysical(frame + SharedFrame.NEXT_PTBR, 0);
        }
        vcpu.setControl('status', exit.readGuestPhysical(frame + SharedFrame.ESTATUS));
        vcpu.pc = exit.readGuestPhysical(frame + SharedFrame.EPC) >>> 0;
        return deliver(exit);
      }
      case Hypercall.SET_PTBR:
        vcpu.setControl('ptbr', arg(2));
        vcpu.setControl('status', vcpu.getControl('status') | Status.PAGING);
        return;
      case Hypercall.CONSOLE_WRITE: {
        const start = arg(2);
        const length = arg(3);
        let word = 0;
        for (let i = 0; i < length; i++) {
          const address = start + i;
          if (i === 0 || (address & 3) === 0) word = exit.readGuestPhysical(address & ~3);
          exit.ioWrite(Port.CONSOLE_DATA, (word >>> ((address & 3) * 8)) & 0xff);
        }
        return;
      }
      case Hypercall.SET_TIMER:
        exit.ioWrite(Port.TIMER_PERIOD, arg(2));
        return;
      case Hypercall.IDLE:
        vcpu.setControl('status', vcpu.getControl('status') | Status.IE);
        exit.waitForInterrupt();
        return;
      case Hypercall.HALT:
        vcpu.setControl('status', vcpu.getControl('status') & ~Status.IE);
        exit.waitForInterrupt();
        return;
      case Hypercall.MMU_UPDATE:
        exit.writeGuestPhysical(arg(2), arg(3));
        exit.invalidatePage(arg(4));
        return;
      default:
        exit.inject(Cause.ILLEGAL, exit.instruction?.word ?? 0);
    }
  };
}
