/**
 * Disassembler for VL32: turns words back into assembler text that assembles to the same words.
 * @module
 */
import { SimError } from '../common/errors.ts';
import { CONTROL_REGISTER_NAMES, instructionByOpcode, usedFieldMask } from './isa.ts';

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

function reg(n: number): string {
  return n === 15 ? 'sp' : `r${n}`;
}

function controlName(n: number): string {
  return CONTROL_REGISTER_NAMES[n] ?? String(n);
}

/**
 * Disassembles one word found at `address`. Words that are not canonical instructions
 * (undefined opcode or stray bits in unused fields) come back as `.word 0x...`.
 */
export function disassembleWord(word: number, address = 0): string {
  const w = word >>> 0;
  const row = instructionByOpcode(w >>> 24);
  if (row === undefined || (w & 0x00ffffff & ~usedFieldMask(row.form)) !== 0) return `.word ${hex(w)}`;
  const m = row.mnemonic;
  const rd = (w >>> 20) & 15;
  const rs = (w >>> 16) & 15;
  const imm = row.signedImmediate ? (w << 16) >> 16 : w & 0xffff;
  const isControl = m === 'mfcr' || m === 'mtcr';
  if (isControl && imm >= CONTROL_REGISTER_NAMES.length) return `.word ${hex(w)}`;
  switch (row.form) {
    case 'none':
      return m;
    case 'rd':
      return `${m} ${reg(rd)}`;
    case 'rd,imm':
      return `${m} ${reg(rd)}, ${isControl ? controlName(imm) : imm}`;
    case 'imm,rd':
      return `${m} ${isControl ? controlName(imm) : imm}, ${reg(rd)}`;
    case 'rd,rs':
      return `${m} ${reg(rd)}, ${reg(rs)}`;
    case 'rd,rs,rt':
      return `${m} ${reg(rd)}, ${reg(rs)}, ${reg(w & 15)}`;
    case 'rd,rs,imm':
      return `${m} ${reg(rd)}, ${reg(rs)}, ${imm}`;
    case 'rd,[rs+imm]':
      return `${m} ${reg(rd)}, [${reg(rs)}${imm < 0 ? `-${-imm}` : `+${imm}`}]`;
    case 'rd,rs,target':
      return `${m} ${reg(rd)}, ${reg(rs)}, ${hex((address + 4 + imm * 4) | 0)}`;
    case 'target':
      return `${m} ${hex((address + 4 + ((w << 8) >> 8) * 4) | 0)}`;
    case 'imm':
      return `${m} ${imm}`;
  }
}

/**
 * Disassembles consecutive words starting at `origin` into a source text (an `.org` line,
 * then one line per word) that {@link assemble} turns back into the same words.
 */
export function disassemble(words: ArrayLike<number>, origin = 0): string {
  if (words === null || typeof words !== 'object' || typeof words.length !== 'number') {
    throw new SimError('INVALID_ARGUMENT', 'disassemble(words, origin): words must be an array or typed array of instruction words');
  }
  if (!Number.isInteger(origin) || origin < 0 || origin % 4 !== 0) {
    throw new SimError('INVALID_ARGUMENT', `disassemble: origin must be a non-negative multiple of 4, got ${origin}`);
  }
  const lines = [`.org ${hex(origin)}`];
  for (let i = 0; i < words.length; i++) lines.push(disassembleWord(words[i] as number, origin + i * 4));
  return `${lines.join('\n')}\n`;
}
