/**
 * The instruction set of virtlab's simulated CPU ("VL32"): encodings, semantics, and the
 * Popek–Goldberg classification of every instruction, as one machine-readable table.
 *
 * Every instruction is one 32-bit word:
 *
 * ```text
 *  31      24 23  20 19  16 15                0
 * +----------+------+------+-------------------+
 * |  opcode  |  rd  |  rs  |       imm16       |   R/I formats (rt = imm16 & 15)
 * +----------+------+------+-------------------+
 * |  opcode  |          off24 (signed words)   |   J format (jmp, call)
 * +----------+---------------------------------+
 * ```
 *
 * Sixteen 32-bit registers r0–r15; r0 always reads 0 (writes are discarded), r15 is the stack
 * pointer `sp` used by push/pop/call/ret/pushf/popf. Memory is byte-addressed and
 * little-endian; words must be 4-byte aligned. Branch and jump offsets count words from the
 * next instruction.
 * @module
 */

/** Which CPU variant to build. */
export type CpuConfig =
  /** Every sensitive instruction is privileged: Popek–Goldberg's Theorem 1 holds. */
  | 'virtualizable'
  /** Like classic IA-32: pushf, popf, rdmode and rdptb are sensitive but do not trap in user mode. */
  | 'x86-like';

/** Both CPU configurations, for validation and UI lists. */
export const CPU_CONFIGS: readonly CpuConfig[] = Object.freeze(['virtualizable', 'x86-like']);

/** Operand layouts, which decide how the assembler parses and the disassembler prints. */
export type OperandForm =
  | 'none' // nop
  | 'rd' // pop r1
  | 'rd,imm' // movi r1, -5 / in r1, PORT / mfcr r1, status
  | 'imm,rd' // out PORT, r1 / mtcr ptbr, r1 (source register in the rd field)
  | 'rd,rs' // mov r1, r2
  | 'rd,rs,rt' // add r1, r2, r3
  | 'rd,rs,imm' // addi r1, r2, 4
  | 'rd,[rs+imm]' // ld r1, [r2+8]
  | 'rd,rs,target' // beq r1, r2, label
  | 'target' // jmp label (24-bit word offset)
  | 'imm'; // syscall 3

/** Popek–Goldberg sensitivity (CACM 1974): what an instruction depends on or changes. */
export type Sensitivity =
  /** Neither changes nor reveals the machine's configuration. */
  | 'innocuous'
  /** Changes the configuration of resources: mode, interrupt flag, memory mapping, devices. */
  | 'control'
  /** Its effect depends on the configuration (the mode, the page-table base, ...). */
  | 'behaviour'
  /** Both of the above. */
  | 'control+behaviour';

/** One row of the instruction table. */
export interface InstructionSpec {
  /** 8-bit opcode (bits 31..24). */
  readonly opcode: number;
  /** Assembler mnemonic, lower case. */
  readonly mnemonic: string;
  /** Operand layout. */
  readonly form: OperandForm;
  /** True if immediates of this instruction are sign-extended. */
  readonly signedImmediate: boolean;
  /** One-sentence semantics. */
  readonly semantics: string;
  /** Popek–Goldberg classification. */
  readonly sensitivity: Sensitivity;
  /** Whether the instruction traps when executed in user mode, per configuration. */
  readonly privileged: Readonly<Record<CpuConfig, boolean>>;
  /** Why it is (or is not) sensitive, for lessons and lab 4. */
  readonly note: string;
}

/**
 * Opcode numbers, one per instruction, each documented with its syntax, semantics, encoding
 * and Popek–Goldberg classification (the same facts as {@link INSTRUCTIONS}). Opcode 0 is
 * deliberately undefined so that zeroed memory traps.
 */
