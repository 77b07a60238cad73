import { describe, expect, it } from 'vitest';
import { assemble, Cause, Machine, Status } from '../../../src/sim/machine/index.ts';
import { runBare } from './helpers.ts';

/** A kernel prologue that installs `trap` as the vector and drops to user mode at `user`. */
const TO_USER = `
start:
    li r1, trap
    mtcr tvec, r1
    li r1, user
    mtcr epc, r1
    li r1, STATUS_IE
    mtcr estatus, r1
    iret
trap:
    mfcr r10, cause
    mfcr r11, tval
    mfcr r12, epc
    halt
`;

describe('CPU: ordinary instructions', () => {
  it('computes with wrap-around, signed and unsigned compares, and keeps r0 at zero', () => {
    const m = runBare(`
      li r1, 0x7fffffff
      addi r2, r1, 1        ; wraps to -2^31
      li r3, -7
      li r4, 2
      div r5, r3, r4        ; -3 (truncated)
      rem r6, r3, r4        ; -1
      slt r7, r3, r4        ; 1
      sltu r8, r3, r4       ; 0 (unsigned -7 is huge)
      shri r9, r3, 28       ; 15
      sari r10, r3, 1       ; -4
      movi r0, 5            ; ignored
      add r11, r0, r4       ; 2
      mul r12, r1, r4       ; low 32 bits: -2
      halt`);
    const r = m.state.registers;
    expect(r[0]).toBe(0);
    expect(r.slice(2, 13)).toEqual([-0x80000000, -7, 2, -3, -1, 1, 0, 15, -4, 2, -2]);
    expect(m.stats.instructions).toBe(15);
  });

  it('loads and stores words and bytes little-endian, and uses the stack', () => {
    const m = runBare(`
      li sp, 0x8000
      li r1, 0x11223344
      li r2, 0x4000
      st r1, [r2+0]
      ldb r3, [r2+0]        ; 0x44
      ldb r4, [r2+3]        ; 0x11
      li r5, 0xAB
      stb r5, [r2+1]
      ld r6, [r2+0]         ; 0x1122AB44
      push r6
      call subr
      pop r7
      halt
subr: li r8, 99
      ret`);
    const r = m.state.registers;
    expect([r[3], r[4], r[6] >>> 0, r[7] >>> 0, r[8]]).toEqual([0x44, 0x11, 0x1122ab44, 0x1122ab44, 99]);
    expect(r[15]).toBe(0x8000);
    expect(m.memory.readByte(0x4001)).toBe(0xab);
  });
});

describe('CPU: traps', () => {
  const cases: [string, string, number, (m: Machine) => number][] = [
    ['a privileged instruction in user mode', 'user: cli', Cause.PRIVILEGED, () => 0x64000000],
    ['a system call', 'user: syscall 7', Cause.SYSCALL, () => 7],
    ['division by zero', 'user: div r1, r1, r0', Cause.DIVIDE_BY_ZERO, () => 0],
    ['a misaligned load', 'user: li r2, 0x102\n ld r1, [r2+0]', Cause.MISALIGNED, () => 0x102],
    ['an undefined opcode', 'user: .word 0xff000000', Cause.ILLEGAL, () => 0xff000000 | 0],
    ['a hypercall on bare hardware', 'user: hcall 3', Cause.ILLEGAL, () => 0x52000003],
    ['memory beyond the installed size', 'user: li r2, 0x200000\n ld r1, [r2+0]', Cause.BUS_ERROR, () => 0x200000],
    ['a breakpoint', 'user: brk', Cause.BREAKPOINT, () => 0],
  ];
  for (const [name, user, cause, value] of cases) {
    it(`traps on ${name}`, () => {
      const m = runBare(TO_USER + user);
      const r = m.state.registers;
      expect(r[10]).toBe(cause);
      expect(r[11]).toBe(value(m));
      expect(m.state.mode).toBe('supervisor');
      expect(m.state.interruptsEnabled).toBe(false);
      expect(m.stats.traps).toBe(1);
    });
  }

  it('stops with double-fault when the trap vector itself faults', () => {
    const machine = new Machine({ memoryBytes: 64 * 1024 });
    machine.load(assemble('li r1, 0x100000\n mtcr tvec, r1\n .word 0'));
    expect(machine.run().outcome).toBe('double-fault');
    expect(machine.run().outcome).toBe('double-fault');
  });
});

