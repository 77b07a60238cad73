import { describe, expect, it } from 'vitest';
import {
  CPU_CONFIGS,
  decode,
  encode,
  INSTRUCTIONS,
  instructionByMnemonic,
  instructionByOpcode,
  isVirtualizable,
} from '../../../src/sim/machine/index.ts';

describe('instruction table', () => {
  it('has unique opcodes and mnemonics, and is frozen', () => {
    expect(new Set(INSTRUCTIONS.map((i) => i.opcode)).size).toBe(INSTRUCTIONS.length);
    expect(new Set(INSTRUCTIONS.map((i) => i.mnemonic)).size).toBe(INSTRUCTIONS.length);
    expect(Object.isFrozen(INSTRUCTIONS)).toBe(true);
    for (const row of INSTRUCTIONS) {
      expect(Object.isFrozen(row)).toBe(true);
      expect(instructionByOpcode(row.opcode)).toBe(row);
      expect(instructionByMnemonic(row.mnemonic)).toBe(row);
      expect(row.semantics.length).toBeGreaterThan(5);
    }
    expect(instructionByOpcode(0)).toBeUndefined();
  });

  it('makes every sensitive instruction privileged only in the virtualizable configuration', () => {
    expect(isVirtualizable('virtualizable')).toBe(true);
    expect(isVirtualizable('x86-like')).toBe(false);
    const leaks = INSTRUCTIONS.filter((i) => i.sensitivity !== 'innocuous' && !i.privileged['x86-like']).map((i) => i.mnemonic);
    expect(leaks.sort()).toEqual(['popf', 'pushf', 'rdmode', 'rdptb']);
    expect(instructionByMnemonic('popf')?.sensitivity).toBe('control+behaviour');
    expect(instructionByMnemonic('rdmode')?.sensitivity).toBe('behaviour');
    expect(instructionByMnemonic('mtcr')?.sensitivity).toBe('control');
  });

  it('never makes an innocuous instruction privileged', () => {
    for (const config of CPU_CONFIGS) {
      for (const row of INSTRUCTIONS) if (row.sensitivity === 'innocuous') expect(row.privileged[config], row.mnemonic).toBe(false);
    }
  });

  it('encodes and decodes fields', () => {
    const word = encode('addi', { rd: 3, rs: 4, imm: -2 });
    const d = decode(word);
    expect(d.mnemonic).toBe('addi');
    expect([d.rd, d.rs, d.imm]).toEqual([3, 4, -2]);
    expect(decode(encode('ori', { rd: 1, rs: 1, imm: 0xffff })).imm).toBe(0xffff);
    expect(decode(encode('jmp', { imm: -5 })).imm).toBe(-5);
    expect(decode(encode('add', { rd: 1, rs: 2, rt: 15 })).rt).toBe(15);
    expect(() => encode('addi', { imm: 40000 })).toThrow(RangeError);
    expect(() => encode('frobnicate')).toThrow(/unknown mnemonic/);
    expect(decode(0).spec).toBeUndefined();
  });
});

describe('documentation stays in sync with the table', () => {
  it('Op has one constant per instruction, named after its mnemonic', async () => {
    const { Op } = await import('../../../src/sim/machine/index.ts');
    expect(Object.keys(Op).length).toBe(INSTRUCTIONS.length);
    for (const [name, opcode] of Object.entries(Op)) expect(instructionByOpcode(opcode)?.mnemonic).toBe(name.toLowerCase());
  });

  it('the README lists every instruction with its classification', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../../src/sim/README.md', import.meta.url), 'utf8');
    for (const row of INSTRUCTIONS) {
      const privileged = row.privileged.virtualizable ? (row.privileged['x86-like'] ? 'both' : 'virtualizable only') : 'no';
      expect(readme, row.mnemonic).toContain(`| \`${row.mnemonic}\` | 0x${row.opcode.toString(16).padStart(2, '0')} | ${row.sensitivity} | ${privileged} |`);
    }
  });
});