export const Op = {
  /**
   * `nop` — Does nothing.
   *
   * Encoding: opcode 0x04; no operands; bits 23..0 zero.
   * Innocuous (not sensitive). Not privileged.
   */
  NOP: 0x04,
  /**
   * `movi rd, imm` — rd ← sign-extended imm16.
   *
   * Encoding: opcode 0x01; rd (bits 23..20), imm16 (bits 15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  MOVI: 0x01,
  /**
   * `lui rd, imm` — rd ← imm16 << 16.
   *
   * Encoding: opcode 0x02; rd (bits 23..20), imm16 (bits 15..0), zero-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  LUI: 0x02,
  /**
   * `mov rd, rs` — rd ← rs.
   *
   * Encoding: opcode 0x03; rd (bits 23..20), rs (bits 19..16).
   * Innocuous (not sensitive). Not privileged.
   */
  MOV: 0x03,
  /**
   * `add rd, rs, rt` — rd ← rs + rt (32-bit wrap-around).
   *
   * Encoding: opcode 0x10; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  ADD: 0x10,
  /**
   * `sub rd, rs, rt` — rd ← rs − rt.
   *
   * Encoding: opcode 0x11; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  SUB: 0x11,
  /**
   * `mul rd, rs, rt` — rd ← low 32 bits of rs × rt.
   *
   * Encoding: opcode 0x12; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  MUL: 0x12,
  /**
   * `div rd, rs, rt` — rd ← rs ÷ rt (signed, truncated); traps DIVIDE_BY_ZERO if rt = 0.
   *
   * Encoding: opcode 0x13; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  DIV: 0x13,
  /**
   * `rem rd, rs, rt` — rd ← remainder of rs ÷ rt (signed); traps DIVIDE_BY_ZERO if rt = 0.
   *
   * Encoding: opcode 0x14; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  REM: 0x14,
  /**
   * `and rd, rs, rt` — rd ← rs AND rt.
   *
   * Encoding: opcode 0x15; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  AND: 0x15,
  /**
   * `or rd, rs, rt` — rd ← rs OR rt.
   *
   * Encoding: opcode 0x16; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  OR: 0x16,
  /**
   * `xor rd, rs, rt` — rd ← rs XOR rt.
   *
   * Encoding: opcode 0x17; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  XOR: 0x17,
  /**
   * `shl rd, rs, rt` — rd ← rs << (rt & 31).
   *
   * Encoding: opcode 0x18; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  SHL: 0x18,
  /**
   * `shr rd, rs, rt` — rd ← rs >>> (rt & 31) (logical).
   *
   * Encoding: opcode 0x19; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  SHR: 0x19,
  /**
   * `sar rd, rs, rt` — rd ← rs >> (rt & 31) (arithmetic).
   *
   * Encoding: opcode 0x1a; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  SAR: 0x1a,
  /**
   * `slt rd, rs, rt` — rd ← 1 if rs < rt (signed) else 0.
   *
   * Encoding: opcode 0x1b; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  SLT: 0x1b,
  /**
   * `sltu rd, rs, rt` — rd ← 1 if rs < rt (unsigned) else 0.
   *
   * Encoding: opcode 0x1c; rd (23..20), rs (19..16), rt (3..0).
   * Innocuous (not sensitive). Not privileged.
   */
  SLTU: 0x1c,
  /**
   * `addi rd, rs, imm` — rd ← rs + sign-extended imm16.
   *
   * Encoding: opcode 0x20; rd (23..20), rs (19..16), imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  ADDI: 0x20,
  /**
   * `andi rd, rs, imm` — rd ← rs AND zero-extended imm16.
   *
   * Encoding: opcode 0x21; rd (23..20), rs (19..16), imm16 (15..0), zero-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  ANDI: 0x21,
  /**
   * `ori rd, rs, imm` — rd ← rs OR zero-extended imm16.
   *
   * Encoding: opcode 0x22; rd (23..20), rs (19..16), imm16 (15..0), zero-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  ORI: 0x22,
  /**
   * `xori rd, rs, imm` — rd ← rs XOR zero-extended imm16.
   *
   * Encoding: opcode 0x23; rd (23..20), rs (19..16), imm16 (15..0), zero-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  XORI: 0x23,
  /**
   * `shli rd, rs, imm` — rd ← rs << (imm & 31).
   *
   * Encoding: opcode 0x24; rd (23..20), rs (19..16), imm16 (15..0), zero-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  SHLI: 0x24,
  /**
   * `shri rd, rs, imm` — rd ← rs >>> (imm & 31).
   *
   * Encoding: opcode 0x25; rd (23..20), rs (19..16), imm16 (15..0), zero-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  SHRI: 0x25,
  /**
   * `sari rd, rs, imm` — rd ← rs >> (imm & 31).
   *
   * Encoding: opcode 0x26; rd (23..20), rs (19..16), imm16 (15..0), zero-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  SARI: 0x26,
  /**
   * `slti rd, rs, imm` — rd ← 1 if rs < sign-extended imm16 (signed) else 0.
   *
   * Encoding: opcode 0x27; rd (23..20), rs (19..16), imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  SLTI: 0x27,
  /**
   * `ld rd, [rs+imm]` — rd ← word at virtual address rs + imm (aligned).
   *
   * Encoding: opcode 0x30; rd (23..20), base rs (19..16), offset imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  LD: 0x30,
  /**
   * `st rd, [rs+imm]` — Word at virtual address rs + imm ← rd (aligned).
   *
   * Encoding: opcode 0x31; rd (23..20), base rs (19..16), offset imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  ST: 0x31,
  /**
   * `ldb rd, [rs+imm]` — rd ← zero-extended byte at rs + imm.
   *
   * Encoding: opcode 0x32; rd (23..20), base rs (19..16), offset imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  LDB: 0x32,
  /**
   * `stb rd, [rs+imm]` — Byte at rs + imm ← low byte of rd.
   *
   * Encoding: opcode 0x33; rd (23..20), base rs (19..16), offset imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  STB: 0x33,
  /**
   * `push rd` — sp ← sp − 4; word at sp ← rd.
   *
   * Encoding: opcode 0x34; register in rd (bits 23..20).
   * Innocuous (not sensitive). Not privileged.
   */
  PUSH: 0x34,
  /**
   * `pop rd` — rd ← word at sp; sp ← sp + 4.
   *
   * Encoding: opcode 0x35; register in rd (bits 23..20).
   * Innocuous (not sensitive). Not privileged.
   */
  POP: 0x35,
  /**
   * `beq rd, rs, label` — If rd = rs, jump to target (imm16 words from the next instruction).
   *
   * Encoding: opcode 0x40; rd (23..20), rs (19..16), word offset imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  BEQ: 0x40,
  /**
   * `bne rd, rs, label` — If rd ≠ rs, jump to target.
   *
   * Encoding: opcode 0x41; rd (23..20), rs (19..16), word offset imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  BNE: 0x41,
  /**
   * `blt rd, rs, label` — If rd < rs (signed), jump to target.
   *
   * Encoding: opcode 0x42; rd (23..20), rs (19..16), word offset imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  BLT: 0x42,
  /**
   * `bge rd, rs, label` — If rd ≥ rs (signed), jump to target.
   *
   * Encoding: opcode 0x43; rd (23..20), rs (19..16), word offset imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  BGE: 0x43,
  /**
   * `bltu rd, rs, label` — If rd < rs (unsigned), jump to target.
   *
   * Encoding: opcode 0x44; rd (23..20), rs (19..16), word offset imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  BLTU: 0x44,
  /**
   * `bgeu rd, rs, label` — If rd ≥ rs (unsigned), jump to target.
   *
   * Encoding: opcode 0x45; rd (23..20), rs (19..16), word offset imm16 (15..0), sign-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  BGEU: 0x45,
  /**
   * `jmp label` — Jump to target (off24 words from the next instruction).
   *
   * Encoding: opcode 0x48; word offset off24 (bits 23..0).
   * Innocuous (not sensitive). Not privileged.
   */
  JMP: 0x48,
  /**
   * `call label` — Push the address of the next instruction, then jump to target.
   *
   * Encoding: opcode 0x49; word offset off24 (bits 23..0).
   * Innocuous (not sensitive). Not privileged.
   */
  CALL: 0x49,
  /**
   * `jr rd` — Jump to the address in rd (must be aligned).
   *
   * Encoding: opcode 0x4a; register in rd (bits 23..20).
   * Innocuous (not sensitive). Not privileged.
   */
  JR: 0x4a,
  /**
   * `callr rd` — Push the address of the next instruction, then jump to the address in rd.
   *
   * Encoding: opcode 0x4b; register in rd (bits 23..20).
   * Innocuous (not sensitive). Not privileged.
   */
  CALLR: 0x4b,
  /**
   * `ret` — Pop an address and jump to it.
   *
   * Encoding: opcode 0x4c; no operands; bits 23..0 zero.
   * Innocuous (not sensitive). Not privileged.
   */
  RET: 0x4c,
  /**
   * `syscall imm` — Trap with cause SYSCALL, TVAL = imm16, EPC = next instruction.
   *
   * Encoding: opcode 0x50; imm16 (bits 15..0), zero-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  SYSCALL: 0x50,
  /**
   * `brk` — Trap with cause BREAKPOINT, EPC = next instruction.
   *
   * Encoding: opcode 0x51; no operands; bits 23..0 zero.
   * Innocuous (not sensitive). Not privileged.
   */
  BRK: 0x51,
  /**
   * `hcall imm` — Hypercall: in a virtual machine, exit to the hypervisor with number imm16 (arguments in registers); on bare hardware, traps ILLEGAL.
   *
   * Encoding: opcode 0x52; imm16 (bits 15..0), zero-extended.
   * Innocuous (not sensitive). Not privileged.
   */
  HCALL: 0x52,
  /**
   * `halt` — Stop until an interrupt arrives (if interrupts are enabled and one can arrive); otherwise stop the machine.
   *
   * Encoding: opcode 0x60; no operands; bits 23..0 zero.
   * Sensitive: control (Popek–Goldberg). Privileged in both configurations.
   */
  HALT: 0x60,
  /**
   * `mfcr rd, cr` — rd ← control register imm (see ControlRegister).
   *
   * Encoding: opcode 0x61; rd (bits 23..20), imm16 (bits 15..0), zero-extended.
   * Sensitive: behaviour (Popek–Goldberg). Privileged in both configurations.
   */
  MFCR: 0x61,
  /**
   * `mtcr cr, rd` — Control register imm ← rd. Writing PTBR or the PAGING bit flushes the TLB.
   *
   * Encoding: opcode 0x62; imm16 (bits 15..0), source register in rd (bits 23..20), zero-extended.
   * Sensitive: control (Popek–Goldberg). Privileged in both configurations.
   */
  MTCR: 0x62,
  /**
   * `iret` — Return from a trap: STATUS ← ESTATUS, pc ← EPC.
   *
   * Encoding: opcode 0x63; no operands; bits 23..0 zero.
   * Sensitive: control (Popek–Goldberg). Privileged in both configurations.
   */
  IRET: 0x63,
  /**
   * `cli` — Disable interrupts (clear STATUS.IE).
   *
   * Encoding: opcode 0x64; no operands; bits 23..0 zero.
   * Sensitive: control (Popek–Goldberg). Privileged in both configurations.
   */
  CLI: 0x64,
  /**
   * `sti` — Enable interrupts (set STATUS.IE).
   *
   * Encoding: opcode 0x65; no operands; bits 23..0 zero.
   * Sensitive: control (Popek–Goldberg). Privileged in both configurations.
   */
  STI: 0x65,
  /**
   * `in rd, port` — rd ← value read from I/O port imm16.
   *
   * Encoding: opcode 0x66; rd (bits 23..20), imm16 (bits 15..0), zero-extended.
   * Sensitive: control and behaviour (Popek–Goldberg). Privileged in both configurations.
   */
  IN: 0x66,
  /**
   * `out port, rd` — Write rd to I/O port imm16.
   *
   * Encoding: opcode 0x67; imm16 (bits 15..0), source register in rd (bits 23..20), zero-extended.
   * Sensitive: control (Popek–Goldberg). Privileged in both configurations.
   */
  OUT: 0x67,
  /**
   * `tlbflush` — Invalidate every TLB entry.
   *
   * Encoding: opcode 0x68; no operands; bits 23..0 zero.
   * Sensitive: control (Popek–Goldberg). Privileged in both configurations.
   */
  TLBFLUSH: 0x68,
  /**
   * `tlbi rd` — Invalidate the TLB entry for the page containing the address in rd.
   *
   * Encoding: opcode 0x69; register in rd (bits 23..20).
   * Sensitive: control (Popek–Goldberg). Privileged in both configurations.
   */
  TLBI: 0x69,
  /**
   * `pushf` — sp ← sp − 4; word at sp ← STATUS.
   *
   * Encoding: opcode 0x70; no operands; bits 23..0 zero.
   * Sensitive: behaviour (Popek–Goldberg). Privileged in `virtualizable` only: in `x86-like` it runs in user mode — sensitive but unprivileged.
   */
  PUSHF: 0x70,
  /**
   * `popf` — Pop a word; in supervisor mode STATUS.IE ← its IE bit. Mode and paging bits are ignored.
   *
   * Encoding: opcode 0x71; no operands; bits 23..0 zero.
   * Sensitive: control and behaviour (Popek–Goldberg). Privileged in `virtualizable` only: in `x86-like` it runs in user mode — sensitive but unprivileged.
   */
  POPF: 0x71,
  /**
   * `rdmode rd` — rd ← 1 in supervisor mode, 0 in user mode.
   *
   * Encoding: opcode 0x72; register in rd (bits 23..20).
   * Sensitive: behaviour (Popek–Goldberg). Privileged in `virtualizable` only: in `x86-like` it runs in user mode — sensitive but unprivileged.
   */
  RDMODE: 0x72,
  /**
   * `rdptb rd` — rd ← PTBR.
   *
   * Encoding: opcode 0x73; register in rd (bits 23..20).
   * Sensitive: behaviour (Popek–Goldberg). Privileged in `virtualizable` only: in `x86-like` it runs in user mode — sensitive but unprivileged.
   */
  RDPTB: 0x73,
} as const;

