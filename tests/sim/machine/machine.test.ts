import { describe, expect, it } from 'vitest';
import { SimError } from '../../../src/sim/common/errors.ts';
import { referenceKernel } from '../../../src/sim/guests/index.ts';
import { assemble, Machine, PhysicalMemory } from '../../../src/sim/machine/index.ts';
import { runBare } from './helpers.ts';

const KERNEL_OUTPUT = [
  'virtlab kernel (native)',
  'paging on',
  'AABABBAABABBAABABBAABA done',
  'BB[A killed: cause 2 value 0x64000000]',
  ' done',
  '[B killed: cause 5 value 0x00300000]',
  'all processes exited, ticks=17',
  'idle done, halting',
  '',
].join('\n');

describe('Machine running the reference kernel', () => {
  it('enables paging, takes timer interrupts and system calls, and prints the expected output', () => {
    const machine = new Machine({ memoryBytes: 256 * 1024 });
    machine.load(assemble(referenceKernel()));
    const result = machine.run({ maxInstructions: 1_000_000 });
    expect(result.outcome).toBe('halted');
    expect(machine.console.output).toBe(KERNEL_OUTPUT);
    expect(machine.state.pagingEnabled).toBe(true);
    expect(machine.state.interruptsEnabled).toBe(false);
    expect(machine.devices.timer.fired).toBe(20);
    expect(machine.stats.idleCycles).toBeGreaterThan(0);
    // 34 syscalls + 2 faults + timer interrupts
    expect(machine.stats.traps).toBe(55);
  });

  it('is deterministic: two runs give identical state, memory and counters', () => {
    const run = (): Machine => {
      const machine = new Machine({ memoryBytes: 256 * 1024 });
      machine.load(assemble(referenceKernel({ iterations: 30, timerPeriod: 333 })));
      machine.run();
      return machine;
    };
    const a = run();
    const b = run();
    expect(a.console.output).toBe(b.console.output);
    expect(a.state).toEqual(b.state);
    expect(a.stats).toEqual(b.stats);
    expect(Array.from(a.memory.words)).toEqual(Array.from(b.memory.words));
  });

  it('prints a different interleaving when the timer period changes (interrupts really preempt)', () => {
    const output = (timerPeriod: number): string => {
      const machine = new Machine({ memoryBytes: 256 * 1024 });
      machine.load(assemble(referenceKernel({ timerPeriod })));
      machine.run();
      return machine.console.output.split('\n')[2]!;
    };
    expect(output(500)).not.toBe(output(2000));
  });
});

describe('devices', () => {
  it('block device: DMA a sector in and out', () => {
    const machine = new Machine({ memoryBytes: 64 * 1024, blockSectors: 4 });
    machine.devices.block.writeSector(2, [1, 2, 3, 4, 5]);
    machine.load(assemble(`
      li r1, 2
      out BLOCK_SECTOR, r1
      li r1, 0x4000
      out BLOCK_ADDRESS, r1
      li r1, 1
      out BLOCK_COMMAND, r1        ; read sector 2 into 0x4000
      in r5, BLOCK_STATUS
      li r2, 0x4000
      ld r3, [r2+0]
      addi r3, r3, 1
      st r3, [r2+0]
      li r1, 3
      out BLOCK_SECTOR, r1
      li r1, 2
      out BLOCK_COMMAND, r1        ; write it to sector 3
      li r1, 9
      out BLOCK_SECTOR, r1
      out BLOCK_COMMAND, r1        ; bad sector
      in r6, BLOCK_STATUS
      halt`));
    machine.run();
    expect(machine.state.registers[3]).toBe(0x04030202);
    expect(machine.state.registers[5]).toBe(0);
    expect(machine.state.registers[6]).toBe(1);
    expect(Array.from(machine.devices.block.readSector(3).slice(0, 6))).toEqual([2, 2, 3, 4, 5, 0]);
    expect(machine.devices.block.operations).toEqual({ reads: 1, writes: 1 });
  });

  it('NIC: receive with an interrupt, echo the frame back', () => {
    const machine = new Machine({ memoryBytes: 64 * 1024 });
    machine.devices.nic.receive([104, 105]);
    machine.load(assemble(`
      li r1, handler
      mtcr tvec, r1
      li r1, 1
      out NIC_INTERRUPT_ENABLE, r1
      sti
wait: jmp wait
handler:
      mfcr r9, cause
      in r2, NIC_RX_LENGTH
rx:   in r3, NIC_RX_DATA
      out NIC_TX_DATA, r3
      addi r2, r2, -1
      bne r2, zero, rx
      out NIC_RX_DONE, zero
      out NIC_TX_SEND, zero
      halt`));
    machine.run({ maxInstructions: 10_000 });
    expect(machine.state.registers[9]).toBe(18);
    expect(machine.devices.nic.sent.map((f) => Array.from(f))).toEqual([[104, 105]]);
  });

  it('console: input queue and power-off port', () => {
    const machine = new Machine({ memoryBytes: 64 * 1024 });
    machine.console.type('ok');
    machine.load(assemble(`
      in r1, CONSOLE_INPUT
      out CONSOLE_DATA, r1
      in r1, CONSOLE_INPUT
      out CONSOLE_DATA, r1
      in r2, CONSOLE_INPUT      ; -1: empty
      li r3, 7
      out POWER_OFF, r3
      jmp 0`));
    expect(machine.run().outcome).toBe('powered-off');
    expect(machine.console.output).toBe('ok');
    expect(machine.state.registers[2]).toBe(-1);
    expect(machine.devices.exitCode).toBe(7);
  });

  it('a halt with interrupts on idles until the timer fires', () => {
    const m = runBare(`
      li r1, h
      mtcr tvec, r1
      li r1, 1000
      out TIMER_PERIOD, r1
      sti
      halt
      jmp 0
h:    in r5, TIMER_NOW
      halt`);
    // The period is set when `out` retires (time 5); `halt` retires at 7; `in` reads after retiring.
    expect(m.state.registers[5]).toBe(1006);
    expect(m.stats.idleCycles).toBe(1005 - 7);
  });
});

describe('invalid calls', () => {
  it('throws SimErrors that say what to do', () => {
    expect(() => new Machine({ memoryBytes: 1000 })).toThrow(SimError);
    expect(() => new Machine({ memoryBytes: 1000 })).toThrow(/multiple of 4096/);
    expect(() => new Machine({ cpu: 'arm' as never })).toThrow(/cpu must be one of/);
    expect(() => new Machine({ costs: { trapEntry: -1 } })).toThrow(/non-negative integer/);
    expect(() => new Machine({ costs: { warp: 1 } as never })).toThrow(/unknown cost/);
    const machine = new Machine({ memoryBytes: 4096 });
    expect(() => machine.load(new Array(2000).fill(0))).toThrow(/do not fit/);
    expect(() => machine.run({ maxInstructions: -1 })).toThrow(/maxInstructions/);
    expect(() => machine.reset(2)).toThrow(/aligned/);
    expect(() => machine.memory.readWord(4096)).toThrow(/OUT_OF_RANGE|aligned word/);
    expect(() => machine.devices.block.readSector(99)).toThrow(SimError);
    expect(() => new PhysicalMemory(0)).toThrow(SimError);
  });

  it('gives frozen snapshots that cannot change the machine', () => {
    const machine = new Machine({ memoryBytes: 4096 });
    const state = machine.state;
    expect(Object.isFrozen(state)).toBe(true);
    expect(Object.isFrozen(state.registers)).toBe(true);
    expect(() => {
      (state.registers as number[])[1] = 5;
    }).toThrow(TypeError);
  });
});
