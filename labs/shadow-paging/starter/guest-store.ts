/**
 * Read-only for lab 5: carrying out a guest store that the VMM intercepted.
 *
 * A store to a guest page the VMM write-protected (`exit.protectPage(gpa, false)`) does not
 * happen: the guest stops with a `memory-violation` exit at the store. To let the guest go on as
 * if nothing had happened, the VMM performs the store itself and moves the guest past it.
 */
import type { ExitContext } from '@virtlab/sim';

/** What an intercepted store changed: one aligned word of guest-physical memory. */
export interface CarriedOutStore {
  /** Guest-physical address of the word written (a multiple of 4). */
  readonly gpa: number;
  /** The word before and after the store (unsigned 32-bit values). */
  readonly before: number;
  readonly after: number;
}

/** The stack pointer: `sp` is r15. */
const STACK_POINTER = 15;

/** `word` with the byte at `index` (0–3, little-endian) replaced by the low byte of `value`. */
function withByte(word: number, index: number, value: number): number {
  const shift = index * 8;
  return ((word & ~(0xff << shift)) | ((value & 0xff) << shift)) >>> 0;
}

/**
 * For a `memory-violation` exit at a store (`st`, `stb` or `push`), writes what the store would
 * have written, as bare hardware would (`push` also moves `sp` down by 4), and skips the
 * instruction (which then counts as retired, as on bare hardware). Returns the word it changed.
 *
 * Returns null, doing nothing, for any other exit (a load, a fetch, or not a memory violation):
 * the caller decides what that means.
 */
export function carryOutStore(exit: ExitContext): CarriedOutStore | null {
  const instruction = exit.instruction;
  if (exit.kind !== 'memory-violation' || exit.access !== 'write' || instruction === null) return null;
  const target = exit.guestPhysicalAddress;
  const gpa = (target & ~3) >>> 0;
  const before = exit.readGuestPhysical(gpa) >>> 0;
  let after: number;
  switch (instruction.mnemonic) {
    case 'st':
      after = exit.vcpu.getRegister(instruction.rd) >>> 0;
      break;
    case 'stb':
      after = withByte(before, target & 3, exit.vcpu.getRegister(instruction.rd));
      break;
    case 'push':
      after = exit.vcpu.getRegister(instruction.rd) >>> 0;
      exit.vcpu.setRegister(STACK_POINTER, (exit.vcpu.getRegister(STACK_POINTER) - 4) | 0);
      break;
    default:
      return null;
  }
  exit.writeGuestPhysical(gpa, after | 0);
  exit.skip();
  return { gpa, before, after };
}