/** Control registers, read with `mfcr` and written with `mtcr` (both privileged). */
export const ControlRegister = {
  /** Processor status: {@link Status} bits (interrupt enable, supervisor mode, paging). */
  STATUS: 0,
  /** Physical address of the page directory (4 KiB aligned). */
  PTBR: 1,
  /** Address of the single trap handler (virtual if paging is on). */
  TVEC: 2,
  /** Program counter saved at the last trap: where `iret` returns. */
  EPC: 3,
  /** STATUS saved at the last trap: what `iret` restores. */
  ESTATUS: 4,
  /** Why the last trap happened: a {@link Cause}. */
  CAUSE: 5,
  /** Extra trap information: faulting address, syscall number, or instruction word. */
  TVAL: 6,
  /** Free for the kernel, e.g. to hold a pointer while it saves registers. */
  SCRATCH: 7,
} as const;

/** Names of the control registers, indexed by number. */
export const CONTROL_REGISTER_NAMES: readonly ControlRegisterName[] = Object.freeze([
  'status',
  'ptbr',
  'tvec',
  'epc',
  'estatus',
  'cause',
  'tval',
  'scratch',
]);

/** Lower-case control register names accepted by the assembler and the hypervisor API. */
export type ControlRegisterName =
  | 'status'
  | 'ptbr'
  | 'tvec'
  | 'epc'
  | 'estatus'
  | 'cause'
  | 'tval'
  | 'scratch';

