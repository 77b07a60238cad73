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

describe('an emulated instruction that faults', () => {
  it('is reflected at its own pc and not counted as retired (the reference VMM)', () => {
    const machine = runNative(GUEST);
    expect(machine.state.registers[4]).toBe(Cause.ILLEGAL);
    const { vm } = runVirtual(GUEST, trapAndEmulate);
    expectEquivalent(machine, vm);
  });

});
