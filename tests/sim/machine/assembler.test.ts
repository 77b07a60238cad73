import { describe, expect, it } from 'vitest';
import { SimError } from '../../../src/sim/common/errors.ts';
import { referenceKernel } from '../../../src/sim/guests/index.ts';
import { assemble, AssemblyError, disassemble, disassembleWord, INSTRUCTIONS, encode } from '../../../src/sim/machine/index.ts';
import { SeededRandom } from '../../../src/sim/common/rng.ts';

function roundTrip(words: Uint32Array, origin: number): Uint32Array {
  return assemble(disassemble(words, origin)).words;
}

describe('assembler', () => {
  it('assembles labels, directives, expressions and pseudo-instructions', () => {
    const p = assemble(`
      .equ N, 3 + 4 * 2       ; 11
      start: li r1, N
             li r2, 0x12345678
             la r3, data
             beq r1, r2, start
             jmp end
      data:  .word 1, -1, 'A', hi(0xabcd1234), lo(0xabcd1234)
             .asciz "hi\\n"
      end:   ld r4, [r3+4]
             st r4, [sp-8]
             ldb r5, [data]
             halt
    `);
    expect(p.symbols.get('N')).toBe(11);
    expect(p.entry).toBe(0);
    const data = p.symbols.get('data')!;
    expect(data).toBe(4 * (1 + 2 + 2 + 1 + 1));
    expect(Array.from(p.words.slice(data / 4, data / 4 + 5))).toEqual([1, 0xffffffff, 65, 0xabcd, 0x1234]);
    expect(p.words[data / 4 + 5]).toBe(0x0a6968); // "hi\n\0" little-endian
    expect(disassembleWord(p.words[0]!)).toBe('movi r1, 11');
    expect(p.lines[0]).toBe(3);
  });

  it('round-trips assemble → disassemble → assemble to identical words (reference kernel)', () => {
    for (const flavour of ['native', 'paravirtual'] as const) {
      const p = assemble(referenceKernel({ flavour, sensitive: flavour === 'native' }));
      expect(p.words.length).toBeGreaterThan(100);
      expect(Array.from(roundTrip(p.words, p.origin))).toEqual(Array.from(p.words));
    }
  });

  it('round-trips every instruction form and random words', () => {
    const rng = new SeededRandom(42);
    const words: number[] = [];
    for (const row of INSTRUCTIONS) {
      for (let i = 0; i < 8; i++) {
        const signed = row.signedImmediate;
        const imm = row.form === 'target' ? rng.int(-1000, 1000) : signed ? rng.int(-32768, 32767) : rng.int(0, 65535);
        const fields = { rd: rng.int(0, 15), rs: rng.int(0, 15), rt: rng.int(0, 15), imm: row.mnemonic === 'mfcr' || row.mnemonic === 'mtcr' ? rng.int(0, 7) : imm };
        words.push(encode(row.mnemonic, fields));
      }
    }
    for (let i = 0; i < 500; i++) words.push(rng.int(0, 0x7fffffff) * 2 + rng.int(0, 1));
    const original = Uint32Array.from(words);
    expect(Array.from(roundTrip(original, 0x1000))).toEqual(Array.from(original));
  });

  it('starts at .org and fills gaps with zeros', () => {
    const p = assemble('.org 0x100\nnop\n.org 0x110\nnop');
    expect(p.origin).toBe(0x100);
    expect(Array.from(p.words).map((w) => w >>> 24)).toEqual([4, 0, 0, 0, 4]);
  });

  const errorCases: [string, string, number, number, RegExp][] = [
    ['unknown instruction', 'nop\n  frob r1', 2, 3, /unknown instruction "frob"/],
    ['bad register', 'add r1, r2, r16', 1, 13, /expected a register/],
    ['immediate too large', 'addi r1, r1, 40000', 1, 14, /does not fit in 16 bits/],
    ['undefined label', 'jmp nowhere', 1, 5, /unknown symbol/],
    ['duplicate label', 'a: nop\na: nop', 2, 1, /defined twice/],
    ['wrong operand count', 'add r1, r2', 1, 1, /takes 3 operands/],
    ['bad memory operand', 'ld r1, r2', 1, 8, /memory operand/],
    ['unknown directive', '.byte 1', 1, 1, /unknown directive/],
    ['unterminated string', '.ascii "abc', 1, 8, /unterminated quote/],
    ['bad control register', 'mfcr r1, cr9', 1, 10, /unknown control register/],
    ['branch to odd address', 'beq r1, r1, 3', 1, 13, /multiple of 4/],
  ];
  for (const [name, source, line, column, message] of errorCases) {
    it(`reports ${name} with line and column`, () => {
      let caught: unknown;
      try {
        assemble(source);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AssemblyError);
      expect(caught).toBeInstanceOf(SimError);
      const e = caught as AssemblyError;
      expect(e.code).toBe('ASSEMBLY_ERROR');
      expect(e.message).toMatch(message);
      expect([e.line, e.column]).toEqual([line, column]);
    });
  }

  it('rejects non-string sources and bad origins with SimError', () => {
    expect(() => assemble(42 as unknown as string)).toThrow(SimError);
    expect(() => assemble('nop', { origin: 3 })).toThrow(/origin/);
    expect(() => disassemble([1], 2)).toThrow(/origin/);
  });
});