/** Number of control registers. */
export const CONTROL_REGISTER_COUNT = 8;

/** Bits of the STATUS control register (and of the word `pushf` pushes). */
export const Status = {
  /** Interrupts enabled. */
  IE: 1,
  /** Supervisor mode (clear = user mode). */
  SUPERVISOR: 2,
  /** Paging enabled: addresses are translated through the page table at PTBR. */
  PAGING: 4,
} as const;

/**
 * Trap causes, found in CAUSE after a trap. Interrupts are 16 + the interrupt line.
 * `epc` is the address of the faulting instruction, except for syscall and brk (next instruction)
 * and interrupts (the instruction that was about to run).
 */
export const Cause = {
  /** `syscall n` was executed; TVAL = n. */
  SYSCALL: 1,
  /** A privileged instruction in user mode; TVAL = the instruction word. */
  PRIVILEGED: 2,
  /** An undefined opcode (including `hcall` on bare hardware); TVAL = the word. */
  ILLEGAL: 3,
  /** Instruction fetch from an unmapped or supervisor-only page; TVAL = address. */
  PAGE_FAULT_FETCH: 4,
  /** Load from an unmapped or inaccessible page; TVAL = address. */
  PAGE_FAULT_LOAD: 5,
  /** Store to an unmapped, read-only or inaccessible page; TVAL = address. */
  PAGE_FAULT_STORE: 6,
  /** Unaligned word access or jump target; TVAL = address. */
  MISALIGNED: 7,
  /** `div`/`rem` by zero. */
  DIVIDE_BY_ZERO: 8,
  /** `brk` was executed. */
  BREAKPOINT: 9,
  /** A physical address beyond installed memory (or outside a VM's allocation); TVAL = address. */
  BUS_ERROR: 10,
  /** Interrupt line 0: the timer. */
  TIMER_INTERRUPT: 16,
  /** Interrupt line 1: the block device finished a command. */
  BLOCK_INTERRUPT: 17,
  /** Interrupt line 2: the network interface has a received frame. */
  NIC_INTERRUPT: 18,
} as const;

