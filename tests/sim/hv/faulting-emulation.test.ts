/**
 * An emulated instruction that faults on bare hardware (here `mfcr` of a control register that
 * does not exist) must not count as retired when the VMM reflects the fault at its pc: the
 * instruction counts of the VM and of bare hardware stay equal (Popek–Goldberg equivalence).
 */
import { describe, expect, it } from 'vitest';
import { Cause } from '../../../src/sim/machine/index.ts';
import { assemble } from '../../../src/sim/machine/index.ts';
import { expectEquivalent, runNative, runVirtual } from './helpers.ts';
import { trapAndEmulate } from './support/trap-and-emulate.ts';

const GUEST = assemble(`
    li r1, handler
    mtcr tvec, r1
    .word 0x61100009          ; mfcr r1, control register 9 (there are 8): illegal on bare hardware
    li r2, 107
    out 0x10, r2
    halt
handler:
    mfcr r3, epc
    addi r3, r3, 4
    mtcr epc, r3
    mfcr r4, cause
    iret
`);

// An iret whose EPC is the iret itself, with a timer tick pending: bare hardware retires the
// iret, then takes the interrupt at the same pc; the count must not be taken back for that.
const IRET_TO_ITSELF = assemble(`
    li sp, 0x8000
    li r1, trap
    mtcr tvec, r1
    li r1, 20
    out TIMER_PERIOD, r1
    li r3, 40
spin:
    addi r3, r3, -1
    bne r3, zero, spin        ; the tick is raised while interrupts are off
    li r1, self
    mtcr epc, r1
    li r1, STATUS_SUPERVISOR | STATUS_IE
    mtcr estatus, r1
self:
    iret                      ; returns to itself with interrupts on
trap:
    out TIMER_PERIOD, zero
    out TIMER_ACK, zero
    li r1, 'x'
    out CONSOLE_DATA, r1
    cli
    halt
`);

describe('an emulated instruction that faults', () => {
  it('is reflected at its own pc and not counted as retired (the reference VMM)', () => {
    const machine = runNative(GUEST);
    expect(machine.state.registers[4]).toBe(Cause.ILLEGAL);
    const { vm } = runVirtual(GUEST, trapAndEmulate);
    expectEquivalent(machine, vm);
  });

  it('keeps the count of an emulated instruction followed by an interrupt at the same pc', () => {
    const machine = runNative(IRET_TO_ITSELF);
    expect(machine.console.output).toBe('x');
    const { vm } = runVirtual(IRET_TO_ITSELF, trapAndEmulate);
    expectEquivalent(machine, vm);
  });

});