describe('CPU: sensitive instructions in the two configurations', () => {
  const probe = `${TO_USER}
user:
    li sp, 0x8000
    rdmode r1
    pushf
    pop r2
    li r3, 0
    push r3
    popf                  ; try to clear IE from user mode
    pushf
    pop r4
    rdptb r5
    syscall 0`;

  it('x86-like: pushf/popf/rdmode/rdptb run in user mode; popf silently ignores IE', () => {
    const m = runBare(probe, { cpu: 'x86-like' });
    const r = m.state.registers;
    expect(r[10]).toBe(Cause.SYSCALL);
    expect(r[1]).toBe(0);
    expect(r[2] & Status.IE).toBe(Status.IE);
    expect(r[4] & Status.IE).toBe(Status.IE);
    expect(r[5]).toBe(0);
  });

  it('virtualizable: the first of them traps as privileged', () => {
    const m = runBare(probe, { cpu: 'virtualizable' });
    expect(m.state.registers[10]).toBe(Cause.PRIVILEGED);
  });

  it('in supervisor mode popf does change IE', () => {
    const m = runBare('li sp, 0x8000\n li r1, 1\n push r1\n popf\n pushf\n pop r2\n halt', { cpu: 'x86-like' });
    expect(m.state.registers[2]! & Status.IE).toBe(1);
    expect(m.state.interruptsEnabled).toBe(true);
  });
});

describe('CPU: paging and the TLB', () => {
  const setup = `
start:
    li r1, trap
    mtcr tvec, r1
    li r1, 0x1000             ; page directory
    li r2, 0x2000 | PTE_PRESENT | PTE_WRITABLE
    st r2, [r1+0]
    li r3, 0x2000             ; page table: identity map pages 0..3
    li r4, 0 | PTE_PRESENT | PTE_WRITABLE
    st r4, [r3+0]
    li r4, 0x1000 | PTE_PRESENT | PTE_WRITABLE
    st r4, [r3+4]
    li r4, 0x2000 | PTE_PRESENT | PTE_WRITABLE
    st r4, [r3+8]
    li r4, 0x5000 | PTE_PRESENT             ; virtual 0x3000 -> physical 0x5000, read-only
    st r4, [r3+12]
    li r5, 0x5000
    li r6, 1234
    st r6, [r5+0]
    mtcr ptbr, r1
    li r7, STATUS_SUPERVISOR | STATUS_PAGING
    mtcr status, r7
`;
  it('translates through the page table and faults on writes to read-only pages', () => {
    const m = runBare(`${setup}
    li r8, 0x3000
    ld r9, [r8+0]             ; 1234 through the mapping
    st r9, [r8+0]             ; read-only: page fault
    halt
trap:
    mfcr r10, cause
    mfcr r11, tval
    halt`);
    const r = m.state.registers;
    expect(r[9]).toBe(1234);
    expect(r[10]).toBe(Cause.PAGE_FAULT_STORE);
    expect(r[11]).toBe(0x3000);
    expect(m.state.pagingEnabled).toBe(true);
  });

  it('keeps using a stale TLB entry until tlbi', () => {
    const m = runBare(`${setup}
    li r8, 0x3000
    ld r9, [r8+0]             ; fills the TLB: 1234
    li r3, 0x2000
    li r4, 0x1000 | PTE_PRESENT
    st r4, [r3+12]            ; remap 0x3000 -> 0x1000 (the page directory, first word = PDE)
    ld r10, [r8+0]            ; stale: still 1234
    tlbi r8
    ld r11, [r8+0]            ; fresh: the PDE
    halt
trap:
    halt`);
    const r = m.state.registers;
    expect(r[9]).toBe(1234);
    expect(r[10]).toBe(1234);
    expect(r[11]).toBe(0x2000 | 3);
  });

  it('faults on a missing page and on user access to supervisor pages', () => {
    const m = runBare(`${setup}
    li r8, 0x7000
    ld r9, [r8+0]
trap:
    mfcr r10, cause
    mfcr r11, tval
    halt`);
    expect(m.state.registers[10]).toBe(Cause.PAGE_FAULT_LOAD);
    expect(m.state.registers[11]).toBe(0x7000);
  });
});

describe('CPU: budgets', () => {
  it('stops a runaway guest with outcome budget, and can continue', () => {
    const machine = new Machine({ memoryBytes: 64 * 1024 });
    machine.load(assemble('loop: addi r1, r1, 1\n jmp loop'));
    const first = machine.run({ maxInstructions: 10_001 });
    expect(first.outcome).toBe('budget');
    expect(first.instructions).toBe(10_001);
    const second = machine.run({ maxCycles: 500 });
    expect(second.outcome).toBe('budget');
    expect(second.cycles).toBe(500);
    expect(machine.state.registers[1]).toBe(5_251);
  });

  it('stops an interrupt storm by budget', () => {
    const machine = new Machine({ memoryBytes: 64 * 1024 });
    machine.load(assemble(`
      li r1, h
      mtcr tvec, r1
      li r1, 10
      out TIMER_PERIOD, r1
      sti
spin: jmp spin
h:    mfcr r2, estatus       ; never acknowledges the timer
      mtcr status, r2        ; re-enable interrupts: the line is still up
      jmp spin`));
    const result = machine.run({ maxInstructions: 50_000 });
    expect(result.outcome).toBe('budget');
    expect(machine.stats.traps).toBeGreaterThan(10_000);
  });
});