/** Interrupt lines; the trap cause of line n is 16 + n. Lower lines have priority. */
export const Irq = { TIMER: 0, BLOCK: 1, NIC: 2 } as const;

/** First cause number used for interrupts. */
export const INTERRUPT_CAUSE_BASE = 16;

/** Names of trap causes, for traces and error messages. */
export function causeName(cause: number): string {
  for (const [name, value] of Object.entries(Cause)) if (value === cause) return name;
  return `CAUSE_${cause}`;
}

/** I/O port numbers of the standard devices (`in`/`out`, privileged). */
export const Port = {
  /** out: power the machine off; the value is the exit code. */
  POWER_OFF: 0x01,
  /** out: print the low byte as a character. */
  CONSOLE_DATA: 0x10,
  /** in: 1 (the console is always ready). */
  CONSOLE_STATUS: 0x11,
  /** in: next input byte, or -1 when there is none. */
  CONSOLE_INPUT: 0x12,
  /** out: period in ticks (retired instructions); 0 stops the timer. in: the period. */
  TIMER_PERIOD: 0x20,
  /** out: acknowledge the timer interrupt (lowers line 0). */
  TIMER_ACK: 0x21,
  /** in: current time in ticks (low 32 bits). */
  TIMER_NOW: 0x22,
  /** out/in: sector number for the next block command. */
  BLOCK_SECTOR: 0x30,
  /** out/in: physical address of the 512-byte buffer for the next block command. */
  BLOCK_ADDRESS: 0x31,
  /** out: 1 = read sector into memory, 2 = write memory to sector (synchronous DMA). */
  BLOCK_COMMAND: 0x32,
  /** in: 0 = last command succeeded, 1 = it failed (bad sector or address). */
  BLOCK_STATUS: 0x33,
  /** out: 1 = raise line 1 when a command completes, 0 = do not. */
  BLOCK_INTERRUPT_ENABLE: 0x34,
  /** out: acknowledge the block interrupt (lowers line 1). */
  BLOCK_ACK: 0x35,
  /** out: append the low byte to the frame being transmitted. */
  NIC_TX_DATA: 0x40,
  /** out: send the frame built so far. */
  NIC_TX_SEND: 0x41,
  /** in: length of the oldest received frame, 0 if none. */
  NIC_RX_LENGTH: 0x42,
  /** in: next byte of the oldest received frame, -1 past its end. */
  NIC_RX_DATA: 0x43,
  /** out: discard the oldest received frame. */
  NIC_RX_DONE: 0x44,
  /** out: 1 = keep line 2 raised while a received frame is waiting. */
  NIC_INTERRUPT_ENABLE: 0x45,
} as const;

/** Page-table entry bits (page directory entries use the same layout). */
export const Pte = {
  /** The entry maps something. */
  PRESENT: 1,
  /** Stores are allowed (in both modes). */
  WRITABLE: 2,
  /** User mode may access the page. */
  USER: 4,
  /** Mask of the physical frame address in an entry. */
  FRAME_MASK: 0xfffff000 | 0,
} as const;

/** Page size in bytes. Paging is two-level: 10 bits directory, 10 bits table, 12 bits offset. */
export const PAGE_SIZE = 4096;
/** log2 of {@link PAGE_SIZE}. */
export const PAGE_SHIFT = 12;

const BOTH_PRIVILEGED = Object.freeze({ virtualizable: true, 'x86-like': true });
const NEITHER_PRIVILEGED = Object.freeze({ virtualizable: false, 'x86-like': false });
const ONLY_VIRTUALIZABLE_PRIVILEGED = Object.freeze({ virtualizable: true, 'x86-like': false });

function spec(
  opcode: number,
  mnemonic: string,
  form: OperandForm,
  semantics: string,
  options: {
    signed?: boolean;
    sensitivity?: Sensitivity;
    privileged?: Readonly<Record<CpuConfig, boolean>>;
    note?: string;
  } = {},
): InstructionSpec {
  return Object.freeze({
    opcode,
    mnemonic,
    form,
    signedImmediate: options.signed ?? true,
    semantics,
    sensitivity: options.sensitivity ?? 'innocuous',
    privileged: options.privileged ?? NEITHER_PRIVILEGED,
    note: options.note ?? 'Only reads and writes general registers, memory through the current mapping, or the program counter.',
  });
}

const PRIVILEGED_NOTE = 'Privileged in both configurations: traps with cause PRIVILEGED in user mode.';

/**
 * The instruction table: one frozen row per instruction, in opcode order.
 * Lessons render it, lab 4 asks learners to classify it, and the binary-translation scanner
 * uses it to find sensitive instructions.
 */
