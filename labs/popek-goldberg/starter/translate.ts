/**
 * Lab 4 — Binary translation. Your monitor for the `x86-like` CPU.
 *
 * Before a guest kernel code page first runs, the hypervisor hands it to your scanner
 * (`scanPage`). Every address you return becomes a *callout*: when the guest reaches it, the
 * vCPU stops with a `sensitive-instruction` exit instead of running the instruction, and your
 * `emulateCallout` performs it against the virtual CPU. Everything else still exits as in lab 3
 * and goes to the plain trap-and-emulate VMM of `trap-and-emulate.ts` (read-only).
 */
import type { CodePage, ExitContext } from '@virtlab/sim';
import { plainExit } from './trap-and-emulate.ts';
import { locateGuestWord } from './guest-stack.ts';

/**
 * The scanner. Gets one kernel code page (`page.address`, its guest-virtual address, and its
 * 1024 `page.words`) and returns the guest-virtual addresses of the instructions to intercept:
 * every instruction that is sensitive but does not trap on this CPU, and nothing the hardware
 * already handles correctly. It may be called again for the same page after the guest wrote to
 * it (the hypervisor dropped the old translation): answer for the words it gets now.
 */
export function scanPage(page: CodePage): number[] {
  void page;
  throw new Error('TODO: scanPage');
}

/**
 * Emulates the instruction at a callout (`exit.instruction`, in virtual supervisor mode) as bare
 * hardware would run it in supervisor mode, then moves the pc past it (`exit.skip()`), or raises
 * the trap bare hardware would raise (`exit.inject(cause, value)`, see `locateGuestWord`).
 */
export function emulateCallout(exit: ExitContext): void {
  void exit;
  void locateGuestWord;
  throw new Error('TODO: emulateCallout');
}

/** The monitor's exit handler: callouts to `emulateCallout`, every other exit to `plainExit`. */
export function handleExit(exit: ExitContext): void {
  if (exit.kind === 'sensitive-instruction') emulateCallout(exit);
  else plainExit(exit);
}
