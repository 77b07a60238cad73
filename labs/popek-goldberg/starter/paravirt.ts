/**
 * Lab 4 — Paravirtualization. Two halves of one interface: a patch that makes the reference
 * kernel ask the hypervisor (`hcall`) instead of running privileged or sensitive instructions,
 * and the hypervisor's handlers for those hypercalls. The ABI is in `pv-abi.ts` (read-only).
 */
import type { ExitContext } from '@virtlab/sim';
import { plainExit } from './trap-and-emulate.ts';
import { Hypercall, REFUSED, SharedFrame } from './pv-abi.ts';

/**
 * Gets the reference kernel's native assembly source (`referenceKernel(options)`, any options,
 * sensitive flavour or not) and returns it patched for the hypervisor: the kernel (everything
 * before `.org USER_CODE`) may run no privileged and no sensitive instruction, and the patch must
 * stay small (see `CHANGED_LINES_LIMIT` in tests/pv-check.ts; the public test shows your count above its results). Leave the user program alone.
 */
export function paravirtualize(source: string): string {
  void source;
  throw new Error('TODO: paravirtualize');
}

/**
 * The paravirtual monitor's exit handler: runs each hypercall of `pv-abi.ts`, refusing (r2 ←
 * REFUSED, nothing else changed) any that names memory outside the VM; acknowledges and delivers
 * interrupts; everything else as the plain trap-and-emulate VMM does (`plainExit`).
 */
export function handleExit(exit: ExitContext): void {
  void exit;
  void plainExit;
  void Hypercall;
  void REFUSED;
  void SharedFrame;
  throw new Error('TODO: paravirtual handleExit');
}