export const INSTRUCTIONS: readonly InstructionSpec[] = Object.freeze([
  spec(Op.MOVI, 'movi', 'rd,imm', 'rd ← sign-extended imm16.'),
  spec(Op.LUI, 'lui', 'rd,imm', 'rd ← imm16 << 16.', { signed: false }),
  spec(Op.MOV, 'mov', 'rd,rs', 'rd ← rs.'),
  spec(Op.NOP, 'nop', 'none', 'Does nothing.'),
  spec(Op.ADD, 'add', 'rd,rs,rt', 'rd ← rs + rt (32-bit wrap-around).'),
  spec(Op.SUB, 'sub', 'rd,rs,rt', 'rd ← rs − rt.'),
  spec(Op.MUL, 'mul', 'rd,rs,rt', 'rd ← low 32 bits of rs × rt.'),
  spec(Op.DIV, 'div', 'rd,rs,rt', 'rd ← rs ÷ rt (signed, truncated); traps DIVIDE_BY_ZERO if rt = 0.'),
  spec(Op.REM, 'rem', 'rd,rs,rt', 'rd ← remainder of rs ÷ rt (signed); traps DIVIDE_BY_ZERO if rt = 0.'),
  spec(Op.AND, 'and', 'rd,rs,rt', 'rd ← rs AND rt.'),
  spec(Op.OR, 'or', 'rd,rs,rt', 'rd ← rs OR rt.'),
  spec(Op.XOR, 'xor', 'rd,rs,rt', 'rd ← rs XOR rt.'),
  spec(Op.SHL, 'shl', 'rd,rs,rt', 'rd ← rs << (rt & 31).'),
  spec(Op.SHR, 'shr', 'rd,rs,rt', 'rd ← rs >>> (rt & 31) (logical).'),
  spec(Op.SAR, 'sar', 'rd,rs,rt', 'rd ← rs >> (rt & 31) (arithmetic).'),
  spec(Op.SLT, 'slt', 'rd,rs,rt', 'rd ← 1 if rs < rt (signed) else 0.'),
  spec(Op.SLTU, 'sltu', 'rd,rs,rt', 'rd ← 1 if rs < rt (unsigned) else 0.'),
  spec(Op.ADDI, 'addi', 'rd,rs,imm', 'rd ← rs + sign-extended imm16.'),
  spec(Op.ANDI, 'andi', 'rd,rs,imm', 'rd ← rs AND zero-extended imm16.', { signed: false }),
  spec(Op.ORI, 'ori', 'rd,rs,imm', 'rd ← rs OR zero-extended imm16.', { signed: false }),
  spec(Op.XORI, 'xori', 'rd,rs,imm', 'rd ← rs XOR zero-extended imm16.', { signed: false }),
  spec(Op.SHLI, 'shli', 'rd,rs,imm', 'rd ← rs << (imm & 31).', { signed: false }),
  spec(Op.SHRI, 'shri', 'rd,rs,imm', 'rd ← rs >>> (imm & 31).', { signed: false }),
  spec(Op.SARI, 'sari', 'rd,rs,imm', 'rd ← rs >> (imm & 31).', { signed: false }),
  spec(Op.SLTI, 'slti', 'rd,rs,imm', 'rd ← 1 if rs < sign-extended imm16 (signed) else 0.'),
  spec(Op.LD, 'ld', 'rd,[rs+imm]', 'rd ← word at virtual address rs + imm (aligned).'),
  spec(Op.ST, 'st', 'rd,[rs+imm]', 'Word at virtual address rs + imm ← rd (aligned).'),
  spec(Op.LDB, 'ldb', 'rd,[rs+imm]', 'rd ← zero-extended byte at rs + imm.'),
  spec(Op.STB, 'stb', 'rd,[rs+imm]', 'Byte at rs + imm ← low byte of rd.'),
  spec(Op.PUSH, 'push', 'rd', 'sp ← sp − 4; word at sp ← rd.'),
  spec(Op.POP, 'pop', 'rd', 'rd ← word at sp; sp ← sp + 4.'),
  spec(Op.BEQ, 'beq', 'rd,rs,target', 'If rd = rs, jump to target (imm16 words from the next instruction).'),
  spec(Op.BNE, 'bne', 'rd,rs,target', 'If rd ≠ rs, jump to target.'),
  spec(Op.BLT, 'blt', 'rd,rs,target', 'If rd < rs (signed), jump to target.'),
  spec(Op.BGE, 'bge', 'rd,rs,target', 'If rd ≥ rs (signed), jump to target.'),
  spec(Op.BLTU, 'bltu', 'rd,rs,target', 'If rd < rs (unsigned), jump to target.'),
  spec(Op.BGEU, 'bgeu', 'rd,rs,target', 'If rd ≥ rs (unsigned), jump to target.'),
  spec(Op.JMP, 'jmp', 'target', 'Jump to target (off24 words from the next instruction).'),
  spec(Op.CALL, 'call', 'target', 'Push the address of the next instruction, then jump to target.'),
  spec(Op.JR, 'jr', 'rd', 'Jump to the address in rd (must be aligned).'),
  spec(Op.CALLR, 'callr', 'rd', 'Push the address of the next instruction, then jump to the address in rd.'),
  spec(Op.RET, 'ret', 'none', 'Pop an address and jump to it.'),
  spec(Op.SYSCALL, 'syscall', 'imm', 'Trap with cause SYSCALL, TVAL = imm16, EPC = next instruction.', {
    signed: false,
    note: 'Deliberately enters the kernel through the trap vector; it changes the mode only by trapping, as it does in user and supervisor mode alike.',
  }),
  spec(Op.BRK, 'brk', 'none', 'Trap with cause BREAKPOINT, EPC = next instruction.'),
  spec(Op.HCALL, 'hcall', 'imm', 'Hypercall: in a virtual machine, exit to the hypervisor with number imm16 (arguments in registers); on bare hardware, traps ILLEGAL.', {
    signed: false,
    note: 'The paravirtual interface: a guest asks the hypervisor for a service instead of executing a sensitive instruction.',
  }),
  spec(Op.HALT, 'halt', 'none', 'Stop until an interrupt arrives (if interrupts are enabled and one can arrive); otherwise stop the machine.', {
    sensitivity: 'control',
    privileged: BOTH_PRIVILEGED,
    note: `Changes the processor's run state. ${PRIVILEGED_NOTE}`,
  }),
  spec(Op.MFCR, 'mfcr', 'rd,imm', 'rd ← control register imm (see ControlRegister).', {
    signed: false,
    sensitivity: 'behaviour',
    privileged: BOTH_PRIVILEGED,
    note: `Reveals the mode, paging configuration and trap state. ${PRIVILEGED_NOTE}`,
  }),
  spec(Op.MTCR, 'mtcr', 'imm,rd', 'Control register imm ← rd. Writing PTBR or the PAGING bit flushes the TLB.', {
    signed: false,
    sensitivity: 'control',
    privileged: BOTH_PRIVILEGED,
    note: `Changes the mode, interrupt flag, memory mapping or trap vector. ${PRIVILEGED_NOTE}`,
  }),
  spec(Op.IRET, 'iret', 'none', 'Return from a trap: STATUS ← ESTATUS, pc ← EPC.', {
    sensitivity: 'control',
    privileged: BOTH_PRIVILEGED,
    note: `Changes the mode and the interrupt flag. ${PRIVILEGED_NOTE}`,
  }),
  spec(Op.CLI, 'cli', 'none', 'Disable interrupts (clear STATUS.IE).', {
    sensitivity: 'control',
    privileged: BOTH_PRIVILEGED,
    note: `Changes the interrupt flag. ${PRIVILEGED_NOTE}`,
  }),
  spec(Op.STI, 'sti', 'none', 'Enable interrupts (set STATUS.IE).', {
    sensitivity: 'control',
    privileged: BOTH_PRIVILEGED,
    note: `Changes the interrupt flag. ${PRIVILEGED_NOTE}`,
  }),
  spec(Op.IN, 'in', 'rd,imm', 'rd ← value read from I/O port imm16.', {
    signed: false,
    sensitivity: 'control+behaviour',
    privileged: BOTH_PRIVILEGED,
    note: `Touches devices, which are resources the monitor must control. ${PRIVILEGED_NOTE}`,
  }),
  spec(Op.OUT, 'out', 'imm,rd', 'Write rd to I/O port imm16.', {
    signed: false,
    sensitivity: 'control',
    privileged: BOTH_PRIVILEGED,
    note: `Changes device state, which the monitor must control. ${PRIVILEGED_NOTE}`,
  }),
  spec(Op.TLBFLUSH, 'tlbflush', 'none', 'Invalidate every TLB entry.', {
    sensitivity: 'control',
    privileged: BOTH_PRIVILEGED,
    note: `Changes the effective memory mapping. ${PRIVILEGED_NOTE}`,
  }),
  spec(Op.TLBI, 'tlbi', 'rd', 'Invalidate the TLB entry for the page containing the address in rd.', {
    sensitivity: 'control',
    privileged: BOTH_PRIVILEGED,
    note: `Changes the effective memory mapping. ${PRIVILEGED_NOTE}`,
  }),
  spec(Op.PUSHF, 'pushf', 'none', 'sp ← sp − 4; word at sp ← STATUS.', {
    sensitivity: 'behaviour',
    privileged: ONLY_VIRTUALIZABLE_PRIVILEGED,
    note: 'Reveals the real interrupt flag and mode. In the x86-like configuration it runs in user mode without trapping (like PUSHF on IA-32), so a deprivileged guest kernel sees that it is in user mode.',
  }),
  spec(Op.POPF, 'popf', 'none', 'Pop a word; in supervisor mode STATUS.IE ← its IE bit. Mode and paging bits are ignored.', {
    sensitivity: 'control+behaviour',
    privileged: ONLY_VIRTUALIZABLE_PRIVILEGED,
    note: 'Changes the interrupt flag, and what it does depends on the mode. In the x86-like configuration it does not trap in user mode: the IE change is silently ignored (like POPF on IA-32), so a deprivileged guest kernel cannot disable interrupts and the monitor never learns it tried.',
  }),
  spec(Op.RDMODE, 'rdmode', 'rd', 'rd ← 1 in supervisor mode, 0 in user mode.', {
    sensitivity: 'behaviour',
    privileged: ONLY_VIRTUALIZABLE_PRIVILEGED,
    note: 'Reveals the mode. In the x86-like configuration it does not trap (like SMSW on IA-32), so a deprivileged guest kernel reads "user".',
  }),
  spec(Op.RDPTB, 'rdptb', 'rd', 'rd ← PTBR.', {
    sensitivity: 'behaviour',
    privileged: ONLY_VIRTUALIZABLE_PRIVILEGED,
    note: "Reveals the real page-table base. In the x86-like configuration it does not trap (like SGDT on IA-32), so a guest reads the monitor's value, not its own.",
  }),
]);

