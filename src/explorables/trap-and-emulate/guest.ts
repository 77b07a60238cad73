/**
 * The tiny guest kernel of the trap-and-emulate explorable (lesson 5). It uses the idiom the
 * lesson describes: save the flags with `pushf`, turn interrupts off around a critical section,
 * restore them with `popf`, then print its own interrupt flag as "0" or "1". Paging stays off,
 * so its stack addresses are guest-physical ones.
 */
import { assemble, type Program } from '../../sim/machine/assembler.ts';

/** Guest memory in bytes: one page of code, the stack at its top. */
export const GUEST_MEMORY_BYTES = 8192;

export const GUEST_SOURCE = `start:
  li   sp, 0x2000
  sti                     ; interrupts on
  pushf                   ; save the flags (interrupts on)
  cli                     ; critical section: interrupts off
  li   r1, '*'
  out  CONSOLE_DATA, r1   ; print "*"
  popf                    ; restore the flags: interrupts on again
  mfcr r2, status         ; read the interrupt flag...
  andi r2, r2, STATUS_IE
  addi r2, r2, '0'
  out  CONSOLE_DATA, r2   ; ...and print it: "1" means on
  out  POWER_OFF, r0`;

let program: Program | undefined;

/** The guest, assembled once. */
export function guestProgram(): Program {
  program ??= assemble(GUEST_SOURCE);
  return program;
}

/** The source statement (without its comment) and comment of the guest's instruction at `address`. */
export function sourceAt(address: number): { statement: string; comment: string } {
  const { origin, lines } = guestProgram();
  const line = GUEST_SOURCE.split('\n')[(lines[(address - origin) / 4] ?? 0) - 1] ?? '';
  const [statement = '', comment = ''] = line.split(';');
  return { statement: statement.trim().replace(/\s+/g, ' '), comment: comment.trim() };
}
