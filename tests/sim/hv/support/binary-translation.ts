/**
 * Binary translation support for the x86-like CPU (lab 4 reference, test side only): a
 * scanner that marks every sensitive instruction of a kernel code page — including the
 * sensitive-but-unprivileged pushf, popf, rdmode and rdptb that would otherwise run directly
 * with the wrong result — so each becomes a callout the VMM emulates.
 */
import type { CodePage } from '../../../../src/sim/hv/index.ts';
import { instructionByOpcode } from '../../../../src/sim/machine/index.ts';

/** Marks every instruction whose table row is not innocuous. */
export function scanSensitive(page: CodePage): number[] {
  const marks: number[] = [];
  page.words.forEach((word, i) => {
    const spec = instructionByOpcode(word >>> 24);
    if (spec !== undefined && spec.sensitivity !== 'innocuous') marks.push(page.address + i * 4);
  });
  return marks;
}

/** A deliberately incomplete scanner: finds only the privileged instructions (misses popf & co). */
export function scanPrivilegedOnly(page: CodePage): number[] {
  const marks: number[] = [];
  page.words.forEach((word, i) => {
    const spec = instructionByOpcode(word >>> 24);
    if (spec !== undefined && spec.privileged['x86-like']) marks.push(page.address + i * 4);
  });
  return marks;
}