const SPEC_BY_OPCODE: readonly (InstructionSpec | undefined)[] = (() => {
  const table: (InstructionSpec | undefined)[] = new Array(256).fill(undefined);
  for (const row of INSTRUCTIONS) table[row.opcode] = row;
  return table;
})();

const SPEC_BY_MNEMONIC: ReadonlyMap<string, InstructionSpec> = new Map(INSTRUCTIONS.map((row) => [row.mnemonic, row]));

/** The table row for an opcode, or undefined if the opcode is not defined. */
export function instructionByOpcode(opcode: number): InstructionSpec | undefined {
  return SPEC_BY_OPCODE[opcode & 0xff];
}

/** The table row for a mnemonic (lower case), or undefined. */
export function instructionByMnemonic(mnemonic: string): InstructionSpec | undefined {
  return SPEC_BY_MNEMONIC.get(mnemonic.toLowerCase());
}

/**
 * Per-opcode privilege masks used by the CPU's hot loop: entry = 1 if the opcode traps in
 * user mode under the given configuration.
 */
export function privilegeTable(config: CpuConfig): Uint8Array {
  const table = new Uint8Array(256);
  for (const row of INSTRUCTIONS) table[row.opcode] = row.privileged[config] ? 1 : 0;
  return table;
}

/** True if `config` satisfies Popek–Goldberg Theorem 1 (sensitive ⊆ privileged). */
export function isVirtualizable(config: CpuConfig): boolean {
  return INSTRUCTIONS.every((row) => row.sensitivity === 'innocuous' || row.privileged[config]);
}

