import { describe, expect, it } from 'vitest';
import { referenceKernel } from '../../../src/sim/guests/index.ts';
import { assemble } from '../../../src/sim/machine/index.ts';
import { runNative, runVirtual } from './helpers.ts';
import { createParavirtualVmm } from './support/paravirtual.ts';

describe('paravirtualization (hypercalls)', () => {
  const program = assemble(referenceKernel({ flavour: 'paravirtual' }));

  it('the paravirtual kernel runs under a VMM that implements the hypercall ABI', () => {
    const { vm } = runVirtual(program, createParavirtualVmm());
    const lines = vm.console.output.split('\n');
    expect(lines[0]).toBe('virtlab kernel (paravirtual)');
    expect(lines[1]).toBe('paging on');
    expect(vm.console.output).toContain('[A killed: cause 2 value 0x64000000]');
    expect(vm.console.output).toContain('[B killed: cause 5 value 0x00300000]');
    expect(vm.console.output).toMatch(/all processes exited, ticks=\d+\nidle done, halting\n$/);
    expect(vm.state).toBe('halted');
    // No privileged instruction is executed by the kernel; system calls never exit.
    expect(vm.stats.exitsByKind['privileged-instruction']).toBe(1); // process A's user-mode cli
    expect(vm.stats.exitsByKind.syscall).toBe(0);
    expect(vm.stats.exitsByKind.hypercall).toBeGreaterThan(30);
  });

  it('prints the same characters as the native kernel (the interleaving may differ)', () => {
    const { vm } = runVirtual(program, createParavirtualVmm());
    const native = runNative(assemble(referenceKernel()));
    const count = (text: string, ch: string): number => text.split(ch).length - 1;
    for (const ch of ['A', 'B', '[', ']']) expect(count(vm.console.output, ch)).toBe(count(native.console.output, ch));
  });

  it('on bare hardware a hypercall is an illegal instruction', () => {
    // The first instruction after `li sp` and the two argument loads is `hcall SETUP`, which
    // traps ILLEGAL to vector 0 (no vector was set): the kernel reboots in a loop.
    const machine = runNative(program, 'virtualizable', 20);
    expect(machine.state.control.cause).toBe(3);
    expect(machine.state.control.tval >>> 24).toBe(0x52);
  });
});