/** An instruction word split into its fields. */
export interface DecodedInstruction {
  /** The raw 32-bit word (as an unsigned number). */
  readonly word: number;
  /** Table row, or undefined for an undefined opcode. */
  readonly spec: InstructionSpec | undefined;
  readonly opcode: number;
  readonly mnemonic: string;
  readonly rd: number;
  readonly rs: number;
  /** R format third register (imm16 & 15). */
  readonly rt: number;
  /** imm16, sign- or zero-extended as the instruction defines; off24 for J format. */
  readonly imm: number;
}

/** Splits a word into fields. Allocates: for tools and exit handlers, not the CPU loop. */
export function decode(word: number): DecodedInstruction {
  const w = word >>> 0;
  const opcode = w >>> 24;
  const row = SPEC_BY_OPCODE[opcode];
  let imm: number;
  if (row?.form === 'target' ) imm = (w << 8) >> 8;
  else if (row === undefined || row.signedImmediate) imm = (w << 16) >> 16;
  else imm = w & 0xffff;
  return Object.freeze({
    word: w,
    spec: row,
    opcode,
    mnemonic: row?.mnemonic ?? '(undefined)',
    rd: (w >>> 20) & 15,
    rs: (w >>> 16) & 15,
    rt: w & 15,
    imm,
  });
}

/** Fields for {@link encode}; unused ones default to 0. */
export interface InstructionFields {
  rd?: number;
  rs?: number;
  rt?: number;
  /** imm16 (either sign) or, for J format, off24 in words. */
  imm?: number;
}

/** Builds an instruction word (unsigned) from a mnemonic and fields, checking ranges. */
export function encode(mnemonic: string, fields: InstructionFields = {}): number {
  const row = instructionByMnemonic(mnemonic);
  if (row === undefined) throw new RangeError(`unknown mnemonic "${mnemonic}"`);
  const rd = fields.rd ?? 0;
  const rs = fields.rs ?? 0;
  const rt = fields.rt ?? 0;
  const imm = fields.imm ?? 0;
  for (const [name, value] of [['rd', rd], ['rs', rs], ['rt', rt]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 15) throw new RangeError(`${name} must be a register number 0–15, got ${value}`);
  }
  if (row.form === 'target') {
    if (!Number.isInteger(imm) || imm < -0x800000 || imm > 0x7fffff) throw new RangeError(`jump offset ${imm} words does not fit in 24 bits`);
    return ((row.opcode << 24) | (imm & 0xffffff)) >>> 0;
  }
  let field: number;
  if (row.form === 'rd,rs,rt') field = rt;
  else {
    if (!Number.isInteger(imm) || imm < -0x8000 || imm > 0xffff) throw new RangeError(`immediate ${imm} does not fit in 16 bits`);
    if (row.signedImmediate && imm > 0x7fff) throw new RangeError(`immediate ${imm} does not fit in a signed 16-bit field (−32768…32767)`);
    if (!row.signedImmediate && imm < 0) throw new RangeError(`immediate ${imm} must be 0…65535 for ${row.mnemonic}`);
    field = imm & 0xffff;
  }
  return ((row.opcode << 24) | (rd << 20) | (rs << 16) | field) >>> 0;
}

/** Which fields an operand form uses: a word is canonical if unused fields are zero. */
export function usedFieldMask(form: OperandForm): number {
  switch (form) {
    case 'none':
      return 0;
    case 'rd':
      return 0x00f00000;
    case 'rd,imm':
    case 'imm,rd':
      return 0x00f0ffff;
    case 'rd,rs':
      return 0x00ff0000;
    case 'rd,rs,rt':
      return 0x00ff000f;
    case 'rd,rs,imm':
    case 'rd,[rs+imm]':
    case 'rd,rs,target':
      return 0x00ffffff;
    case 'target':
      return 0x00ffffff;
    case 'imm':
      return 0x0000ffff;
  }
}
